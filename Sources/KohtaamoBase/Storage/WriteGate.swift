import NIOConcurrencyHelpers

/// A first-come, first-served lock for async code. SQLite allows one writer
/// at a time; queueing writers here avoids the driver's busy-retry loop.
package final class WriteGate: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = NIOLockedValueBox(State())

    package init() {}

    package func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLockedValue { s -> Bool in
                if s.held { s.waiters.append(continuation); return false }
                s.held = true
                return true
            }
            if proceed { continuation.resume() }
        }
    }

    /// Takes the gate only if it is free now, without waiting (for the
    /// group commit run on an event loop, which must not suspend there).
    package func tryAcquire() -> Bool {
        state.withLockedValue { s in
            if s.held { return false }
            s.held = true
            return true
        }
    }

    /// Runs `body` holding the gate, and releases it however `body` ends.
    package func holding<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    package func release() {
        let next = state.withLockedValue { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.held = false; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
