import ArgumentParser
import Foundation
import Histogram
import NIOConcurrencyHelpers

/// `kohtaamo-bench room`: one group room with many members (made by
/// `kohtaamo demo --members N --members-file F`), a few of them sending;
/// prints send→delivered latency over every delivery to every member, and
/// the server's CPU and memory.
struct RoomBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "room", abstract: "Group room fan-out latency (needs `kohtaamo demo --members`).")

    @Option(help: "The server's address.") var url = "http://127.0.0.1:8080"
    @Option(help: "The demo accounts' password (unused; for the scripts' common options).") var password = ""
    @Option(help: "The file `kohtaamo demo --members-file` wrote.") var membersFile: String
    @Option(help: "How many of the members send.") var senders = 20
    @Option(help: "Messages per second, all senders together.") var rate = 20.0
    @Option(help: "Seconds to measure.") var duration = 20.0
    @Option(help: "Seconds to send before measuring.") var warmup = 3.0
    @Option(help: "The server's process id, for its CPU and memory.") var serverPid: Int32?
    @Flag(help: "Every member sends `read` for each message it gets, as an open page does.") var reads = false

    struct Stats {
        var sentAt: [String: (ContinuousClock.Instant, Bool)] = [:]
        var delivered = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        var deliveries = 0, sent = 0, acked = 0, refused = 0, readsSent = 0, markers = 0
        var measuring = false
    }

    func run() async throws {
        let lines = try String(contentsOfFile: membersFile, encoding: .utf8).split(separator: "\n").map(String.init)
        guard lines.count > 1 else { throw BenchError("\(membersFile): no members") }
        let room = lines[0], cookies = Array(lines.dropFirst())
        guard senders <= cookies.count else { throw BenchError("--senders is more than the members") }
        try await HTTP(base: url).waitHealthy(timeout: .seconds(30))
        let stats = NIOLockedValueBox(Stats())
        let ws = socketURL(url)
        let readMarkers = reads
        let sockets = cookies.map { cookie in
            // The handler answers on its own socket: set once it exists.
            let me = NIOLockedValueBox<BenchSocket?>(nil)
            let socket = BenchSocket(
                url: ws, cookie: cookie,
                onOpen: { socket in
                    socket.send(#"{"t":"sync","c":"\#(room)","after":1000000000}"#)
                }
            ) { frame in
                let now = ContinuousClock.now
                switch frame["t"] as? String {
                case "msg":
                    guard let id = frame["id"] as? String else { return }
                    let measured = stats.withLockedValue { s -> Bool in
                        guard let (at, measured) = s.sentAt[id], measured else { return false }
                        s.delivered.record(ChatBenchmark.micros(now - at))
                        s.deliveries += 1
                        return true
                    }
                    if readMarkers, let seq = frame["seq"] as? Int, let socket = me.withLockedValue({ $0 }) {
                        socket.send(#"{"t":"read","c":"\#(room)","seq":\#(seq)}"#)
                        if measured { stats.withLockedValue { $0.readsSent += 1 } }
                    }
                case "read", "seen": stats.withLockedValue { if $0.measuring { $0.markers += 1 } }
                case "ack": stats.withLockedValue { if $0.measuring { $0.acked += 1 } }
                case "error": stats.withLockedValue { $0.refused += 1 }
                default: break
                }
            }
            me.withLockedValue { $0 = socket }
            return socket
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            print("opening \(sockets.count) sockets…")
            for socket in sockets { group.addTask { await socket.run() } }
            while sockets.contains(where: { $0.opens == 0 }) { try await Task.sleep(for: .milliseconds(50)) }
            try await Task.sleep(for: .seconds(2))  // presence settles
            print("\(senders) of them sending \(rate) msg/s in all, \(Int(warmup)) s warm-up + \(Int(duration)) s…")
            var cpuStart: (Double, ContinuousClock.Instant)?
            let body = String(repeating: "x", count: 80)
            try await pace(rate: rate, warmup: warmup, duration: duration) {
                stats.withLockedValue { $0.measuring = true }
                cpuStart = serverPid.flatMap(cpuSeconds).map { ($0, ContinuousClock.now) }
            } send: { sent in
                let id = UUID().uuidString.lowercased()
                stats.withLockedValue { s in
                    s.sentAt[id] = (ContinuousClock.now, s.measuring)
                    if s.measuring { s.sent += 1 }
                }
                sockets[sent % senders].send(sendJSON(room, id, body))
            }
            let cpuCores: Double? = {
                guard let (before, at) = cpuStart, let after = serverPid.flatMap(cpuSeconds) else { return nil }
                return (after - before) / (ContinuousClock.now - at).inSeconds
            }()
            let cpu = cpuCores.map { String(format: "%.2f cores", $0) } ?? "n/a (give --server-pid)"
            try await Task.sleep(for: .seconds(2))
            let rss = serverPid.flatMap(residentKiB)
            for socket in sockets { socket.stop() }
            group.cancelAll()
            let s = stats.withLockedValue { $0 }
            let expected = s.sent * cookies.count
            Report.print(
                title:
                    "room: \(cookies.count) members, \(senders) sending \(Int(rate)) msg/s, \(Int(duration)) s\(reads ? ", read markers on" : "")",
                rows: [
                    ("sent (measured)", "\(s.sent), acked \(s.acked)"),
                    ("deliveries", "\(s.deliveries) of \(expected) (\(String(format: "%.0f", Double(s.deliveries) / duration))/s)"),
                    ("refused", "\(s.refused)"),
                    ("send→delivered p50 / p99 / p99.9", Report.ms(s.delivered)),
                    ("server CPU while measuring", cpu),
                    (
                        "server CPU per delivered message",
                        cpuCores.map { String(format: "%.1f µs", $0 * 1_000_000 / max(Double(s.deliveries) / duration, 1)) } ?? "n/a"
                    ),
                    ("reads sent / read or seen frames got", "\(s.readsSent) / \(s.markers)"),
                    ("server RSS", rss.map { "\($0 / 1024) MiB" } ?? "n/a"),
                ])
        }
    }
}
