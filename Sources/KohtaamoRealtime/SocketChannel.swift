import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// Which request becomes a socket: `accept` looks at an upgrade request to
/// `path` and returns what puts the socket's handler into its pipeline, or
/// nil to refuse it.
package struct SocketUpgrade: Sendable {
    package typealias Install = @Sendable (any Channel) throws -> Void
    package let path: String
    package let accept: @Sendable (Request) async -> Install?
}

/// HTTP/1 and the socket's WebSocket upgrade on one port.
///
/// Hummingbird's own upgrade channel runs each socket in the connection's
/// task for as long as the socket is open. Here a socket's connection task
/// ends once its upgrade is done: from then on the socket is the NIO
/// handlers of `SocketFrameHandler`, and no task waits while it is idle.
/// A refused upgrade is answered as HTTP, by the routes (`GET /socket` says
/// why: 401, 403 or 400 with its error code).
package struct HTTPWithSocketChannel: ServerChildChannel, HTTPChannelHandler {
    enum Outcome: Sendable {
        case socket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// NIO does not pass on the request of a refused upgrade: it is answered from the copy kept here.
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, Request)
    }

    private enum Decision: Sendable {
        case accepted(SocketUpgrade.Install)
        case refused(Request)
    }

    package struct Value: ServerChildChannelValue {
        let outcome: EventLoopFuture<Outcome>
        package let channel: any Channel
    }

    package let responder: HTTPChannelHandler.Responder
    package let upgrade: SocketUpgrade
    /// The largest frame read; a larger one closes the socket with 1009.
    package let maxFrameSize: Int
    let http1 = HTTP1Channel.Configuration()

    package init(responder: @escaping HTTPChannelHandler.Responder, upgrade: SocketUpgrade, maxFrameSize: Int) {
        (self.responder, self.upgrade, self.maxFrameSize) = (responder, upgrade, maxFrameSize)
    }

    private struct Refused: Error {}

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let decision = NIOLockedValueBox<Decision?>(nil)
            let upgrade = self.upgrade
            let upgrader = NIOTypedWebSocketServerUpgrader<Outcome>(
                maxFrameSize: maxFrameSize,
                shouldUpgrade: { channel, head in
                    let request: Request
                    do {
                        request = Request(head: try HTTPRequest(head, secure: false, splitCookie: false), body: .init(buffer: ByteBuffer()))
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                    decision.withLockedValue { $0 = .refused(request) }
                    guard request.uri.path == upgrade.path else { return channel.eventLoop.makeSucceededFuture(nil) }
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask {
                        guard let chosen = await upgrade.accept(request) else { return nil }
                        decision.withLockedValue { $0 = .accepted(chosen) }
                        return HTTPHeaders()
                    }
                    return promise.futureResult
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard case .accepted(let chosen) = decision.withLockedValue({ $0 }) else { throw Refused() }
                        try chosen(channel)
                        return Outcome.socket
                    }
                }
            )
            let upgrades = NIOTypedHTTPServerUpgradeConfiguration(upgraders: [upgrader]) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                    try channel.pipeline.syncOperations.addHandlers(http1.additionalChannelHandlers())
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { .init($0) }, logger: logger))
                    let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true))
                    if case .refused(let request) = decision.withLockedValue({ $0 }) { return Outcome.refused(http, request) }
                    return Outcome.http(http)
                }
            }
            var pipeline = NIOUpgradableHTTPServerPipelineConfiguration<Outcome>(upgradeConfiguration: upgrades)
            pipeline.enablePipelining = false  // HTTP requests are read one after another by NIOAsyncChannel
            pipeline.enableErrorHandling = false  // Hummingbird answers HTTP errors
            pipeline.enableResponseHeaderValidation = false  // Swift HTTP Types validate
            pipeline.decoderConfiguration.maxHeaderFieldSize = http1.httpDecoder.maxHeaderFieldSize
            pipeline.decoderConfiguration.maxHeaderListSize = http1.httpDecoder.maxHeaderListSize
            pipeline.decoderConfiguration.maxHeaderFieldCount = http1.httpDecoder.maxHeaderFieldCount
            let outcome = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: pipeline)
            return Value(outcome: outcome, channel: channel)
        }
    }

    package func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.outcome.get() {
            case .socket:
                return  // the socket's handlers carry it from here
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .refused(let http, let request):
                // The routes say why (`GET /socket`: 401, 403 or 400 with its code), then the connection closes.
                try await http.executeThenClose { _, outbound in
                    try await responder(request, ResponseWriter(outbound: outbound), http.channel)
                }
            }
        } catch {
            logger.debug("Connection ended before its first request was read", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
