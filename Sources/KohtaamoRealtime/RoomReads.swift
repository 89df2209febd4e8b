import Foundation
import Logging
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
/// next read raises it again. Reads whose write fails (the database busy
/// or away) are kept for the next flush, merged with the reads that came
/// meanwhile, up to `capacity` readers in all, so a database that stays
/// away cannot fill the memory. Each node gathers its own sockets' reads;
/// the count comes from the database, so it includes every node's.
final class RoomReads: Sendable {
    typealias Gathered = [UUID: [Identity: Int64]]
    private struct State {
        var pending: Gathered = [:]
        var readers = 0
        var scheduled = false
    }
    private let state = NIOLockedValueBox(State())
    /// Failures only, with counts: never who read or where.
    static let logger = Logger(label: "kohtaamo.realtime.reads")
    let interval: Duration
    /// Readers (a conversation and an identity) held at most: new ones past
    /// it are not kept; a held reader's read still rises.
    let capacity: Int

    init(interval: Duration = .seconds(1), capacity: Int = 100_000) {
        self.interval = interval
        self.capacity = capacity
    }

    /// Notes a read; true when the caller should start the flush timer.
    func note(_ conversation: UUID, _ identity: Identity, _ seq: Int64) -> Bool {
        state.withLockedValue { s in
            Self.merge(&s, conversation, identity, seq, capacity: capacity)
            defer { s.scheduled = true }
            return !s.scheduled
        }
    }

    /// What was gathered since the last flush; the next read starts a new timer.
    func take() -> Gathered {
        state.withLockedValue { s in
            defer { (s.pending, s.readers, s.scheduled) = ([:], 0, false) }
            return s.pending
        }
    }

    /// Reads whose write failed, back for the next flush: the highest seq of
    /// each reader wins. Returns how many readers did not fit, and whether
    /// the caller should start the flush timer.
    func putBack(_ failed: Gathered) -> (dropped: Int, schedule: Bool) {
        state.withLockedValue { s in
            var dropped = 0
            for (c, readers) in failed {
                for (identity, seq) in readers where !Self.merge(&s, c, identity, seq, capacity: capacity) { dropped += 1 }
            }
            defer { s.scheduled = true }
            return (dropped, !s.scheduled)
        }
    }

    /// Raises a reader's pending read; false when a new reader does not fit.
    @discardableResult
    private static func merge(_ s: inout State, _ c: UUID, _ identity: Identity, _ seq: Int64, capacity: Int) -> Bool {
        if let before = s.pending[c]?[identity] {
            s.pending[c]?[identity] = max(before, seq)
            return true
        }
        guard s.readers < capacity else { return false }
        s.pending[c, default: [:]][identity] = seq
        s.readers += 1
        return true
    }
}

extension Realtime {
    /// A read in a room: written and announced with the room's others
    /// within a second (`RoomReads`).
    func noteRoomRead(_ conversation: UUID, _ identity: Identity, _ seq: Int64) {
        guard roomReads.note(conversation, identity, seq) else { return }
        scheduleRoomReadFlush()
    }

    private func scheduleRoomReadFlush() {
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
        do {
            try await store.setReads(reads)
        } catch {
            // Kept for the next flush, which comes without waiting for another read.
            let (dropped, schedule) = roomReads.putBack(pending)
            RoomReads.logger.warning(
                "room reads not stored, kept for the next flush",
                metadata: ["readers": "\(reads.count)", "dropped": "\(dropped)", "error": "\(String(describing: type(of: error)))"])
            if schedule { scheduleRoomReadFlush() }
            return
        }
        for (c, readers) in pending {
            guard let top = readers.values.max(), let all = try? await store.readers(conversation: c, atLeast: top) else { continue }
            await broadcaster.publish(.seen(c, seq: top, readers: Set(all)))
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
