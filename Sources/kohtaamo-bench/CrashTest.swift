import ArgumentParser
import Foundation
import NIOConcurrencyHelpers

/// `kohtaamo-bench crash`: starts the real server, runs clients that send
/// with retries, kills the server with SIGKILL mid-load, starts it again, and
/// checks that every acked message is stored exactly once and every
/// recipient ends with the full gap-free sequence. Exit status 1 otherwise.
struct CrashTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crash", abstract: "kill -9 the server under load; prove nothing acked is lost.")

    @Option(help: "The kohtaamo binary to run (a release build).") var bin = ".build/release/kohtaamo"
    @Option(help: "Client–worker pairs.") var pairs = 24
    @Option(help: "Milliseconds between messages of one client.") var interval = 10
    @Option(help: "Seconds of load before the kill, and again after the restart.") var seconds = 3.0
    @Option(help: "How many times to kill and restart.") var kills = 2
    @Option(help: "Use PostgreSQL at this URL instead of a SQLite file.") var databaseURL: String?

    /// What one simulated person has: written but not acked, and acked.
    struct Person {
        var pending: [String: String] = [:]  // id → body, resent after every reconnect
        var acked: [String: Int] = [:]  // id → seq
        var received: [String: Set<Int>] = [:]  // conversation → seqs seen
        var duplicates = 0
    }

    final class Server: @unchecked Sendable {
        let bin: String, dir: URL, port: Int, env: [String: String]
        var process: Process?
        init(bin: String, dir: URL, port: Int, env: [String: String]) { (self.bin, self.dir, self.port, self.env) = (bin, dir, port, env) }

        func run(_ args: [String], wait: Bool) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bin)
            p.arguments = args + ["--data-dir", dir.path]
            p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
            let log = FileHandle(forWritingAtPath: dir.appendingPathComponent("server.log").path)
            log?.seekToEndOfFile()
            p.standardOutput = log
            p.standardError = log
            try p.run()
            if wait { p.waitUntilExit() }
            return p
        }

        func start() throws { process = try run(["serve", "--port", "\(port)"], wait: false) }
        func kill9() {
            guard let p = process else { return }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        func stop() {
            guard let p = process, p.isRunning else { return }
            p.terminate()
            p.waitUntilExit()
        }
    }

    func run() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kohtaamo-crash-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("server.log").path, contents: nil)
        let port = Int.random(in: 20_000...60_000)
        var env = ["KOHTAAMO_SEND_RATE": "10000", "KOHTAAMO_LOG_LEVEL": "warning"]
        if let databaseURL { env["DATABASE_URL"] = databaseURL }
        let server = Server(bin: bin, dir: dir, port: port, env: env)
        let password = "crash-test-password"
        let demo = try server.run(["demo", "--password", password, "--workers", "\(Pairs.workersNeeded(pairs))"], wait: true)
        guard demo.terminationStatus == 0 else { throw BenchError("demo data failed (see \(dir.path)/server.log)") }
        try server.start()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(port)"
        let http = HTTP(base: base)
        try await http.waitHealthy(timeout: .seconds(60))
        let setup = try await Pairs.setUp(http: http, count: pairs, password: password)
        let ws = socketURL(base)

        // People: each client, and each worker (a recipient of several chats).
        let people = (setup.pairs.map { _ in NIOLockedValueBox(Person()) }) + setup.workerCookies.map { _ in NIOLockedValueBox(Person()) }
        let conversationsOf: [[String]] = setup.pairs.map { [$0.conversation] }
            + setup.workerCookies.indices.map { w in setup.pairs.filter { $0.worker == w }.map(\.conversation) }
        let cookies = setup.pairs.map(\.clientCookie) + setup.workerCookies

        let sockets: [BenchSocket] = people.enumerated().map { i, person in
            let conversations = conversationsOf[i]
            return BenchSocket(url: ws, cookie: cookies[i], onOpen: { socket in
                // After every (re)connect: catch up from the last gap-free seq, then resend the outbox.
                let (positions, pending) = person.withLockedValue { p in
                    (conversations.map { c in (c, Self.gapFreeEnd(p.received[c] ?? [])) }, p.pending)
                }
                for (c, after) in positions { socket.send(#"{"t":"sync","c":"\#(c)","after":\#(after)}"#) }
                for (id, body) in pending { socket.send(sendJSON(conversations[0], id, body)) }
            }) { frame in
                person.withLockedValue { p in
                    switch frame["t"] as? String {
                    case "ack":
                        guard let id = frame["id"] as? String, let seq = frame["seq"] as? Int else { return }
                        p.pending[id] = nil
                        p.acked[id] = seq
                    case "msg":
                        guard let c = frame["c"] as? String, let seq = frame["seq"] as? Int else { return }
                        if !p.received[c, default: []].insert(seq).inserted { p.duplicates += 1 }
                    default: break
                    }
                }
            }
        }
        let sending = NIOLockedValueBox(true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for socket in sockets { group.addTask { await socket.run(retryPause: .milliseconds(100)) } }
            // Clients write continuously; what is not acked stays pending and is resent.
            for (i, pair) in setup.pairs.enumerated() {
                group.addTask {
                    var n = 0
                    while sending.withLockedValue({ $0 }) {
                        n += 1
                        let id = UUID().uuidString.lowercased()
                        let body = "viesti-\(i)-\(n)"
                        people[i].withLockedValue { $0.pending[id] = body }
                        sockets[i].send(sendJSON(pair.conversation, id, body))
                        try await Task.sleep(for: .milliseconds(interval))
                    }
                }
            }
            var ackedAtKill: [Int] = []
            for round in 1...kills {
                try await Task.sleep(for: .seconds(seconds))
                ackedAtKill.append(people.reduce(0) { $0 + $1.withLockedValue { $0.acked.count } })
                server.kill9()
                print("round \(round): killed the server with SIGKILL after \(ackedAtKill.last!) acks; starting it again")
                try server.start()
                try await http.waitHealthy(timeout: .seconds(60))
            }
            try await Task.sleep(for: .seconds(seconds))
            sending.withLockedValue { $0 = false }
            // Every outbox empties once the clients are connected again.
            let deadline = ContinuousClock.now + .seconds(60)
            while people.contains(where: { $0.withLockedValue { !$0.pending.isEmpty } }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .seconds(1))
            for socket in sockets { socket.stop() }
            group.cancelAll()
            try await verify(http: http, setup: setup, people: people, conversationsOf: conversationsOf, ackedAtKill: ackedAtKill)
        }
    }

    static func gapFreeEnd(_ seqs: Set<Int>) -> Int {
        var n = 0
        while seqs.contains(n + 1) { n += 1 }
        return n
    }

    func verify(http: HTTP, setup: Pairs, people: [NIOLockedValueBox<Person>], conversationsOf: [[String]], ackedAtKill: [Int]) async throws {
        var problems: [String] = []
        var totalStored = 0, totalAcked = 0
        for (i, pair) in setup.pairs.enumerated() {
            // What the server has, read as the worker (a participant).
            var stored: [(seq: Int, id: String)] = []
            var after = 0
            while true {
                let r = try await http.call("GET", "/api/conversations/\(pair.conversation)/messages?after=\(after)&limit=1000", cookie: setup.workerCookies[pair.worker])
                guard r.status == 200, let list = try JSONSerialization.jsonObject(with: r.body) as? [[String: Any]] else {
                    throw BenchError("reading \(pair.conversation) failed: \(r.status)")
                }
                if list.isEmpty { break }
                stored += list.map { ($0["seq"] as! Int, $0["id"] as! String) }
                after = stored.last!.seq
            }
            totalStored += stored.count
            if stored.map(\.seq) != Array(1...max(1, stored.count)).prefix(stored.count).map({ $0 }) { problems.append("\(pair.conversation): seq has gaps") }
            let byID = Dictionary(grouping: stored, by: \.id)
            if let dup = byID.first(where: { $0.value.count > 1 }) { problems.append("\(pair.conversation): id \(dup.key) stored \(dup.value.count) times") }
            let person = people[i].withLockedValue { $0 }
            totalAcked += person.acked.count
            if !person.pending.isEmpty { problems.append("client \(i): \(person.pending.count) messages never acked") }
            for (id, seq) in person.acked where byID[id]?.first?.seq != seq {
                problems.append("client \(i): acked \(id) as seq \(seq) but storage has \(byID[id]?.first?.seq.description ?? "nothing")")
            }
            // Every recipient (the client itself and its worker) has 1…n, each once.
            let full = Set(1...max(1, stored.count)).filter { _ in !stored.isEmpty }
            for (who, index) in [("client \(i)", i), ("worker \(pair.worker + 1)", setup.pairs.count + pair.worker)] {
                let got = people[index].withLockedValue { $0.received[pair.conversation] ?? [] }
                if got != full { problems.append("\(who) in \(pair.conversation): has \(got.count) of \(full.count)") }
            }
        }
        let duplicates = people.reduce(0) { $0 + $1.withLockedValue { $0.duplicates } }
        Report.print(title: "crash test: \(pairs) pairs, \(kills) × SIGKILL under load", rows: [
            ("acked before each kill", ackedAtKill.map(String.init).joined(separator: ", ")),
            ("acked in all", "\(totalAcked)"),
            ("stored in all", "\(totalStored)"),
            ("repeated deliveries seen", "\(duplicates)"),
            ("problems", problems.isEmpty ? "none" : "\(problems.count)"),
        ])
        for p in problems.prefix(20) { print("  - \(p)") }
        if !problems.isEmpty || totalAcked == 0 { throw ExitCode(1) }
        print("crash test passed: every acked message stored once, every recipient has the full gap-free sequence")
    }
}
