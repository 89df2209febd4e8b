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

/// Groups as their people meet them: a registered client joins under a
/// nickname after accepting the rules, talks with others live, reports a
/// message; moderators remove it, mute, remove and ban, and each act takes
/// effect at once on open sockets; a closed group needs a live invitation;
/// a themed group is open only at its times; changed rules are accepted
/// again. The demo's "omaisryhma" (Aalto, Tuesdays 18–19.30) is the group.
@Suite struct GroupTests {
    /// Tuesday 24.11.2026 12.00 in Helsinki: the themed group is closed.
    static let noon = Date(timeIntervalSince1970: 1_795_514_400)
    static let slug = "omaisryhma"

    /// A new registered client, signed in.
    static func member(_ client: any TestClientProtocol, _ nickname: String) async throws -> Browser {
        let b = Browser(client, language: "en")
        let r = try await b.post("/account/new", [("nickname", nickname), ("password", "salasana-123"), ("repeat", "salasana-123"), ("email", "")])
        #expect(r.status == .seeOther && b.cookies["k_member"] != nil, "sign-up of \(nickname): \(r.status)")
        return b
    }

    /// The coordinator sets the group up through the settings form.
    static func configure(
        _ client: any TestClientProtocol, _ app: Kohtaamo, style: String = "peer", access: String = "open",
        rules: String = "Ole ystävällinen. Älä kerro muiden asioita eteenpäin."
    ) async throws -> GroupSettings {
        let coordinator = Browser(client, language: "en")
        try await coordinator.signIn("coordinator@demo.invalid")
        let info = try #require(try await app.network.directory.service(slug: slug))
        let r = try await coordinator.post(
            "/admin/services/\(info.id.uuidString)/group",
            [("style", style), ("access", access), ("rulesFi", rules), ("rulesSv", ""), ("rulesEn", "Be kind.")])
        #expect(r.status == .seeOther)
        return try #require(try await app.groups.service.repository.settings(service: info.id))
    }

    /// Joins with the rules version the group has now (as its page would give).
    static func join(_ b: Browser, _ nickname: String, _ app: Kohtaamo, accept: Bool = true, code: String = "") async throws -> TestResponse {
        let info = try #require(try await app.network.directory.service(slug: slug))
        let version = try await app.groups.service.repository.settings(service: info.id)?.rulesVersion ?? 1
        var fields = [("nickname", nickname), ("rulesVersion", String(version)), ("invitation", code)]
        if accept { fields.append(("accept", "1")) }
        return try await b.post("/g/\(slug)/join", fields)
    }

    @Test func anOpenGroupTakesMembersWhoAcceptTheRulesAndTheyTalkLive() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let settings = try await Self.configure(client, app)
            let aino = try await Self.member(client, "Aino")
            let page = try await aino.get("/g/\(Self.slug)")
            #expect(page.status == .ok && page.text.contains("Ole ystävällinen") == false && page.text.contains("Be kind."))
            let unaccepted = try await Self.join(aino, "Aino", app, accept: false)
            #expect(unaccepted.status == .badRequest && unaccepted.text.contains("Read the rules and accept them"))
            #expect(try await Self.join(aino, "Aino", app).status == .seeOther)
            #expect(try await aino.get("/g/\(Self.slug)/room").status == .ok)
            let bertta = try await Self.member(client, "Bertta")
            #expect(try await Self.join(bertta, "aino", app).status == .conflict, "a nickname is one person's in a group")
            #expect(try await Self.join(bertta, "Pihlaja", app).status == .seeOther)

