import ArgumentParser
import Foundation
import Histogram
import Logging
import NIOConcurrencyHelpers
import PostgresKit
import PostgresNIO

/// `kohtaamo-bench notify`: how many notifying commits one PostgreSQL takes,
/// and at what commit latency. A transaction that has called `NOTIFY` takes
/// one lock for the whole cluster at commit and holds it until the commit is
/// done (the WAL flush included), so that notifications are queued in commit
/// order (PostgreSQL's `PreCommit_Notify` in `async.c`). Notifying commits
/// are therefore one at a time, whatever the connections; plain commits
/// share their flushes (group commit). Every message the nodes announce goes
/// this way (`SQLMessageStore`: one `pg_notify` statement per group commit),
/// so this is the ceiling of several nodes on one PostgreSQL (docs/scaling.md).
///
/// N connections each loop `BEGIN; INSERT a small row; [SELECT pg_notify];
/// COMMIT`; one more connection LISTENs and counts what arrives. Each count
/// of connections runs without the notify, with it, and with the notify
/// alone (`SELECT pg_notify` in a transaction of its own, as a node sends
/// typing, presence and signals), so the three can be compared in one sitting.
struct NotifyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Notifying commits a second on one PostgreSQL, their latency, and the same without NOTIFY.")

    @Option(help: "The PostgreSQL to measure (a scratch table is made in it and dropped).") var databaseURL: String
    @Option(help: "Writing connections, one count after another: e.g. 1,4,16.") var connections = "1,4,16"
    @Option(name: [.customLong("duration"), .customLong("seconds")], help: "Seconds to measure each run (each count, with and without NOTIFY).")
    var duration = 10.0
    @Option(help: "Seconds to run before measuring (each run).") var warmup = 1.0
    @Option(help: "Bytes of each notification's payload (a node's message announcement is about 110).") var payload = 100

    static let channel = "kohtaamo_bench"
    static let table = "kohtaamo_bench_notify"

    struct Stats {
        /// Whole transactions (BEGIN to COMMIT answered: what an ack waits for) and the COMMIT alone (where the lock is held).
        var transaction = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        var commit = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        /// From just before `pg_notify` to the listener hearing it.
        var heardAfter = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        var committed = 0, committedInWindow = 0, heard = 0, heardInWindow = 0, outOfOrder = 0, failed = 0
        /// The last n heard from each writer: notifications of one connection must come in its commit order.
        var lastHeard: [Int: Int] = [:]
        var measuring = false
    }

    /// What each writer's transaction does.
    enum Mode: CaseIterable {
        /// BEGIN, INSERT, COMMIT: a message stored, nobody told.
        case plain
        /// BEGIN, INSERT, pg_notify, COMMIT: a message stored and announced (the nodes' group commit).
        case notify
        /// `SELECT pg_notify` on its own: an announcement with nothing stored (typing, presence, signals).
        case alone

        var label: String {
            switch self {
            case .plain: "no"
            case .notify: "yes"
            case .alone: "alone"
            }
        }
    }

    struct Outcome {
        var connections: Int
        var mode: Mode
        var stats: Stats
        var lost: Int
    }

    func run() async throws {
        let counts = try Self.parseCounts(connections)
        guard duration > 0, warmup >= 0 else { throw ValidationError("--duration must be positive, --warmup not negative") }
        guard (0...7_900).contains(payload) else { throw ValidationError("--payload: 0 to 7900 bytes (PostgreSQL's limit is 8000)") }
        var configuration = try SQLPostgresConfiguration(url: databaseURL).coreConfiguration
        configuration.options.additionalStartupParameters = [("application_name", "kohtaamo-bench notify")]
        var logger = Logger(label: "kohtaamo-bench.notify")
        logger.logLevel = .error
        let admin = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        let settings = try await Self.settings(admin, logger: logger)
        try await admin.query(
            PostgresQuery(
                unsafeSQL:
                    "CREATE UNLOGGED TABLE IF NOT EXISTS \(Self.table) (id bigserial PRIMARY KEY, writer int NOT NULL, n bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())"
            ), logger: logger)
        // Logged like the messages table: the commit must flush its WAL.
        try await admin.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(Self.table) SET LOGGED"), logger: logger)
        let stats = NIOLockedValueBox(Stats())
        let origin = ContinuousClock.now
        let listener = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        let listening = NIOLockedValueBox(false)
        let listen = Task {
            try await listener.listen(on: Self.channel) { notifications in
                listening.withLockedValue { $0 = true }
                for try await n in notifications { Self.heard(n.payload, stats: stats, origin: origin) }
            }
        }
        while !listening.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))  // LISTEN is sent when the stream is made; let it land
        print("notify: \(settings)")
        print("\(Int(warmup)) s warm-up + \(Int(duration)) s a run, payload \(payload) bytes, one LISTENing connection")
        Self.printHeader()
        var outcomes: [Outcome] = []
        for count in counts {
            var writers: [PostgresConnection] = []
            for i in 0..<count { writers.append(try await PostgresConnection.connect(configuration: configuration, id: 10 + i, logger: logger)) }
            for mode in Mode.allCases {
                stats.withLockedValue { $0 = Stats() }
                try await runOnce(writers, mode: mode, stats: stats, origin: origin, logger: logger)
                let lost = mode == .plain ? 0 : try await Self.drain(stats)
                let outcome = Outcome(connections: count, mode: mode, stats: stats.withLockedValue { $0 }, lost: lost)
                outcomes.append(outcome)
                Self.printLine(outcome, duration: duration)
            }
            for w in writers { try? await w.close() }
        }
        Self.printRatios(outcomes)
        listen.cancel()
        _ = await listen.result
        try? await listener.close()
        try await admin.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(Self.table)"), logger: logger)
        try? await admin.close()
    }

    /// All writers loop until warm-up and duration have passed; what starts in the window is measured.
    func runOnce(_ writers: [PostgresConnection], mode: Mode, stats: NIOLockedValueBox<Stats>, origin: ContinuousClock.Instant, logger: Logger)
        async throws
    {
        let start = ContinuousClock.now
        let measureFrom = start + .seconds(warmup), end = measureFrom + .seconds(duration)
        let pad = String(repeating: "x", count: payload)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (w, connection) in writers.enumerated() {
                group.addTask {
                    var n = 0
                    while ContinuousClock.now < end {
                        n += 1
                        let began = ContinuousClock.now
                        let inWindow = began >= measureFrom
                        if inWindow { stats.withLockedValue { $0.measuring = true } }
                        do {
                            let commitAt: ContinuousClock.Instant
                            if mode == .alone {
                                commitAt = began
                                let text = Self.payload(writer: w, n: n, micros: ChatBenchmark.micros(began - origin), pad: pad)
                                try await connection.query("SELECT pg_notify(\(Self.channel), \(text))", logger: logger)
                            } else {
                                try await connection.query("BEGIN", logger: logger)
                                try await connection.query("INSERT INTO kohtaamo_bench_notify (writer, n) VALUES (\(w), \(n))", logger: logger)
                                if mode == .notify {
                                    let text = Self.payload(writer: w, n: n, micros: ChatBenchmark.micros(ContinuousClock.now - origin), pad: pad)
                                    try await connection.query("SELECT pg_notify(\(Self.channel), \(text))", logger: logger)
                                }
                                commitAt = ContinuousClock.now
                                try await connection.query("COMMIT", logger: logger)
                            }
                            let done = ContinuousClock.now
                            stats.withLockedValue { s in
                                s.committed += 1
                                guard inWindow else { return }
                                s.committedInWindow += 1
                                s.transaction.record(ChatBenchmark.micros(done - began))
                                s.commit.record(ChatBenchmark.micros(done - commitAt))
                            }
                        } catch {
                            stats.withLockedValue { $0.failed += 1 }
                            if mode != .alone { _ = try? await connection.query("ROLLBACK", logger: logger) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        stats.withLockedValue { $0.measuring = false }
    }

    /// `writer n micros padding`: who, which of its commits, and when it notified (µs since the run began).
    static func payload(writer: Int, n: Int, micros: UInt64, pad: String) -> String {
        let head = "\(writer) \(n) \(micros) "
        return head + pad.dropFirst(min(pad.count, head.utf8.count))
    }

    static func heard(_ payload: String, stats: NIOLockedValueBox<Stats>, origin: ContinuousClock.Instant) {
        let now = ChatBenchmark.micros(ContinuousClock.now - origin)
        let fields = payload.split(separator: " ", maxSplits: 3)
        guard fields.count >= 3, let w = Int(fields[0]), let n = Int(fields[1]), let at = UInt64(fields[2]) else { return }
        stats.withLockedValue { s in
            s.heard += 1
            if let last = s.lastHeard[w], n <= last { s.outOfOrder += 1 }
            s.lastHeard[w] = n
            guard s.measuring else { return }
            s.heardInWindow += 1
            s.heardAfter.record(now >= at ? now - at : 0)
        }
    }

    /// Waits until every committed notification has been heard, or none has
    /// come for 2 s; returns how many never came.
    static func drain(_ stats: NIOLockedValueBox<Stats>) async throws -> Int {
        var last = (count: -1, at: ContinuousClock.now)
        while true {
            let (heard, committed) = stats.withLockedValue { ($0.heard, $0.committed) }
            if heard >= committed { return 0 }
            let now = ContinuousClock.now
            if heard != last.count { last = (heard, now) }
            if now - last.at >= .seconds(2) { return committed - heard }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What decides the figures: the version, and whether a commit waits for the disk.
    static func settings(_ connection: PostgresConnection, logger: Logger) async throws -> String {
        var values: [String] = []
        for name in ["server_version", "fsync", "synchronous_commit", "wal_sync_method"] {
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: "SHOW \(name)"), logger: logger).decode(String.self) {
                values.append("\(name) \(value)")
            }
        }
        return values.joined(separator: ", ")
    }

    static func parseCounts(_ text: String) throws -> [Int] {
        let counts = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...500).contains($0) }) else {
            throw ValidationError("--connections: counts from 1 to 500 separated by commas")
        }
        return counts
    }

    static let columns = [
        ("conns", 6), ("NOTIFY", 7), ("commits/s", 10), ("transaction p50 / p99", 22), ("COMMIT p50 / p99", 20), ("heard/s", 8),
        ("notify→heard p50 / p99", 23),
    ]

    static func printHeader() {
        print("  " + columns.map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: " ") + " lost; out of order; failed")
    }

    static func p50p99(_ h: Histogram<UInt64>) -> String {
        guard h.totalCount > 0 else { return "n/a" }
        return [50.0, 99.0].map { String(format: "%.2f", Double(h.valueAtPercentile($0)) / 1000) }.joined(separator: " / ") + " ms"
    }

    static func printLine(_ o: Outcome, duration: Double) {
        let s = o.stats
        let notified = o.mode != .plain
        let cells = [
            String(o.connections), o.mode.label, String(format: "%.0f", Double(s.committedInWindow) / duration), p50p99(s.transaction),
            p50p99(s.commit), notified ? String(format: "%.0f", Double(s.heardInWindow) / duration) : "-", notified ? p50p99(s.heardAfter) : "-",
        ]
        let row = zip(cells, columns).map { $0.padding(toLength: max($1.1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
        print("  \(row) \(notified ? "\(o.lost) of \(s.committed)" : "-"); \(notified ? String(s.outOfOrder) : "-"); \(s.failed)")
    }

    /// With NOTIFY against without, per count: the figure that survives a noisy machine.
    static func printRatios(_ outcomes: [Outcome]) {
        print("against the plain commit of the same count (commits/s; COMMIT p50):")
        for count in Array(Set(outcomes.map(\.connections))).sorted() {
            guard let plain = outcomes.first(where: { $0.connections == count && $0.mode == .plain }), plain.stats.committedInWindow > 0 else {
                continue
            }
            let parts = [Mode.notify, .alone].compactMap { mode -> String? in
                guard let o = outcomes.first(where: { $0.connections == count && $0.mode == mode }), o.stats.commit.totalCount > 0 else { return nil }
                let rate = Double(o.stats.committedInWindow) / Double(plain.stats.committedInWindow)
                let latency = Double(o.stats.commit.valueAtPercentile(50)) / Double(max(1, plain.stats.commit.valueAtPercentile(50)))
                return "NOTIFY \(mode.label) " + String(format: "%.2f× the commits, %.1f× the time", rate, latency)
            }
            print(String(format: "  %3d connections: ", count) + parts.joined(separator: "; "))
        }
    }
}
