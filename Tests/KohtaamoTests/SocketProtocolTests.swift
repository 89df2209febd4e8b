import Foundation
import Hummingbird
import HummingbirdTesting
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

/// The realtime contract over a real socket: ack after commit, idempotent
/// send, order, catch-up, authorisation, and refusals that keep the socket.
@Suite struct SocketProtocolTests {
    @Test func clientAndWorkerTalkBothWays() async throws {
        try await withLiveApp { app, client, port in
            let pair = try await ChatPair.open(client)
            let c = pair.conversation
            let clientSocket = TestSocket(port: port, cookie: pair.clientCookie)
            let workerSocket = TestSocket(port: port, cookie: pair.workerCookie)
            clientSocket.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            workerSocket.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            #expect(await clientSocket.next("synced")?["seq"] as? Int == 0)
            #expect(await workerSocket.next("synced")?["seq"] as? Int == 0)
            let id = UUID()
            clientSocket.send(sendFrame(c, "Hei, tarvitsen apua", id: id))
            let ack = await clientSocket.next("ack")
            #expect(ack?["seq"] as? Int == 1)
            #expect(ack?["id"] as? String == id.uuidString.lowercased())
            #expect((ack?["at"] as? String)?.hasSuffix("Z") == true)
            // Acked means committed: it is in storage now.
            #expect(try await app.realtime.store.messages(conversation: UUID(uuidString: c)!, after: 0, limit: 10).count == 1)
            let got = await workerSocket.next("msg")
            #expect(got?["body"] as? String == "Hei, tarvitsen apua")
            #expect((got?["from"] as? [String: String]) == ["name": "Mansikka", "role": "client"])
            #expect(got?["mine"] == nil)
            // The sender's own sockets get it too, marked as theirs (one encoding serves both).
            let own = await clientSocket.next("msg")
            #expect(own?["seq"] as? Int == 1)
            #expect(own?["mine"] as? Bool == true)
            #expect(own?["body"] as? String == "Hei, tarvitsen apua")
            workerSocket.send(sendFrame(c, "Hei! Olen täällä."))
            #expect(await workerSocket.next("ack")?["seq"] as? Int == 2)
            let answer = await clientSocket.next("msg")
            #expect(answer?["seq"] as? Int == 2)
            #expect((answer?["from"] as? [String: String]) == ["name": "Työntekijä 1", "role": "worker"])
            #expect(answer?["mine"] == nil)
            #expect(await workerSocket.next("msg")?["mine"] as? Bool == true)
            clientSocket.close()
            workerSocket.close()
        }
    }

    @Test func sameClientIDTwiceStoresOneRowAndGetsTheSameSeq() async throws {
        try await withLiveApp { app, client, port in
            let pair = try await ChatPair.open(client)
            let socket = TestSocket(port: port, cookie: pair.clientCookie)
            let id = UUID()
            socket.send(sendFrame(pair.conversation, "kerran", id: id))
            let first = await socket.next("ack")
            socket.send(sendFrame(pair.conversation, "kerran", id: id))
            let second = await socket.next("ack")
            #expect(first?["seq"] as? Int == 1)
            #expect(second?["seq"] as? Int == 1)
            #expect(second?["at"] as? String == first?["at"] as? String)
            let stored = try await app.realtime.store.messages(conversation: UUID(uuidString: pair.conversation)!, after: 0, limit: 10)
            #expect(stored.count == 1)
            // A new id gets the next seq: the retry left no gap.
            socket.send(sendFrame(pair.conversation, "toinen"))
            #expect(await socket.next("ack")?["seq"] as? Int == 2)
            socket.close()
        }
    }

