import ArgumentParser
import Foundation
import NIOConcurrencyHelpers

/// `kohtaamo-bench crash`: starts the real server (one node, or several on
/// one PostgreSQL), runs clients that send with retries, puts faults in the
/// way mid-load (SIGKILL of a node, its PostgreSQL connections cut,
/// PostgreSQL itself restarted), and checks that every acked message is
/// stored exactly once and every recipient ends with the full gap-free
/// sequence. Exit status 1 otherwise.
struct CrashTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash", abstract: "faults under load (kill -9 a node, cut its database, restart the database); prove nothing acked is lost.")

    @Option(help: "The kohtaamo binary to run (a release build).") var bin = ".build/release/kohtaamo"
    @Option(help: "Client–worker pairs.") var pairs = 24
    @Option(help: "Milliseconds between messages of one client.") var interval = 10
    @Option(help: "Seconds of load before each fault, and after the last.") var seconds = 3.0
    @Option(help: "How many times to kill and restart (when --faults is not given).") var kills = 2
    @Option(help: "Use PostgreSQL at this URL instead of a SQLite file.") var databaseURL: String?
    @Option(help: "Nodes on the one PostgreSQL (more than 1 needs --database-url). Each client's worker is on another node.") var nodes = 1
    @Option(
        help: """
            Faults in order, comma-separated: kill (SIGKILL a node, its sockets move to the others, it starts again), \
            cut (PostgreSQL ends one node's connections), db-restart (--db-stop, then --db-start). Default: kill × --kills.
            """) var faults: String?
    @Option(help: "Seconds PostgreSQL stays down in db-restart (longer than the server's 5 s wait for a connection, so senders are told).")
    var dbDown = 7.0
    @Option(help: "Shell command that stops PostgreSQL (for db-restart).") var dbStop: String?
    @Option(help: "Shell command that starts PostgreSQL again (for db-restart).") var dbStart: String?
    @Option(
        help: """
            Minutes of a soak instead of faults: the load all along, one node restarted (SIGTERM, then started again) \
            every --restart-every seconds, each node's memory and open files printed every --report-every seconds, \
            and no error allowed in the nodes' logs.
            """) var soak: Double?
    @Option(help: "Seconds between restarts in a soak.") var restartEvery = 600.0
    @Option(help: "Seconds between the soak's figures.") var reportEvery = 60.0
    @Option(help: "Idle sockets in a soak (a client's second tab), each open 5–60 s, closed, and opened again.") var idle = 0

    enum Fault: String, CaseIterable { case kill, cut, dbRestart = "db-restart" }

    func validate() throws {
        if nodes < 1 { throw ValidationError("--nodes must be at least 1") }
        if let soak, soak <= 0 || restartEvery <= 0 || reportEvery <= 0 || idle < 0 {
            throw ValidationError("--soak, --restart-every and --report-every must be positive, --idle not negative")
        }
        if nodes > 1 && databaseURL == nil { throw ValidationError("--nodes \(nodes) needs --database-url: nodes share one PostgreSQL") }
        let list = try faultList()
        if list.contains(where: { $0 != .kill }) && databaseURL == nil { throw ValidationError("cut and db-restart need --database-url") }
        if list.contains(.dbRestart) && (dbStop == nil || dbStart == nil) { throw ValidationError("db-restart needs --db-stop and --db-start") }
    }

    func faultList() throws -> [Fault] {
        guard let faults else { return Array(repeating: .kill, count: kills) }
        return try faults.split(separator: ",").map { name in
            guard let f = Fault(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown fault '\(name)'; known: \(Fault.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return f
        }
    }

    /// What one simulated person has: written but not acked, and acked.
    struct Person {
        var pending: [String: String] = [:]  // id → body, resent after every reconnect
        var acked: [String: Int] = [:]  // id → seq
        var received: [String: Set<Int>] = [:]  // conversation → seqs seen
        var duplicates = 0
    }

    final class Server: @unchecked Sendable {
        let bin: String, dir: URL, port: Int, env: [String: String], log: String
        var process: Process?
        init(bin: String, dir: URL, port: Int, env: [String: String], log: String = "server.log") {
            (self.bin, self.dir, self.port, self.env, self.log) = (bin, dir, port, env, log)
            _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(log).path, contents: nil)
        }

        func run(_ args: [String], wait: Bool) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bin)
            p.arguments = args + ["--data-dir", dir.path]
            p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
            let log = FileHandle(forWritingAtPath: dir.appendingPathComponent(self.log).path)
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
        /// SIGTERM, and SIGKILL if it has not ended in 30 s (a hung shutdown is reported, not waited on).
        @discardableResult
        func stop() -> Bool {
            guard let p = process, p.isRunning else { return true }
            p.terminate()
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning, Date() < deadline { usleep(50_000) }
            guard p.isRunning else { return true }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            return false
        }
    }

    /// Runs a shell command; its output goes to the log. Returns its status.
    /// Through system(3), not Process: a command that leaves a daemon behind
    /// (pg_ctl start) made Foundation's waitUntilExit wait for the daemon.
    static func shell(_ command: String, log: URL) throws -> Int32 {
        let quotedLog = "'" + log.path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let status = system("(\(command)) </dev/null >>\(quotedLog) 2>&1")
        return status == -1 ? -1 : (status >> 8) & 0xff
    }

    /// Asks PostgreSQL (through psql) to end every connection of one node; returns how many.
    static func cutConnections(of node: String, databaseURL: String) throws -> Int {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "psql", databaseURL, "-Atc",
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '\(node)'",
        ]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let n = Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchError("psql could not cut the connections of \(node) (is psql installed?)")
        }
        return n
    }

    func run() async throws {
        let faultList = try faultList()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kohtaamo-crash-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("faults.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let ports = try (0..<nodes).map { _ in try FreePort.pick() }
        var env = ["KOHTAAMO_SEND_RATE": "10000", "KOHTAAMO_LOG_LEVEL": ProcessInfo.processInfo.environment["KOHTAAMO_LOG_LEVEL"] ?? "warning"]
        if let databaseURL { env["DATABASE_URL"] = databaseURL }
        // One data directory: the nodes share its master key, as deployed nodes share theirs.
        let servers = (0..<nodes).map { n in
            Server(
                bin: bin, dir: dir, port: ports[n], env: env.merging(["KOHTAAMO_NODE_NAME": Self.nodeName(n)]) { _, b in b },
                log: nodes == 1 ? "server.log" : "node\(n + 1).log")
        }
        let password = "crash-test-password"
        let demo = try servers[0].run(["demo", "--password", password, "--workers", "\(Pairs.workersNeeded(pairs))"], wait: true)
        guard demo.terminationStatus == 0 else { throw BenchError("demo data failed (see \(dir.path)/\(servers[0].log))") }
        for server in servers { try server.start() }
        defer { for server in servers { server.stop() } }
        let https = servers.map { HTTP(base: "http://127.0.0.1:\($0.port)") }
        for http in https { try await http.waitHealthy(timeout: .seconds(60)) }
        let http = https[0]
        let setup = try await Pairs.setUp(http: http, count: pairs, password: password)
        let ws = servers.map { socketURL("http://127.0.0.1:\($0.port)") }

        // People: each client, and each worker (a recipient of several chats).
        let people = (setup.pairs.map { _ in NIOLockedValueBox(Person()) }) + setup.workerCookies.map { _ in NIOLockedValueBox(Person()) }
        let conversationsOf: [[String]] =
            setup.pairs.map { [$0.conversation] }
            + setup.workerCookies.indices.map { w in setup.pairs.filter { $0.worker == w }.map(\.conversation) }
        let cookies = setup.pairs.map(\.clientCookie) + setup.workerCookies
        // Clients start on node i, workers one node on, so that with several nodes a
        // chat's two ends are mostly on different nodes; each reconnect tries the next.
        let startNode = setup.pairs.indices.map { $0 % nodes } + setup.workerCookies.indices.map { ($0 + 1) % nodes }
        let refusals = NIOLockedValueBox<[String: Int]>([:])

        let socketsBox = NIOLockedValueBox<[BenchSocket]>([])  // for a resend from inside a socket's own callback
        let sockets: [BenchSocket] = people.enumerated().map { i, person in
            let conversations = conversationsOf[i]
            let urls = (0..<nodes).map { ws[(startNode[i] + $0) % nodes] }
            return BenchSocket(
                urls: urls, cookie: cookies[i],
                onOpen: { socket in
                    // After every (re)connect: catch up from the last gap-free seq, then resend the outbox.
                    let (positions, pending) = person.withLockedValue { p in
                        (conversations.map { c in (c, Self.gapFreeEnd(p.received[c] ?? [])) }, p.pending)
                    }
                    for (c, after) in positions { socket.send(#"{"t":"sync","c":"\#(c)","after":\#(after)}"#) }
                    for (id, body) in pending { socket.send(sendJSON(conversations[0], id, body)) }
                }
            ) { frame in
                person.withLockedValue { p in
                    switch frame["t"] as? String {
                    case "ack":
                        guard let id = frame["id"] as? String, let seq = frame["seq"] as? Int else { return }
                        p.pending[id] = nil
                        p.acked[id] = seq
                    case "msg":
                        guard let c = frame["c"] as? String, let seq = frame["seq"] as? Int else { return }
                        if !p.received[c, default: []].insert(seq).inserted { p.duplicates += 1 }
                    case "error":
                        let code = frame["code"] as? String ?? "?"
                        refusals.withLockedValue { $0[code, default: 0] += 1 }
                        // Not stored: sent again after a pause, as the web client's outbox does.
                        guard ["unavailable", "rate_limited"].contains(code), let id = frame["id"] as? String, let body = p.pending[id] else {
                            return
                        }
                        let pause = max(500, frame["retryAfter"] as? Int ?? 0)
                        let c = conversations[0]
                        Task {
                            try? await Task.sleep(for: .milliseconds(pause))
                            guard person.withLockedValue({ $0.pending[id] != nil }) else { return }
                            socketsBox.withLockedValue { $0[i] }.send(sendJSON(c, id, body))
                        }
                    default: break
                    }
                }
            }
        }
        socketsBox.withLockedValue { $0 = sockets }
        let sending = NIOLockedValueBox(true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for socket in sockets { group.addTask { await socket.run(retryPause: .milliseconds(100)) } }
            // Clients write continuously; what is not acked stays pending and is
            // resent after a reconnect, and after a pause when refused.
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
            var rounds: [String] = []
            var problemsSeen: [String] = []
            // A soak's idle sockets: a client's second tab that comes and goes.
            let idleOpen = NIOLockedValueBox(0)
            for k in 0..<(soak == nil ? 0 : idle) {
                let pair = k % setup.pairs.count
                group.addTask {
                    var random = SystemRandomNumberGenerator()
                    while sending.withLockedValue({ $0 }) {
                        let urls = (0..<nodes).map { ws[(k + $0) % nodes] }
                        let tab = BenchSocket(urls: urls, cookie: cookies[pair]) { _ in }
                        let running = Task { await tab.run(retryPause: .milliseconds(500)) }
                        idleOpen.withLockedValue { $0 += 1 }
                        try? await Task.sleep(for: .seconds(Double.random(in: 5...60, using: &random)))
                        tab.stop()
                        await running.value
                        idleOpen.withLockedValue { $0 -= 1 }
                    }
                }
            }
            do {
                func acks() -> Int { people.reduce(0) { $0 + $1.withLockedValue { $0.acked.count } } }
                if let soak {
                    try await soakRounds(
                        minutes: soak, servers: servers, https: https, acks: acks,
                        pending: { people.reduce(0) { $0 + $1.withLockedValue { $0.pending.count } } },
                        idleOpen: { idleOpen.withLockedValue { $0 } }, rounds: &rounds, problems: &problemsSeen)
                }
                for (round, fault) in (soak == nil ? faultList : []).enumerated() {
                    try await Task.sleep(for: .seconds(seconds))
                    let target = round % nodes
                    let name = nodes == 1 ? "the server" : "node \(target + 1)"
                    let before = acks()
                    switch fault {
                    case .kill:
                        servers[target].kill9()
                        if nodes > 1 {
                            // Its sockets move to the other nodes; the load goes on there.
                            try await Task.sleep(for: .seconds(seconds))
                        }
                        try servers[target].start()
                        try await https[target].waitHealthy(timeout: .seconds(60))
                        rounds.append("SIGKILL of \(name) after \(before) acks")
                    case .cut:
                        let cut = try Self.cutConnections(of: Self.nodeName(target), databaseURL: databaseURL!)
                        if cut == 0 { throw BenchError("no connection of \(Self.nodeName(target)) found to cut") }
                        rounds.append("\(cut) PostgreSQL connections of \(name) ended after \(before) acks")
                    case .dbRestart:
                        let refusedBefore = refusals.withLockedValue { $0["unavailable", default: 0] }
                        guard try Self.shell(dbStop!, log: log) == 0 else { throw BenchError("--db-stop failed (see \(log.path))") }
                        let down = ContinuousClock.now
                        try await Task.sleep(for: .seconds(dbDown))
                        let ackedWhileDown = acks() - before
                        guard try Self.shell(dbStart!, log: log) == 0 else { throw BenchError("--db-start failed (see \(log.path))") }
                        let refused = refusals.withLockedValue { $0["unavailable", default: 0] } - refusedBefore
                        rounds.append(
                            "PostgreSQL down \(String(format: "%.1f", (ContinuousClock.now - down) / .seconds(1))) s after \(before) acks: \(refused) sends refused as unavailable, \(ackedWhileDown) acked while down"
                        )
                        if refused == 0 { problemsSeen.append("while PostgreSQL was down no send was refused with unavailable") }
                    }
                    // Unbuffered: each round's line as it happens, also into a log file.
                    FileHandle.standardOutput.write(Data("round \(round + 1): \(rounds.last!)\n".utf8))
                }

            } catch {
                // A round that failed must still end the sockets, or the group waits on them for ever.
                sending.withLockedValue { $0 = false }
                for socket in sockets { socket.stop() }
                throw error
            }
            try await Task.sleep(for: .seconds(seconds))
            sending.withLockedValue { $0 = false }
            // Every outbox empties once the clients are connected again.
            let deadline = ContinuousClock.now + .seconds(60)
            var lastResend = ContinuousClock.now
            while people.contains(where: { $0.withLockedValue { !$0.pending.isEmpty } }), ContinuousClock.now < deadline {
                // A frame written into a socket that then broke is sent again on
                // the reconnect; this is only the last resort for anything else.
                if ContinuousClock.now - lastResend > .seconds(5) {
                    lastResend = ContinuousClock.now
                    for (i, pair) in setup.pairs.enumerated() { Self.resend(people[i], sockets[i], pair.conversation) }
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            // Deliveries settle (a node that was cut may still be catching up).
            var settled = ContinuousClock.now + .seconds(1)
            var last = -1
            while ContinuousClock.now < deadline {
                let seen = people.reduce(0) { $0 + $1.withLockedValue { $0.received.values.reduce(0) { $0 + $1.count } } }
                if seen != last { last = seen; settled = ContinuousClock.now + .seconds(1) }
                if ContinuousClock.now >= settled { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            for socket in sockets { socket.stop() }
            group.cancelAll()
            if soak != nil {
                // A soak ends with nothing in the nodes' logs at error level or above.
                for server in servers { problemsSeen += Self.errorLines(in: dir.appendingPathComponent(server.log)) }
            }
            try await verify(
                http: http, setup: setup, people: people, conversationsOf: conversationsOf, rounds: rounds,
                refusals: refusals.withLockedValue { $0 }, problems: problemsSeen)
        }
        // A node must also stop when asked (SIGTERM), whatever its sockets did.
        for (n, server) in servers.enumerated() where !server.stop() {
            print("node \(n + 1) did not stop within 30 s of SIGTERM (killed)")
            throw ExitCode(1)
        }
    }

    static func nodeName(_ n: Int) -> String { "kohtaamo-node-\(n + 1)" }

    /// The soak: restarts on their clock, and a line of figures on theirs.
    func soakRounds(
        minutes: Double, servers: [Server], https: [HTTP], acks: () -> Int, pending: () -> Int, idleOpen: () -> Int,
        rounds: inout [String], problems: inout [String]
    ) async throws {
        let start = ContinuousClock.now
        let end = start + .seconds(minutes * 60)
        var (nextRestart, nextReport) = (start + .seconds(restartEvery), start + .seconds(reportEvery))
        var (restarts, lastAcks, lastAt) = (0, acks(), start)
        let head =
            "| minute | acked | acked/s | unacked | idle sockets open | "
            + servers.indices.map { "node \($0 + 1) RSS, open files" }.joined(separator: " | ")
            + " |\n| --- | --- | --- | --- | --- | " + servers.map { _ in "---" }.joined(separator: " | ") + " |\n"
        FileHandle.standardOutput.write(Data(head.utf8))
        while ContinuousClock.now < end {
            try await Task.sleep(until: min(nextRestart, nextReport, end))
            let now = ContinuousClock.now
            if now >= nextReport {
                let acked = acks()
                let rate = Double(acked - lastAcks) / max(0.001, (now - lastAt) / .seconds(1))
                let nodes = servers.map { s -> String in
                    guard let pid = s.process?.processIdentifier, s.process?.isRunning == true else { return "down" }
                    return "\(Self.residentMB(pid)) MB, \(Self.openFiles(pid))"
                }
                let minute = String(format: "%.1f", (now - start) / .seconds(60))
                let line =
                    "| \(minute) | \(acked) | \(String(format: "%.0f", rate)) | \(pending()) | \(idleOpen()) | \(nodes.joined(separator: " | ")) |\n"
                FileHandle.standardOutput.write(Data(line.utf8))
                (lastAcks, lastAt) = (acked, now)
                nextReport = nextReport + .seconds(reportEvery)
            }
            if now >= nextRestart && now < end {
                let target = restarts % servers.count
                let before = acks()
                if !servers[target].stop() { problems.append("node \(target + 1) did not stop within 30 s of SIGTERM") }
                try servers[target].start()
                try await https[target].waitHealthy(timeout: .seconds(60))
                restarts += 1
                rounds.append("restart of node \(target + 1) after \(before) acks")
                nextRestart = nextRestart + .seconds(restartEvery)
            }
        }
    }

    /// Resident memory of a process in MB (Linux `/proc`), 0 when unknown.
    static func residentMB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb / 1024
    }

    /// A process's open files (sockets included).
    static func openFiles(_ pid: Int32) -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0 }

    /// Lines of a node's log at error level or above (swift-log's "… error label: …").
    static func errorLines(in log: URL) -> [String] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return ["\(log.lastPathComponent) could not be read"] }
        return text.split(separator: "\n").filter { $0.contains(" error ") || $0.contains(" critical ") }.prefix(20).map {
            "\(log.lastPathComponent): \($0)"
        }
    }

    /// Sends again what is still unacked.
    static func resend(_ person: NIOLockedValueBox<Person>, _ socket: BenchSocket, _ c: String) {
        for (id, body) in person.withLockedValue({ $0.pending }) { socket.send(sendJSON(c, id, body)) }
    }

    static func gapFreeEnd(_ seqs: Set<Int>) -> Int {
        var n = 0
        while seqs.contains(n + 1) { n += 1 }
        return n
    }

    func verify(
        http: HTTP, setup: Pairs, people: [NIOLockedValueBox<Person>], conversationsOf: [[String]], rounds: [String],
        refusals: [String: Int], problems seen: [String]
    ) async throws {
        var problems = seen
        var totalStored = 0, totalAcked = 0
        for (i, pair) in setup.pairs.enumerated() {
            // What the server has, read as the worker (a participant).
            var stored: [(seq: Int, id: String)] = []
            var after = 0
            while true {
                let r = try await http.call(
                    "GET", "/api/conversations/\(pair.conversation)/messages?after=\(after)&limit=1000", cookie: setup.workerCookies[pair.worker])
                guard r.status == 200, let list = try JSONSerialization.jsonObject(with: r.body) as? [[String: Any]] else {
                    throw BenchError("reading \(pair.conversation) failed: \(r.status)")
                }
                if list.isEmpty { break }
                stored += list.map { ($0["seq"] as! Int, $0["id"] as! String) }
                after = stored.last!.seq
            }
            totalStored += stored.count
            if stored.map(\.seq) != Array(1...max(1, stored.count)).prefix(stored.count).map({ $0 }) {
                problems.append("\(pair.conversation): seq has gaps")
            }
            let byID = Dictionary(grouping: stored, by: \.id)
            if let dup = byID.first(where: { $0.value.count > 1 }) {
                problems.append("\(pair.conversation): id \(dup.key) stored \(dup.value.count) times")
            }
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
        let faultNames = (try? faultList().map(\.rawValue).joined(separator: ", ")) ?? ""
        Report.print(
            title: soak.map { "soak: \(pairs) pairs, \(nodes) node\(nodes == 1 ? "" : "s"), \($0) minutes, \(idle) idle sockets coming and going" }
                ?? "crash test: \(pairs) pairs, \(nodes) node\(nodes == 1 ? "" : "s"), faults under load: \(faultNames)",
            rows: rounds.enumerated().map { ("round \($0.offset + 1)", $0.element) } + [
                (
                    "refused sends by code",
                    refusals.isEmpty ? "none" : refusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                ),
                ("acked in all", "\(totalAcked)"),
                ("stored in all", "\(totalStored)"),
                ("repeated deliveries seen", "\(duplicates)"),
                ("problems", problems.isEmpty ? "none" : "\(problems.count)"),
            ])
        for p in problems.prefix(20) { print("  - \(p)") }
        fflush(nil)
        if !problems.isEmpty || totalAcked == 0 { throw ExitCode(1) }
        print(
            "\(soak == nil ? "crash test" : "soak") passed: every acked message stored once, every recipient has the full gap-free sequence"
                + (soak == nil ? "" : ", no error in the nodes' logs"))
    }
}
