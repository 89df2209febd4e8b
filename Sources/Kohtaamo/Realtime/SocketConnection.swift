import Foundation
import HummingbirdWebSocket
import NIOConcurrencyHelpers
import NIOWebSocket

/// One open socket. Everything it sends goes through one queue, written in
/// order by one task, which also keeps what this socket has already been
/// given, so that `sync` and live messages never miss or repeat one.
final class SocketConnection: Sendable {
    enum Outbound: Sendable {
        case frame(ServerFrame)
        case live(StoredMessage)
        case sync(conversation: UUID, after: Int64)
        /// The grace after opening is over: send what was held.
        case flushHeld
        case close(WebSocketErrorCode)
    }

    /// Right after (re)connecting, a client sends `sync` first. Live messages
    /// of a conversation not yet synced are held this long, so that the
    /// catch-up comes first and the live ones after it, in order.
    static let syncGrace: Duration = .seconds(2)

    let id = UUID()
    let identity: Identity
    /// The staff sign-in this socket was opened under (nil for a client's token).
    let session: UUID?
    let language: Language
    private let continuation: AsyncStream<Outbound>.Continuation
    let stream: AsyncStream<Outbound>
    /// Set when the queue overflowed: the client is too slow and must reconnect and sync.
    let overflowed = NIOLockedValueBox(false)

    /// How many frames may wait for a slow client before it is cut off.
    static let queueLimit = 10_000

    init(identity: Identity, session: UUID? = nil, language: Language) {
        self.identity = identity
        self.session = session
        self.language = language
        (stream, continuation) = AsyncStream.makeStream(of: Outbound.self, bufferingPolicy: .bufferingOldest(Self.queueLimit))
    }

    func enqueue(_ item: Outbound) {
        if case .dropped = continuation.yield(item) {
            overflowed.withLockedValue { $0 = true }
            continuation.finish()
        }
    }

    func finish() { continuation.finish() }

    /// Writes the queue to the socket until it ends.
    func runWriter(outbound: WebSocketOutboundWriter, store: any MessageStore,
                   synced: (UUID, Int64) -> Void = { _, _ in }) async throws {
        // Per conversation: the highest seq this socket has delivered since its
        // `sync`; before a sync, the seqs sent live (so the sync skips them).
        var delivered: [UUID: Int64] = [:]
        var sentBeforeSync: [UUID: Set<Int64>] = [:]
        var held: [UUID: [StoredMessage]] = [:]
        var holding = true

        func write(_ frame: ServerFrame) async throws { try await outbound.write(.text(frame.json)) }
        let me = identity
        func message(_ m: StoredMessage) -> ServerFrame { .msg(m, mine: m.senderIdentity == me) }

        /// After a sync: skip what was delivered, fill a jump from storage, then send.
        func inOrder(_ m: StoredMessage) async throws {
            let c = m.conversation
            guard let d = delivered[c], m.seq > d else { return }
            if m.seq > d + 1 {
                // Committed out of order with another message: fill the gap from storage.
                for missing in try await store.messages(conversation: c, after: d, limit: Int(m.seq - d - 1)) where missing.seq < m.seq {
                    try await write(message(missing))
                }
            }
            delivered[c] = m.seq
            try await write(message(m))
        }

        for await item in stream {
            switch item {
            case .frame(let frame):
                try await write(frame)
            case .live(let m):
                let c = m.conversation
                if delivered[c] != nil {
                    try await inOrder(m)
                    continue
                } else if holding {
                    held[c, default: []].append(m)
                    continue
                } else if !sentBeforeSync[c, default: []].insert(m.seq).inserted {
                    continue  // a node re-reading after a lost connection may hand it over twice
                }
                try await write(message(m))
            case .flushHeld:
                holding = false
                for (c, list) in held {
                    for m in list.sorted(by: { $0.seq < $1.seq }) where sentBeforeSync[c, default: []].insert(m.seq).inserted {
                        try await write(message(m))
                    }
                }
                held.removeAll()
            case .sync(let c, let after):
                // Everything up to the seq committed now is read from storage;
                // anything later is committed after this point, so its live
                // event is queued behind this sync and follows it in order.
                let already = sentBeforeSync.removeValue(forKey: c) ?? []
                let top = try await store.lastSeq(conversation: c) ?? 0
                var cursor = min(after, top)
                while cursor < top {
                    let page = try await store.messages(conversation: c, after: cursor, limit: 500)
                    for m in page where m.seq <= top && !already.contains(m.seq) { try await write(message(m)) }
                    guard let end = page.last?.seq else { break }
                    cursor = end
                }
                delivered[c] = top
                synced(c, top)
                try await write(.synced(conversation: c, seq: top))
                // Live messages held while waiting for this sync: those after the catch-up, in order.
                for m in (held.removeValue(forKey: c) ?? []).sorted(by: { $0.seq < $1.seq }) { try await inOrder(m) }
            case .close(let code):
                try await outbound.close(code, reason: nil)
                return
            }
        }
        if overflowed.withLockedValue({ $0 }) {
            try await outbound.close(.unknown(1013), reason: "too slow: reconnect and sync")
        }
    }
}
