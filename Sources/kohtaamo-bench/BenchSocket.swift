import Foundation
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers

/// One socket of a simulated person: frames out through a queue, frames in
/// to a callback; reconnects (with a short pause) until stopped. Given
/// several nodes' addresses, each reconnect tries the next one (as a
/// browser behind a load balancer lands on whichever node is alive).
final class BenchSocket: Sendable {
    let urls: [String]
    let cookie: String
    let onFrame: @Sendable ([String: Any]) -> Void
    let onOpen: @Sendable (BenchSocket) -> Void
    private let state = NIOLockedValueBox<(outbox: AsyncStream<String>.Continuation?, stopped: Bool, opens: Int)>((nil, false, 0))

    convenience init(
        url: String, cookie: String, onOpen: @escaping @Sendable (BenchSocket) -> Void = { _ in },
        onFrame: @escaping @Sendable ([String: Any]) -> Void
    ) {
        self.init(urls: [url], cookie: cookie, onOpen: onOpen, onFrame: onFrame)
    }

    init(
        urls: [String], cookie: String, onOpen: @escaping @Sendable (BenchSocket) -> Void = { _ in },
        onFrame: @escaping @Sendable ([String: Any]) -> Void
    ) {
        precondition(!urls.isEmpty)
        self.urls = urls
        self.cookie = cookie
        self.onOpen = onOpen
        self.onFrame = onFrame
    }

    var opens: Int { state.withLockedValue { $0.opens } }

    /// Sends if connected; false when not (the caller keeps the frame).
    @discardableResult
    func send(_ text: String) -> Bool {
        guard let out = state.withLockedValue({ $0.outbox }) else { return false }
        if case .enqueued = out.yield(text) { return true }
        return false
    }

    func stop() {
        let out = state.withLockedValue { s -> AsyncStream<String>.Continuation? in
            s.stopped = true
            return s.outbox
        }
        out?.finish()
    }

    /// Runs the connection, reconnecting after `retryPause` while not stopped.
    func run(retryPause: Duration = .milliseconds(200)) async {
        var logger = Logger(label: "bench-socket")
        logger.logLevel = .critical
        var attempt = 0
        while !state.withLockedValue({ $0.stopped }) {
            let (stream, continuation) = AsyncStream<String>.makeStream()
            let url = urls[attempt % urls.count]
            attempt += 1
            do {
                try await WebSocketClient.connect(
                    url: url, configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: [.cookie: cookie]),
                    logger: logger
                ) { inbound, outbound, _ in
                    self.state.withLockedValue {
                        $0.outbox = continuation; $0.opens += 1
                    }
                    self.onOpen(self)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 1 << 22) {
                                guard case .text(let text) = message,
                                    let frame = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                                else { continue }
                                self.onFrame(frame)
                            }
                        }
                        group.addTask {
                            for await text in stream { try await outbound.write(.text(text)) }
                            try? await outbound.close(.normalClosure, reason: nil)
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            } catch {}
            state.withLockedValue { $0.outbox = nil }
            continuation.finish()
            if state.withLockedValue({ $0.stopped }) { break }
            try? await Task.sleep(for: retryPause)
        }
    }
}