            let c = settings.conversation.uuidString.lowercased()
            let a = TestSocket(port: port, cookie: aino.cookieLine), b = TestSocket(port: port, cookie: bertta.cookieLine)
            a.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            b.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            _ = await a.next("synced")
            _ = await b.next("synced")
            a.send(sendFrame(c, "Hei kaikille"))
            #expect(await a.next("ack") != nil)
            let got = await b.next("msg")
            #expect(got?["body"] as? String == "Hei kaikille")
            #expect((got?["from"] as? [String: Any])?["name"] as? String == "Aino")
            #expect((got?["from"] as? [String: Any])?["role"] as? String == "client")
            // Staff of the group's organisation come in under their work profile.
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            #expect(try await worker.get("/g/\(Self.slug)/room").status == .ok)
            let w = TestSocket(port: port, cookie: worker.cookieLine)
            w.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            #expect(await w.next("msg")?["body"] as? String == "Hei kaikille")
            w.send(sendFrame(c, "Tervetuloa"))
            var welcome = await a.next("msg")
            while let m = welcome, m["body"] as? String != "Tervetuloa" { welcome = await a.next("msg") }  // her own message comes back first
            #expect((welcome?["from"] as? [String: Any])?["name"] as? String == "Työntekijä 1")
            // Lähde's worker is of another organisation: refused.
            let other = Browser(client, language: "en")
            try await other.signIn("worker2@demo.invalid")
            #expect(try await other.get("/g/\(Self.slug)/room").status == .forbidden)
            for s in [a, b, w] { s.close() }
        }
    }

    /// A group whose room has these members, each with a socket (`synced`: after its `sync` is answered).
    static func room(
        _ client: any TestClientProtocol, _ app: Kohtaamo, _ port: Int, _ names: [String], synced: Bool = false
    ) async throws -> (settings: GroupSettings, c: String, sockets: [TestSocket]) {
        let settings = try await configure(client, app)
        var sockets: [TestSocket] = []
        for name in names {
            let person = try await member(client, name)
            #expect(try await join(person, name, app).status == .seeOther)
            sockets.append(TestSocket(port: port, cookie: person.cookieLine))
        }
        let c = settings.conversation.uuidString.lowercased()
        if synced {
            for s in sockets { s.send(#"{"t":"sync","c":"\#(c)","after":0}"#) }
            for s in sockets { _ = await s.next("synced") }
        }
        return (settings, c, sockets)
    }

    /// In a room, reads are not relayed one by one (N² frames in a room of
    /// 500): the server gathers a second's reads into one `seen` frame with
    /// how many have read up to where, and stores the positions.
    @Test func readsInARoomComeGatheredAsOneSeenFrame() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let (settings, c, sockets) = try await Self.room(client, app, port, ["Aino", "Bertta", "Cecilia"], synced: true)
            sockets[0].send(sendFrame(c, "Hei"))
            let seq = try #require(await sockets[0].next("ack")?["seq"] as? Int)
            sockets[1].send(#"{"t":"read","c":"\#(c)","seq":\#(seq)}"#)
            sockets[2].send(#"{"t":"read","c":"\#(c)","seq":\#(seq)}"#)
            let seen = try #require(await sockets[0].next("seen", timeout: .seconds(5)))
            #expect(seen["seq"] as? Int == seq)
            #expect(seen["count"] as? Int == 2)
            // The sender is not among the two; each reader is, and is told so.
            #expect(seen["you"] as? Bool == false)
            for reader in sockets[1...] { #expect(await reader.next("seen", timeout: .seconds(5))?["you"] as? Bool == true) }
            #expect(!sockets[0].skipped.contains { $0["t"] as? String == "read" })
            #expect(try await app.realtime.store.readCount(conversation: settings.conversation, atLeast: Int64(seq)) == 2)
            for s in sockets { s.close() }
        }
    }

    /// A program's raw socket that never sends `sync` gets the room's `seen`
    /// frames as a browser does: the first reader of a message its sender
    /// has not read is one reader, and not the sender.
    @Test func aSocketThatNeverSyncsGetsTheRoomsSeenFrames() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let (_, c, sockets) = try await Self.room(client, app, port, ["Aino", "Bertta"])
            for s in sockets { #expect(await s.opened()) }
            let read = try await readOnce(c, "Luetaanko tämä?", writer: sockets[0], reader: sockets[1])
            #expect(read.toWriter["count"] as? Int == 1 && read.toWriter["you"] as? Bool == false, "Bertta has read Aino's message")
            #expect(read.toReader["count"] as? Int == 1 && read.toReader["you"] as? Bool == true)
            for s in sockets { s.close() }
        }
    }

    /// The database refuses the room's read flush: the reads are kept, raised
    /// by later ones, and arrive (stored and announced) once writes work,
    /// without anyone reading again.
    @Test func readsARefusedFlushCouldNotStoreArriveOnceTheDatabaseWritesAgain() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let (settings, c, sockets) = try await Self.room(client, app, port, ["Aino", "Bertta", "Cecilia"], synced: true)
            sockets[0].send(sendFrame(c, "Hei"))
            let first = try #require(await sockets[0].next("ack")?["seq"] as? Int)
            let sql = app.storage.sql
            if app.storage.kind == .sqlite {
                try await sql.raw("CREATE TRIGGER refuse_reads BEFORE UPDATE OF read_seq ON participants BEGIN SELECT RAISE(ABORT, 'refused'); END")
                    .run()
            } else {
                try await sql.raw("CREATE FUNCTION refuse_reads() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql")
                    .run()
                try await sql.raw(
                    "CREATE TRIGGER refuse_reads BEFORE UPDATE OF read_seq ON participants FOR EACH ROW EXECUTE FUNCTION refuse_reads()"
                )
                .run()
            }
            sockets[1].send(#"{"t":"read","c":"\#(c)","seq":\#(first)}"#)
            sockets[2].send(#"{"t":"read","c":"\#(c)","seq":\#(first)}"#)
            #expect(await sockets[0].next("seen", timeout: .milliseconds(1_800)) == nil, "nothing stored, nothing announced")
            // A later read of Bertta's, while the database still refuses, raises hers.
            sockets[0].send(sendFrame(c, "Toinen"))
            let second = try #require(await sockets[0].next("ack")?["seq"] as? Int)
            sockets[1].send(#"{"t":"read","c":"\#(c)","seq":\#(second)}"#)
            try await Task.sleep(for: .milliseconds(1_300))
            let store = app.realtime.store
            #expect(try await store.readCount(conversation: settings.conversation, atLeast: Int64(first)) == 0)
            try await sql.raw("DROP TRIGGER refuse_reads\(unsafeRaw: app.storage.kind == .sqlite ? "" : " ON participants")").run()
            let seen = try #require(await sockets[0].next("seen", timeout: .seconds(5)))
            #expect(seen["seq"] as? Int == second)
            #expect(seen["count"] as? Int == 1)
            #expect(try await store.readCount(conversation: settings.conversation, atLeast: Int64(first)) == 2)
            #expect(try await store.readCount(conversation: settings.conversation, atLeast: Int64(second)) == 1)
            for s in sockets { s.close() }
        }
    }

    /// Kept reads are bounded: the highest seq of each reader wins, and
    /// readers past the capacity are not kept (a database away for long).
    @Test func keptReadsMergeAndStayBounded() {
        let reads = RoomReads(capacity: 2)
        let (room, other) = (UUID(), UUID())
        let (a, b, c) = (Identity.client(UUID()), Identity.client(UUID()), Identity.client(UUID()))
        #expect(reads.note(room, a, 7))
        let failed = reads.take()
        #expect(reads.note(room, a, 5))
        #expect(reads.putBack(failed) == (dropped: 0, schedule: false))
        #expect(reads.putBack([room: [b: 3]]).dropped == 0)
        #expect(reads.putBack([other: [c: 4]]).dropped == 1)
        #expect(reads.take() == [room: [a: 7, b: 3]])
        #expect(reads.putBack([room: [a: 9]]) == (dropped: 0, schedule: true))
        #expect(reads.take() == [room: [a: 9]])
    }

    @Test func aClosedGroupNeedsALiveInvitation() async throws {
        try await withApp(now: Self.noon) { app, client in
            _ = try await Self.configure(client, app, access: "closed")
            let aino = try await Self.member(client, "Aino")
            let refused = try await Self.join(aino, "Aino", app)
            #expect(refused.status == .forbidden && refused.text.contains("invitation code is missing"))
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let made = try await worker.post("/g/\(Self.slug)/invitations")
            #expect(made.status == .created)
            let code = String(try #require(made.text.firstMatch(of: /id="invitation-code" class="secret">([a-z0-9]+)</)?.1))
            let link = String(try #require(made.text.firstMatch(of: /id="invitation-link" class="secret">([^<]+)</)?.1))
            #expect(link.hasPrefix("http") && link.hasSuffix("/g/\(Self.slug)?code=\(code)"), "\(link)")

            // Someone new follows the link: sign-up and sign-in keep the code, and the join form has it.
            let newcomer = Browser(client, language: "en")
            let landing = try await newcomer.get("/g/\(Self.slug)?code=\(code)")
            let next = "/g/\(Self.slug)%3Fcode%3D\(code)"
            #expect(landing.text.contains("/account/new?next=\(next)\"") && landing.text.contains("/account/signin?next=\(next)\""))
            let signUp = try await newcomer.get("/account/new?next=\(next)")
            #expect(
                signUp.text.contains(#"name="next" value="/g/\#(Self.slug)?code=\#(code)""#) && signUp.text.contains("/account/signin?next=\(next)\"")
            )
            let made2 = try await newcomer.post(
                "/account/new",
                [
                    ("nickname", "Cecilia"), ("password", "salasana-123"), ("repeat", "salasana-123"), ("email", ""),
                    ("next", "/g/\(Self.slug)?code=\(code)"),
                ])
            #expect(made2.location == "/g/\(Self.slug)?code=\(code)")
            #expect(try await newcomer.get(made2.location ?? "/").text.contains(#"name="invitation" type="text" value="\#(code)""#))
            #expect(try await Self.join(newcomer, "Cecilia", app, code: code).status == .seeOther)
            #expect(try await Self.join(aino, "Aino", app, code: code.uppercased()).status == .seeOther)
            // Fifteen days on, the code no longer lets anyone in; Aino stays in.
            app.clock.advance(by: 15 * 86_400)
            let late = try await Self.member(client, "Bertta")
            #expect(try await Self.join(late, "Bertta", app, code: code).status == .forbidden)
            #expect(try await aino.get("/g/\(Self.slug)/room").status == .ok)
        }
    }

    /// An unlisted closed group opens with its invitation link, an unlisted
    /// screened group's application page by its link; without them there is no page.
    @Test func unlistedGroupsAreReachableByTheirLinks() async throws {
        try await withApp(now: Self.noon) { app, client in
            var record = try #require(try await app.network.repository.service(slug: Self.slug))
            record.isPublic = false
            _ = try await app.network.repository.saveService(record, at: app.clock.now)
            _ = try await Self.configure(client, app, access: "closed")
            let aino = try await Self.member(client, "Aino")
            #expect(try await aino.get("/g/\(Self.slug)").status == .notFound, "no page without the code")
            #expect(try await Browser(client).get("/g/\(Self.slug)").status == .notFound)
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let made = try await worker.post("/g/\(Self.slug)/invitations")
            let code = String(try #require(made.text.firstMatch(of: /id="invitation-code" class="secret">([a-z0-9]+)</)?.1))
            #expect(try await aino.get("/g/\(Self.slug)?code=wrongcode12").status == .notFound)
            let page = try await aino.get("/g/\(Self.slug)?code=\(code)")
            #expect(page.status == .ok && page.text.contains(#"name="invitation" type="text" value="\#(code)""#))
            let short = try await Self.join(aino, "A", app, code: code)
            #expect(short.status == .badRequest && short.text.contains(#"value="\#(code)""#), "a wrong nickname keeps the code")
            #expect(try await Self.join(aino, "Aino", app, code: code).status == .seeOther)
            #expect(try await aino.get("/g/\(Self.slug)/room").status == .ok)
            #expect(try await aino.get("/g/\(Self.slug)").status == .ok, "a member needs no code")

            // Screened and unlisted: the application form is reachable by the link.
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(
                try await coordinator.post(
                    "/admin/services/\(record.id.uuidString)/group",
                    [
                        ("style", "peer"), ("access", "screened"), ("rulesFi", "Ole ystävällinen."), ("rulesSv", ""), ("rulesEn", "Be kind."),
                        ("questionsFi", "Miksi?"), ("questionsSv", ""), ("questionsEn", "Why?"),
                    ]
                ).status == .seeOther)
            let bertta = try await Self.member(client, "Bertta")
            let form = try await bertta.get("/g/\(Self.slug)")
            #expect(form.status == .ok && form.text.contains("Why?"))
            let version = try #require(try await app.groups.service.repository.settings(service: record.id)).rulesVersion
            #expect(
                try await bertta.post(
                    "/g/\(Self.slug)/apply",
                    [
                        ("nickname", "Bertta"), ("answer-0", "Koska"), ("accept", "1"),
                        ("rulesVersion", String(version)),
                    ]
                ).status == .seeOther)
            #expect(try await bertta.get("/g/\(Self.slug)").text.contains("Your application is sent"))
        }
    }

    @Test func changedRulesMustBeAcceptedAgain() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let settings = try await Self.configure(client, app)
            let aino = try await Self.member(client, "Aino")
            #expect(try await Self.join(aino, "Aino", app).status == .seeOther)
            let c = settings.conversation.uuidString.lowercased()
            let a = TestSocket(port: port, cookie: aino.cookieLine)
            a.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            _ = await a.next("synced")
            let changed = try await Self.configure(client, app, rules: "Uudet säännöt: ei mainoksia.")
            #expect(changed.rulesVersion == settings.rulesVersion + 1)
            #expect(await a.next("moderation")?["action"] as? String == "rules_changed")
            a.send(sendFrame(c, "Kuuleeko kukaan?"))
            #expect(await a.next("error")?["code"] as? String == "not_participant")
            #expect(try await aino.get("/g/\(Self.slug)/room").location == "/g/\(Self.slug)")
            #expect(try await aino.get("/g/\(Self.slug)").text.contains("The rules have changed"))
            #expect(
                try await aino.post("/g/\(Self.slug)/rules", [("rulesVersion", String(settings.rulesVersion)), ("accept", "1")]).status
                    == .badRequest,
                "the old version is not enough")
            #expect(
                try await aino.post("/g/\(Self.slug)/rules", [("rulesVersion", String(changed.rulesVersion)), ("accept", "1")]).status == .seeOther)
            a.send(sendFrame(c, "Nyt kuuluu"))
            #expect(await a.next("ack") != nil)
            a.close()
        }
    }

    @Test func reportsRemovalMuteAndBanTakeEffectAtOnce() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let settings = try await Self.configure(client, app)
            let c = settings.conversation.uuidString.lowercased()
            let aino = try await Self.member(client, "Aino"), bertta = try await Self.member(client, "Bertta")
            _ = try await Self.join(aino, "Aino", app)
            _ = try await Self.join(bertta, "Bertta", app)
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            _ = try await worker.get("/g/\(Self.slug)/room")
            let a = TestSocket(port: port, cookie: aino.cookieLine), b = TestSocket(port: port, cookie: bertta.cookieLine)
            let w = TestSocket(port: port, cookie: worker.cookieLine)
            for s in [a, b, w] {
                s.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
                _ = await s.next("synced")
            }
            a.send(sendFrame(c, "Tyhmä viesti"))
            let seq = try #require(await a.next("ack")?["seq"] as? Int)

            // Bertta reports it; the worker hears of it and sees it on the moderation page.
            let reported = try await bertta.post(
                "/g/\(Self.slug)/messages/\(seq)/report", [("reason", "loukkaava")], headers: [.accept: "application/json"])
            #expect(reported.status == .noContent)
            #expect(await w.next("report")?["seq"] as? Int == seq)
            let moderation = try await worker.get("/g/\(Self.slug)/moderation")
            #expect(moderation.text.contains("Tyhmä viesti") && moderation.text.contains("loukkaava"))
            // A member is no moderator: staff sign-in is asked for, and nothing is removed.
            #expect(try await bertta.post("/g/\(Self.slug)/messages/\(seq)/remove").location?.hasPrefix("/signin") == true)
            #expect(try await bertta.get("/g/\(Self.slug)/moderation").location?.hasPrefix("/signin") == true)
            #expect(
                try await app.realtime.store.messages(conversation: settings.conversation, after: Int64(seq - 1), limit: 1).first?.removed == false)

            // Removed: everyone is told, and the text is gone for good.
            #expect(try await worker.post("/g/\(Self.slug)/messages/\(seq)/remove", [("reason", "")]).status == .seeOther)
            #expect(await b.next("removed")?["seq"] as? Int == seq)
            let stored = try await app.realtime.store.messages(conversation: settings.conversation, after: Int64(seq - 1), limit: 1).first
            #expect(stored?.removed == true && stored?.body == "")
            b.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            let synced = await b.next("msg")
            #expect(synced?["removed"] as? Bool == true && synced?["body"] as? String == "")
            #expect(try await app.groups.service.repository.reports(service: settings.service, open: true).isEmpty)

            // Muted for ten minutes: Aino's sends are refused with "muted" until then.
            a.send(sendFrame(c, "Toinen viesti"))
            let second = try #require(await a.next("ack")?["seq"] as? Int)
            #expect(
                try await worker.post("/g/\(Self.slug)/messages/\(second)/mute", [("minutes", "10"), ("reason", "rauhoitu")]).status == .seeOther)
            let muted = await a.next("moderation")
            #expect(muted?["action"] as? String == "muted" && muted?["reason"] as? String == "rauhoitu")
            a.send(sendFrame(c, "Vielä"))
            let refusal = await a.next("error")
            #expect(refusal?["code"] as? String == "muted" && (refusal?["retryAfter"] as? Int ?? 0) > 9 * 60_000)
            #expect(try await worker.post("/g/\(Self.slug)/messages/\(second)/mute", [("minutes", "0")]).status == .badRequest)
            app.clock.advance(by: 11 * 60)
            a.send(sendFrame(c, "Anteeksi"))
            #expect(await a.next("ack") != nil)

            // A staff member's message has no member to act on.
            w.send(sendFrame(c, "Muistakaa säännöt"))
            let staffSeq = try #require(await w.next("ack")?["seq"] as? Int)
            let staffMute = try await worker.post("/g/\(Self.slug)/messages/\(staffSeq)/mute", [("minutes", "5")])
            #expect(staffMute.status == .conflict, "\(staffMute.status) \(staffMute.text.prefix(300))")

            // Banned for a week with a reason: out at once, on the open socket.
            #expect(
                try await worker.post("/g/\(Self.slug)/messages/\(second)/exclude", [("action", "ban"), ("days", "7"), ("reason", "")]).status
                    == .badRequest,
                "a ban needs a reason")
            #expect(
                try await worker.post(
                    "/g/\(Self.slug)/messages/\(second)/exclude", [("action", "ban"), ("days", "7"), ("reason", "toistuva häirintä")]
                ).status == .seeOther)
            let banned = await a.next("moderation")
            #expect(banned?["action"] as? String == "banned" && banned?["reason"] as? String == "toistuva häirintä" && banned?["until"] != nil)
            a.send(sendFrame(c, "Päästäkää sisään"))
            #expect(await a.next("error")?["code"] as? String == "not_participant")
            #expect(try await aino.get("/g/\(Self.slug)").text.contains("You are banned from this group until"))
            #expect(try await Self.join(aino, "Aino", app).status == .forbidden)
            app.clock.advance(by: 8 * 86_400)
            #expect(try await Self.join(aino, "Aino", app).status == .seeOther, "the ban has ended")

            let aalto = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.organisationID
            let actions = try await app.audit.entries(organisations: [aalto]).map(\.action)
            for action in ["group.message_removed", "group.member_muted", "group.member_banned"] {
                #expect(actions.contains(action), "\(action) logged")
            }
            for s in [a, b, w] { s.close() }
        }
    }

    /// A volunteer of the group's organisation, for the facilitator tests.
    static func volunteer(_ app: Kohtaamo) async throws -> StaffRecord {
        let aalto = try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")).organisationID
        return try await app.accounts.service.repository.createStaff(
            organisationID: aalto, email: "volunteer2@demo.invalid",
            passwordHash: try await app.accounts.service.hash(demoPassword), role: .volunteer,
            workName: "Vapaaehtoinen Veera", workingHours: "", at: app.clock.now)
    }

    /// A peer group's facilitators: the coordinator names them from the
    /// organisation's staff (a volunteer too); they moderate, and members
    /// see their work names on the group's page.
    @Test func aVolunteerFacilitatorModerates() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let settings = try await Self.configure(client, app)
            let volunteer = try await Self.volunteer(app)
            let v = Browser(client, language: "en")
            try await v.signIn("volunteer2@demo.invalid")
            #expect(try await v.get("/g/\(Self.slug)/moderation").status == .forbidden, "a volunteer is no moderator by default")
            let room = try await v.get("/g/\(Self.slug)/room").text
            #expect(room.contains("data-room") && !room.contains("data-moderator") && !room.contains("data-member"), "no Report or Remove buttons")

            // Reports reach only moderators: the worker hears of it, the volunteer not.
            let aino = try await Self.member(client, "Aino"), bertta = try await Self.member(client, "Bertta")
            _ = try await Self.join(aino, "Aino", app)
            _ = try await Self.join(bertta, "Bertta", app)
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            _ = try await worker.get("/g/\(Self.slug)/room")
            let c = settings.conversation.uuidString.lowercased()
            let a = TestSocket(port: port, cookie: aino.cookieLine), vs = TestSocket(port: port, cookie: v.cookieLine)
            let w = TestSocket(port: port, cookie: worker.cookieLine)
            for s in [a, vs, w] {
                s.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
                _ = await s.next("synced")
            }
            a.send(sendFrame(c, "Mainos: osta tästä"))
            let seq = try #require(await a.next("ack")?["seq"] as? Int)
            #expect(try await bertta.post("/g/\(Self.slug)/messages/\(seq)/report", [("reason", "mainos")]).status == .seeOther)
            #expect(await w.next("report")?["seq"] as? Int == seq)
            #expect(await vs.next("report", timeout: .seconds(1)) == nil, "a volunteer who does not moderate hears of no report")

            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let page = "/admin/services/\(settings.service.uuidString)/group"
            #expect(try await coordinator.get(page).text.contains("Vapaaehtoinen Veera (volunteer)"))
            let fields = [
                ("style", "peer"), ("access", "open"), ("rulesFi", "Ole ystävällinen. Älä kerro muiden asioita eteenpäin."), ("rulesSv", ""),
                ("rulesEn", "Be kind."),
            ]
            let lahde = try #require(try await app.accounts.service.repository.staff(email: "worker2@demo.invalid")).id
            let refused = try await coordinator.post(page, fields + [("facilitators", lahde.uuidString)])
            #expect(refused.status == .badRequest && refused.text.contains("Choose the facilitators from the list"), "staff of another organisation")
            #expect(try await coordinator.post(page, fields + [("facilitators", volunteer.id.uuidString)]).status == .seeOther)
            #expect(try await app.groups.service.repository.facilitators(service: settings.service) == [volunteer.id])
            #expect(try await coordinator.get(page).text.contains(#"value="\#(volunteer.id.uuidString)" checked"#))

            #expect(try await aino.get("/g/\(Self.slug)").text.contains("Facilitators: Vapaaehtoinen Veera"))

            // Named, the volunteer moderates: hears of reports and removes the message.
            #expect(try await v.get("/g/\(Self.slug)/room").text.contains("data-moderator"))
            #expect(try await aino.post("/g/\(Self.slug)/messages/\(seq)/report", [("reason", "mainos")]).status == .seeOther)
            #expect(await vs.next("report")?["seq"] as? Int == seq)
            #expect(try await v.post("/g/\(Self.slug)/messages/\(seq)/remove", [("reason", "mainos")]).status == .seeOther)
            #expect(await a.next("removed")?["seq"] as? Int == seq)
            let entries = try await app.audit.entries(organisations: [volunteer.organisationID])
            #expect(entries.contains { $0.action == "group.message_removed" && $0.staffName == "Vapaaehtoinen Veera" })
            #expect(entries.contains { $0.action == "group.facilitators" })

            // No longer named: no longer a moderator.
            #expect(try await coordinator.post(page, fields).status == .seeOther)
            #expect(try await v.get("/g/\(Self.slug)/moderation").status == .forbidden)
            for s in [a, vs, w] { s.close() }
        }
    }

    @Test func aThemedGroupIsOpenOnlyAtItsTimes() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let settings = try await Self.configure(client, app, style: "themed")
            let aino = try await Self.member(client, "Aino")
            _ = try await Self.join(aino, "Aino", app)
            let page = try await aino.get("/g/\(Self.slug)")
            #expect(page.text.contains("18:00–19:30") && page.text.contains("Closed now. Opens today at 18:00."), "when it opens next")
            let c = settings.conversation.uuidString.lowercased()
            let a = TestSocket(port: port, cookie: aino.cookieLine)
            a.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            _ = await a.next("synced")
            a.send(sendFrame(c, "Onko ketään?"))
            #expect(await a.next("error")?["code"] as? String == "closed")
            // Tuesday 18.30: open. The scheduler would do this within half a minute.
            app.clock.set(Self.noon.addingTimeInterval(6.5 * 3600))
            try await app.groups.service.applySchedules()
            #expect(await a.next("room")?["open"] as? Bool == true)
            a.send(sendFrame(c, "Hei!"))
            #expect(await a.next("ack") != nil)
            app.clock.set(Self.noon.addingTimeInterval(7.75 * 3600))
            try await app.groups.service.applySchedules()
            #expect(await a.next("room")?["open"] as? Bool == false)
            a.send(sendFrame(c, "Vielä yksi"))
            #expect(await a.next("error")?["code"] as? String == "closed")
            let after = try await aino.get("/g/\(Self.slug)").text
            #expect(after.contains("Closed now. Opens ") && !after.contains("Opens today"), "next week's time once today's has passed")
            a.close()
        }
    }

    @Test func aMemberDownloadsTheirDataAndErasesTheAccount() async throws {
        try await withLiveApp(now: Self.noon) { app, client, port in
            let settings = try await Self.configure(client, app)
            let c = settings.conversation.uuidString.lowercased()
            let aino = try await Self.member(client, "Aino"), bertta = try await Self.member(client, "Bertta")
            _ = try await Self.join(aino, "Ainomaija", app)
            _ = try await Self.join(bertta, "Bertta", app)
            let a = TestSocket(port: port, cookie: aino.cookieLine), b = TestSocket(port: port, cookie: bertta.cookieLine)
            for s in [a, b] {
                s.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
                _ = await s.next("synced")
            }
            a.send(sendFrame(c, "Minun salaisuuteni"))
            let seq = try #require(await a.next("ack")?["seq"] as? Int)
            _ = await b.next("msg")
            b.send(sendFrame(c, "Bertan vastaus"))
            _ = await b.next("ack")
            _ = try await aino.post("/g/\(Self.slug)/messages/\(seq + 1)/report", [("reason", "testi")])

            let download = try await aino.get("/account/data")
            #expect(download.status == .ok && download.headers[.contentDisposition]?.contains("attachment") == true)
            let data = try #require(try JSONSerialization.jsonObject(with: Data(download.text.utf8)) as? [String: Any])
            #expect((data["account"] as? [String: Any])?["nickname"] as? String == "Aino")
            let group = try #require(((data["groups"] as? [String: Any])?["memberships"] as? [[String: Any]])?.first)
            #expect(group["nickname"] as? String == "Ainomaija")
            #expect((group["messages"] as? [[String: Any]])?.map { $0["text"] as? String } == ["Minun salaisuuteni"], "only her own messages")
            #expect((group["reports"] as? [[String: Any]])?.count == 1)

            // A moderator mutes her: the append-only audit log must not keep her name.
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            #expect(try await worker.post("/g/\(Self.slug)/messages/\(seq)/mute", [("minutes", "5"), ("reason", "tauko")]).status == .seeOther)

            #expect(try await aino.post("/account/erase", [("password", "wrong-password")]).status == .badRequest)
            let erased = try await aino.post("/account/erase", [("password", "salasana-123")])
            #expect(erased.status == .ok && aino.cookies["k_member"] == nil)
            #expect(await b.next("removed")?["seq"] as? Int == seq)
            #expect(await a.closeCode() != nil, "her open socket ends with the account")
            let left = try await app.realtime.store.messages(conversation: settings.conversation, after: 0, limit: 10)
            #expect(left.map(\.body) == ["", "Bertan vastaus"] && left[0].removed && left[0].from.name == "")
            #expect(try await app.realtime.participants(settings.conversation).map(\.sender.name) == ["Bertta"])
            #expect(try await app.groups.service.repository.members(service: settings.service).map(\.nickname) == ["Bertta"])
            let again = Browser(client)
            let signIn = try await again.post("/account/signin", [("nickname", "Aino"), ("password", "salasana-123")])
            #expect(signIn.status == .unauthorized)
            let audit = try await app.storage.sql.raw("SELECT action, target FROM audit_log").all()
            let logged = try audit.map { "\(try $0.decode(column: "action", as: String.self)) \(try $0.decode(column: "target", as: String.self))" }
            #expect(logged.contains { $0.hasPrefix("group.member_muted") }, "the mute is logged")
            #expect(!logged.contains { $0.contains("Ainomaija") || $0.contains("Aino") }, "\(logged)")
            b.close()
        }
    }
}