    @Test func eightConcurrentSendersGiveGapFreeSeqInOneOrderForAll() async throws {
        try await withLiveApp { app, client, port in
            let pair = try await ChatPair.open(client)
            let c = pair.conversation
            let watcherWorker = TestSocket(port: port, cookie: pair.workerCookie)
            let watcherClient = TestSocket(port: port, cookie: pair.clientCookie)
            watcherWorker.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            watcherClient.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            _ = await watcherWorker.next("synced")
            _ = await watcherClient.next("synced")
            let perSender = 25
            try await withThrowingTaskGroup(of: [Int].self) { group in
                for n in 0..<8 {
                    group.addTask {
                        let socket = TestSocket(port: port, cookie: n % 2 == 0 ? pair.clientCookie : pair.workerCookie)
                        for i in 0..<perSender { socket.send(sendFrame(c, "lähettäjä \(n) viesti \(i)")) }
                        var acked: [Int] = []
                        while acked.count < perSender, let ack = await socket.next("ack") { acked.append(ack["seq"] as! Int) }
                        socket.close()
                        // Sent without waiting for acks: committed, and acked, in the order sent.
                        #expect(acked == acked.sorted(), "sender \(n): \(acked)")
                        return acked
                    }
                }
                var all: [Int] = []
                for try await acked in group { all += acked }
                #expect(all.sorted() == Array(1...(8 * perSender)))
            }
            for watcher in [watcherWorker, watcherClient] {
                var seqs: [Int] = []
                var bodies: [String] = []
                while seqs.count < 8 * perSender, let m = await watcher.next("msg") {
                    seqs.append(m["seq"] as! Int)
                    bodies.append(m["body"] as! String)
                }
                #expect(seqs == Array(1...(8 * perSender)))
                // Each sender's messages in the order that sender wrote them.
                for n in 0..<8 {
                    let mine = bodies.filter { $0.hasPrefix("lähettäjä \(n) ") }
                    #expect(mine == (0..<perSender).map { "lähettäjä \(n) viesti \($0)" })
                }
                watcher.close()
            }
            #expect(try await app.realtime.store.lastSeq(conversation: UUID(uuidString: c)!) == Int64(8 * perSender))
        }
    }

    @Test func syncAfterDisconnectDeliversExactlyTheMissedThenLive() async throws {
        try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            let c = pair.conversation
            let worker = TestSocket(port: port, cookie: pair.workerCookie)
            var clientSocket = TestSocket(port: port, cookie: pair.clientCookie)
            clientSocket.send(sendFrame(c, "ensimmäinen"))
            #expect(await clientSocket.next("ack")?["seq"] as? Int == 1)
            clientSocket.close()
            _ = try await clientSocket.task.value
            for i in 2...6 {
                worker.send(sendFrame(c, "viesti \(i)"))
                #expect(await worker.next("ack")?["seq"] as? Int == i)
            }
            // Reconnect and sync; while the catch-up is being written, the worker keeps writing.
            clientSocket = TestSocket(port: port, cookie: pair.clientCookie)
            clientSocket.send(#"{"t":"sync","c":"\#(c)","after":1}"#)
            let first = await clientSocket.next("msg")
            for i in 7...16 { worker.send(sendFrame(c, "lisää \(i)")) }
            var seqs: [Int] = [first?["seq"] as? Int ?? -1]
            var syncedAt: Int?
            var beforeSynced: [Int] = []
            // `synced` may come before the last live ones or after them all
            // (when the worker's messages were committed before the sync read).
            while seqs.count < 15 || syncedAt == nil, let frame = await clientSocket.next() {
                switch frame["t"] as? String {
                case "msg": seqs.append(frame["seq"] as! Int)
                case "synced":
                    syncedAt = frame["seq"] as? Int
                    beforeSynced = seqs
                default: break
                }
            }
            #expect(seqs == Array(2...16))  // none missed, none repeated, in order
            #expect(syncedAt != nil && syncedAt! >= 6)
            // The catch-up is everything up to the synced seq, and comes before the frame that says so.
            #expect(beforeSynced == Array(2...(syncedAt ?? 0)))
            #expect(await clientSocket.next("msg", timeout: .milliseconds(300)) == nil)
            clientSocket.close()
            worker.close()
        }
    }

