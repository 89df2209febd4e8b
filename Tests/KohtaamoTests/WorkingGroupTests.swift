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

/// A network's working group: staff only. Staff of the owner organisation
/// are in; staff of other organisations when invited; clients never see it.
@Suite struct WorkingGroupTests {
    @Test func staffOnlyRoomsAreInvisibleToClientsAndOpenToTheInvited() async throws {
        try await withLiveApp(now: GroupTests.noon) { app, client, port in
            let aalto = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.organisationID
            let record = ServiceRecord(
                id: UUID(), organisationID: aalto, slug: "etatyoryhma", kind: .group,
                names: .init(fi: "Etätyön työryhmä", sv: "", en: "Remote work group"),
                descriptions: .init(fi: "", sv: "", en: ""), languages: ["fi"], isPublic: false, sharedWith: [])
            _ = try await app.network.repository.saveService(record, at: app.clock.now)
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let fields = [
                ("style", "peer"), ("access", "staff"), ("rulesFi", "Luottamuksellista."), ("rulesSv", ""), ("rulesEn", ""),
                ("questionsFi", ""), ("questionsSv", ""), ("questionsEn", ""),
            ]
            // A public group cannot become staff-only: its listing would show it.
            let relatives = try #require(try await app.network.directory.service(slug: GroupTests.slug))
            let refused = try await coordinator.post("/admin/services/\(relatives.id.uuidString)/group", fields)
            #expect(refused.status == .badRequest && refused.text.contains("Make the service non-public first"))
            #expect(try await coordinator.post("/admin/services/\(record.id.uuidString)/group", fields).status == .seeOther)

            // Staff-only now: the service form refuses to make it public, and no public list shows it.
            let serviceForm = [
                ("slug", "etatyoryhma"), ("kind", "group"), ("nameFi", "Etätyön työryhmä"), ("nameSv", ""), ("nameEn", "Remote work group"),
                ("descriptionFi", ""), ("descriptionSv", ""), ("descriptionEn", ""), ("languages", "fi"), ("organisation", aalto.uuidString),
            ]
            let madePublic = try await coordinator.post("/admin/services/\(record.id.uuidString)", serviceForm + [("isPublic", "1")])
            #expect(madePublic.status == .badRequest && madePublic.text.contains("It cannot be made public"))
            #expect(try await coordinator.post("/admin/services/\(record.id.uuidString)", serviceForm).status == .seeOther, "other changes are kept")
            var stored = try #require(try await app.network.repository.service(id: record.id))
            #expect(stored.staffOnly && !stored.isPublic)
            stored.isPublic = true
            _ = try await app.network.repository.saveService(stored, at: app.clock.now)
            #expect(try await app.network.repository.service(id: record.id)?.isPublic == false, "the repository keeps it non-public too")
            let home = try await Browser(client, language: "en").get("/")
            #expect(home.status == .ok && !home.text.contains("Remote work group") && !home.text.contains("etatyoryhma"))
            #expect(try await Browser(client).get("/s/etatyoryhma").status == .notFound)

            // Invite Lähde's worker; Lähde's volunteer is not invited.
            let people = try await coordinator.get("/g/etatyoryhma/people")
            #expect(people.status == .ok && people.text.contains("Työntekijä 2") && !people.text.contains("Työntekijä 1"))
            let worker2 = try await app.accounts.service.repository.staff(email: "worker2@demo.invalid")!.id
            #expect(try await coordinator.post("/g/etatyoryhma/people", [("staff", UUID().uuidString)]).status == .badRequest)
            #expect(try await coordinator.post("/g/etatyoryhma/people", [("staff", worker2.uuidString)]).status == .seeOther)

            // Clients see nothing: no page, no room, no feed, no joining.
            let member = try await GroupTests.member(client, "Aino")
            for path in ["/g/etatyoryhma", "/g/etatyoryhma/room", "/g/etatyoryhma/calendar.ics"] {
                #expect(try await member.get(path).status == .notFound, "\(path) for a member")
                #expect(try await Browser(client).get(path).status == .notFound, "\(path) for anyone")
            }
            #expect(try await member.post("/g/etatyoryhma/join", [("nickname", "Aino"), ("accept", "1"), ("rulesVersion", "2")]).status == .notFound)

            let w1 = Browser(client, language: "en"), w2 = Browser(client, language: "en"), volunteer = Browser(client, language: "en")
            try await w1.signIn("worker1@demo.invalid")
            try await w2.signIn("worker2@demo.invalid")
            try await volunteer.signIn("volunteer1@demo.invalid")
            #expect(try await w1.get("/g/etatyoryhma/room").status == .ok)
            #expect(try await w2.get("/g/etatyoryhma/room").status == .ok)
            #expect(try await volunteer.get("/g/etatyoryhma/room").status == .forbidden)

            let settings = try #require(try await app.groups.service.repository.settings(service: record.id))
            let c = settings.conversation.uuidString.lowercased()
            let a = TestSocket(port: port, cookie: w1.cookieLine), b = TestSocket(port: port, cookie: w2.cookieLine)
            let m = TestSocket(port: port, cookie: member.cookieLine)
            for s in [a, b] {
                s.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
                _ = await s.next("synced")
            }
            #expect(await b.next("presence")?["here"] as? Int == 2, "two here now")
            a.send(sendFrame(c, "Hyviä käytäntöjä"))
            #expect(await b.next("msg")?["body"] as? String == "Hyviä käytäntöjä")
            m.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            #expect(await m.next("error")?["code"] as? String == "not_participant")

            // Taken off the list: out of the room at once.
            #expect(try await coordinator.post("/g/etatyoryhma/people", []).status == .seeOther)
            b.send(sendFrame(c, "Vielä yksi"))
            #expect(await b.next("error")?["code"] as? String == "not_participant")
            #expect(try await w2.get("/g/etatyoryhma/room").status == .forbidden)
            for s in [a, b, m] { s.close() }
        }
    }
}
