import NIOCore
import NIOWebSocket

/// A socket's way out to its channel, usable from any task: frames are
/// handed to the channel's event loop in batches, and a sender waits while
/// the client reads slower than the server writes (NIO's writability), so a
/// slow client's frames wait in its queue, where they are counted.
///
/// The socket's own tasks prefer `executor` (its event loop): from there a
/// batch is written at once, with no hop.
struct SocketOutput: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<SocketFrameHandler>
    let executor: EventLoopExecutor

    init(channel: any Channel, handler: SocketFrameHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        executor = EventLoopExecutor(channel.eventLoop)
    }

    func send(_ frames: [WebSocketFrame]) async throws {
        guard channel.isActive else { throw ChannelError.ioOnClosedChannel }
        let (handler, loop) = (handler, channel.eventLoop)
        if !channel.isWritable {
            try await loop.flatSubmit { handler.value.whenWritable(on: loop) }.get()
        }
        executor.onLoop { handler.value.write(frames) }
    }

    /// Our close frame; the connection ends when the client answers it.
    func close(_ code: WebSocketErrorCode, reason: String? = nil) {
        executor.onLoop { [handler] in handler.value.close(code, reason: reason) }
    }

    func resumeReading() {
        executor.onLoop { [handler] in handler.value.resumeReading() }
    }
}

/// One drain's text frames on their way out: handed over 64 at a time, and
/// the rest when the drain's queue is empty (`flush`).
final class SocketWriter {
    let output: SocketOutput
    private var pending: [WebSocketFrame] = []

    init(_ output: SocketOutput) { self.output = output }

    /// Frames written and not yet handed to the channel.
    var hasPending: Bool { !pending.isEmpty }

    func write(_ text: String) async throws {
        try await write(output.channel.allocator.buffer(string: text))
    }

    /// A text frame already encoded (its bytes may be shared with other sockets).
    func write(_ text: ByteBuffer) async throws {
        pending.append(WebSocketFrame(fin: true, opcode: .text, data: text))
        if pending.count >= 64 { try await flush() }
    }

    func flush() async throws {
        guard !pending.isEmpty else { return }
        let frames = pending
        pending = []
        try await output.send(frames)
    }
}
