import NIOCore
import NIOWebSocket

/// One socket's WebSocket protocol, as a handler in its NIO pipeline: pings
/// and the close handshake are answered here, whole messages go to the
/// session, and nothing waits in a Swift task while the socket is idle.
///
/// Why not a task per socket: a Swift task keeps the most stack it has ever
/// used until it ends, so every idle socket kept the stacks of its reader,
/// writer and ping tasks (about 25 KiB of the 37 measured). Here an idle
/// socket is its channel, this handler and its connection; work on its
/// frames runs in short tasks that end when the frames are done.
final class SocketFrameHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// A ping this often; a socket that has sent nothing since the last ping
    /// is taken as gone (as the library's ping did: 30 s).
    static let pingInterval: TimeAmount = .seconds(30)
    /// After our close frame, the client has this long to answer with its own.
    static let closeTimeout: TimeAmount = .seconds(5)
    /// Whole messages waiting for the session: past this, the socket is not
    /// read until the session has caught up (the kernel then slows the sender).
    static let inboxLimit = 32

    private var assembler: MessageAssembler
    private var context: ChannelHandlerContext?
    /// Set once, before the handler joins the pipeline.
    var session: SocketSession?
    private var closeSent = false
    private var closeTimer: Scheduled<Void>?
    private var pinger: RepeatedTask?
    private var heard = true
    private var writableWaiters: [EventLoopPromise<Void>] = []

    init(frameLimit: Int) {
        assembler = MessageAssembler(limit: frameLimit)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        pinger = context.eventLoop.scheduleRepeatedTask(initialDelay: Self.pingInterval, delay: Self.pingInterval) { _ in
            loopBound.value.ping()
        }
        session?.opened()
        // A client that left during the upgrade: no channelInactive will come.
        if !context.channel.isActive { ended() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        ended()
        context.fireChannelInactive()
    }

    private func ended() {
        pinger?.cancel()
        closeTimer?.cancel()
        for waiter in writableWaiters { waiter.fail(ChannelError.ioOnClosedChannel) }
        writableWaiters = []
        session?.closed()
        session = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        heard = true
        // A client's frames are masked and use no extension bits (RFC 6455, 5.1 and 5.2).
        guard frame.maskKey != nil, !frame.rsv1, !frame.rsv2, !frame.rsv3 else { return close(.protocolError) }
        switch frame.opcode {
        case .connectionClose:
            if closeSent { return context.close(promise: nil) }
            // Answer with the client's own code, then end the connection.
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode() ?? .normalClosure
            closeSent = true
            context.writeAndFlush(wrapOutboundOut(Self.closeFrame(code, reason: nil, allocator: context.channel.allocator)))
                .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .ping:
            guard !closeSent else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        case .text, .binary, .continuation:
            // After our close frame, what the client still sends is not acted on.
            guard !closeSent, let message = assembler.add(frame), let session else { return }
            if session.received(message) >= Self.inboxLimit { context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in } }
        default:
            close(.protocolError)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The server is shutting down gracefully: say so, and let the client reconnect elsewhere.
        if event is ChannelShouldQuiesceEvent { return close(.goingAway) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            for waiter in writableWaiters { waiter.succeed() }
            writableWaiters = []
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Frame errors have been answered by NIO's protocol error handler.
        context.close(promise: nil)
    }

    // MARK: called on the event loop by the socket's output

    /// Writes `frames` and flushes them.
    func write(_ frames: [WebSocketFrame]) {
        guard let context, !closeSent else { return }
        for frame in frames { context.write(wrapOutboundOut(frame), promise: nil) }
        context.flush()
    }

    /// Succeeds when the channel can take more (at once if it can now).
    func whenWritable(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        guard let context else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
        if context.channel.isWritable { return context.eventLoop.makeSucceededVoidFuture() }
        context.flush()
        let promise = context.eventLoop.makePromise(of: Void.self)
        writableWaiters.append(promise)
        return promise.futureResult
    }

    /// Starts the closing handshake: our close frame now, the connection
    /// ends when the client answers or after `closeTimeout`.
    func close(_ code: WebSocketErrorCode, reason: String? = nil) {
        guard let context, !closeSent else { return }
        closeSent = true
        context.writeAndFlush(wrapOutboundOut(Self.closeFrame(code, reason: reason, allocator: context.channel.allocator)), promise: nil)
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.closeTimeout) { context.close(promise: nil) }
    }

    /// Reading again once the session has caught up.
    func resumeReading() {
        context?.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
    }

    private func ping() {
        guard let context, !closeSent else { return }
        // Nothing at all since the last ping, not even its pong: the client is gone.
        guard heard else { return close(.goingAway, reason: "Ping timeout") }
        heard = false
        context.writeAndFlush(
            wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(capacity: 0))), promise: nil)
    }

    static func closeFrame(_ code: WebSocketErrorCode, reason: String?, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var data = allocator.buffer(capacity: 2 + (reason?.utf8.count ?? 0))
        data.write(webSocketErrorCode: code)
        if let reason { data.writeString(reason) }
        return WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
    }
}
