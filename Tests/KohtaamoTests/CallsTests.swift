import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Calls
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime

/// Calls as any program would use them: the JSON entry points, the `call`
/// events and `signal` frames over real sockets, on the suite's database.
@Suite struct CallsTests {
    static func object(_ r: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]) ?? [:]
    }

    static func array(_ r: TestResponse) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [[String: Any]]) ?? []
    }

    /// The next `call` event in this state (others of its kind are passed over).
    static func event(_ socket: TestSocket, _ state: String) async -> [String: Any]? {
        for _ in 0..<10 {
            guard let f = await socket.next("call") else { return nil }
            if f["state"] as? String == state { return f }
        }
        return nil
    }

    static func signal(_ c: String, to: String, _ data: String) -> String {
        #"{"t":"signal","c":"\#(c)","to":"\#(to)","data":\#(data)}"#
    }

    @Test func aWorkerCallsAClientInTheChatAndTheChatKeepsARecord() async throws {
        try await withLiveApp(now: Date()) { app, client, port in
            let pair = try await ChatPair.open(client)
            let c = pair.conversation
            let clientSocket = TestSocket(port: port, cookie: pair.clientCookie)
            let workerSocket = TestSocket(port: port, cookie: pair.workerCookie)
            for s in [clientSocket, workerSocket] {
                s.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
                #expect(await s.next("synced") != nil)
            }
            func api(_ method: HTTPRequest.Method, _ path: String, _ cookie: String, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: method, headers: body == nil ? [.cookie: cookie] : [.cookie: cookie, .contentType: "application/json"],
                    body: body.map { ByteBuffer(string: $0) })
            }

            // Whom to signal: each sees the other, by identity, name and role.
            let clientPeers = Self.array(try await api(.get, "/api/conversations/\(c)/peers", pair.clientCookie))
            #expect(clientPeers.count == 1 && clientPeers.first?["role"] as? String == "worker")
            let workerIdentity = try #require(clientPeers.first?["identity"] as? String)
            #expect(workerIdentity.hasPrefix("staff:"))
            let workerPeers = Self.array(try await api(.get, "/api/conversations/\(c)/peers", pair.workerCookie))
            #expect(
                workerPeers.count == 1 && workerPeers.first?["name"] as? String == "Mansikka" && workerPeers.first?["role"] as? String == "client")
            let clientIdentity = try #require(workerPeers.first?["identity"] as? String)
            // Someone else's chat: refused with its code.
            let stranger = try await ChatPair.open(client, take: false)
            let outsider = try await api(.get, "/api/conversations/\(c)/peers", stranger.clientCookie)
            #expect(outsider.status == .forbidden && errorCode(outsider) == "not_participant")

            // The worker offers the call; the client may not start one in a support chat.
            let byClient = try await api(.post, "/api/calls", pair.clientCookie, #"{"conversation":"\#(c)","media":"video"}"#)
            #expect(byClient.status == .forbidden && errorCode(byClient) == "not_allowed")
            let started = try await api(.post, "/api/calls", pair.workerCookie, #"{"conversation":"\#(c)","media":"video"}"#)
            #expect(started.status == .created)
            let call = try #require(Self.object(started)["id"] as? String)
            let ringing = await clientSocket.next("call")
            #expect(ringing?["state"] as? String == "ringing" && ringing?["call"] as? String == call && ringing?["media"] as? String == "video")
            #expect((ringing?["by"] as? [String: Any])?["role"] as? String == "worker")
            let again = try await api(.post, "/api/calls", pair.workerCookie, #"{"conversation":"\#(c)","media":"audio"}"#)
            #expect(again.status == .conflict && errorCode(again) == "call_active")
            let seen = Self.object(try await api(.get, "/api/calls?c=\(c)", pair.clientCookie))
            #expect((seen["call"] as? [String: Any])?["id"] as? String == call && seen["canStart"] as? Bool == false && seen["limit"] as? Int == 6)

            // The client answers with voice only.
            let joined = try await api(.post, "/api/calls/\(call)/join", pair.clientCookie, #"{"media":"audio"}"#)
            #expect(joined.status == .ok)
            let members = (Self.object(joined)["members"] as? [[String: Any]]) ?? []
            #expect(members.count == 2)
            #expect(members.first { $0["identity"] as? String == clientIdentity }?["video"] as? Bool == false)
            #expect(await Self.event(workerSocket, "joined") != nil)

            // Signals pass between the two with their data as it was.
            let offer = #"{"call":"\#(call)","type":"offer","sdp":"v=0\r\no=- 4611 2 IN IP4 127.0.0.1\r\ns=-\r\n","n":[1,2.5,null,true]}"#
            clientSocket.send(Self.signal(c, to: workerIdentity, offer))
            let relayed = await workerSocket.next("signal")
            #expect(relayed?["from"] as? String == clientIdentity && relayed?["name"] as? String == "Mansikka")
            let expected = try JSONSerialization.jsonObject(with: Data(offer.utf8)) as? NSDictionary
            #expect((relayed?["data"] as? NSDictionary) == expected)
            workerSocket.send(Self.signal(c, to: clientIdentity, #"{"call":"\#(call)","type":"answer","sdp":"v=0"}"#))
            #expect(((await clientSocket.next("signal"))?["data"] as? [String: Any])?["type"] as? String == "answer")
            // A signal to someone not in the conversation is refused.
            workerSocket.send(Self.signal(c, to: "client:\(UUID().uuidString.lowercased())", "{}"))
            #expect((await workerSocket.next("error"))?["code"] as? String == "bad_to")

            // Twelve minutes later the worker hangs up: over for both, and the chat says how long.
            app.clock.advance(by: 11 * 60 + 30)
            #expect(try await api(.post, "/api/calls/\(call)/leave", pair.workerCookie).status == .noContent)
            for s in [clientSocket, workerSocket] {
                #expect(await Self.event(s, "left") != nil)
                let record = await s.next("msg")
                #expect(record?["body"] as? String == "Puhelu, 12 min · Samtal, 12 min · Call, 12 min")
                #expect((record?["from"] as? [String: Any])?["role"] as? String == "system")
                #expect(await Self.event(s, "ended")?["minutes"] as? Int == 12)
            }
            let stored = try await app.realtime.messages(conversation: UUID(uuidString: c)!, after: 0, limit: 10)
            #expect(stored.map(\.body) == ["Puhelu, 12 min · Samtal, 12 min · Call, 12 min"])
            let late = try await api(.post, "/api/calls/\(call)/join", pair.clientCookie)
            #expect(late.status == .conflict && errorCode(late) == "call_ended")
            #expect((Self.object(try await api(.get, "/api/calls?c=\(c)", pair.workerCookie))["call"]) is NSNull)
        }
    }

    @Test func aCallNobodyAnswersIsRecordedAsMissed() async throws {
        try await withLiveApp(now: Date()) { app, client, port in
            let pair = try await ChatPair.open(client)
            let workerSocket = TestSocket(port: port, cookie: pair.workerCookie)
            workerSocket.send(#"{"t":"sync","c":"\#(pair.conversation)","after":0}"#)
            #expect(await workerSocket.next("synced") != nil)
            let started = try await client.execute(
                uri: "/api/calls", method: .post, headers: [.cookie: pair.workerCookie, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"conversation":"\#(pair.conversation)","media":"audio"}"#))
            let call = try #require(Self.object(started)["id"] as? String)
            let declined = try await client.execute(uri: "/api/calls/\(call)/decline", method: .post, headers: [.cookie: pair.clientCookie])
            #expect(declined.status == .noContent)
            #expect((await workerSocket.next("call"))?["state"] as? String == "ringing")
            #expect((await workerSocket.next("call"))?["state"] as? String == "declined")
            #expect((await workerSocket.next("msg"))?["body"] as? String == "Puheluun ei vastattu · Obesvarat samtal · Missed call")
            #expect((await workerSocket.next("call"))?["minutes"] as? Int == 0)

            // Closing the chat ends its call: the worker leaves the chat, so the call too.
            let second = try await client.execute(
                uri: "/api/calls", method: .post, headers: [.cookie: pair.workerCookie, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"conversation":"\#(pair.conversation)","media":"audio"}"#))
            let secondCall = try #require(Self.object(second)["id"] as? String)
            let closed = try await client.execute(
                uri: "/api/support/chats/\(pair.conversation)/close", method: .post, headers: [.cookie: pair.workerCookie])
            #expect(closed.status == .noContent)
            let late = try await client.execute(uri: "/api/calls/\(secondCall)/join", method: .post, headers: [.cookie: pair.clientCookie])
            #expect(late.status == .conflict && errorCode(late) == "call_ended")
            #expect(await Self.event(workerSocket, "ended") != nil)
        }
    }

    /// A registered client who has joined the demo's relatives' group.
    static func member(_ app: Kohtaamo, _ client: any TestClientProtocol, _ nickname: String) async throws -> Browser {
        let b = Browser(client, language: "fi")
        _ = try await b.post("/account/new", [("nickname", nickname), ("password", "salasana-123"), ("repeat", "salasana-123"), ("email", "")])
        let info = try #require(try await app.network.directory.service(slug: "omaisryhma"))
        let settings = try await app.groups.service.settings(for: info)
        let joined = try await b.post(
            "/g/omaisryhma/join", [("nickname", nickname), ("rulesVersion", String(settings.rulesVersion)), ("invitation", ""), ("accept", "1")])
        #expect(joined.status == .seeOther)
        return b
    }

    @Test func aRoomCallHasAModeratorWhoMutesAllAndKeepsARemovedMemberOut() async throws {
        try await withLiveApp(now: Date()) { app, client, port in
            // A peer group: its room is open at all times (the demo's themed one opens on Tuesday evenings).
            let room = try await GroupTests.configure(client, app).conversation.text()
            let coordinator = Browser(client, language: "fi")
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get("/g/omaisryhma/room").status == .ok)  // staff enter the room there
            let ana = try await Self.member(app, client, "Ana")
            let ben = try await Self.member(app, client, "Ben")
            let cid = try await Self.member(app, client, "Cid")
            var sockets: [TestSocket] = []
            for b in [coordinator, ana, ben, cid] {
                let s = TestSocket(port: port, cookie: b.cookieLine)
                s.send(#"{"t":"sync","c":"\#(room)","after":0}"#)
                #expect(await s.next("synced") != nil)
                sockets.append(s)
            }
            let (anaSocket, benSocket) = (sockets[1], sockets[2])
            // The coordinator's peers are everyone else (one's own identity is not among one's peers).
            let peers = Self.array(try await coordinator.get("/api/conversations/\(room)/peers"))
            #expect(peers.count == 3)
            func identity(_ name: String) -> String { peers.first { $0["name"] as? String == name }?["identity"] as? String ?? "" }

            // A member starts the call (members of a room may), two more join.
            let started = try await ana.json(.post, "/api/calls", #"{"conversation":"\#(room)","media":"video"}"#)
            #expect(started.status == .created)
            let call = try #require(Self.object(started)["id"] as? String)
            #expect(try await ben.json(.post, "/api/calls/\(call)/join", #"{"media":"video"}"#).status == .ok)
            #expect(try await coordinator.json(.post, "/api/calls/\(call)/join", nil).status == .ok)
            #expect(try await ben.json(.post, "/api/calls/\(call)/hand", #"{"raised":true}"#).status == .noContent)

            // Only a moderator mutes everyone; then everyone else's microphone is off.
            let byMember = try await ana.json(.post, "/api/calls/\(call)/mute-all", nil)
            #expect(byMember.status == .forbidden && errorCode(byMember) == "not_moderator")
            #expect(Self.object(try await ana.get("/api/calls?c=\(room)"))["moderator"] as? Bool == false)
            #expect(Self.object(try await coordinator.get("/api/calls?c=\(room)"))["moderator"] as? Bool == true)
            #expect(try await coordinator.json(.post, "/api/calls/\(call)/mute-all", nil).status == .noContent)
            let muteAll = await Self.event(benSocket, "mute_all")
            #expect((muteAll?["by"] as? [String: Any])?["role"] as? String == "coordinator")
            let members = (Self.object(try await ana.get("/api/calls?c=\(room)"))["call"] as? [String: Any])?["members"] as? [[String: Any]] ?? []
            #expect(members.count == 3)
            #expect(members.filter { $0["role"] as? String == "client" }.allSatisfy { $0["audio"] as? Bool == false })
            #expect(members.first { $0["name"] as? String == "Ben" }?["hand"] as? Bool == true)

            // Removed from the call: no signals either way, and no way back in.
            let removed = try await coordinator.json(.post, "/api/calls/\(call)/remove", #"{"identity":"\#(identity("Ben"))"}"#)
            #expect(removed.status == .noContent)
            benSocket.send(Self.signal(room, to: identity("Ana"), #"{"type":"offer"}"#))
            #expect((await benSocket.next("error"))?["code"] as? String == "removed_from_call")
            anaSocket.send(Self.signal(room, to: identity("Ben"), #"{"type":"offer"}"#))
            #expect((await anaSocket.next("error"))?["code"] as? String == "removed_from_call")
            let back = try await ben.json(.post, "/api/calls/\(call)/join", nil)
            #expect(back.status == .forbidden && errorCode(back) == "removed_from_call")

            // Banned from the group: out of the room, so out of its call at once, and kept out.
            #expect(try await cid.json(.post, "/api/calls/\(call)/join", nil).status == .ok)
            let cidID = try #require(Identity(identity("Cid"))).id.uuidString
            let ban = try await coordinator.post("/g/omaisryhma/members/\(cidID)/exclude", [("action", "ban"), ("days", ""), ("reason", "testi")])
            #expect(ban.status == .seeOther)
            let cidLeft = await Self.event(anaSocket, "left")
            #expect((cidLeft?["who"] as? [String: Any])?["identity"] as? String == identity("Cid"))
            let after = (Self.object(try await ana.get("/api/calls?c=\(room)"))["call"] as? [String: Any])?["members"] as? [[String: Any]] ?? []
            #expect(after.count == 2 && !after.contains { $0["identity"] as? String == identity("Cid") })
            // Her page still says goodbye without an error.
            #expect(try await cid.json(.post, "/api/calls/\(call)/leave", nil).status == .noContent)
            let banned = try await cid.json(.post, "/api/calls/\(call)/join", nil)
            #expect(banned.status == .forbidden && errorCode(banned) == "not_participant")
            sockets[3].send(Self.signal(room, to: identity("Ana"), #"{"type":"offer"}"#))
            #expect((await sockets[3].next("error"))?["code"] as? String == "not_participant")
            for s in sockets { s.close() }
        }
    }

    @Test func sixFitInAPeerToPeerCallAndTheSeventhIsToldItIsFull() async throws {
        try await withApp { app, _ in
            let people = (0..<7).map { i in
                Participant(identity: .client(UUID()), sender: Sender(name: "Jäsen \(i)", role: .client), canSend: true)
            }
            let room = try await app.realtime.createConversation(kind: .group, participants: people)
            let callers = people.map { CallService.Caller(identity: $0.identity, staff: nil) }
            let call = try await app.calls.service.start(callers[0], conversation: room, media: .audio)
            for caller in callers[1..<6] { _ = try await app.calls.service.join(caller, call: UUID(uuidString: call.id)!, media: nil) }
            await #expect(throws: CallService.Refusal.callFull) {
                try await app.calls.service.join(callers[6], call: UUID(uuidString: call.id)!, media: nil)
            }
            // One leaves: there is room again.
            try await app.calls.service.leave(callers[1], call: UUID(uuidString: call.id)!)
            #expect(try await app.calls.service.join(callers[6], call: UUID(uuidString: call.id)!, media: nil).members.count == 6)
        }
    }

    @Test func startingCallsOverAndOverIsRefusedWithWhenToTryAgain() async throws {
        try await withApp { app, _ in
            let me = Participant(identity: .client(UUID()), sender: Sender(name: "Soittaja", role: .client), canSend: true)
            let room = try await app.realtime.createConversation(kind: .group, participants: [me])
            let caller = CallService.Caller(identity: me.identity, staff: nil)
            for _ in 0..<5 {
                let call = try await app.calls.service.start(caller, conversation: room, media: .audio)
                try await app.calls.service.leave(caller, call: UUID(uuidString: call.id)!)
            }
            do {
                _ = try await app.calls.service.start(caller, conversation: room, media: .audio)
                Issue.record("the sixth start in a row was let through")
            } catch CallService.Refusal.tooMany(let ms) {
                #expect(ms > 0 && ms <= 20_000)
            }
            #expect(CallsAPIController.appError(.tooMany(retryAfterMs: 1_500)).headers[.retryAfter] == "2")
        }
    }

    @Test func theIceEntryPointGivesCredentialsThatVerifyWithTheSecret() async throws {
        // RFC 2202, test case 2: the HMAC-SHA1 coturn computes.
        #expect(TurnCredentials.credential(secret: "Jefe", username: "what do ya want for nothing?") == "7/zfauXrL6LSdBbV8YTfnCWafHk=")
        let secret = "test-turn-secret-0123456789"
        try await withApp(configure: { $0.turn = TurnSettings(urls: ["turn:127.0.0.1:3478?transport=udp"], secret: secret) }) { app, client in
            let started = try await client.execute(
                uri: "/api/support/tukichat/chats", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}"))
            let c = try #require(Self.object(started)["conversation"] as? String)
            let answer = try await client.execute(uri: "/api/calls/ice?c=\(c)", method: .get, headers: [.cookie: cookie(started, "k_client")])
            #expect(answer.status == .ok && answer.headers[.cacheControl] == "no-store")
            let ice = Self.object(answer)
            let server = try #require((ice["iceServers"] as? [[String: Any]])?.first)
            #expect(server["urls"] as? [String] == ["turn:127.0.0.1:3478?transport=udp"] && ice["relay"] as? Bool == true)
            let username = try #require(server["username"] as? String)
            let expiry = try #require(Int(username.split(separator: ":").first ?? ""))
            #expect(expiry == Int(app.clock.now.timeIntervalSince1970) + 12 * 3600 && ice["ttl"] as? Int == 12 * 3600)
            #expect(!username.contains(c) && username.count < 40)  // nothing of the person in coturn's log
            #expect(server["credential"] as? String == TurnCredentials.credential(secret: secret, username: username))
            #expect(server["credential"] as? String != TurnCredentials.credential(secret: secret + "x", username: username))
            let stranger = try await client.execute(uri: "/api/calls/ice?c=\(c)", method: .get)
            #expect(stranger.status == .unauthorized)
            let bad = try await client.execute(uri: "/api/calls/ice?c=nope", method: .get, headers: [.cookie: cookie(started, "k_client")])
            #expect(bad.status == .badRequest && errorCode(bad) == "bad_conversation")
        }
    }

    @Test func aRoomsLargeMeetingLinkCarriesASignedToken() throws {
        // RFC 7515's HS256 as every JWT library computes it (the jwt.io example).
        let vector = MeetingToken.signed(
            payload: Data(#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#.utf8), secret: "your-256-bit-secret")
        #expect(
            vector
                == "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        )
    }

    @Test func aRoomMemberAndAWorkerGetTheirOwnMeetingTokens() async throws {
        let secret = "jitsi-app-secret-0123456789"
        let settings = MeetingSettings(url: URL(string: "https://meet.example.fi")!, appID: "kohtaamo", secret: secret)
        try await withApp(configure: { $0.meeting = settings }) { app, client in
            let info = try #require(try await app.network.directory.service(slug: "omaisryhma"))
            let room = try await app.groups.service.settings(for: info).conversation
            let ana = try await Self.member(app, client, "Ana")
            let link = try await ana.get("/api/calls/meeting?c=\(room.text())")
            #expect(link.status == .ok)
            let url = try #require(Self.object(link)["url"] as? String)
            #expect(url.hasPrefix("https://meet.example.fi/\(settings.room(for: room))?jwt="))
            let token = String(url.split(separator: "=", maxSplits: 1)[1])
            let now = Int(app.clock.now.timeIntervalSince1970)
            let claims = try #require(MeetingToken.verify(token, secret: secret, nowSeconds: now))
            #expect(claims.room == settings.room(for: room) && claims.iss == "kohtaamo" && claims.aud == "jitsi" && claims.sub == "meet.example.fi")
            #expect(claims.context.user == .init(name: "Ana", moderator: false) && claims.exp == now + 4 * 3600)
            #expect(MeetingToken.verify(token, secret: secret + "x", nowSeconds: now) == nil)
            #expect(MeetingToken.verify(token, secret: secret, nowSeconds: now + 5 * 3600) == nil)
            // Staff moderate the meeting; the page's link goes straight there.
            let coordinator = Browser(client, language: "fi")
            try await coordinator.signIn("coordinator@demo.invalid")
            _ = try await coordinator.get("/g/omaisryhma/room")
            let go = try await coordinator.get("/calls/meeting?c=\(room.text())")
            #expect(go.status == .seeOther)
            let staffToken = String((go.headers[.location] ?? "").split(separator: "=", maxSplits: 1).last ?? "")
            #expect(MeetingToken.verify(staffToken, secret: secret, nowSeconds: now)?.context.user.moderator == true)
            // Not in the room: refused; a support chat has no meeting link.
            let outsider = try await Browser(client).get("/api/calls/meeting?c=\(room.text())")
            #expect(outsider.status == .unauthorized)
            let chat = try await Browser(client).json(.post, "/api/support/tukichat/chats", nil)
            let c = try #require(Self.object(chat)["conversation"] as? String)
            let inChat = try await client.execute(uri: "/api/calls/meeting?c=\(c)", method: .get, headers: [.cookie: cookie(chat, "k_client")])
            #expect(inChat.status == .forbidden && errorCode(inChat) == "not_allowed")
        }
        try await withApp { app, client in
            let chat = try await Browser(client).json(.post, "/api/support/tukichat/chats", nil)
            let c = try #require(Self.object(chat)["conversation"] as? String)
            let r = try await client.execute(uri: "/api/calls/meeting?c=\(c)", method: .get, headers: [.cookie: cookie(chat, "k_client")])
            #expect(r.status == .notFound && errorCode(r) == "not_configured")
        }
    }
}
