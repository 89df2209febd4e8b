import ArgumentParser
import Foundation

/// `kohtaamo-bench sockets`: opens many idle sockets and reports the
/// server's memory per socket.
struct SocketsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sockets", abstract: "Memory per idle open socket.")

    @Option(help: "The server's address.") var url = "http://127.0.0.1:8080"
    @Option(help: "The demo accounts' password.") var password: String
    @Option(help: "How many sockets to open.") var count = 5000
    @Option(help: "The server's process id (for its memory).") var serverPid: Int32

    func run() async throws {
        let http = HTTP(base: url)
        try await http.waitHealthy(timeout: .seconds(30))
        let cookie = try await http.signIn("worker1@demo.invalid", password: password)
        let before = residentKiB(pid: serverPid) ?? 0
        let sockets = (0..<count).map { _ in BenchSocket(url: socketURL(url), cookie: cookie) { _ in } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, socket) in sockets.enumerated() {
                group.addTask { await socket.run(retryPause: .seconds(1)) }
                if i % 200 == 199 { try await Task.sleep(for: .milliseconds(50)) }
            }
            let deadline = ContinuousClock.now + .seconds(120)
            while sockets.contains(where: { $0.opens == 0 }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
            try await Task.sleep(for: .seconds(2))
            let open = sockets.filter { $0.opens > 0 }.count
            let after = residentKiB(pid: serverPid) ?? 0
            Report.print(title: "sockets: \(count) idle sockets", rows: [
                ("open", "\(open)"),
                ("server RSS before / after", "\(before / 1024) MiB / \(after / 1024) MiB"),
                ("per socket", open > 0 ? String(format: "%.1f KiB", Double(after - before) / Double(open)) : "n/a"),
            ])
            for socket in sockets { socket.stop() }
            group.cancelAll()
        }
    }
}
