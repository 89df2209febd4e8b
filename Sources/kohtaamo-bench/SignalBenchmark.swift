import ArgumentParser
import Foundation
import Histogram
import NIOConcurrencyHelpers

/// `kohtaamo-bench signals`: the WebRTC signalling relay. Client–worker
/// pairs in support chats (as `chat`) send each other `signal` frames shaped
/// like ICE candidates at a set total rate, half each way; the receiver
/// times each one. A signal is not stored: the socket relays it to the other
/// participant's sockets, on whichever node they are.
struct SignalBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals", abstract: "WebRTC signal relay: frames relayed per second and send→received latency (needs a server with demo data).")

    @Option(help: "The server's address.") var url = "http://127.0.0.1:8080"
    @Option(help: "The demo accounts' password.") var password = ""
    @Option(help: "Client–worker pairs (demo workers needed: pairs / 3, rounded up).") var pairs = 30
    @Option(help: "Signal frames per second, all pairs and both directions together.") var rate = 2000.0
    @Option(help: "Several rates one after another on the same sockets, one line each: e.g. 1000,2000,4000,8000.") var rates: String?
    @Option(name: [.customLong("duration"), .customLong("seconds")], help: "Seconds to measure (at each rate).") var duration = 10.0
    @Option(help: "Seconds to send before measuring (at each rate).") var warmup = 2.0
    @Option(help: "Bytes of candidate text in each frame's data (an ICE candidate line is about 100–300).") var padBytes = 300
    @Option(help: "The server's process id (the first node's), to report its CPU and memory.") var serverPid: Int32?
    @Option(help: "Several nodes: more server addresses; each pair's client and worker connect to different nodes.") var alsoURL: [String] = []

    /// Who is who in one pair, as `signal` addresses them.
    struct Peers {
        var client: String
        var worker: String
    }

    struct Stats {
        /// Measured frames not yet received, by seq: when sent, in which pair, and whether to the worker.
        var pending: [Int: (at: ContinuousClock.Instant, pair: Int, toWorker: Bool)] = [:]
        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        var sent = 0, received = 0, receivedInWindow = 0, unsent = 0, garbled = 0
        /// Every signal that came, measured or not (the drain watches it).
        var arrived = 0
        var refused: [String: Int] = [:]
        var measuring = false
    }

    struct Outcome {
        var rate: Double
        var stats: Stats
        var relayedPerSecond: Double
        /// How long after the window the last measured frame came.
        var backlog: Duration
        /// The drain's limit came before the last measured frame.
        var cut: Bool
        var generatorCPU: String
        var perFrame: String
        var cpu: String
    }

    func run() async throws {
        let rates = try self.rates.map(Self.parseRates) ?? [rate]
        let http = HTTP(base: url)
        try await http.waitHealthy(timeout: .seconds(30))
        print("setting up \(pairs) pairs…")
        let setup = try await Pairs.setUp(http: http, count: pairs, password: password)
        let peers = try await Self.peers(http: http, setup: setup)
        let pad = Self.candidate(bytes: padBytes)
        let stats = NIOLockedValueBox(Stats())
        let ws = ([url] + alsoURL).map(socketURL)
        let receive: @Sendable ([String: Any]) -> Void = { frame in
            let now = ContinuousClock.now
            switch frame["t"] as? String {
            case "signal":
                guard let data = frame["data"] as? [String: Any], let seq = (data["seq"] as? NSNumber)?.intValue else { return }
                stats.withLockedValue { s in
                    s.arrived += 1
                    if s.measuring { s.receivedInWindow += 1 }
                    guard let sent = s.pending.removeValue(forKey: seq) else { return }
                    let p = peers[sent.pair]
                    let intact =
                        frame["c"] as? String == setup.pairs[sent.pair].conversation
                        && frame["from"] as? String == (sent.toWorker ? p.client : p.worker) && data["candidate"] as? String == pad
                    if !intact { s.garbled += 1 }
                    s.latency.record(ChatBenchmark.micros(now - sent.at))
                    s.received += 1
                }
            case "error":
                stats.withLockedValue { $0.refused[frame["code"] as? String ?? "?", default: 0] += 1 }
            default: break
            }
        }
        // Worker w on node w mod n; the clients of its chats on the next node.
        let workerSockets = setup.workerCookies.enumerated().map { w, cookie in
            BenchSocket(url: ws[w % ws.count], cookie: cookie, onFrame: receive)
        }
        let clientSockets = setup.pairs.map { pair in
            BenchSocket(url: ws[(pair.worker + 1) % ws.count], cookie: pair.clientCookie, onFrame: receive)
        }
        let all = clientSockets + workerSockets
        let target = ws.count == 1 ? "1 node" : "\(ws.count) nodes, each pair's two sides on different nodes"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for socket in all { group.addTask { await socket.run() } }
            while all.contains(where: { $0.opens == 0 }) { try await Task.sleep(for: .milliseconds(50)) }
            let title = "signals (\(target)): \(pairs) pairs, both directions, \(Int(duration)) s"
            if rates.count > 1 { Self.printHeader(title) }
            var seq = 0
            let origin = ContinuousClock.now
            for rate in rates {
                if rates.count == 1 { print("sending \(Int(rate)) signals/s for \(Int(warmup)) s warm-up + \(Int(duration)) s…") }
                stats.withLockedValue { $0 = Stats() }
                var sampleStart: ServerSample?
                var cpuStart: (Double, ContinuousClock.Instant)?, generatorStart: (Double, ContinuousClock.Instant)?
                try await pace(rate: rate, warmup: warmup, duration: duration) {
                    stats.withLockedValue { $0.measuring = true }
                    sampleStart = ServerSample(pid: serverPid)
                    cpuStart = serverPid.flatMap(cpuSeconds).map { ($0, ContinuousClock.now) }
                    generatorStart = cpuSeconds(pid: getpid()).map { ($0, ContinuousClock.now) }
                } send: { n in
                    seq += 1
                    let i = (n / 2) % setup.pairs.count, toWorker = n % 2 == 0
                    let now = ContinuousClock.now
                    let frame = Self.frame(
                        conversation: setup.pairs[i].conversation, to: toWorker ? peers[i].worker : peers[i].client, seq: seq,
                        sentAtMicros: ChatBenchmark.micros(now - origin), candidate: pad)
                    let socket = toWorker ? clientSockets[i] : workerSockets[setup.pairs[i].worker]
                    stats.withLockedValue { s in
                        guard s.measuring else { return }
                        s.pending[seq] = (now, i, toWorker)
                        s.sent += 1
                    }
                    if !socket.send(frame) {
                        stats.withLockedValue { s in
                            if s.pending.removeValue(forKey: seq) != nil { s.sent -= 1 }
                            s.unsent += 1
                        }
                    }
                }
                let cpu = Self.cores(since: cpuStart, pid: serverPid)
                let generatorCPU = Self.cores(since: generatorStart, pid: getpid())
                let inWindow = stats.withLockedValue { s in
                    s.measuring = false
                    return s.receivedInWindow
                }
                let (backlog, cut) = try await Self.drain(stats)
                let s = stats.withLockedValue { $0 }
                let outcome = Outcome(
                    rate: rate, stats: s, relayedPerSecond: Double(inWindow) / duration, backlog: backlog, cut: cut, generatorCPU: generatorCPU,
                    perFrame: ServerSample.perMessage(from: sampleStart, to: ServerSample(pid: serverPid), messages: s.sent), cpu: cpu)
                if rates.count > 1 { Self.printLine(outcome) } else { Self.printReport(title: "\(title), \(Int(rate))/s offered", outcome) }
            }
            let rss = serverPid.flatMap(residentKiB)
            print("  server RSS (node 1) \(rss.map { "\($0 / 1024) MiB" } ?? "n/a (give --server-pid)")")
            for socket in all { socket.stop() }
            group.cancelAll()
        }
    }

    static let drainLimit = Duration.seconds(90)

    /// Waits until every measured frame has come, or no signal at all has
    /// come for 2 s (what is missing then is lost), or `drainLimit` has
    /// passed (what is missing is still queued), so that the next rate
    /// starts on empty queues; returns when the last one came, and whether
    /// the limit cut the wait short.
    static func drain(_ stats: NIOLockedValueBox<Stats>) async throws -> (Duration, cut: Bool) {
        let start = ContinuousClock.now
        var last = (count: stats.withLockedValue { $0.arrived }, at: start)
        while true {
            try await Task.sleep(for: .milliseconds(100))
            let (arrived, pending) = stats.withLockedValue { ($0.arrived, $0.pending.count) }
            let now = ContinuousClock.now
            if arrived != last.count { last = (arrived, now) }
            if pending == 0 || now - last.at >= .seconds(2) { return (last.at - start, false) }
            if now - start >= drainLimit { return (last.at - start, true) }
        }
    }

    /// A process's CPU use since a sample, in cores.
    static func cores(since start: (Double, ContinuousClock.Instant)?, pid: Int32?) -> String {
        guard let (before, at) = start, let after = pid.flatMap(cpuSeconds) else { return "n/a" }
        return String(format: "%.2f cores", (after - before) / (ContinuousClock.now - at).inSeconds)
    }

    static func parseRates(_ text: String) throws -> [Double] {
        let rates = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !rates.isEmpty, rates.allSatisfy({ $0 > 0 }) else { throw ValidationError("--rates: positive numbers separated by commas") }
        return rates
    }

    /// Each pair's two identities, from `GET /api/conversations/{id}/peers`
    /// as each side sees the other.
    static func peers(http: HTTP, setup: Pairs) async throws -> [Peers] {
        func other(_ c: String, cookie: String, prefix: String) async throws -> String {
            let r = try await http.call("GET", "/api/conversations/\(c)/peers", cookie: cookie)
            let list = (try? JSONSerialization.jsonObject(with: r.body)) as? [[String: Any]]
            guard r.status == 200, let identity = list?.compactMap({ $0["identity"] as? String }).first(where: { $0.hasPrefix(prefix) }) else {
                throw BenchError("peers of \(c): \(r.status) \(String(decoding: r.body, as: UTF8.self))")
            }
            return identity
        }
        var peers: [Peers] = []
        for pair in setup.pairs {
            let worker = try await other(pair.conversation, cookie: pair.clientCookie, prefix: "staff:")
            let client = try await other(pair.conversation, cookie: setup.workerCookies[pair.worker], prefix: "client:")
            peers.append(Peers(client: client, worker: worker))
        }
        return peers
    }

    /// An ICE candidate line, repeated to `bytes` (JSON-safe: no quotes or backslashes).
    static func candidate(bytes: Int) -> String {
        let line = "candidate:842163049 1 udp 1677729535 192.0.2.17 61665 typ srflx raddr 10.0.0.5 rport 61665 generation 0 ufrag sXb2 network-id 1 "
        return String(String(repeating: line, count: bytes / line.count + 1).prefix(bytes))
    }

    static func frame(conversation c: String, to: String, seq: Int, sentAtMicros: UInt64, candidate: String) -> String {
        #"{"t":"signal","c":"\#(c)","to":"\#(to)","data":{"type":"candidate","seq":\#(seq),"sentAt":\#(sentAtMicros),"candidate":"\#(candidate)"}}"#
    }

    /// "p50 / p99 / p99.9 / max" in milliseconds.
    static func ms(_ h: Histogram<UInt64>) -> String {
        guard h.totalCount > 0 else { return "n/a" }
        let values = [50.0, 99.0, 99.9].map { h.valueAtPercentile($0) } + [h.max]
        return values.map { String(format: "%.2f", Double($0) / 1000) }.joined(separator: " / ") + " ms"
    }

    /// What was lost, by direction, and what came otherwise than sent.
    static func losses(_ o: Outcome) -> String {
        let s = o.stats
        let toWorker = s.pending.values.filter(\.toWorker).count
        var parts = [o.cut ? "\(s.pending.count) still queued after \(drainLimit)" : "lost \(s.pending.count)"]
        if !s.pending.isEmpty { parts.append("\(toWorker) client→worker, \(s.pending.count - toWorker) worker→client") }
        if s.garbled > 0 { parts.append("\(s.garbled) garbled") }
        if s.unsent > 0 { parts.append("\(s.unsent) not sent: socket closed") }
        return parts.joined(separator: ", ")
    }

    static func refused(_ s: Stats) -> String {
        s.refused.isEmpty ? "0" : s.refused.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    static func printReport(title: String, _ o: Outcome) {
        let s = o.stats
        Report.print(
            title: title,
            rows: [
                ("sent (measured)", "\(s.sent)"),
                ("received", "\(s.received) of \(s.sent) (\(losses(o)))"),
                ("relayed", String(format: "%.0f signals/s", o.relayedPerSecond)),
                ("drained", String(format: "the last one came %.1f s after the window", o.backlog.inSeconds)),
                ("refused", refused(s)),
                ("send→received p50 / p99 / p99.9 / max", ms(s.latency)),
                ("server CPU (node 1)", o.cpu),
                ("generator CPU", o.generatorCPU),
                ("node 1, per signal sent", o.perFrame),
            ])
    }

    static let columns = [
        ("offered/s", 10), ("sent", 8), ("received", 9), ("relayed/s", 10), ("p50 / p99 / p99.9 / max", 44), ("CPU node 1", 11), ("CPU bench", 11),
        ("drained", 8),
    ]

    static func printHeader(_ title: String) {
        print("\n\(title)")
        print(
            "  " + columns.map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: " ")
                + " losses; refused; node 1 per signal")
    }

    static func printLine(_ o: Outcome) {
        let s = o.stats
        let cells = [
            String(Int(o.rate)), String(s.sent), String(s.received), String(format: "%.0f", o.relayedPerSecond), ms(s.latency), o.cpu, o.generatorCPU,
            String(format: "%.1f s", o.backlog.inSeconds),
        ]
        let row = zip(cells, columns).map { $0.padding(toLength: max($1.1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
        print("  \(row) \(losses(o)); refused \(refused(s)); \(o.perFrame)")
    }
}
