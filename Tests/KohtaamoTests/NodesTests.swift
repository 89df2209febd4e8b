import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Two nodes on one PostgreSQL (PROTOCOL.md guarantee 6): a client on node A
/// and a worker on node B talk both ways; a client that reconnects to the
/// other node catches up with no gap and no repeat; a ban on one node holds
/// on the other; and the listening connection cut by PostgreSQL comes back
/// and delivers what was committed meanwhile. PostgreSQL runs only.
@Suite struct NodesTests {
    static func seqs(_ socket: TestSocket, until last: Int) async -> [Int] {
        var seen: [Int] = []
        while seen.last ?? 0 < last, let m = await socket.next("msg", timeout: .seconds(10)) { seen.append(m["seq"] as? Int ?? -1) }
        return seen
    }

    /// The two sockets, each after its `sync` of the chat is answered.
    static func synced(_ c: String, _ a: TestSocket, _ b: TestSocket) async -> (TestSocket, TestSocket) {
        for s in [a, b] {
            s.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            _ = await s.next("synced")
        }
        return (a, b)
    }

    /// Two live nodes on one fresh database, both listening; a chat started
    /// by a client on A and taken by worker1 on B.
    static func withTwoNodes(
        _ body:
            @Sendable (
                _ a: Kohtaamo, _ b: Kohtaamo, _ clientA: any TestClientProtocol, _ clientB: any TestClientProtocol,
                _ c: String, _ clientCookie: String, _ worker: String
            ) async throws -> Void
    ) async throws {
        var (configuration, drop) = try await TestDatabase.make()
        configuration.sendRate = 1000
        let a = try await Kohtaamo.open(configuration: configuration, bcryptCost: 4)
        try await a.fillDemo(password: demoPassword)
        let b = try await Kohtaamo.open(configuration: configuration, bcryptCost: 4)
        do {
            try await a.application().test(.live) { clientA in
                try await b.application().test(.live) { clientB in
                    let deadline = ContinuousClock.now + .seconds(10)
                    while (a.nodes?.listenerConnections ?? 0) == 0 || (b.nodes?.listenerConnections ?? 0) == 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    let started = try await clientA.execute(
                        uri: "/api/support/tukichat/chats", method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"nickname":"Solmu"}"#))
                    let c = (try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as! [String: Any])["conversation"] as! String
                    let worker = try await signInCookie(clientB, "worker1@demo.invalid")
                    _ = try await clientB.execute(
                        uri: "/api/shifts", method: .post, headers: [.contentType: "application/json", .cookie: worker],
                        body: ByteBuffer(string: #"{"services":["tukichat"]}"#))
                    #expect(try await clientB.execute(uri: "/api/support/chats/\(c)/take", method: .post, headers: [.cookie: worker]).status == .ok)
                    try await body(a, b, clientA, clientB, c, cookie(started, "k_client"), worker)
                }
            }
        } catch {
            await drop()
            throw DetailedError(error)
        }
        await drop()
    }

    /// A call with the worker on B and the client on A: the events and the
    /// browsers' signals cross the nodes, and a removal made on one node
    /// stops signals on the other.
    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func aCallConnectsAcrossTwoNodes() async throws {
        try await Self.withTwoNodes { a, b, clientA, clientB, c, clientCookie, worker in
            let (onA, onB) = await Self.synced(
                c, TestSocket(port: clientA.port!, cookie: clientCookie), TestSocket(port: clientB.port!, cookie: worker))
            func json(_ r: TestResponse) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]) ?? [:] }
            let started = try await clientB.execute(
                uri: "/api/calls", method: .post, headers: [.cookie: worker, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"conversation":"\#(c)","media":"video"}"#))
            #expect(started.status == .created)
            let call = try #require(json(started)["id"] as? String)
            let workerIdentity = try #require((json(started)["by"] as? [String: Any])?["identity"] as? String)
            #expect((await onA.next("call"))?["state"] as? String == "ringing")
            let joined = try await clientA.execute(uri: "/api/calls/\(call)/join", method: .post, headers: [.cookie: clientCookie])
            #expect(joined.status == .ok)
            let clientIdentity = try #require(
                ((json(joined)["members"] as? [[String: Any]]) ?? []).first { $0["identity"] as? String != workerIdentity }?["identity"] as? String)
            onA.send(#"{"t":"signal","c":"\#(c)","to":"\#(workerIdentity)","data":{"call":"\#(call)","type":"offer","sdp":"v=0 from A"}}"#)
            let offer = await onB.next("signal")
            #expect(offer?["from"] as? String == clientIdentity && (offer?["data"] as? [String: Any])?["sdp"] as? String == "v=0 from A")
            onB.send(#"{"t":"signal","c":"\#(c)","to":"\#(clientIdentity)","data":{"call":"\#(call)","type":"answer","sdp":"v=0 from B"}}"#)
            #expect(((await onA.next("signal"))?["data"] as? [String: Any])?["sdp"] as? String == "v=0 from B")
            // An offer with audio and video is often over PostgreSQL's 8,000-byte NOTIFY: it crosses in parts,
            // whole, with its quotes and letters beyond ASCII intact.
            let sdp = String(repeating: "a=candidate:1 1 udp 2122260223 \\\"ä€😀\\\" typ host\\r\\n", count: 260)
            onB.send(#"{"t":"signal","c":"\#(c)","to":"\#(clientIdentity)","data":{"type":"offer","sdp":"\#(sdp)"}}"#)
            let big = await onA.next("signal")
            let expected = try JSONSerialization.jsonObject(with: Data(#""\#(sdp)""#.utf8), options: .fragmentsAllowed) as? String
            #expect((big?["data"] as? [String: Any])?["sdp"] as? String == expected && (expected?.utf8.count ?? 0) > 12_000)
            // The worker removes the client on B; the client's signal on A is refused at once.
            let removed = try await clientB.execute(
                uri: "/api/calls/\(call)/remove", method: .post, headers: [.cookie: worker, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"identity":"\#(clientIdentity)"}"#))
            #expect(removed.status == .noContent)
            onA.send(#"{"t":"signal","c":"\#(c)","to":"\#(workerIdentity)","data":{"type":"candidate"}}"#)
            #expect((await onA.next("error"))?["code"] as? String == "removed_from_call")
            // Hanging up on B ends it on A too.
            #expect(try await clientB.execute(uri: "/api/calls/\(call)/leave", method: .post, headers: [.cookie: worker]).status == .noContent)
            var state = await onA.next("call")
            while let s = state, s["state"] as? String != "ended" { state = await onA.next("call") }
            #expect(state?["state"] as? String == "ended")
            _ = (a, b)
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func twoNodesTalkCatchUpAndSurviveALostListener() async throws {
        try await Self.withTwoNodes { a, b, clientA, clientB, c, clientCookie, worker in
            // The client is on A; the worker talks on B.
            let (onA, onB) = await Self.synced(
                c, TestSocket(port: clientA.port!, cookie: clientCookie), TestSocket(port: clientB.port!, cookie: worker))
            onA.send(sendFrame(c, "Hei node B"))
            #expect(await onB.next("msg")?["body"] as? String == "Hei node B")
            onB.send(sendFrame(c, "Hei node A"))
            var reply = await onA.next("msg")
            while let m = reply, m["body"] as? String != "Hei node A" { reply = await onA.next("msg") }
            #expect(reply?["body"] as? String == "Hei node A")

            // The client moves to node B, having seen seq 1 only: it gets 2…5 once each, in order.
            for i in 3...5 { onB.send(sendFrame(c, "viesti \(i)")) }
            _ = await Self.seqs(onB, until: 5)
            onA.close()
            let moved = TestSocket(port: clientB.port!, cookie: clientCookie)
            moved.send(#"{"t":"sync","c":"\#(c)","after":1}"#)
            #expect(await Self.seqs(moved, until: 5) == [2, 3, 4, 5])

            // PostgreSQL cuts every listening connection; the nodes come back and miss nothing.
            let before = b.nodes!.listenerConnections
            // Only this test's database: other tests' nodes run beside it.
            _ = try await a.storage.sql.raw(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()"
            ).all()
            let backA = TestSocket(port: clientA.port!, cookie: clientCookie)
            backA.send(#"{"t":"sync","c":"\#(c)","after":5}"#)
            _ = await backA.next("synced")
            for i in 6...8 { backA.send(sendFrame(c, "katkon aikana \(i)")) }
            #expect(await Self.seqs(onB, until: 8) == [6, 7, 8], "the worker on B gets what A committed while B was not listening")
            let reconnected = ContinuousClock.now + .seconds(10)
            while b.nodes!.listenerConnections == before, ContinuousClock.now < reconnected { try await Task.sleep(for: .milliseconds(50)) }
            #expect(b.nodes!.listenerConnections > before)

            // Signing out on A closes the worker's socket on B.
            #expect(try await clientA.execute(uri: "/api/session", method: .delete, headers: [.cookie: worker]).status == .noContent)
            #expect(await onB.closeCode() == .policyViolation)
            for s in [moved, backA] { s.close() }
        }
    }

    /// A room's reads cross the nodes: a read on A reaches a member's socket
    /// on B as `seen` with the count from the database, and each side is
    /// told whether it is among the readers. Neither socket syncs.
    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func aReadOnOneNodeIsSeenOnTheOther() async throws {
        try await Self.withTwoNodes { a, b, clientA, clientB, c, clientCookie, worker in
            // A room of the chat's two people (a group's room, as far as reads go).
            let people = try await a.realtime.participants(UUID(uuidString: c)!)
            let room = try await a.realtime.createConversation(
                kind: .group, participants: people.map { Participant(identity: $0.identity, sender: $0.sender, canSend: true) })
            let r = room.uuidString.lowercased()
            let onA = TestSocket(port: clientA.port!, cookie: clientCookie), onB = TestSocket(port: clientB.port!, cookie: worker)
            for s in [onA, onB] { #expect(await s.opened()) }
            let read = try await readOnce(r, "Tervetuloa ryhmään", writer: onB, reader: onA)
            #expect(read.toWriter["count"] as? Int == 1 && read.toWriter["you"] as? Bool == false, "the client on A has read the worker's message")
            #expect(read.toReader["count"] as? Int == 1 && read.toReader["you"] as? Bool == true)
            #expect(try await b.realtime.store.readCount(conversation: room, atLeast: Int64(read.seq)) == 1)
            for s in [onA, onB] { s.close() }
        }
    }

    /// Both sides write at once, the client on A and the worker on B, while
    /// PostgreSQL cuts the nodes' listening connections; sockets on both
    /// nodes that never sync get every message once, in seq order: the other
    /// node's messages, not heard while a node was not listening, are read
    /// from storage before this node's next one is written.
    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func socketsThatNeverSyncGetBothNodesMessagesInOrder() async throws {
        try await Self.withTwoNodes { a, _, clientA, clientB, c, clientCookie, worker in
            let writerA = TestSocket(port: clientA.port!, cookie: clientCookie), writerB = TestSocket(port: clientB.port!, cookie: worker)
            let watchA = TestSocket(port: clientA.port!, cookie: worker), watchB = TestSocket(port: clientB.port!, cookie: clientCookie)
            for s in [writerA, writerB, watchA, watchB] { #expect(await s.opened()) }
            // A socket's live stream of a conversation starts with the first message it gets.
            writerA.send(sendFrame(c, "alku"))
            for watcher in [watchA, watchB] { #expect(await watcher.next("msg")?["seq"] as? Int == 1) }
            _ = try await a.storage.sql.raw(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()"
            ).all()
            let each = 30
            for i in 0..<each {
                writerA.send(sendFrame(c, "A \(i)"))
                writerB.send(sendFrame(c, "B \(i)"))
            }
            for watcher in [watchA, watchB] {
                #expect(await Self.seqs(watcher, until: 1 + 2 * each) == Array(2...(1 + 2 * each)))
                #expect(await watcher.next("msg", timeout: .milliseconds(300)) == nil)  // none twice
            }
            for s in [writerA, writerB, watchA, watchB] { s.close() }
        }
    }

    /// B's map of where to re-read from stays small after many conversations
    /// no socket on B takes part in, and keeps the one its worker is in: a
    /// message whose announcement B never heard still reaches the worker
    /// after B's listening connection is cut, once, in order.
    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func prunedNodeStillReReadsWhatItsSocketsTakePartIn() async throws {
        try await Self.withTwoNodes { a, b, _, clientB, c, _, worker in
            let conversation = UUID(uuidString: c)!
            let onB = TestSocket(port: clientB.port!, cookie: worker)
            onB.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            _ = await onB.next("synced")
            onB.send(sendFrame(c, "ennen"))
            #expect(await Self.seqs(onB, until: 1) == [1])

            // Sixty conversations no socket on B takes part in, each with a message
            // committed on B (not on A: another test's cut could lose announcements).
            let nobody = Sender(name: "Muu", role: .client)
            for _ in 0..<60 {
                let other = try await b.realtime.createConversation(
                    kind: .group, participants: [Participant(identity: .client(UUID()), sender: nobody, canSend: true)])
                _ = try await b.realtime.post(conversation: other, clientID: UUID(), sender: .client(UUID()), from: nobody, body: "muualla")
            }
            let nodes = b.nodes!
            #expect(nodes.deliveredConversations == 61)
            // Over the cap, the least recently used go first: the worker's chat is the oldest, and stays.
            await nodes.pruneDelivered(idle: .seconds(3600), cap: 10)
            #expect(nodes.deliveredConversations == 10)
            await nodes.pruneDelivered(idle: .zero)
            #expect(nodes.deliveredConversations == 1, "only the chat someone with a socket on B takes part in")

            // Committed on A without an announcement (as if B missed it), then B's listener is cut.
            let sealer = ((a.realtime.store as! DeadlineStore).store as! SQLMessageStore).sealer
            let silent = SQLMessageStore(storage: a.storage, sealer: sealer)
            let client = try await a.realtime.participants(conversation).first { $0.identity.kind == .client }!
            for i in 2...4 {
                _ = try await silent.append(
                    conversation: conversation, clientID: UUID(), sender: client.identity, from: client.sender,
                    body: "kuulematon \(i)", at: Realtime.nowMs())
            }
            let before = nodes.listenerConnections
            _ = try await a.storage.sql.raw(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()"
            ).all()
            #expect(await Self.seqs(onB, until: 4) == [2, 3, 4], "B re-reads the worker's chat after reconnecting")
            let reconnected = ContinuousClock.now + .seconds(10)
            while nodes.listenerConnections == before, ContinuousClock.now < reconnected { try await Task.sleep(for: .milliseconds(50)) }
            _ = try await a.realtime.post(conversation: conversation, clientID: UUID(), sender: client.identity, from: client.sender, body: "jälkeen")
            #expect(await Self.seqs(onB, until: 5) == [5], "and repeats none of them")
            onB.close()
        }
    }

    /// A node reads another node's messages only where someone with a socket
    /// there takes part. Twenty rooms and the chat's first messages are
    /// committed on A while nobody on B has a socket in them: B reads none.
    /// The worker then opens a socket on B that does not sync: it gets the
    /// next message live, read once, and its later `sync` brings the ones
    /// before it, each once.
    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func aNodeReadsOnlyWhatItsSocketsTakePartIn() async throws {
        try await Self.withTwoNodes { a, b, clientA, clientB, c, clientCookie, worker in
            let nodes = b.nodes!
            let conversation = UUID(uuidString: c)!
            let readBefore = nodes.messagesRead
            let nobody = Sender(name: "Muu", role: .client)
            for _ in 0..<20 {
                let other = try await a.realtime.createConversation(
                    kind: .group, participants: [Participant(identity: .client(UUID()), sender: nobody, canSend: true)])
                _ = try await a.realtime.post(conversation: other, clientID: UUID(), sender: .client(UUID()), from: nobody, body: "muualla")
            }
            let onA = TestSocket(port: clientA.port!, cookie: clientCookie)
            #expect(await onA.opened())
            let first = Int(try await a.realtime.store.lastSeq(conversation: conversation) ?? 0)
            for i in 1...3 { onA.send(sendFrame(c, "ennen \(i)")) }
            #expect(await Self.seqs(onA, until: first + 3).suffix(3) == [first + 1, first + 2, first + 3])
            let skipped = ContinuousClock.now + .seconds(10)
            while nodes.announcementsSkipped < 2, ContinuousClock.now < skipped { try await Task.sleep(for: .milliseconds(20)) }
            #expect(nodes.announcementsSkipped >= 2, "the rooms and the chat were passed over")

            let onB = TestSocket(port: clientB.port!, cookie: worker)
            #expect(await onB.opened())
            onA.send(sendFrame(c, "kun työntekijä on paikalla"))
            #expect(await onB.next("msg")?["seq"] as? Int == first + 4, "the first message after the socket opened comes live")
            #expect(nodes.messagesRead - readBefore == 1, "B read the one message its worker needed, and nothing of the rest")
            #expect(nodes.deliveredConversations == 1, "B keeps no mark for conversations it never delivered in")
            onB.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            var caught: [Int] = []
            while let f = await onB.next(), f["t"] as? String != "synced" { if f["t"] as? String == "msg" { caught.append(f["seq"] as? Int ?? -1) } }
            #expect(caught == Array(1...(first + 3)), "the sync brings what came before, without the live one again")
            for s in [onA, onB] { s.close() }
        }
    }

    /// B starts while the client is online on A: B has heard no one come
    /// online, and learns it from A's answer to its first question.
    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func aNodeStartedLaterCountsThoseAlreadyOnline() async throws {
        var (settings, drop) = try await TestDatabase.make()
        settings.sendRate = 1000
        let configuration = settings
        let a = try await Kohtaamo.open(configuration: configuration, bcryptCost: 4)
        try await a.fillDemo(password: demoPassword)
        do {
            try await a.application().test(.live) { clientA in
                let started = try await clientA.execute(
                    uri: "/api/support/tukichat/chats", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"nickname":"Myöhään"}"#))
                let c = (try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as! [String: Any])["conversation"] as! String
                let worker = try await signInCookie(clientA, "worker1@demo.invalid")
                _ = try await clientA.execute(
                    uri: "/api/shifts", method: .post, headers: [.contentType: "application/json", .cookie: worker],
                    body: ByteBuffer(string: #"{"services":["tukichat"]}"#))
                #expect(try await clientA.execute(uri: "/api/support/chats/\(c)/take", method: .post, headers: [.cookie: worker]).status == .ok)
                let onA = TestSocket(port: clientA.port!, cookie: cookie(started, "k_client"))
                onA.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
                #expect(await Self.presence(onA, becomes: 1) == 1)

                let b = try await Kohtaamo.open(configuration: configuration, bcryptCost: 4)
                try await b.application().test(.live) { clientB in
                    let onB = TestSocket(port: clientB.port!, cookie: worker)
                    onB.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
                    #expect(await Self.presence(onB, becomes: 2) == 2, "B counts the client on A, online before B started")
                    onB.close()
                }
                onA.close()
            }
        } catch {
            await drop()
            throw DetailedError(error)
        }
        await drop()
    }

    /// The newest "here now" count a socket has been told, waiting up to 15 s for `wanted`.
    static func presence(_ socket: TestSocket, becomes wanted: Int) async -> Int? {
        var last: Int?
        let deadline = ContinuousClock.now + .seconds(15)
        while last != wanted, ContinuousClock.now < deadline, let frame = await socket.next("presence", timeout: .seconds(15)) {
            last = frame["here"] as? Int
        }
        return last
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func presenceCountsSocketsOnEveryNode() async throws {
        try await Self.withTwoNodes { _, _, clientA, clientB, c, clientCookie, worker in
            let onA = TestSocket(port: clientA.port!, cookie: clientCookie)
            onA.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            #expect(await Self.presence(onA, becomes: 1) == 1, "the client alone")
            // The worker opens the chat on the other node: both see two.
            let onB = TestSocket(port: clientB.port!, cookie: worker)
            onB.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            #expect(await Self.presence(onB, becomes: 2) == 2, "the worker on B counts the client on A")
            #expect(await Self.presence(onA, becomes: 2) == 2, "the client on A counts the worker on B")
            // The worker leaves: the client on A sees one again.
            onB.close()
            #expect(await Self.presence(onA, becomes: 1) == 1)
            onA.close()
        }
    }

    /// A node that was not listening when someone on another node left has
    /// missed the goodbye: it counts again once it listens, and they are gone.
    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (KOHTAAMO_TEST_DATABASE_URL)"))
    func aGoodbyeMissedWhileNotListeningIsCountedAfterwards() async throws {
        try await Self.withTwoNodes { a, _, clientA, clientB, c, clientCookie, worker in
            let onA = TestSocket(port: clientA.port!, cookie: clientCookie)
            onA.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            let onB = TestSocket(port: clientB.port!, cookie: worker)
            onB.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            #expect(await Self.presence(onA, becomes: 2) == 2)
            // Both listeners cut; the worker leaves before A listens again.
            _ = try await a.storage.sql.raw(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()"
            ).all()
            onB.close()
            #expect(await Self.presence(onA, becomes: 1) == 1, "the client on A no longer counts the worker")
            onA.close()
        }
    }
}
