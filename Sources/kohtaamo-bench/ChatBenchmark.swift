import ArgumentParser
import Foundation
import Histogram
import NIOConcurrencyHelpers

/// `kohtaamo-bench chat`: client–worker pairs sending at a set total rate;
/// prints throughput and send→ack / send→delivered latency percentiles.
struct ChatBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chat", abstract: "1:1 chat throughput and latency (needs a server with demo data).")

    @Option(help: "The server's address.") var url = "http://127.0.0.1:8080"
    @Option(help: "The demo accounts' password (not with --bare).") var password = ""
    @Option(help: "Client–worker pairs (demo workers needed: pairs / 3, rounded up).") var pairs = 30
    @Option(help: "Messages per second, all pairs together.") var rate = 1000.0
    @Option(help: "Seconds to measure.") var duration = 20.0
    @Option(help: "Seconds to send before measuring.") var warmup = 3.0
    @Option(help: "The server's process id, to report its memory.") var serverPid: Int32?
    @Flag(help: "Against `kohtaamo-bench bare-relay`: no accounts; each socket subscribes with `sync`.") var bare = false
    @Option(help: "Several nodes: more server addresses; pair i's client uses address i mod n, worker w address w + 1 mod n.") var alsoURL: [String] =
        []
    @Option(help: "The other nodes' process ids (in --also-url's order), to report each node's CPU per message.") var alsoPid: [Int32] = []
    @Flag(help: "Also report the CPU of every process named postgres per message.") var databaseCPU = false
    @Flag(help: "Several nodes: each pair's client on its worker's node, so no message crosses (as a balancer that keeps a chat on one node).")
    var together = false

    struct Stats {
        /// Send times, kept once for the ack and once for the delivery (either may come first).
        var sentAt: [String: ContinuousClock.Instant] = [:]
        var deliverAt: [String: ContinuousClock.Instant] = [:]
        var ack = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        var delivered = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        var acked = 0, deliveredCount = 0, refused = 0, sent = 0, ackedInWindow = 0
        var measuring = false
    }

    /// Worker w's node: the next after the first (so on one node, everyone is on it;
    /// on two, a pair's client i % 2 and worker are on different nodes half the time).
    static func workerNode(_ w: Int, _ nodes: Int) -> Int { (w + 1) % nodes }

    static func micros(_ d: Duration) -> UInt64 {
        UInt64(max(0, d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000))
    }

    func run() async throws {
        let setup: Pairs
        if bare {
            setup = Pairs.bare(count: pairs)
        } else {
            let http = HTTP(base: url)
            try await http.waitHealthy(timeout: .seconds(30))
            print("setting up \(pairs) pairs…")
            setup = try await Pairs.setUp(http: http, count: pairs, password: password)
        }
        let stats = NIOLockedValueBox(Stats())
        let ws = ([url] + alsoURL).map(socketURL)
        // The bare relay knows a socket's conversations only from its `sync`.
        let bare = self.bare
        func subscribe(_ conversations: [String]) -> @Sendable (BenchSocket) -> Void {
            { socket in if bare { for c in conversations { socket.send(#"{"t":"sync","c":"\#(c)","after":0}"#) } } }
        }
        var clientSockets: [BenchSocket] = []
        for (i, pair) in setup.pairs.enumerated() {
            clientSockets.append(
                BenchSocket(
                    url: ws[together ? Self.workerNode(pair.worker, ws.count) : i % ws.count], cookie: pair.clientCookie,
                    onOpen: subscribe([pair.conversation])
                ) { frame in
                    let now = ContinuousClock.now
                    stats.withLockedValue { s in
                        switch frame["t"] as? String {
                        case "ack":
                            // Throughput counts every ack in the measured window (at saturation most
                            // are of messages queued during the warm-up); latency only timed ones.
                            if s.measuring { s.ackedInWindow += 1 }
                            guard let id = frame["id"] as? String, let at = s.sentAt.removeValue(forKey: id) else { return }
                            s.ack.record(Self.micros(now - at))
                            s.acked += 1
                        case "error": s.refused += 1
                        default: break
                        }
                    }
                })
        }
        let workerSockets = setup.workerCookies.enumerated().map { w, cookie in
            BenchSocket(
                url: ws[Self.workerNode(w, ws.count)], cookie: cookie,
                onOpen: subscribe(setup.pairs.filter { $0.worker == w }.map(\.conversation))
            ) { frame in
                guard frame["t"] as? String == "msg", let id = frame["id"] as? String else { return }
                let now = ContinuousClock.now
                stats.withLockedValue { s in
                    guard let at = s.deliverAt.removeValue(forKey: id) else { return }
                    s.delivered.record(Self.micros(now - at))
                    s.deliveredCount += 1
                }
            }
        }
        let all = clientSockets + workerSockets
        try await withThrowingTaskGroup(of: Void.self) { group in
            for socket in all { group.addTask { await socket.run() } }
            // Wait until every socket is open.
            while all.contains(where: { $0.opens == 0 }) { try await Task.sleep(for: .milliseconds(50)) }
            print("sending \(Int(rate)) msg/s for \(Int(warmup)) s warm-up + \(Int(duration)) s…")
            var sampleStart: ServerSample?
            var nodesStart: NodesSample?
            let pids = (serverPid.map { [$0] } ?? []) + alsoPid
            let sampleNodes = !alsoPid.isEmpty || databaseCPU
            let body = String(repeating: "x", count: 80)
            try await pace(rate: rate, warmup: warmup, duration: duration) {
                stats.withLockedValue { $0.measuring = true }
                sampleStart = ServerSample(pid: serverPid)
                if sampleNodes { nodesStart = NodesSample(pids: pids, database: databaseCPU) }
            } send: { sent in
                let i = sent % clientSockets.count
                let id = UUID().uuidString.lowercased()
                stats.withLockedValue { s in
                    let now = ContinuousClock.now
                    // Only messages sent while measuring are timed (a warm-up one arriving later is not).
                    guard s.measuring else { return }
                    s.sentAt[id] = now
                    s.deliverAt[id] = now
                    s.sent += 1
                }
                clientSockets[i].send(sendJSON(setup.pairs[i].conversation, id, body))
            }
            let ackedInWindow = stats.withLockedValue { $0.ackedInWindow }  // before the drain below
            try await Task.sleep(for: .seconds(2))  // let the last ones arrive
            let sampleEnd = ServerSample(pid: serverPid)
            let nodesEnd = sampleNodes ? NodesSample(pids: pids, database: databaseCPU) : nil
            let rss = serverPid.flatMap(residentKiB)
            for socket in all { socket.stop() }
            group.cancelAll()
            let s = stats.withLockedValue { $0 }
            let target = bare ? "bare relay" : ws.count == 1 ? "1 node" : "\(ws.count) nodes"
            Report.chat(
                title: "chat (\(target)): \(pairs) pairs, \(Int(rate)) msg/s offered, \(Int(duration)) s", duration: duration,
                sent: s.sent, acked: s.acked, delivered: s.deliveredCount, refused: s.refused, ack: s.ack, delivery: s.delivered, rssKiB: rss,
                throughput: Double(ackedInWindow) / duration,
                perMessage: ServerSample.perMessage(from: sampleStart, to: sampleEnd, messages: s.sent),
                more: nodesStart.flatMap { a in nodesEnd.map { NodesSample.rows(from: a, to: $0, messages: s.sent) } } ?? [])
        }
    }
}

enum Report {
    static func ms(_ h: Histogram<UInt64>) -> String {
        guard h.totalCount > 0 else { return "n/a" }
        let p = [50.0, 99.0, 99.9].map { String(format: "%.2f", Double(h.valueAtPercentile($0)) / 1000) }
        return "\(p.joined(separator: " / ")) ms"
    }

    /// The one report of a chat run, whatever served it (Kohtaamo, the bare relay, Synapse).
    static func chat(
        title: String, duration: Double, sent: Int, acked: Int, delivered: Int, refused: Int,
        ack: Histogram<UInt64>, delivery: Histogram<UInt64>, rssKiB: Int?, throughput: Double? = nil,
        perMessage: String? = nil, more: [(String, String)] = []
    ) {
        print(
            title: title,
            rows: [
                ("sent (measured)", "\(sent)"),
                ("acked", "\(acked) (\(String(format: "%.0f", throughput ?? Double(acked) / duration)) msg/s)"),
                ("delivered", "\(delivered)"),
                ("refused", "\(refused)"),
                ("send→ack p50 / p99 / p99.9", ms(ack)),
                ("send→delivered p50 / p99 / p99.9", ms(delivery)),
                ("server RSS", rssKiB.map { "\($0 / 1024) MiB" } ?? "n/a (give --server-pid)"),
            ] + (perMessage.map { [("server, per message sent", $0)] } ?? []) + more)
    }

    static func print(title: String, rows: [(String, String)]) {
        Swift.print("\n\(title)")
        let width = rows.map(\.0.count).max() ?? 0
        for (k, v) in rows { Swift.print("  \(k.padding(toLength: width, withPad: " ", startingAt: 0))  \(v)") }
    }
}
