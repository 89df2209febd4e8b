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

/// Coordinators create services, set opening hours and exceptions; the
/// public pages show them.
@Suite struct ServiceAdminTests {
    func serviceForm(
        slug: String, org: UUID, name: String = "Digikahvila", languages: [String] = ["fi", "sv"],
        shares: [UUID] = []
    ) -> [(String, String)] {
        [
            ("slug", slug), ("kind", "digital_help"), ("nameFi", name), ("nameSv", "Digikafé"), ("nameEn", ""),
            ("descriptionFi", "Apua puhelimen kanssa."), ("descriptionSv", ""), ("descriptionEn", ""),
            ("organisation", org.uuidString), ("isPublic", "1"),
        ]
            + languages.map { ("languages", $0) } + shares.map { ("shares", $0.uuidString) }
    }

    @Test func createServiceSetHoursAndSeeItPublicly() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            try await b.signIn("coordinator@demo.invalid")
            let org = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            let lahde = try await app.network.repository.organisations(network: app.network.repository.networks()[0].id).first { $0.id != org }!
            let created = try await b.post("/admin/services/new", serviceForm(slug: "digikahvila", org: org, shares: [lahde.id]))
            #expect(created.status == .seeOther)
            let service = try await app.network.repository.service(slug: "digikahvila")!
            #expect(created.location == "/admin/services/\(service.id.uuidString)/hours")
            #expect(service.sharedWith == [lahde.id])
            #expect(service.languages == ["fi", "sv"])
            // Tuesday 12.00 now; open Tuesday 9–16 and Wednesday 10–12.
            let hours = try await b.post(
                "/admin/services/\(service.id)/hours", [("opens_2", "9"), ("closes_2", "16.00"), ("opens_3", "10:00"), ("closes_3", "12")])
            #expect(hours.status == .seeOther)
            let page = try await Browser(client).get("/s/digikahvila")
            #expect(page.status == .ok)
            #expect(page.text.contains("Digikahvila"))
            #expect(page.text.contains("Auki nyt. Sulkeutuu tänään klo 16.00."))
            #expect(page.text.contains("9.00–16.00"))
            let sv = try await Browser(client, language: "sv").get("/s/digikahvila")
            #expect(sv.text.contains("Digikafé"))
            #expect(sv.text.contains("Öppet nu. Stänger i dag kl. 16.00."))
            let en = try await Browser(client, language: "en").get("/s/digikahvila")
            #expect(en.text.contains("Digikahvila"))  // no English name: Finnish is shown
            #expect(en.text.contains("Open now. Closes today at 16:00."))
            // Front page lists it with its state.
            #expect(try await Browser(client).get("/").text.contains("/s/digikahvila"))
        }
    }

    @Test func exceptionsShowAndCanBeRemoved() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            try await b.signIn("network@demo.invalid")
            let desk = try await app.network.repository.service(slug: "digituki-kirjasto")!
            // Today (Tuesday) is closed for training; Wednesday only 12–14.
            #expect(
                try await b.post("/admin/services/\(desk.id)/exceptions", [("day", "2026-11-24"), ("closed", "1"), ("note", "Koulutuspäivä")]).status
                    == .seeOther)
            #expect(
                try await b.post("/admin/services/\(desk.id)/exceptions", [("day", "2026-11-25"), ("opens", "12"), ("closes", "14"), ("note", "")])
                    .status == .seeOther)
            let page = try await Browser(client).get("/s/digituki-kirjasto").text
            #expect(page.contains("Suljettu nyt. Aukeaa huomenna klo 12.00."))
            #expect(page.contains("Koulutuspäivä"))
            #expect(try await b.post("/admin/services/\(desk.id)/exceptions/2026-11-24/delete").status == .seeOther)
            #expect(try await Browser(client).get("/s/digituki-kirjasto").text.contains("Auki nyt. Sulkeutuu tänään klo 16.00."))
        }
    }

    @Test func badHoursAreShownNextToTheDayAndNothingIsSaved() async throws {
        try await withApp { app, client in
            let b = Browser(client, language: "en")
            try await b.signIn("coordinator@demo.invalid")
            let chat = try await app.network.repository.service(slug: "tukichat")!
            let r = try await b.post(
                "/admin/services/\(chat.id)/hours", [("opens_1", "9"), ("closes_1", "8"), ("opens_2", "25"), ("closes_2", "26"), ("opens_3", "9")])
            #expect(r.status == .badRequest)
            #expect(r.text.contains("The closing time must be after the opening time."))
            #expect(r.text.contains("Enter a time like 9.00 or 17.30."))
            #expect(r.text.contains(##"href="#opens_1""##))  // error summary links to the field
            #expect(r.text.contains(#"id="opens_1" name="opens_1" type="text" inputmode="decimal" size="5" value="9""#))  // input kept
            #expect(r.text.contains("<title>Error: "))
            #expect(try await app.network.repository.schedule(service: chat.id).weekly.count == 7)
            let ex = try await b.post("/admin/services/\(chat.id)/exceptions", [("day", "2026-02-30"), ("note", "x")])
            #expect(ex.status == .badRequest)
            #expect(ex.text.contains("Enter the date like 2026-12-24."))
        }
    }

    @Test func badServiceFormKeepsInputAndExplains() async throws {
        try await withApp { app, client in
            let b = Browser(client, language: "en")
            try await b.signIn("coordinator@demo.invalid")
            let org = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            let taken = try await b.post("/admin/services/new", serviceForm(slug: "tukichat", org: org, name: "Toinen <b>chat</b>"))
            #expect(taken.status == .badRequest)
            #expect(taken.text.contains("This address is already in use."))
            #expect(taken.text.contains("Toinen &lt;b&gt;chat&lt;/b&gt;"))  // shown as text, kept in the field
            let bad = try await b.post("/admin/services/new", serviceForm(slug: "Bad Slug!", org: org, name: "x", languages: []))
            #expect(bad.status == .badRequest)
            for message in ["The address can have 2–40 characters", "Enter the Finnish name", "Choose at least one language."] {
                #expect(bad.text.contains(message), "\(message)")
            }
            // The demo's three and its coaching service.
            #expect(try await app.network.repository.services(network: app.network.repository.networks()[0].id).count == 4)
        }
    }

    @Test func hiddenServiceIsNotPublic() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            try await b.signIn("coordinator@demo.invalid")
            let org = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            var form = serviceForm(slug: "salainen", org: org)
            form.removeAll { $0.0 == "isPublic" }
            #expect(try await b.post("/admin/services/new", form).status == .seeOther)
            #expect(try await Browser(client).get("/s/salainen").status == .notFound)
            #expect(!(try await Browser(client).get("/").text.contains("salainen")))
        }
    }
}
