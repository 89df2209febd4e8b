import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Moderation from the member list: a member who never wrote is removed or
/// banned (for a time or for good) and the ban is lifted; a ban reaches
/// every open socket of the member at once.
@Suite struct GroupModerationTests {
    static func memberID(_ app: Kohtaamo, _ settings: GroupSettings, _ nickname: String) async throws -> UUID {
        try #require(try await app.groups.service.repository.members(service: settings.service).first { $0.nickname == nickname }).member
    }

    @Test func removeBanForGoodAndLiftFromTheMemberList() async throws {
        try await withLiveApp(now: GroupTests.noon) { app, client, port in
            let slug = GroupTests.slug
            let settings = try await GroupTests.configure(client, app)
            let c = settings.conversation.uuidString.lowercased()
            let aino = try await GroupTests.member(client, "Aino"), bertta = try await GroupTests.member(client, "Bertta")
            _ = try await GroupTests.join(aino, "Aino", app)
            _ = try await GroupTests.join(bertta, "Bertta", app)
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            // Aino is here on two devices; Bertta on one. Neither has written.
            let a1 = TestSocket(port: port, cookie: aino.cookieLine), a2 = TestSocket(port: port, cookie: aino.cookieLine)
            let b = TestSocket(port: port, cookie: bertta.cookieLine)
            for s in [a1, a2, b] {
                s.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
                _ = await s.next("synced")
            }
            let ainoID = try await Self.memberID(app, settings, "Aino"), berttaID = try await Self.memberID(app, settings, "Bertta")
            let page = try await worker.get("/g/\(slug)/moderation")
            #expect(page.text.contains("action=\"/g/\(slug)/members/\(berttaID.uuidString)/exclude\""))

            // Removed: out at once; a removed member may join again.
            #expect(
                try await bertta.post("/g/\(slug)/members/\(berttaID.uuidString)/exclude", [("action", "remove")]).location?.hasPrefix("/signin")
                    == true,
                "a member is no moderator")
            #expect(
                try await worker.post("/g/\(slug)/members/\(berttaID.uuidString)/exclude", [("action", "remove"), ("reason", "")]).status == .seeOther
            )
            #expect(await b.next("moderation")?["action"] as? String == "removed")
            b.send(sendFrame(c, "Olenko vielä täällä?"))
            #expect(await b.next("error")?["code"] as? String == "not_participant")
            #expect(try await GroupTests.join(bertta, "Bertta", app).status == .seeOther)

            // Input is checked: the action, the days, the reason of a ban, the member.
            let exclude = "/g/\(slug)/members/\(ainoID.uuidString)/exclude"
            #expect(try await worker.post(exclude, [("action", "kick")]).status == .badRequest)
            #expect(try await worker.post(exclude, [("action", "ban"), ("days", "0"), ("reason", "x")]).status == .badRequest)
            #expect(try await worker.post(exclude, [("action", "ban"), ("days", ""), ("reason", "")]).text.contains("Write the reason"))
            #expect(try await worker.post("/g/\(slug)/members/\(UUID().uuidString)/exclude", [("action", "remove")]).status == .notFound)

            // Banned for good: both of her sockets are told, and both are refused on their next frame.
            #expect(try await worker.post(exclude, [("action", "ban"), ("days", ""), ("reason", "uhkailu")]).status == .seeOther)
            for s in [a1, a2] {
                let banned = await s.next("moderation")
                #expect(banned?["action"] as? String == "banned" && banned?["reason"] as? String == "uhkailu" && banned?["until"] == nil)
            }
            a1.send(sendFrame(c, "Ensimmäiseltä laitteelta"))
            a2.send(sendFrame(c, "Toiselta laitteelta"))
            #expect(await a1.next("error")?["code"] as? String == "not_participant")
            #expect(await a2.next("error")?["code"] as? String == "not_participant")
            #expect(try await aino.get("/g/\(slug)").text.contains("You are banned from this group for good."))
            #expect(try await GroupTests.join(aino, "Aino", app).status == .forbidden)
            let stored = try #require(try await app.groups.service.repository.member(service: settings.service, member: ainoID))
            #expect(stored.bannedUntilMs == nil && stored.isBanned(at: app.clock.nowMs + 10 * 365 * 86_400_000), "for good: no end")

            // The ban lifted: she may join again (and accepts the rules anew).
            let listed = try await worker.get("/g/\(slug)/moderation").text
            #expect(listed.contains("action=\"/g/\(slug)/members/\(ainoID.uuidString)/unban\""))
            #expect(try await worker.post("/g/\(slug)/members/\(berttaID.uuidString)/unban").status == .conflict, "Bertta is not banned")
            #expect(try await worker.post("/g/\(slug)/members/\(ainoID.uuidString)/unban").status == .seeOther)
            #expect(try await GroupTests.join(aino, "Aino", app).status == .seeOther)

            let aalto = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.organisationID
            let entries = try await app.audit.entries(organisations: [aalto])
            // Members are named by their reference, never their nickname (the log outlives accounts).
            let ainoRef = GroupService.memberRef(service: settings.service, member: ainoID)
            let berttaRef = GroupService.memberRef(service: settings.service, member: berttaID)
            #expect(entries.contains { $0.action == "group.member_removed" && $0.target.hasSuffix(berttaRef) })
            #expect(entries.contains { $0.action == "group.member_banned" && $0.target.hasSuffix("\(ainoRef) (∞)") && $0.reason == "uhkailu" })
            #expect(listed.contains(ainoRef), "the member list shows the reference the log uses")
            #expect(entries.contains { $0.action == "group.ban_lifted" })
            for s in [a1, a2, b] { s.close() }
        }
    }
}
