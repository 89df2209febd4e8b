import Foundation
import KohtaamoBase
import Logging
import Metrics
import NIOConcurrencyHelpers
import PostgresKit
import PostgresNIO
import ServiceLifecycle

/// Several `kohtaamo serve` nodes on one PostgreSQL (PROTOCOL.md guarantee
/// 6). A committed message is announced with NOTIFY in its own transaction
/// (`SQLMessageStore`; ids and seqs only, never bodies, one notification
/// for a whole group commit); every other event
/// (typing, presence, moderation, membership changes, ended sign-ins) is
/// announced when it is published. Each node LISTENs on one connection of
/// its own, run as a service: it reads announced messages from the database,
/// only in conversations someone with a socket here takes part in (a node's
/// reads follow its own sockets, not the number of nodes), and hands
/// everything to its own sockets. When that connection drops it
/// reconnects with backoff and re-reads every conversation from the last seq
/// it delivered, so a lost notification loses nothing. Presence crosses as
/// each node's comings and goings, a full list when a node starts listening,
/// and a heartbeat.
package final class PostgresBroadcaster: Broadcaster, Service, @unchecked Sendable {  // state is behind locks
    package static let channel = "kohtaamo"
    package let node: UUID
    package let configuration: PostgresConnection.Configuration
    package let storage: Storage
    package let logger: Logger
    /// Set once, right after the Realtime is made (it owns this broadcaster).
    private let realtimeBox = NIOLockedValueBox<Realtime?>(nil)
    /// The last seq this node delivered per conversation, for catching up,
    /// and when the entry was last used; pruned (`pruneDelivered`).
    private let delivered = NIOLockedValueBox<[UUID: (seq: Int64, used: ContinuousClock.Instant)]>([:])
    /// Pruning: entries idle this long, or beyond the cap, go unless a socket here takes part.
    static let pruneIdle: Duration = .seconds(300)
    static let pruneCap = 10_000
    static let pruneEvery: Duration = .seconds(30)
    /// Messages announced by other nodes and not yet read, per conversation:
    /// the first and the last announced seq. Announcements that come while a
    /// read runs are read together next time (one read for many commits).
    private let announced = NIOLockedValueBox<(seqs: [UUID: ClosedRange<Int64>], reading: Bool)>(([:], false))
    /// Messages read for this node's sockets, and announced conversations
    /// passed over because no socket here takes part (tests and `/metrics`).
    private let reads = NIOLockedValueBox((messages: 0, skipped: 0))
    private static let messagesRead = Counter(label: "kohtaamo_node_messages_read_total")
    private static let announcedSkipped = Counter(label: "kohtaamo_node_announced_skipped_total")
    /// Presence on the other nodes: who has a socket open on each (as that
    /// node announced it) and when the node was last heard. A node that is
    /// silent for `silenceLimit` (killed) counts nobody.
    private let remote = NIOLockedValueBox<[String: (online: Set<Identity>, heard: ContinuousClock.Instant)]>([:])
    static let heartbeat: Duration = .seconds(10)
    static let silenceLimit: Duration = .seconds(35)
    /// This node's presence announcements, sent in order by one task.
    private let presenceOut: AsyncStream<String>.Continuation
    private let presenceStream: AsyncStream<String>
    /// How many times the listening connection has been (re)made, for tests.
    private let connections = NIOLockedValueBox(0)

    package init(node: UUID, name: String = "kohtaamo", url: String, storage: Storage, logger: Logger) throws {
        // The same reading of the URL (host, user, database, TLS) as the pool's.
        var configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", name)]
        self.node = node
        self.configuration = configuration
        self.storage = storage
        self.logger = logger
        (presenceStream, presenceOut) = AsyncStream.makeStream(of: String.self)
    }

    package func attach(_ realtime: Realtime) { realtimeBox.withLockedValue { $0 = realtime } }
    private var realtime: Realtime? { realtimeBox.withLockedValue { $0 } }
    package var listenerConnections: Int { connections.withLockedValue { $0 } }
    package var messagesRead: Int { reads.withLockedValue { $0.messages } }
    package var announcementsSkipped: Int { reads.withLockedValue { $0.skipped } }

    // MARK: sending

    package func publish(_ event: BroadcastEvent) async {
        guard let realtime else { return }
        await realtime.deliverLocally(event)
        let announcement: String?
        switch event {
        case .message(let m):
            noteDelivered(m.conversation, m.seq)
            announcement = nil  // announced in the commit's own transaction
        case .conversation(let c, let frame, let except):
            announcement = payload("c", ["c": c.uuidString, "f": frame.json, "x": except?.description ?? ""])
        case .seen(let c, let seq, let readers):
            // The readers, not a frame: each node tells its own sockets whether they are among them.
            announcement = payload("r", ["c": c.uuidString, "s": "\(seq)", "r": readers.map(\.description).sorted().joined(separator: " ")])
        case .identity(let identity, let frame):
            announcement = payload("i", ["i": identity.description, "f": frame.json])
        case .membershipChanged(let c):
            announcement = payload("p", ["c": c.uuidString])
        case .sessionEnded(let identity, let session):
            announcement = payload("e", ["i": identity.description, "s": session?.uuidString ?? ""])
        }
        guard let announcement else { return }
        await notify(announcement)
    }

    /// Not stored: a node that misses one misses a typing dot; membership
    /// changes are re-read on the next frame after a reconnect anyway, and
    /// presence is asked for again. A payload over PostgreSQL's 8,000 bytes
    /// (a `signal` with a video call's offer is often more) goes in parts,
    /// all in one statement, so one transaction delivers them together and in order.
    private func notify(_ payload: String) async {
        let parts = Self.parts(of: payload, node: node)
        var query = SQLQueryString("SELECT ")
        for (i, part) in parts.enumerated() {
            query.appendLiteral(i == 0 ? "" : ", ")
            query.appendInterpolation(raw: "pg_notify(")
            query.appendInterpolation(bind: Self.channel)
            query.appendLiteral(", ")
            query.appendInterpolation(bind: part)
            query.appendLiteral(")")
        }
        do {
            _ = try await storage.sql.raw(query).run()
        } catch {
            logger.notice("announcement to the other nodes not sent", metadata: ["bytes": "\(payload.utf8.count)"])
        }
    }

    /// Bytes of payload text in one part: escaped once more inside the
    /// part's JSON, it stays under PostgreSQL's limit even if it doubles.
    static let partBytes = 3_600

    /// The payload itself when it fits, else its parts: `{"k":"q","id","ix","of","d"}`.
    static func parts(of payload: String, node: UUID) -> [String] {
        guard payload.utf8.count > partBytes else { return [payload] }
        var pieces: [String] = []
        var piece = ""
        var bytes = 0
        for scalar in payload.unicodeScalars {
            let size = String(scalar).utf8.count
            if bytes + size > partBytes {
                pieces.append(piece)
                (piece, bytes) = ("", 0)
            }
            piece.unicodeScalars.append(scalar)
            bytes += size
        }
        if !piece.isEmpty { pieces.append(piece) }
        let id = UUID().uuidString
        return pieces.enumerated().map { i, d in
            Self.payload(node: node, "q", ["id": id, "ix": String(i), "of": String(pieces.count), "d": d])
        }
    }

    /// Parts received and not yet whole, by announcement id.
    private let partial = NIOLockedValueBox<[String: (parts: [Int: String], of: Int, at: ContinuousClock.Instant)]>([:])

    /// A part: the whole payload once its last part has come (parts of one
    /// announcement come together; a half left by a lost connection is dropped after a minute).
    func assemble(id: String, index: Int, of count: Int, _ data: String) -> String? {
        guard (1...64).contains(count), (0..<count).contains(index) else { return nil }
        let now = ContinuousClock.now
        return partial.withLockedValue { all -> String? in
            all = all.filter { now - $0.value.at < .seconds(60) }
            var entry = all[id] ?? ([:], count, now)
            entry.parts[index] = data
            guard entry.parts.count == entry.of else {
                all[id] = entry
                return nil
            }
            all[id] = nil
            return (0..<entry.of).map { entry.parts[$0] ?? "" }.joined()
        }
    }

    // MARK: presence across nodes

    package func presence(of identity: Identity, online: Bool) {
        presenceOut.yield(payload("o", ["i": identity.description, "o": online ? "1" : "0"]))
    }

    package func onlineElsewhere(_ identity: Identity) -> Bool {
        let now = ContinuousClock.now
        return remote.withLockedValue { nodes in nodes.values.contains { now - $0.heard < Self.silenceLimit && $0.online.contains(identity) } }
    }

    /// Everyone online here, in payloads under PostgreSQL's 8,000-byte limit.
    private func announceEveryone() {
        guard let realtime else { return }
        let all = realtime.onlineHere.map(\.description)
        for start in stride(from: 0, to: all.count, by: 150) {
            presenceOut.yield(payload("s", ["i": all[start..<min(start + 150, all.count)].joined(separator: " ")]))
        }
    }

    /// Another node says who is online there (`online` nil: it is only alive).
    private func heard(from node: String, _ identities: [Identity], online: Bool?) async {
        let changed = remote.withLockedValue { nodes -> [Identity] in
            var entry = nodes[node] ?? ([], ContinuousClock.now)
            entry.heard = ContinuousClock.now
            defer { nodes[node] = entry }
            guard let online else { return [] }
            return identities.filter { online ? entry.online.insert($0).inserted : entry.online.remove($0) != nil }
        }
        await realtime?.presenceChanged(of: changed)
    }

    /// Forgets nodes not heard for a while (a killed node never says goodbye).
    private func forgetSilentNodes() async {
        let now = ContinuousClock.now
        let gone = remote.withLockedValue { nodes -> [Identity] in
            let silent = nodes.filter { now - $0.value.heard >= Self.silenceLimit }
            for key in silent.keys { nodes[key] = nil }
            return silent.values.flatMap(\.online)
        }
        await realtime?.presenceChanged(of: Array(Set(gone)))
    }

    /// Sends this node's presence in order, and a heartbeat so the others know it is alive.
    private func sendPresence() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await payload in self.presenceStream { await self.notify(payload) } }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.heartbeat)
                    guard !Task.isCancelled else { break }
                    self.presenceOut.yield(self.payload("h"))
                    await self.forgetSilentNodes()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Conversations a message announcement names at most: 120 of at most 57
    /// bytes each (an id, a colon, a seq of 19 digits, a space) stay under
    /// PostgreSQL's 8,000-byte payload.
    static let conversationsPerAnnouncement = 120

    /// What `SQLMessageStore` sends in a group commit: each conversation with
    /// its new last seq, `"m":"c:seq c:seq …"`, as few notifications as fit.
    /// One for the commit, not one per conversation: a listener then wakes,
    /// parses and queues once for many chats.
    static func messagePayloads(node: UUID, _ moved: [(UUID, Int64)]) -> [String] {
        stride(from: 0, to: moved.count, by: conversationsPerAnnouncement).map { start in
            let part = moved[start..<min(start + conversationsPerAnnouncement, moved.count)]
            return payload(node: node, "m", ["m": part.map { "\($0.0.uuidString):\($0.1)" }.joined(separator: " ")])
        }
    }

    /// The conversations and seqs of a message announcement; nil if it is malformed.
    static func announcedMessages(_ list: String) -> [(UUID, Int64)]? {
        var out: [(UUID, Int64)] = []
        for entry in list.split(separator: " ") {
            let parts = entry.split(separator: ":")
            guard parts.count == 2, let c = UUID(uuidString: String(parts[0])), let seq = Int64(parts[1]) else { return nil }
            out.append((c, seq))
        }
        return out
    }

    /// One announcement: which node, what kind, and its fields.
    static func payload(node: UUID, _ kind: String, _ fields: [String: String] = [:]) -> String {
        json(fields.merging(["n": node.uuidString, "k": kind]) { _, own in own })
    }

    private func payload(_ kind: String, _ fields: [String: String] = [:]) -> String { Self.payload(node: node, kind, fields) }

    package static func json(_ fields: [String: String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
    }

    private func noteDelivered(_ c: UUID, _ seq: Int64) {
        let now = ContinuousClock.now
        delivered.withLockedValue { d in d[c] = (max(seq, d[c]?.seq ?? 0), now) }
    }

    /// A conversation this node has delivered nothing in yet, but a socket
    /// here has caught up in: re-read it too after a lost connection.
    package func synced(_ conversation: UUID, upTo seq: Int64) {
        let now = ContinuousClock.now
        delivered.withLockedValue { d in d[conversation] = (d[conversation]?.seq ?? seq, now) }
    }

    /// How many conversations `delivered` holds, for tests.
    var deliveredConversations: Int { delivered.withLockedValue { $0.count } }

    /// Keeps `delivered` from growing with every conversation this node has
    /// ever seen. Why dropping is safe: an entry only says where a re-read
    /// after a lost connection starts, and in a conversation where no socket
    /// here takes part a re-read delivers to nobody; should one join later,
    /// its `sync` makes the entry again, and a new announcement reads from
    /// its own seq (a socket's writer fills any gap from storage). So entries
    /// of conversations someone with a socket here takes part in (`inUse`)
    /// are always kept, and so are entries used since `now` (taken before
    /// `inUse` is read: a socket that opened and synced meanwhile). Of the
    /// rest, those idle for `idle` go, then the least recently used until
    /// `cap` are left. If a read fails, nothing goes.
    func pruneDelivered(idle: Duration = pruneIdle, cap: Int = pruneCap) async {
        guard let realtime else { return }
        let now = ContinuousClock.now
        let due = delivered.withLockedValue { d in d.count > cap || d.values.contains { now - $0.used >= idle } }
        guard due else { return }
        let (inUse, complete) = await realtime.conversations(ofAny: realtime.onlineHere)
        guard complete else { return }
        delivered.withLockedValue { d in
            let spare = d.filter { !inUse.contains($0.key) && $0.value.used < now }
            for (c, entry) in spare where now - entry.used >= idle { d[c] = nil }
            guard d.count > cap else { return }
            let oldest = spare.filter { now - $0.value.used < idle }.sorted { $0.value.used < $1.value.used }
            for (c, _) in oldest.prefix(d.count - cap) { d[c] = nil }
        }
    }

    // MARK: listening

    package func run() async throws {
        let presence = Task { await sendPresence() }
        let pruning = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.pruneEvery)
                if !Task.isCancelled { await self.pruneDelivered() }
            }
        }
        defer {
            presenceOut.finish()
            presence.cancel()
            pruning.cancel()
        }
        var pause = Duration.milliseconds(100)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                connections.withLockedValue { $0 += 1 }
                pause = .milliseconds(100)
                do {
                    try await cancelWhenGracefulShutdown {
                        let notifications = try await connection.listen(Self.channel)
                        // Listening now: whatever was committed while we were not is read
                        // again, and participants changed meanwhile are read on the next frame.
                        self.realtime?.forgetParticipants()
                        // Presence heard before may be stale (a goodbye may have been
                        // missed): ask again, and say who is here.
                        let known = self.remote.withLockedValue { nodes in
                            defer { nodes.removeAll() }
                            return Array(Set(nodes.values.flatMap(\.online)))
                        }
                        self.presenceOut.yield(self.payload("w"))
                        self.announceEveryone()
                        // Those counted before are counted again once the others have
                        // answered (in milliseconds; the count goes out a second later):
                        // one who left while this node was not listening is then not.
                        if !known.isEmpty {
                            Task {
                                try? await Task.sleep(for: .seconds(1))
                                await self.realtime?.presenceChanged(of: known)
                            }
                        }
                        await self.catchUp()
                        for try await n in notifications { await self.handle(n.payload) }
                    }
                } catch {
                    // A connection must be closed before it goes, however it ended.
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                // Not listening: no cached participant list can be trusted until we are again.
                realtime?.forgetParticipants()
                logger.warning("node listener: connection lost, reconnecting", metadata: ["error": "\(String(describing: type(of: error)))"])
            }
            let wait = pause
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            pause = min(pause * 2, .seconds(5))
        }
    }

    /// Every conversation this node has delivered in (and not pruned), from its last seq on.
    func catchUp() async {
        for c in delivered.withLockedValue({ Array($0.keys) }) { await deliverNew(c, upTo: nil) }
    }

    package func handle(_ payload: String) async {
        guard let realtime, let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: String],
            object["n"] != node.uuidString, let kind = object["k"]
        else { return }
        switch kind {
        case "m":
            guard let list = object["m"], let announced = Self.announcedMessages(list) else { return }
            announce(announced)
        case "c":
            guard let c = object["c"].flatMap(UUID.init(uuidString:)), let frame = object["f"] else { return }
            await realtime.deliverLocally(.conversation(c, .raw(frame), except: object["x"].flatMap(Identity.init)))
        case "r":
            guard let c = object["c"].flatMap(UUID.init(uuidString:)), let seq = object["s"].flatMap(Int64.init) else { return }
            let readers = Set((object["r"] ?? "").split(separator: " ").compactMap { Identity(String($0)) })
            await realtime.deliverLocally(.seen(c, seq: seq, readers: readers))
        case "i":
            guard let identity = object["i"].flatMap(Identity.init), let frame = object["f"] else { return }
            await realtime.deliverLocally(.identity(identity, .raw(frame)))
        case "p":
            guard let c = object["c"].flatMap(UUID.init(uuidString:)) else { return }
            await realtime.deliverLocally(.membershipChanged(c))
        case "e":
            guard let identity = object["i"].flatMap(Identity.init) else { return }
            await realtime.deliverLocally(.sessionEnded(identity, object["s"].flatMap(UUID.init(uuidString:))))
        case "q":
            guard let id = object["id"], let index = object["ix"].flatMap(Int.init), let count = object["of"].flatMap(Int.init),
                let data = object["d"], let whole = assemble(id: id, index: index, of: count, data)
            else { return }
            await handle(whole)
        case "o", "s", "h", "w":
            guard let from = object["n"] else { return }
            let identities = (object["i"] ?? "").split(separator: " ").compactMap { Identity(String($0)) }
            switch kind {
            case "o": await heard(from: from, identities, online: object["o"] == "1")
            case "s": await heard(from: from, identities, online: true)
            case "w":
                // A node started listening: it knows nobody yet.
                await heard(from: from, [], online: nil)
                announceEveryone()
            default: await heard(from: from, [], online: nil)
            }
        default:
            break
        }
    }

    private func announce(_ messages: [(UUID, Int64)]) {
        let start = announced.withLockedValue { a -> Bool in
            for (c, seq) in messages {
                let known = a.seqs[c]
                a.seqs[c] = min(known?.lowerBound ?? seq, seq)...max(known?.upperBound ?? seq, seq)
            }
            if a.reading || a.seqs.isEmpty { return false }
            a.reading = true
            return true
        }
        if start { Task { await readAnnounced() } }
    }

    /// Reads what was announced until nothing is left: each round, the
    /// conversations someone with a socket here takes part in, in one read
    /// (at most `spansPerRead` of them, each at most `spanLimit` messages;
    /// a longer stretch, after a lost notification, is paged on its own).
    private func readAnnounced() async {
        while true {
            let due = announced.withLockedValue { a -> [(UUID, ClosedRange<Int64>)] in
                let due = Array(a.seqs)
                a.seqs.removeAll(keepingCapacity: true)
                if due.isEmpty { a.reading = false }
                return due
            }
            if due.isEmpty { return }
            var spans: [MessageSpan] = []
            for (c, range) in due {
                // Only where a socket here takes part: the same test as
                // `deliverLocally`'s, made before the read instead of after it.
                guard await realtime?.hasSockets(in: c) ?? false else {
                    passOver(c, upTo: range.upperBound)
                    continue
                }
                let after = delivered.withLockedValue { $0[c]?.seq } ?? (range.lowerBound - 1)
                if range.upperBound - after > Self.spanLimit {
                    await deliverNew(c, from: range.lowerBound, upTo: range.upperBound)
                } else if range.upperBound > after {
                    spans.append(MessageSpan(c, after: after, upTo: range.upperBound))
                }
            }
            for start in stride(from: 0, to: spans.count, by: Self.spansPerRead) {
                await deliver(Array(spans[start..<min(start + Self.spansPerRead, spans.count)]))
            }
        }
    }

    /// Conversations in one read of announced messages, and messages a conversation in it.
    static let spansPerRead = 100
    static let spanLimit: Int64 = 500

    /// Reads these stretches in one statement and hands them out in seq
    /// order; on a failed read, each conversation is paged on its own.
    private func deliver(_ spans: [MessageSpan]) async {
        guard let realtime else { return }
        guard let messages = try? await realtime.store.messages(in: spans) else {
            for span in spans { await deliverNew(span.conversation, from: span.after + 1, upTo: span.upTo) }
            return
        }
        await handOut(messages, realtime)
    }

    /// Messages read for this node's sockets: counted, and those this node
    /// has not delivered yet handed to them in the order given.
    private func handOut(_ messages: [StoredMessage], _ realtime: Realtime) async {
        reads.withLockedValue { $0.messages += messages.count }
        Self.messagesRead.increment(by: messages.count)
        for m in messages where m.seq > (delivered.withLockedValue { $0[m.conversation]?.seq } ?? 0) {
            await realtime.deliverLocally(.message(m))
            noteDelivered(m.conversation, m.seq)
        }
    }

    /// An announcement no socket here needs. Where this node has delivered
    /// before, its mark moves on, so that a later read (a socket joined) or a
    /// catch-up does not read these again; the socket that joins gets them
    /// from its `sync`, or from its writer's fill of a gap. A conversation
    /// this node never delivered in gets no entry: its map stays the size of
    /// what its own sockets take part in.
    private func passOver(_ c: UUID, upTo seq: Int64) {
        let now = ContinuousClock.now
        delivered.withLockedValue { d in
            guard let entry = d[c] else { return }
            d[c] = (max(entry.seq, seq), now)
        }
        reads.withLockedValue { $0.skipped += 1 }
        Self.announcedSkipped.increment()
    }

    /// Reads and delivers what this node has not delivered in `c` (from the
    /// first announced seq, for a conversation new to this node, up to the
    /// last; everything when catching up).
    private func deliverNew(_ c: UUID, from first: Int64? = nil, upTo seq: Int64?) async {
        guard let realtime else { return }
        var after = delivered.withLockedValue { $0[c]?.seq } ?? (first.map { $0 - 1 } ?? 0)
        while true {
            if let seq, after >= seq { return }
            guard let page = try? await realtime.store.messages(conversation: c, after: after, limit: 500), !page.isEmpty else { return }
            await handOut(page, realtime)
            after = page.last!.seq
        }
    }
}