/// A screened group: the applicant answers the coordinator's questions; a
/// worker reads them, books an interview and accepts; the answers are
/// sealed at rest.
@Suite struct ScreenedGroupTests {
    @Test func applyInterviewAndAcceptance() async throws {
        try await withApp(now: GroupTests.noon) { app, client in
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let info = try #require(try await app.network.directory.service(slug: GroupTests.slug))
            let settingsPage = "/admin/services/\(info.id.uuidString)/group"
            let fields = [("style", "peer"), ("access", "screened"), ("rulesFi", "Ole ystävällinen."), ("rulesSv", ""), ("rulesEn", "Be kind.")]
            let missing = try await coordinator.post(settingsPage, fields + [("questionsFi", ""), ("questionsSv", ""), ("questionsEn", "")])
            #expect(missing.status == .badRequest && missing.text.contains("needs its questions in Finnish"))
            #expect(
                try await coordinator.post(
                    settingsPage,
                    fields + [
                        ("questionsFi", "Kuka olet?\nMiksi haluat ryhmään?"), ("questionsSv", ""),
                        ("questionsEn", "Who are you?\nWhy do you want to join?"),
                    ]
                ).status == .seeOther)

            let aino = try await GroupTests.member(client, "Aino")
            let page = try await aino.get("/g/\(GroupTests.slug)")
            #expect(page.text.contains("Why do you want to join?") && !page.text.contains("Join the group</button>"))
            #expect(try await GroupTests.join(aino, "Aino", app).status == .forbidden, "no joining without applying")
            let secret = "Äitini sairastaa ja olen väsynyt \(UUID().uuidString.prefix(6))"
            let version = try await app.groups.service.repository.settings(service: info.id)!.rulesVersion
            let half = try await aino.post(
                "/g/\(GroupTests.slug)/apply",
                [
                    ("nickname", "Aino"), ("answer-0", "Aino"), ("answer-1", ""),
                    ("accept", "1"), ("rulesVersion", String(version)),
                ])
            #expect(half.status == .badRequest && half.text.contains("Answer the question"))
            #expect(half.text.contains(">Aino</textarea>"), "what was written is kept")
            let sent = try await aino.post(
                "/g/\(GroupTests.slug)/apply",
                [
                    ("nickname", "Aino"), ("answer-0", "Aino"), ("answer-1", secret),
                    ("accept", "1"), ("rulesVersion", String(version)),
                ])
            #expect(sent.status == .seeOther)
            #expect(try await aino.get("/g/\(GroupTests.slug)").text.contains("Your application is sent"))
            #expect(
                try await aino.post(
                    "/g/\(GroupTests.slug)/apply",
                    [
                        ("nickname", "Aino"), ("answer-0", "x"), ("answer-1", "y"),
                        ("accept", "1"), ("rulesVersion", String(version)),
                    ]
                ).status == .conflict)
            // Sealed at rest.
            #expect(try rawDatabase(app.configuration).range(of: Data(secret.utf8)) == nil)

            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let review = try await worker.get("/g/\(GroupTests.slug)/moderation")
            #expect(review.text.contains(secret) && review.text.contains("Who are you?"))
            let id = String(try #require(review.text.firstMatch(of: /action="\/g\/omaisryhma\/applications\/([0-9A-F-]+)"/)?.1))
            #expect(
                try await worker.post("/g/\(GroupTests.slug)/applications/\(id)", [("decision", "interview"), ("message", "")]).status == .badRequest)
            #expect(
                try await worker.post(
                    "/g/\(GroupTests.slug)/applications/\(id)",
                    [("decision", "interview"), ("message", "Torstaina 26.11. klo 14, puhelimessa")]
                ).status == .seeOther)
            #expect(try await aino.get("/g/\(GroupTests.slug)").text.contains("Torstaina 26.11. klo 14, puhelimessa"))
            #expect(try await aino.get("/g/\(GroupTests.slug)/room").location == "/g/\(GroupTests.slug)", "not yet a member")
            #expect(
                try await worker.post("/g/\(GroupTests.slug)/applications/\(id)", [("decision", "accept"), ("message", "Tervetuloa!")]).status
                    == .seeOther)
            #expect(try await aino.get("/g/\(GroupTests.slug)/room").status == .ok)
            #expect(
                try await worker.post("/g/\(GroupTests.slug)/applications/\(id)", [("decision", "decline"), ("message", "")]).status == .notFound,
                "a decided application is closed")
            let aalto = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.organisationID
            let actions = try await app.audit.entries(organisations: [aalto]).map(\.action)
            #expect(actions.contains("group.application_interview") && actions.contains("group.application_accept"))
            // Her download has the application with her answers.
            let data = try JSONSerialization.jsonObject(with: Data(try await aino.get("/account/data").text.utf8)) as? [String: Any]
            let applications = (data?["groups"] as? [String: Any])?["applications"] as? [[String: Any]]
            #expect(((applications?.first?["answers"] as? [[String: Any]])?.last?["answer"] as? String) == secret)
        }
    }

    @Test func aDeclinedApplicantSeesTheMessageAndMayApplyAgain() async throws {
        try await withApp(now: GroupTests.noon) { app, client in
            let info = try #require(try await app.network.directory.service(slug: GroupTests.slug))
            var s = try await app.groups.service.settings(for: info)
            s.access = .screened
            s.questions = LocalizedText(fi: "Miksi?", sv: "", en: "Why?")
            try await app.groups.service.repository.saveSettings(s)
            let bertta = try await GroupTests.member(client, "Bertta")
            let fields = [("nickname", "Bertta"), ("answer-0", "Koska"), ("accept", "1"), ("rulesVersion", String(s.rulesVersion))]
            #expect(try await bertta.post("/g/\(GroupTests.slug)/apply", fields).status == .seeOther)
            let id = try #require(try await app.groups.service.repository.applications(service: info.id, open: true).first?.id)
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            #expect(
                try await worker.post(
                    "/g/\(GroupTests.slug)/applications/\(id.uuidString)",
                    [("decision", "decline"), ("message", "Ryhmä on nyt täynnä.")]
                ).status == .seeOther)
            let page = try await bertta.get("/g/\(GroupTests.slug)")
            #expect(page.text.contains("Ryhmä on nyt täynnä.") && page.text.contains("You may apply again"))
            #expect(try await bertta.post("/g/\(GroupTests.slug)/apply", fields).status == .seeOther)
        }
    }
}

