import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// `kohtaamo-bench bare-relay`: the physical limit. A WebSocket relay on
/// swift-nio alone that speaks just enough of the protocol for `chat --bare`:
/// `sync` subscribes the socket to a conversation (answered with `synced`),
/// `send` is answered with `ack` and relayed as `msg` to every subscriber.
/// No storage, no sign-in, no rights: what is left is the socket work and
/// one JSON parse per frame, which Kohtaamo's relay cost is a ratio to.
struct BareRelay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-relay", abstract: "a bare swift-nio WebSocket relay, the baseline for chat --bare.")

    @Option(help: "Loopback port to listen on.") var port = 8090

    func run() async throws {
        let hub = Hub()
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 1 << 16,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(RelayHandler(hub: hub)) }
            })
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
            .bind(host: "127.0.0.1", port: port).get()
        print("bare relay on 127.0.0.1:\(port), pid \(ProcessInfo.processInfo.processIdentifier)")
        try await channel.closeFuture.get()
    }

    /// Conversation → subscribed channels.
    final class Hub: Sendable {
        private let rooms = NIOLockedValueBox<[String: [ObjectIdentifier: any Channel]]>([:])
        func join(_ c: String, _ channel: any Channel) { rooms.withLockedValue { $0[c, default: [:]][ObjectIdentifier(channel)] = channel } }
        func leave(_ channel: any Channel) {
            rooms.withLockedValue { all in for key in all.keys { all[key]?[ObjectIdentifier(channel)] = nil } }
        }
        func members(_ c: String) -> [any Channel] { rooms.withLockedValue { $0[c].map { Array($0.values) } ?? [] } }
        private let seqs = NIOLockedValueBox<[String: Int]>([:])
        func nextSeq(_ c: String) -> Int {
            seqs.withLockedValue { s in
                s[c, default: 0] += 1
                return s[c]!
            }
        }
    }

    final class RelayHandler: ChannelInboundHandler, Sendable {
        typealias InboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame
        let hub: Hub
        init(hub: Hub) { self.hub = hub }

        func channelInactive(context: ChannelHandlerContext) {
            hub.leave(context.channel)
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            switch frame.opcode {
            case .connectionClose:
                context.close(promise: nil)
                return
            case .ping:
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
                return
            case .text:
                break
            default:
                return
            }
            var data = frame.unmaskedData
            guard let bytes = data.readBytes(length: data.readableBytes),
                let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
                let t = object["t"] as? String, let c = object["c"] as? String
            else { return }
            let channel = context.channel
            switch t {
            case "sync":
                hub.join(c, channel)
                write(#"{"t":"synced","c":"\#(c)","seq":0}"#, to: channel)
            case "send":
                guard let id = object["id"] as? String, let body = object["body"] as? String else { return }
                let seq = hub.nextSeq(c)
                write(#"{"t":"ack","id":"\#(id)","c":"\#(c)","seq":\#(seq)}"#, to: channel)
                // The generator's bodies are plain letters: no escaping needed here.
                let msg = #"{"t":"msg","c":"\#(c)","seq":\#(seq),"id":"\#(id)","body":"\#(body)"}"#
                for member in hub.members(c) { write(msg, to: member) }
            default:
                break
            }
        }

        private func write(_ text: String, to channel: any Channel) {
            let frame = WebSocketFrame(fin: true, opcode: .text, data: channel.allocator.buffer(string: text))
            channel.writeAndFlush(frame, promise: nil)
        }
    }
}
