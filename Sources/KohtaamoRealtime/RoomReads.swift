import Foundation
import NIOConcurrencyHelpers

/// Read markers in rooms, gathered for a second (issue 23). In a room of
/// 500 everyone reads every message: relayed one by one, that was 500 × 499
/// `read` frames and 500 write transactions for each message. Here a
/// second's reads become one transaction, and each room one `seen` frame
/// ("N have read up to seq") to everyone in it, at most once a second.
/// One-to-one conversations keep `read` relayed at once: there the other
/// side's "read" is the point, and there are two of them.
///
/// Reads not yet written when the process stops are lost (a second's at
/// most): a read marker is a courtesy, not a message, and the reader's
/// next read raises it again. Each node gathers its own sockets' reads;
/// the count comes from the database, so it includes every node's.
final class RoomReads: Sendable {
    private struct State {
        var pending: [UUID: [Identity: Int64]] = [:]
        var scheduled = false
    }
    private let state = NIOLockedValueBox(State())
    let interval: Duration

    init(interval: Duration = .seconds(1)) { self.interval = interval }

    /// Notes a read; true when the caller should start the flush timer.
    func note(_ conversation: UUID, _ identity: Identity, _ seq: Int64) -> Bool {
        state.withLockedValue { s in
            let before = s.pending[conversation]?[identity] ?? 0
            s.pending[conversation, default: [:]][identity] = max(before, seq)
            defer { s.scheduled = true }
            return !s.scheduled
        }
    }

    /// What was gathered since the last flush; the next read starts a new timer.
    func take() -> [UUID: [Identity: Int64]] {
        state.withLockedValue { s in
            defer { (s.pending, s.scheduled) = ([:], false) }
            return s.pending
        }
    }
}

extension Realtime {
    /// A read in a room: written and announced with the room's others
    /// within a second (`RoomReads`).
    func noteRoomRead(_ conversation: UUID, _ identity: Identity, _ seq: Int64) {
        guard roomReads.note(conversation, identity, seq) else { return }
        Task { [weak self] in
            guard let interval = self?.roomReads.interval else { return }
            try? await Task.sleep(for: interval)
            await self?.flushRoomReads()
        }
    }

    func flushRoomReads() async {
        let pending = roomReads.take()
        let reads = pending.flatMap { c, readers in readers.map { ReadPosition(conversation: c, identity: $0.key, seq: $0.value) } }
        guard !reads.isEmpty else { return }
        do { try await store.setReads(reads) } catch { return }
        for (c, readers) in pending {
            guard let top = readers.values.max(), let count = try? await store.readCount(conversation: c, atLeast: top) else { continue }
            await announce(.seen(conversation: c, seq: top, count: count), in: c)
        }
    }

    /// Rooms (a group's, a coaching group's) gather reads; a kind never changes, so it is kept.
    func isRoom(_ conversation: UUID) async throws -> Bool {
        if let known = roomKinds.withLockedValue({ $0[conversation] }) { return known }
        let room = [.group, .coachingGroup].contains(try await store.kind(conversation: conversation))
        roomKinds.withLockedValue { $0[conversation] = room }
        return room
    }
}