/// A Q&A group: members ask, anonymously to the group if they wish;
/// workers answer; each question shows answered or waiting.
@Suite struct QuestionGroupTests {
    @Test func membersAskWorkersAnswerAndAnonymityHolds() async throws {
        try await withApp(now: GroupTests.noon) { app, client in
            _ = try await GroupTests.configure(client, app, style: "questions")
            let aino = try await GroupTests.member(client, "Aino"), bertta = try await GroupTests.member(client, "Bertta")
            _ = try await GroupTests.join(aino, "Ainomaija", app)
            _ = try await GroupTests.join(bertta, "Bertta", app)
            let page = "/g/\(GroupTests.slug)/questions"
            #expect(try await aino.get("/g/\(GroupTests.slug)").text.contains("href=\"\(page)\""))
            let secret = "Miten jaksan, kun äiti ei tunnista minua? \(UUID().uuidString.prefix(6))"
            #expect(try await aino.post(page, [("body", "  ")]).status == .badRequest)
            #expect(try await aino.post(page, [("body", secret), ("anonymous", "1")]).status == .seeOther)
            #expect(try await bertta.post(page, [("body", "Saako ryhmään tuoda ystävän?")]).status == .seeOther)

            let seenByBertta = try await bertta.get(page).text
            #expect(seenByBertta.contains(secret) && !seenByBertta.contains("Ainomaija"), "anonymous to the other members")
            #expect(seenByBertta.contains("waiting for an answer"))
            #expect(try await aino.get(page).text.contains("Ainomaija (anonymous)"), "the asker sees it is theirs")
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let seenByWorker = try await worker.get(page).text
            #expect(seenByWorker.contains("Ainomaija (anonymous)"), "the group's staff see who asked")

            let question = try #require(
                try await app.groups.service.repository.questions(service: app.network.directory.service(slug: GroupTests.slug)!.id)
                    .first { $0.anonymous })
            #expect(
                try await bertta.post("\(page)/\(question.id.uuidString)/answer", [("body", "Minä vastaan")]).status == .forbidden,
                "members do not answer")
            #expect(
                try await worker.post("\(page)/\(question.id.uuidString)/answer", [("body", "Hyvä kysymys. Puhutaan tiistaina.")]).status == .seeOther
            )
            let after = try await bertta.get(page).text
            #expect(after.contains("Hyvä kysymys. Puhutaan tiistaina.") && after.contains("Työntekijä 1") && after.contains(">answered<"))

            // Sealed at rest; outsiders see nothing.
            #expect(try rawDatabase(app.configuration).range(of: Data(secret.utf8)) == nil)
            let outsider = try await GroupTests.member(client, "Cecilia")
            #expect(try await outsider.get(page).status == .forbidden)
            #expect(try await Browser(client).get(page).location?.hasPrefix("/account/signin") == true)

            // Her download has the question and its answer; a moderator may remove a question.
            let data = try JSONSerialization.jsonObject(with: Data(try await aino.get("/account/data").text.utf8)) as? [String: Any]
            let asked = ((data?["groups"] as? [String: Any])?["questions"] as? [[String: Any]])?.first
            #expect(asked?["question"] as? String == secret && (asked?["answers"] as? [[String: Any]])?.count == 1)
            #expect(try await worker.post("\(page)/\(question.id.uuidString)/remove").status == .seeOther)
            #expect(!(try await bertta.get(page).text.contains(secret)))
        }
    }
}
