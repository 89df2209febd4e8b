import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// A socket of a test: frames to send go into a queue, frames received come
/// out of a stream; `next` waits with a timeout so a test never hangs.
final class TestSocket: @unchecked Sendable {
    enum Out: Sendable { case text(String), raw(ByteBuffer, WebSocketOpcode), close }
    private let outbox: AsyncStream<Out>.Continuation
    private let mailbox = Mailbox()
    let task: Task<WebSocketCloseFrame?, any Error>

    /// Frames received, in order, and whether the socket has ended.
    actor Mailbox {
        var frames: [String] = []
        var ended = false
        func put(_ s: String) { frames.append(s) }
        func end() { ended = true }
        func take() -> (String?, Bool) { frames.isEmpty ? (nil, ended) : (frames.removeFirst(), false) }
        func hasEnded() -> Bool { ended }
    }

    /// How the server closed the socket; nil if it is still open after `timeout`.
    func closeCode(within timeout: Duration = .seconds(5)) async -> WebSocketErrorCode? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await mailbox.hasEnded() { return (try? await task.value)??.closeCode }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    init(port: Int, cookie: String, language: String? = nil) {
        let (outStream, outCont) = AsyncStream<Out>.makeStream()
        outbox = outCont
        let mailbox = self.mailbox
        var headers: HTTPFields = [.cookie: cookie]
        if let language { headers[.acceptLanguage] = language }
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 17, additionalHeaders: headers)
        task = Task {
            do {
                let close = try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(port)/socket", configuration: configuration,
                    logger: Logger(label: "test-socket")
                ) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 1 << 22) {
                                if case .text(let s) = message { await mailbox.put(s) }
                            }
                        }
                        group.addTask {
                            for await item in outStream {
                                switch item {
                                case .text(let s): try await outbound.write(.text(s))
                                case .raw(let data, let opcode):
                                    try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: opcode, data: data)))
                                case .close: try await outbound.close(.normalClosure, reason: nil); return
                                }
                            }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
                await mailbox.end()
                return close
            } catch {
                await mailbox.end()
                throw error
            }
        }
    }

    func send(_ json: String) { outbox.yield(.text(json)) }

    /// Waits until the server has registered this socket: an answer to a
    /// refused frame can only come from a socket that is open there.
    func opened() async -> Bool {
        send("{not json")
        return await next("error")?["code"] as? String == "bad_json"
    }
    func sendRaw(_ bytes: [UInt8], opcode: WebSocketOpcode = .text) { outbox.yield(.raw(ByteBuffer(bytes: bytes), opcode)) }
    func close() { outbox.yield(.close); outbox.finish() }

    /// The next frame as a dictionary; nil when the socket ended or nothing came in time.
    func next(timeout: Duration = .seconds(10)) async -> [String: Any]? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (text, ended) = await mailbox.take()
            if let text, let data = text.data(using: .utf8) { return try? JSONSerialization.jsonObject(with: data) as? [String: Any] }
            if ended { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// Frames until one of type `t` (others are kept in `skipped`).
    func next(_ t: String, timeout: Duration = .seconds(10)) async -> [String: Any]? {
        while let frame = await next(timeout: timeout) {
            if frame["t"] as? String == t { return frame }
            skipped.append(frame)
        }
        return nil
    }
    var skipped: [[String: Any]] = []
}

/// A live server on a fresh database with the demo network.
/// `now` pins the clock (which tests may then move); nil is the real time.
/// The periodic services run only if `periodic` (see `withApp`).
func withLiveApp<T: Sendable>(
    now: Date? = nil,
    periodic: Bool = false,
    configure: @escaping (inout Configuration) -> Void = { _ in },
    _ body: @Sendable (Kohtaamo, any TestClientProtocol, Int) async throws -> T
) async throws -> T {
    var (configuration, drop) = try await TestDatabase.make()
    configuration.sendRate = 1000
    configure(&configuration)
    let kohtaamo = try await Kohtaamo.open(configuration: configuration, clock: AppClock(fixed: now), bcryptCost: 4)
    do {
        try await kohtaamo.fillDemo(password: demoPassword)
        let result = try await kohtaamo.application(periodic: periodic).test(.live) { client in try await body(kohtaamo, client, client.port!) }
        await drop()
        return result
    } catch {
        await drop()
        throw error
    }
}

/// A support chat, started by a new anonymous client and taken by worker1.
struct ChatPair {
    var conversation: String
    var clientCookie: String
    var workerCookie: String

    static func open(_ client: any TestClientProtocol, take: Bool = true) async throws -> ChatPair {
        let started = try await client.execute(
            uri: "/api/support/tukichat/chats", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"nickname":"Mansikka"}"#))
        #expect(started.status == .created)
        let object = try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as! [String: Any]
        let conversation = object["conversation"] as! String
        let clientCookie = cookie(started, "k_client")
        let worker = try await signInCookie(client, "worker1@demo.invalid")
        let shift = try await client.execute(
            uri: "/api/shifts", method: .post, headers: [.contentType: "application/json", .cookie: worker],
            body: ByteBuffer(string: #"{"services":["tukichat"]}"#))
        #expect(shift.status == .noContent)
        if take {
            let taken = try await client.execute(uri: "/api/support/chats/\(conversation)/take", method: .post, headers: [.cookie: worker])
            #expect(taken.status == .ok)
        }
        return ChatPair(conversation: conversation, clientCookie: clientCookie, workerCookie: worker)
    }
}

func cookie(_ response: TestResponse, _ name: String) -> String {
    let value = response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") } ?? ""
    return String(value.prefix { $0 != ";" })
}

func signInCookie(_ client: any TestClientProtocol, _ email: String) async throws -> String {
    let r = try await client.execute(
        uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
        body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(demoPassword)"}"#))
    #expect(r.status == .noContent)
    return cookie(r, "k_session")
}

func sendFrame(_ c: String, _ body: String, id: UUID = UUID()) -> String {
    #"{"t":"send","c":"\#(c)","id":"\#(id.uuidString.lowercased())","body":\#(ServerFrame.string(body))}"#
}

/// In a room: the writer posts, the reader gets it and reads it; the `seen`
/// frame each then gets (for that seq, within the room's second of gathering).
func readOnce(
    _ c: String, _ body: String, writer: TestSocket, reader: TestSocket
) async throws -> (seq: Int, toWriter: [String: Any], toReader: [String: Any]) {
    writer.send(sendFrame(c, body))
    let seq = try #require(await writer.next("ack")?["seq"] as? Int)
    #expect(await reader.next("msg")?["seq"] as? Int == seq)
    reader.send(#"{"t":"read","c":"\#(c)","seq":\#(seq)}"#)
    let toWriter = try #require(await writer.next("seen", timeout: .seconds(5)))
    let toReader = try #require(await reader.next("seen", timeout: .seconds(5)))
    for seen in [toWriter, toReader] { #expect(seen["c"] as? String == c && seen["seq"] as? Int == seq) }
    return (seq, toWriter, toReader)
}
