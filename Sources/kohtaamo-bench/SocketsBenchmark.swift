import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOWebSocket

/// `kohtaamo-bench sockets`: opens many idle sockets and reports the
/// server's memory per socket at each of several counts.
///
/// One process holds at most `ulimit -Hn` descriptors (20,000 here), and one
/// source address reaches one server address from at most 28,232 ephemeral
/// ports (32768–60999). So the sockets are bare swift-nio ones whose source
/// address is bound: 127.0.0.2, 127.0.0.3, … (`--per-source` each); the server
/// still listens on 127.0.0.1 only. They do the handshake, answer pings and
/// send nothing else: idle browser tabs.
struct SocketsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sockets", abstract: "Memory per idle open socket.")

    @Option(help: "The server's address (http://127.0.0.1:PORT).") var url = "http://127.0.0.1:8080"
    @Option(help: "The demo accounts' password.") var password: String
    @Option(help: "Socket counts to measure at, in order (the last is the total).") var counts = "1000,5000,10000,19000"
    @Option(help: "Shorthand for one count (overrides --counts).") var count: Int?
    @Option(help: "Sockets per source address (127.0.0.2, .3, …).") var perSource = 10_000
    @Option(help: "Seconds to wait at each count before reading the server's memory.") var settle = 5
    @Option(help: "Seconds to keep the sockets open after the report (to profile the server).") var hold = 0
    @Option(help: "The server's process id (for its memory).") var serverPid: Int32

    func run() async throws {
        let steps = count.map { [$0] } ?? counts.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let total = steps.last, steps == steps.sorted(), total > 0 else { throw ValidationError("--counts: increasing positive numbers") }
        let limit = raiseOpenFileLimit()
        guard total + 200 <= limit else {
            throw ValidationError("\(total) sockets need more than this process's open-file limit (\(limit)): measure fewer, or run two generators")
        }
        guard let base = URL(string: url), let host = base.host, let port = base.port else { throw ValidationError("--url: http://HOST:PORT") }
        let http = HTTP(base: url)
        try await http.waitHealthy(timeout: .seconds(30))
        let cookie = try await http.signIn("worker1@demo.invalid", password: password)
        let server = try SocketAddress(ipAddress: host, port: port)
        let group = MultiThreadedEventLoopGroup.singleton
        // Settled before the first socket: what the server holds with none open.
        try await Task.sleep(for: .seconds(settle))
        let before = residentKiB(pid: serverPid) ?? 0
        var sockets: [any Channel] = []
        var rows: [(String, String)] = [("server RSS, no sockets", "\(before / 1024) MiB")]
        var failed = 0
        for step in steps {
            // At most 256 handshakes at a time.
            try await withThrowingTaskGroup(of: (any Channel)?.self) { tasks in
                var started = sockets.count
                func start() {
                    let i = started
                    started += 1
                    let source = try! SocketAddress(ipAddress: "127.0.0.\(2 + i / perSource)", port: 0)
                    tasks.addTask {
                        try? await IdleSocket.open(group: group, source: source, server: server, host: "\(host):\(port)", cookie: cookie)
                    }
                }
                while started < step, started - sockets.count - failed < 256 { start() }
                while let channel = try await tasks.next() {
                    if let channel { sockets.append(channel) } else { failed += 1 }
                    if started < step { start() }
                }
            }
            try await Task.sleep(for: .seconds(settle))
            let open = IdleSocket.open.withLockedValue { $0 }
            let rss = residentKiB(pid: serverPid) ?? 0
            rows.append(
                (
                    "\(open) open (\(failed) failed)",
                    String(format: "RSS %d MiB, %.1f KiB per socket", rss / 1024, Double(rss - before) / Double(max(open, 1)))
                ))
        }
        Report.print(title: "sockets: idle sockets, server memory (VmRSS) above none open", rows: rows)
        fflush(nil)
        if hold > 0 { try await Task.sleep(for: .seconds(hold)) }
        for channel in sockets { channel.close(promise: nil) }
        try await Task.sleep(for: .seconds(1))
    }

    /// This process's soft limit on open files raised to the hard one; returns it.
    private func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_cur)
    }
}

/// A bare WebSocket client socket that opens, answers pings and stays idle.
enum IdleSocket {
    static let open = NIOLockedValueBox(0)

    static func open(group: any EventLoopGroup, source: SocketAddress, server: SocketAddress, host: String, cookie: String) async throws
        -> any Channel
    {
        let loop = group.next()
        let opened = loop.makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(to: source)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handshake(host: host, cookie: cookie, opened: opened))
                }
            }
            .connect(to: server).get()
        do {
            try await opened.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return channel
    }

    /// Writes the upgrade request, waits for `101`, then hands the socket to
    /// the frame codec and `Idle`.
    final class Handshake: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        typealias InboundOut = ByteBuffer
        let host: String, cookie: String
        let opened: EventLoopPromise<Void>
        var received = ByteBuffer()

        init(host: String, cookie: String, opened: EventLoopPromise<Void>) {
            (self.host, self.cookie, self.opened) = (host, cookie, opened)
        }

        func channelActive(context: ChannelHandlerContext) {
            let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            let request =
                "GET /socket HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\nCookie: \(cookie)\r\n\r\n"
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: request)), promise: nil)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            received.writeBuffer(&bytes)
            let view = received.readableBytesView
            guard let end = view.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
            let head = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self)
            guard head.hasPrefix("HTTP/1.1 101") else {
                opened.fail(ChannelError.inputClosed)
                context.close(promise: nil)
                return
            }
            received.moveReaderIndex(to: end.upperBound)
            do {
                try context.pipeline.syncOperations.addHandlers(
                    [WebSocketFrameEncoder(), ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)), Idle()], position: .after(self))
            } catch {
                opened.fail(error)
                context.close(promise: nil)
                return
            }
            IdleSocket.open.withLockedValue { $0 += 1 }
            opened.succeed()
            if received.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(received)) }
            received = ByteBuffer()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            opened.fail(ChannelError.inputClosed)
            context.fireChannelInactive()
        }
    }

    /// Answers pings; counts the socket closed when it closes.
    final class Idle: ChannelInboundHandler {
        typealias InboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            if frame.opcode == .ping {
                let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            IdleSocket.open.withLockedValue { $0 -= 1 }
            context.fireChannelInactive()
        }
    }
}