    /// A socket that never sends `sync` gets live messages at once (no timer
    /// holds them back; it used to be 2 s after opening), in order.
    @Test func aSocketThatNeverSyncsGetsLiveMessagesAtOnce() async throws {
        try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            let c = pair.conversation
            let workerSocket = TestSocket(port: port, cookie: pair.workerCookie)
            #expect(await workerSocket.opened())
            let clientSocket = TestSocket(port: port, cookie: pair.clientCookie)
            clientSocket.send(sendFrame(c, "yksi"))
            #expect(await clientSocket.next("ack")?["seq"] as? Int == 1)
            // Well inside the 2 s the old grace held it for, on any machine.
            #expect(await workerSocket.next("msg", timeout: .milliseconds(1500))?["body"] as? String == "yksi")
            clientSocket.send(sendFrame(c, "kaksi"))
            #expect(await clientSocket.next("ack")?["seq"] as? Int == 2)
            #expect(await workerSocket.next("msg", timeout: .milliseconds(1500))?["body"] as? String == "kaksi")
            clientSocket.close()
            workerSocket.close()
        }
    }

    /// Eight tabs of one client write 40 messages each at once; the worker's
    /// socket, which never syncs, gets every one once, in seq order, and so
    /// does each tab (a program other than our web client may rely on it).
    @Test func eightTabsAtOnceReachASocketThatNeverSyncedInSeqOrder() async throws {
        try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            let c = pair.conversation
            let perTab = 40
            let workerSocket = TestSocket(port: port, cookie: pair.workerCookie)
            let tabs = (0..<8).map { _ in TestSocket(port: port, cookie: pair.clientCookie) }
            // Every socket is open before the first message: each must get all of them live.
            for socket in tabs + [workerSocket] { #expect(await socket.opened()) }
            for (n, tab) in tabs.enumerated() {
                for i in 0..<perTab { tab.send(sendFrame(c, "välilehti \(n) viesti \(i)")) }
            }
            for socket in [workerSocket] + tabs {
                var seqs: [Int] = []
                while seqs.count < 8 * perTab, let m = await socket.next("msg") { seqs.append(m["seq"] as! Int) }
                #expect(seqs == Array(1...(8 * perTab)))
                #expect(await socket.next("msg", timeout: .milliseconds(200)) == nil)  // none twice
                socket.close()
            }
        }
    }

    /// A socket that first got messages live and then syncs from before them
    /// gets the older ones and `synced`, and none of the live ones again.
    @Test func aSyncAfterLiveMessagesRepeatsNone() async throws {
        try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            let c = pair.conversation
            let clientSocket = TestSocket(port: port, cookie: pair.clientCookie)
            for i in 1...3 {
                clientSocket.send(sendFrame(c, "vanha \(i)"))
                #expect(await clientSocket.next("ack")?["seq"] as? Int == i)
            }
            let workerSocket = TestSocket(port: port, cookie: pair.workerCookie)
            #expect(await workerSocket.opened())
            for i in 4...5 {
                clientSocket.send(sendFrame(c, "uusi \(i)"))
                #expect(await clientSocket.next("ack")?["seq"] as? Int == i)
            }
            #expect(await workerSocket.next("msg")?["seq"] as? Int == 4)
            #expect(await workerSocket.next("msg")?["seq"] as? Int == 5)
            workerSocket.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            var caughtUp: [Int] = []
            while let frame = await workerSocket.next(), frame["t"] as? String != "synced" {
                if frame["t"] as? String == "msg" { caughtUp.append(frame["seq"] as! Int) }
            }
            #expect(caughtUp == [1, 2, 3])
            clientSocket.send(sendFrame(c, "kuudes"))
            #expect(await workerSocket.next("msg")?["seq"] as? Int == 6)
            clientSocket.close()
            workerSocket.close()
        }
    }

    @Test func nonParticipantAndClosedChatAreRefused() async throws {
        try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            let other = try await ChatPair.open(client, take: false)  // another anonymous client
            let stranger = TestSocket(port: port, cookie: other.clientCookie, language: "en")
            let id = UUID()
            stranger.send(sendFrame(pair.conversation, "tunkeilija", id: id))
            let refused = await stranger.next("error")
            #expect(refused?["code"] as? String == "not_participant")
            #expect(refused?["id"] as? String == id.uuidString.lowercased())
            #expect(refused?["message"] as? String == "You are not in this conversation.")
            stranger.send(#"{"t":"sync","c":"\#(pair.conversation)","after":0}"#)
            #expect(await stranger.next("error")?["code"] as? String == "not_participant")
            // The worker closes the chat: the client can read but no longer write.
            let closed = try await client.execute(
                uri: "/api/support/chats/\(pair.conversation)/close", method: .post,
                headers: [.contentType: "application/json", .cookie: pair.workerCookie],
                body: ByteBuffer(string: #"{"topics":[]}"#))
            #expect(closed.status == .noContent)
            let socket = TestSocket(port: port, cookie: pair.clientCookie)
            socket.send(sendFrame(pair.conversation, "vielä yksi"))
            #expect(await socket.next("error")?["code"] as? String == "closed")
            socket.send(#"{"t":"typing","c":"\#(pair.conversation)"}"#)
            #expect(await socket.next("error")?["code"] as? String == "closed")
            socket.send(#"{"t":"sync","c":"\#(pair.conversation)","after":0}"#)
            #expect(await socket.next("synced") != nil)
            stranger.close()
            socket.close()
        }
    }

    @Test func socketWithoutCookieIsRefusedBeforeTheUpgrade() async throws {
        try await withLiveApp { _, client, port in
            let plain = try await client.execute(uri: "/socket", method: .get)
            #expect(plain.status == .unauthorized)
            #expect(errorCode(plain) == "unauthorized")
            // A page of another site cannot open a socket with the visitor's cookie.
            let pair = try await ChatPair.open(client, take: false)
            let foreign = try await client.execute(
                uri: "/socket", method: .get, headers: [.cookie: pair.clientCookie, .origin: "https://evil.example"])
            #expect(foreign.status == .forbidden)
            #expect(errorCode(foreign) == "bad_origin")
            let upgradeMissing = try await client.execute(uri: "/socket", method: .get, headers: [.cookie: pair.clientCookie])
            #expect(upgradeMissing.status == .upgradeRequired)
            #expect(try await client.execute(uri: "/socket?v=2", method: .get, headers: [.cookie: pair.clientCookie]).status == .badRequest)
            let socket = TestSocket(port: port, cookie: "k_client=not-a-real-token")
            #expect(await socket.next(timeout: .seconds(3)) == nil)
            await #expect(throws: (any Error).self) { _ = try await socket.task.value }
        }
    }

    @Test func everyMalformedInputGetsItsCodeAndTheSocketKeepsServing() async throws {
        try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            let c = pair.conversation
            let socket = TestSocket(port: port, cookie: pair.clientCookie)
            let cases: [(String, String)] = [
                ("{not json", "bad_json"),
                ("[1,2]", "bad_json"),
                (#"{"c":"\#(c)"}"#, "missing_type"),
                (#"{"t":"dance","c":"\#(c)"}"#, "unknown_type"),
                (#"{"t":"send","c":"nope","id":"\#(UUID())","body":"x"}"#, "bad_conversation"),
                (#"{"t":"send","c":"\#(c)","id":"42","body":"x"}"#, "bad_id"),
                (#"{"t":"send","c":"\#(c)","id":"\#(UUID())","body":7}"#, "bad_body"),
                (#"{"t":"send","c":"\#(c)","id":"\#(UUID())","body":"   "}"#, "empty_body"),
                // Only white space of other kinds: a tab, a line break, a no-break and an ideographic space.
                (#"{"t":"send","c":"\#(c)","id":"\#(UUID())","body":"\t\n\u00a0\u3000"}"#, "empty_body"),
                (sendFrame(c, String(repeating: "ä", count: 4001)), "body_too_long"),
                (sendFrame(c, String(repeating: "a", count: 17_000)), "too_large"),
                (#"{"t":"sync","c":"\#(c)","after":-1}"#, "bad_after"),
                (#"{"t":"sync","c":"\#(c)","after":"1"}"#, "bad_after"),
                (#"{"t":"read","c":"\#(c)","seq":1.5}"#, "bad_seq"),
                (#"{"t":"signal","c":"\#(c)","to":"nobody","data":{}}"#, "bad_to"),
            ]
            for (frame, code) in cases {
                socket.send(frame)
                #expect(await socket.next("error")?["code"] as? String == code, "\(frame.prefix(60))")
            }
            socket.sendRaw([0x7B, 0xFF, 0xFE, 0x7D])
            #expect(await socket.next("error")?["code"] as? String == "invalid_utf8")
            socket.sendRaw(Array("{}".utf8), opcode: .binary)
            #expect(await socket.next("error")?["code"] as? String == "binary_frame")
            // 4,000 characters exactly is fine, and the socket still works.
            socket.send(sendFrame(c, String(repeating: "ä", count: 4000)))
            #expect(await socket.next("ack")?["seq"] as? Int == 1)
            socket.close()
        }
    }

    /// The socket is our own WebSocket handler on NIO: a frame outside the
    /// protocol ends it with 1002, and a server that shuts down says 1001,
    /// so the client reconnects (to another node, or when this one is back).
    @Test func aFrameOutsideTheProtocolCloses1002AndShutdownCloses1001() async throws {
        let open: TestSocket = try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            let bad = TestSocket(port: port, cookie: pair.clientCookie)
            bad.send(#"{"t":"sync","c":"\#(pair.conversation)","after":0}"#)
            #expect(await bad.next("synced") != nil)
            bad.sendRaw([1, 2, 3], opcode: WebSocketOpcode(encodedWebSocketOpcode: 0x3)!)
            #expect(await bad.closeCode() == .protocolError)
            let good = TestSocket(port: port, cookie: pair.clientCookie)
            good.send(#"{"t":"sync","c":"\#(pair.conversation)","after":0}"#)
            #expect(await good.next("synced") != nil)
            return good
        }
        #expect(await open.closeCode() == .goingAway)
    }

    @Test func moreThanTwentyRefusalsInAMinuteClose1008() async throws {
        try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            let socket = TestSocket(port: port, cookie: pair.clientCookie)
            for _ in 0..<21 { socket.send("{}") }
            var errors = 0
            while await socket.next("error", timeout: .seconds(3)) != nil { errors += 1 }
            #expect(errors == 21)
            let close = try await socket.task.value
            #expect(close?.closeCode == .policyViolation)
        }
    }

    @Test func sendingTooFastIsRefusedWithRetryAfterThenTheSameIDGoesThrough() async throws {
        try await withLiveApp(configure: { $0.sendRate = 2 }) { _, client, port in
            let pair = try await ChatPair.open(client)
            let socket = TestSocket(port: port, cookie: pair.clientCookie)
            // Forty at once: even on a slow machine (refill while the database
            // commits) far more than the burst of eight, so some are refused.
            let ids = (0..<40).map { _ in UUID() }
            for id in ids { socket.send(sendFrame(pair.conversation, "nopea", id: id)) }
            var acked = 0
            var limited: [String: Any]?
            var answers = 0
            while answers < ids.count, let frame = await socket.next() {
                if frame["t"] as? String == "ack" { acked += 1; answers += 1 }
                if frame["t"] as? String == "error" {
                    answers += 1
                    if frame["code"] as? String == "rate_limited", limited == nil { limited = frame }
                }
            }
            // A burst of four times the rate passes (plus what refills while the
            // database commits); the rest is refused, not dropped.
            #expect(acked >= 8 && acked < ids.count)
            let wait = try #require(limited?["retryAfter"] as? Int)
            #expect(wait > 0 && wait <= 1000)
            // Like the web client: wait as told and re-send the same id until it is acked.
            var pause = wait
            let retryID = UUID(uuidString: limited!["id"] as! String)!
            var ack: [String: Any]?
            for _ in 0..<10 where ack == nil {
                try await Task.sleep(for: .milliseconds(pause + 50))
                socket.send(sendFrame(pair.conversation, "nopea", id: retryID))
                // The answer about this id (other frames may come between on a busy machine).
                while let answer = await socket.next() {
                    guard answer["id"] as? String == retryID.uuidString.lowercased() else { continue }
                    if answer["t"] as? String == "ack" { ack = answer } else { pause = answer["retryAfter"] as? Int ?? 500 }
                    break
                }
            }
            #expect(ack?["id"] as? String == retryID.uuidString.lowercased())
            #expect(ack?["seq"] as? Int == acked + 1)
            socket.close()
        }
    }
}

@Suite struct FrameTextTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"), (Int64(1_795_514_400_123), "2026-11-24T10:00:00.123Z"),
        (Int64(951_782_400_007), "2000-02-29T00:00:00.007Z"), (Int64(253_402_300_799_999), "9999-12-31T23:59:59.999Z"),
    ])
    func timestampsAreUTCWithMilliseconds(ms: Int64, text: String) {
        #expect(ServerFrame.timestamp(ms) == text)
    }

    @Test func idsAreWrittenAsFoundationWritesThem() {
        let fixed = UUID(uuidString: "00FF10AB-9C3D-4E5F-8A7B-C6D5E4F30201")!
        #expect(fixed.text() == "00ff10ab-9c3d-4e5f-8a7b-c6d5e4f30201")
        #expect(fixed.text(uppercase: true) == "00FF10AB-9C3D-4E5F-8A7B-C6D5E4F30201")
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.text(uppercase: true) == id.uuidString)
            #expect(id.text() == id.uuidString.lowercased())
        }
    }
}
