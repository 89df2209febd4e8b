import ArgumentParser
import Foundation
import Histogram
import NIOConcurrencyHelpers

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `kohtaamo-bench synapse`: the peer. The same shape of load as `chat`
/// (client–worker pairs, three chats a worker, a set total rate) driven
/// through Matrix's client-server API on a Synapse: each message a
/// `PUT /rooms/{room}/send/m.room.message/{txnId}` (its answer counts as the
/// ack), each worker long-polling `/sync` (an event's arrival there counts as
/// delivered). `scripts/bench synapse` sets up a throw-away Synapse.
struct SynapseBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synapse", abstract: "the chat benchmark against Matrix Synapse's client-server API.")

    @Option(help: "Synapse's address.") var url = "http://127.0.0.1:8008"
    @Option(help: "Client–worker pairs.") var pairs = 30
    @Option(help: "Messages per second, all pairs together.") var rate = 100.0
    @Option(help: "Seconds to measure.") var duration = 20.0
    @Option(help: "Seconds to send before measuring.") var warmup = 3.0
    @Option(help: "Synapse's process id, to report its memory.") var serverPid: Int32?

    struct Stats {
        var sentAt: [String: (at: ContinuousClock.Instant, measured: Bool)] = [:]  // a warm-up message is not counted when it arrives
        var ack = Histogram<UInt64>(highestTrackableValue: 600_000_000)
        var delivered = Histogram<UInt64>(highestTrackableValue: 600_000_000)
        var acked = 0, deliveredCount = 0, refused = 0, sent = 0
        var measuring = false
        /// Synapse answers long after the offered load stops when it cannot
        /// keep up: throughput is acks over the time until the last one.
        var measureStart: ContinuousClock.Instant?
        var lastAck: ContinuousClock.Instant?
    }

    func run() async throws {
        let http = HTTP(base: url)
        let run = UUID().uuidString.prefix(6).lowercased()
        print("registering \(pairs) clients and \(Pairs.workersNeeded(pairs)) workers, making \(pairs) rooms…")
        var workers: [(token: String, id: String)] = []
        for w in 0..<Pairs.workersNeeded(pairs) { workers.append(try await register(http, "w\(run)x\(w)")) }
        var rooms: [(room: String, token: String)] = []
        for i in 0..<pairs {
            let client = try await register(http, "c\(run)x\(i)")
            let worker = workers[i / Pairs.chatsPerWorker]
            let made = try await matrix(
                http, "POST", "/_matrix/client/v3/createRoom", token: client.token,
                json: #"{"preset":"private_chat","invite":["\#(worker.id)"]}"#)
            guard let room = made["room_id"] as? String else { throw BenchError("createRoom answered \(made)") }
            _ = try await matrix(http, "POST", "/_matrix/client/v3/rooms/\(escape(room))/join", token: worker.token, json: "{}")
            rooms.append((room, client.token))
        }
        let stats = NIOLockedValueBox(Stats())
        let polling = NIOLockedValueBox(true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Each worker long-polls /sync; a message's id is the start of its body.
            for worker in workers {
                group.addTask {
                    var since =
                        (try await self.matrix(http, "GET", "/_matrix/client/v3/sync?timeout=0", token: worker.token))["next_batch"] as? String ?? ""
                    while polling.withLockedValue({ $0 }) {
                        guard
                            let reply = try? await self.matrix(
                                http, "GET", "/_matrix/client/v3/sync?timeout=5000&since=\(since)", token: worker.token)
                        else { continue }
                        let now = ContinuousClock.now
                        since = reply["next_batch"] as? String ?? since
                        let joined = (reply["rooms"] as? [String: Any])?["join"] as? [String: Any] ?? [:]
                        for case let room as [String: Any] in joined.values {
                            for case let event as [String: Any] in (room["timeline"] as? [String: Any])?["events"] as? [Any] ?? [] {
                                guard let body = (event["content"] as? [String: Any])?["body"] as? String else { continue }
                                let id = String(body.prefix(36))
                                stats.withLockedValue { s in
                                    guard let sent = s.sentAt.removeValue(forKey: id), sent.measured else { return }
                                    s.delivered.record(ChatBenchmark.micros(now - sent.at))
                                    s.deliveredCount += 1
                                }
                            }
                        }
                    }
                }
            }
            print("sending \(Int(rate)) msg/s for \(Int(warmup)) s warm-up + \(Int(duration)) s…")
            let start = ContinuousClock.now
            var sent = 0
            let filler = String(repeating: "x", count: 44)  // 80 characters in all, as in `chat`
            await withTaskGroup(of: Void.self) { sends in
                while true {
                    let elapsed = (ContinuousClock.now - start) / .seconds(1)
                    if elapsed >= warmup + duration { break }
                    if elapsed >= warmup {
                        stats.withLockedValue { s in
                            if !s.measuring { s.measureStart = ContinuousClock.now }
                            s.measuring = true
                        }
                    }
                    while sent < Int(elapsed * rate) {
                        let (room, token) = rooms[sent % rooms.count]
                        let id = UUID().uuidString.lowercased()
                        sent += 1
                        sends.addTask {
                            let at = ContinuousClock.now
                            let measured = stats.withLockedValue { s in
                                s.sentAt[id] = (at, s.measuring)
                                if s.measuring { s.sent += 1 }
                                return s.measuring
                            }
                            let ok =
                                (try? await self.matrix(
                                    http, "PUT", "/_matrix/client/v3/rooms/\(self.escape(room))/send/m.room.message/\(id)",
                                    token: token, json: #"{"msgtype":"m.text","body":"\#(id) \#(filler)"}"#))?["event_id"] != nil
                            let now = ContinuousClock.now
                            stats.withLockedValue { s in
                                guard measured else { return }
                                if ok { s.ack.record(ChatBenchmark.micros(now - at)); s.acked += 1; s.lastAck = now } else { s.refused += 1 }
                            }
                        }
                    }
                    try? await Task.sleep(for: .milliseconds(1))
                }
            }
            try await Task.sleep(for: .seconds(3))
            polling.withLockedValue { $0 = false }
            let rss = serverPid.flatMap(residentKiB)
            group.cancelAll()
            let s = stats.withLockedValue { $0 }
            // All sends have been answered (the group above waits for them): the real span.
            let span = s.measureStart.flatMap { start in s.lastAck.map { max(duration, ($0 - start) / .seconds(1)) } } ?? duration
            Report.chat(
                title: "chat (Synapse): \(pairs) pairs, \(Int(rate)) msg/s offered, \(Int(duration)) s (last ack after \(Int(span)) s)",
                duration: span,
                sent: s.sent, acked: s.acked, delivered: s.deliveredCount, refused: s.refused, ack: s.ack, delivery: s.delivered, rssKiB: rss)
        }
    }

    func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }

    /// Registers a user (open registration, the dummy stage); returns its token and Matrix id.
    func register(_ http: HTTP, _ name: String) async throws -> (token: String, id: String) {
        let r = try await matrix(
            http, "POST", "/_matrix/client/v3/register", token: nil,
            json: #"{"username":"\#(name)","password":"bench-password-1","auth":{"type":"m.login.dummy"},"inhibit_login":false}"#)
        guard let token = r["access_token"] as? String, let id = r["user_id"] as? String else { throw BenchError("register \(name) answered \(r)") }
        return (token, id)
    }

    func matrix(_ http: HTTP, _ method: String, _ path: String, token: String?, json: String? = nil) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: http.base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, _) = try await http.session.data(for: request)
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}
