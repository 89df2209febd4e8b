import Foundation

/// Changes of one session's people, one at a time in this node, first come
/// first served. The database holds the seat limit (the transaction, and on
/// PostgreSQL its advisory lock, across nodes); this queue keeps a burst of
/// sign-ups for one session waiting here rather than for the pool's
/// connections, whose requests time out after 5 s: 20 sign-ups at once
/// during the whole test suite on PostgreSQL waited past that when each
/// took a connection to wait for the lock inside.
actor SessionQueue {
    private var busy: Set<UUID> = []
    private var waiting: [UUID: [CheckedContinuation<Void, Never>]] = [:]

    func run<T: Sendable>(_ session: UUID, _ body: @Sendable () async throws -> T) async throws -> T {
        await enter(session)
        do {
            let result = try await body()
            leave(session)
            return result
        } catch {
            leave(session)
            throw error
        }
    }

    private func enter(_ session: UUID) async {
        guard busy.contains(session) else {
            busy.insert(session)
            return
        }
        await withCheckedContinuation { waiting[session, default: []].append($0) }
    }

    /// The next in line goes on (the session stays busy); with none, it is free.
    private func leave(_ session: UUID) {
        guard var line = waiting[session], !line.isEmpty else {
            busy.remove(session)
            return
        }
        let next = line.removeFirst()
        waiting[session] = line.isEmpty ? nil : line
        next.resume()
    }
}
