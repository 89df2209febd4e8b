import ArgumentParser
import Foundation
import Kohtaamo
import KohtaamoBase
import ServiceLifecycle

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `kohtaamo bench-stats`: a year of a 20-service network written by the
/// samplers into an empty database (SQLite, or PostgreSQL with
/// `--database-url`), then the statistics page, CSV and JSON asked
/// `--requests` times each over HTTP (curl) from a running server, one at a time;
/// p50 and p99 of each are printed (docs/benchmarks.md).
struct BenchStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-stats", abstract: "Measure the statistics page and CSV on a year of generated data (docs/benchmarks.md).")

    @OptionGroup var storage: StorageOptions
    @Option(help: "Support chats in the network.") var services = 20
    @Option(name: .customLong("per-day"), help: "Contacts a service has on an ordinary day.") var perDay = 10.0
    @Option(help: "Requests of each kind.") var requests = 50
    @Option(help: "Port of the server the requests go to.") var port = 8097
    @Option(help: "Seed of the samplers.") var seed: UInt64 = 1
    @Flag(name: .customLong("sources-only"), help: "Time each feature's source and the roll-up only, without the server.")
    var sourcesOnly = false

    func run() async throws {
        guard services > 0, services <= 200, perDay > 0, requests > 1 else { throw ValidationError("services 1–200, per-day and requests positive") }
        let configuration = try storage.resolve {
            $0.port = port
            $0.host = "127.0.0.1"
            // One line a request would drown the table.
            $0.logLevel = $0.logLevel ?? "warning"
        }
        let kohtaamo = try await openKohtaamo(configuration, storage)
        guard try await kohtaamo.isEmpty() else { throw ValidationError("bench-stats writes a year of data: give it an empty database") }
        let password = Tokens.random(bytes: 9)
        let started = Date()
        let leaves = try await kohtaamo.fillStatisticsBenchmark(password: password, services: services, perDay: perDay, seed: seed)
        let database = kohtaamo.storage.kind == .sqlite ? "SQLite" : "PostgreSQL"
        print(
            "\(database): wrote a year for \(services) services (\(leaves) leaves) in \(String(format: "%.0f", Date().timeIntervalSince(started))) s")
        print("| source | leaves | read | roll-up |")
        print("| --- | --- | --- | --- |")
        for t in try await kohtaamo.figureSourceTimings(runs: 5) {
            print("| \(t.section) | \(t.leaves) | \(String(format: "%.0f", t.readMs)) ms | \(String(format: "%.0f", t.rollupMs)) ms |")
        }
        fflush(nil)
        if sourcesOnly {
            await kohtaamo.storage.close()
            return
        }
        // Stopped the way SIGTERM stops it, so that the log ends without errors.
        let group = ServiceGroup(configuration: .init(services: [kohtaamo.application()], logger: kohtaamo.logger))
        let server = Task { try await group.run() }
        let cookie = try await kohtaamo.benchmarkSession(email: "network@demo.invalid", password: password)
        let base = "http://127.0.0.1:\(port)"
        try await Self.waitForServer(base)
        let today = HelsinkiDay(kohtaamo.clock.now)
        let year = "from=\(today.adding(days: -364))&until=\(today)"
        let kinds: [(String, String)] = [
            ("page, the network, 52 weeks", "/stats?length=week&\(year)"),
            ("page, the network, 12 months", "/stats?length=month&\(year)"),
            ("CSV, the network per week", "/stats/chat-periods.csv?length=week&\(year)"),
            ("CSV, per organisation", "/stats/chat-units.csv?length=week&\(year)"),
            ("JSON, the network, 52 weeks", "/api/stats?length=week&\(year)"),
        ]
        print("| request | p50 | p99 | max |")
        print("| --- | --- | --- | --- |")
        for (name, path) in kinds {
            var times: [Double] = []
            for n in 0..<(requests + 2) {
                let (status, seconds) = try await Self.get(base + path, cookie: cookie)
                guard status == 200 else { throw ValidationError("\(path): status \(status)") }
                if n >= 2 { times.append(seconds * 1000) }  // two to warm up
            }
            times.sort()
            let p = { (q: Double) in times[min(times.count - 1, Int((q * Double(times.count)).rounded(.up)) - 1)] }
            print(
                "| \(name) | \(String(format: "%.0f", p(0.5))) ms | \(String(format: "%.0f", p(0.99))) ms | \(String(format: "%.0f", times.last!)) ms |"
            )
        }
        await group.triggerGracefulShutdown()
        try await server.value
        await kohtaamo.storage.close()
    }

    /// One GET through curl (its own `time_total`, so starting curl is not
    /// counted): the status code (0 when no answer came) and the seconds.
    static func get(_ url: String, cookie: String) async throws -> (status: Int, seconds: Double) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = [
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-H", "Cookie: \(cookie)", "-H", "Accept-Language: en", url,
        ]
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard parts.count == 2, let status = Int(parts[0]), let seconds = Double(parts[1]) else { return (0, 0) }
        return (status, seconds)
    }

    static func waitForServer(_ base: String) async throws {
        for _ in 0..<100 {
            if (try? await get(base + "/healthz", cookie: ""))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the server did not start on \(base)")
    }
}
