import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Chat
@testable import DigitalSupport
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Materials

/// Client material given to a client (issue 22): a coaching task links to a
/// material of the bank by its client page; the coachee opens it without
/// anything more. Only material the bank knows as client material is taken.
@Suite struct MaterialAttachmentTests {
    @Test func aCoachingTaskLinksToClientMaterialOnly() async throws {
        try await withApp { app, client in
            let (service, coach) = try await CoachingTests.coach(app, client)
            let person = try await CoachingTests.member(client, "Materiaalin Saaja")
            _ = try await CoachingTests.invited(coach, service, person)
            let hits = try #require(
                try JSONSerialization.jsonObject(with: Data(try await coach.get("/api/materials?q=selkoopas").text.utf8)) as? [[String: Any]])
            let path = try #require(hits.first?["client_path"] as? String)
            let staffOnly = try #require(
                try JSONSerialization.jsonObject(with: Data(try await coach.get("/api/materials?q=muistilista").text.utf8)) as? [[String: Any]])
            let staffID = try #require(staffOnly.first?["id"] as? String)
            let coachee = try #require(
                CoachingTests.array(try await coach.get("/api/coaching/services/\(service)/coachees")).first {
                    $0["nickname"] as? String == "Materiaalin Saaja"
                }?["member"] as? String)

            func give(_ material: String) async throws -> TestResponse {
                try await coach.json(
                    .post, "/api/coaching/services/\(service)/tasks",
                    #"{"coachee":"\#(coachee)","title":"Lue opas","answerKind":"done","material":"\#(material)"}"#)
            }
            let given = try await give(path)
            #expect(given.status == .created, "\(given.text)")
            #expect((CoachingTests.array(given).first?["content"] as? [String: Any])?["material"] as? String == path)
            // Staff-only material, or none by that id: refused as a bad material.
            #expect(errorCode(try await give("/materials/\(staffID)")) == "bad_material")
            #expect(errorCode(try await give("/materials/\(UUID().uuidString.lowercased())")) == "bad_material")
            // The coachee's page links to it, and the link opens the material.
            let page = try await person.get("/my/coaching/\(service)")
            #expect(page.status == .ok && page.text.contains("href=\"\(path)\""))
            #expect(try await person.get(path).status == .ok)
        }
    }

    /// The coach's task form offers the bank's client material to pick (not
    /// staff material); an address elsewhere stays possible, but not both.
    /// Both sides see the material's title as the link; deleted from the
    /// bank, the task stays without a link.
    @Test func aCoachPicksBankMaterialForATaskAndBothSidesSeeItsTitle() async throws {
        try await withApp { app, client in
            let (service, coach) = try await CoachingTests.coach(app, client)
            let person = try await CoachingTests.member(client, "Pankin Valmennettava")
            _ = try await CoachingTests.invited(coach, service, person)
            let id = try await Self.clientLink(coach, "Työnhaun opas selkokielellä")
            let staffOnly = try #require(
                try JSONSerialization.jsonObject(with: Data(try await coach.get("/api/materials?q=muistilista").text.utf8)) as? [[String: Any]])
            let staffID = try #require(staffOnly.first?["id"] as? String)
            let coachees = try await app.coaching.service.repository.coachees(service: try #require(UUID(uuidString: service)), coach: nil)
            let member = try #require(coachees.first { $0.nickname == "Pankin Valmennettava" }).member
            let path = "/coaching/valmennus/coachees/\(member.text())"
            let form = try await coach.get(path).text
            #expect(form.contains("<option value=\"\(id)\">Työnhaun opas selkokielellä</option>") && !form.contains(staffID))

            func give(_ title: String, bank: String, link: String) async throws -> TestResponse {
                try await coach.post(
                    path + "/tasks",
                    [
                        ("template", ""), ("title", title), ("instructions", ""), ("answerKind", "done"), ("checklist", ""), ("bank", bank),
                        ("material", link), ("dueDate", ""), ("dueTime", "16:00"),
                    ])
            }
            let both = try await give("Lue opas", bank: id, link: "https://example.org/muu")
            #expect(both.status == .badRequest && both.text.contains("Choose material from the bank or write a link, not both."))
            #expect(both.text.contains("<option value=\"\(id)\" selected>") && both.text.contains(##"href="#bank""##))
            let staff = try await give("Lue opas", bank: staffID, link: "")
            #expect(staff.status == .badRequest && staff.text.contains("Choose material made for clients"))
            #expect(try await give("Lue opas", bank: id, link: "").status == .seeOther)
            #expect(try await give("Lue muualta", bank: "", link: "https://example.org/muu").status == .seeOther)

            let anchor = #"<a href="/materials/\#(id)" rel="noopener noreferrer" class="break">Työnhaun opas selkokielellä</a>"#
            let elsewhere = #"<a href="https://example.org/muu" rel="noopener noreferrer" class="break">https://example.org/muu</a>"#
            for page in [try await coach.get(path).text, try await person.get("/my/coaching/valmennus").text] {
                #expect(page.contains(anchor) && page.contains(elsewhere))
            }
            #expect(try await coach.json(.delete, "/api/materials/\(id)", "").status == .noContent)
            for page in [try await coach.get(path).text, try await person.get("/my/coaching/valmennus").text] {
                #expect(page.contains("Lue opas") && !page.contains("/materials/\(id)") && page.contains(elsewhere))
            }
        }
    }

    /// The demo client's latest mapping is a practical user's (online
    /// services, safety): the progress page suggests the bank's client
    /// material on those themes in the reader's language, plain language
    /// first, before the built-in links.
    @Test func theNeedsMappingSuggestsTheBanksClientMaterialOnItsThemes() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            func path(_ q: String) async throws -> String {
                let hits = try #require(
                    try JSONSerialization.jsonObject(with: Data(try await worker.get("/api/materials?q=\(q)").text.utf8)) as? [[String: Any]])
                return try #require(hits.first?["client_path"] as? String)
            }
            let plain = try await path("selkoopas"), suomi = try await path("suomi")
            for (language, expected) in [("fi", [plain, suomi]), ("en", [suomi])] {
                let me = Browser(client, language: language)
                #expect(try await me.post("/account/signin", [("nickname", "valmennettava"), ("password", demoPassword)]).status == .seeOther)
                let page = try await me.get("/my/digital/mapping/progress").text
                let found = [plain, suomi].filter { page.contains("href=\"\($0)\"") }
                #expect(found == expected, "\(language): \(found)")
                let positions = expected.compactMap { page.range(of: "href=\"\($0)\"")?.lowerBound }
                #expect(positions == positions.sorted())
                if let first = positions.first, let builtIn = page.range(of: "digitaitot.fi")?.lowerBound { #expect(first < builtIn) }
                // The mapping JSON and the client's data download give the page's list, in its order.
                let section = try #require(page.range(of: "<h3 id=\"material\">")).upperBound
                let list = page[section...]
                let listed = String(list[..<(try #require(list.range(of: "</ul>")).lowerBound)]).components(separatedBy: "href=\"").dropFirst()
                    .map { String($0.prefix { $0 != "\"" }) }
                #expect(listed.count > expected.count && Array(listed.prefix(expected.count)) == expected, "\(listed)")
                let json = DigitalMappingTests.array(try await me.get("/api/my/digital/mappings")).last?["profile"] as? [String: Any]
                #expect((json?["material"] as? [[String: Any]])?.compactMap { $0["url"] as? String } == listed)
                let data = try #require(try JSONSerialization.jsonObject(with: Data(try await me.get("/account/data").text.utf8)) as? [String: Any])
                let downloaded = ((data["digital_support"] as? [String: Any])?["mappings"] as? [[String: Any]])?.last?["profile"] as? [String: Any]
                #expect((downloaded?["material"] as? [[String: Any]])?.compactMap { $0["url"] as? String } == listed)
            }
        }
    }

    /// Client material the worker adds as a link (the bank's API), by id.
    static func clientLink(_ worker: Browser, _ title: String) async throws -> String {
        let body: [String: Any] = [
            "title": title, "url": "https://example.org/\(abs(title.hashValue))", "audiences": ["clients"], "languages": ["fi"],
            "visibility": "network", "themes": [] as [String],
        ]
        let made = try await worker.json(.post, "/api/materials", String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
        #expect(made.status == .created, "\(made.text)")
        return try #require((try JSONSerialization.jsonObject(with: Data(made.text.utf8)) as? [String: Any])?["id"] as? String)
    }

    /// A worker gives a goal one client material: the API keeps it, the
    /// client's progress page and the buddy's facts link to its page. Staff
    /// material, another network's, an unknown id: refused. Deleted from the
    /// bank, the goal stays and shows no link (never one that answers 404).
    @Test func aDigitalSupportGoalCarriesClientMaterialAndTheClientSeesItsLink() async throws {
        try await withApp { app, client in
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let (me, member) = try await DigitalSupportTests.member(app, client, "Tavoitteen Saaja")
            _ = try await DigitalMappingTests.map(worker, "Tavoitteen Saaja", DigitalMappingTests.practical)
            let id = try await Self.clientLink(worker, "Pankkitunnukset selkokielellä")
            let staffOnly = try #require(
                try JSONSerialization.jsonObject(with: Data(try await worker.get("/api/materials?q=muistilista").text.utf8)) as? [[String: Any]])
            let staffID = try #require(staffOnly.first?["id"] as? String)
            var draft = MaterialDraft()
            (draft.title, draft.audiences, draft.languages, draft.visibility) = ("Toisen verkoston opas", ["clients"], ["fi"], "network")
            let elsewhere = StaffPrincipal(
                staffID: UUID(), sessionID: UUID(), email: "toinen@demo.invalid", role: .coordinator, organisationID: UUID(), networkID: UUID(),
                workName: "Toinen")
            let foreign = try await app.materials.service.add(draft, file: ("opas.txt", Data("Toisen verkoston opas".utf8)), by: elsewhere)

            let goals = "/api/digital/clients/\(member.uuidString)/goals"
            func give(_ material: String) async throws -> TestResponse {
                try await worker.json(
                    .post, goals, DigitalMappingTests.body(["theme": "safety", "text": "Opin pankkitunnukset", "material": material]))
            }
            for refused in [staffID, foreign.id.uuidString, UUID().uuidString, "ei-tunniste"] {
                DigitalMappingTests.refused(try await give(refused), .badRequest, "bad_material", "\(refused)")
            }
            let given = try await give(id)
            #expect(given.status == .created, "\(given.text)")
            #expect(DigitalMappingTests.object(given)["material"] as? String == id)
            #expect(DigitalMappingTests.array(try await worker.get(goals)).first?["material"] as? String == id)

            // The worker's form offers the client material, not the staff material; a bad pick is a field error.
            let base = "/digital/mapping/clients/\(member.text())"
            let form = try await worker.get(base).text
            #expect(form.contains("<option value=\"\(id)\">Pankkitunnukset selkokielellä</option>") && !form.contains(staffID))
            let bad = try await worker.post("\(base)/goals", [("theme", "safety"), ("text", "Toinen"), ("material", staffID)])
            #expect(bad.status == .badRequest && bad.text.contains("Choose material made for clients"))

            // The client's page and the buddy's facts link to the material's page, which opens.
            let path = "/materials/\(id)"
            let page = try await me.get("/my/digital/mapping/progress").text
            #expect(page.contains("<a href=\"\(path)\">Pankkitunnukset selkokielellä</a>"))
            #expect(try await me.get(path).status == .ok)
            let organisation = try #require(try await app.digital.service.myGoals(member: member).first?.organisation)
            let facts = DigitalBuddyFacts(digital: app.digital.service)
            #expect(try await facts.goals(of: member, organisation: organisation).first?.material?.path == path)

            // Deleted from the bank: the goal stays, without a link.
            #expect(try await worker.json(.delete, "/api/materials/\(id)", "").status == .noContent)
            let after = try await me.get("/my/digital/mapping/progress").text
            #expect(after.contains("Opin pankkitunnukset") && !after.contains(path))
            #expect(try await facts.goals(of: member, organisation: organisation).first?.material == nil)
        }
    }

    /// A goal's material reaches the client's goals API and data download
    /// and the buddy's API as the pages show it: its title and page. Made
    /// staff-only, then deleted from the bank: the goal stays, without a link.
    @Test func aGoalsMaterialIsInTheDataDownloadAndTheBuddyAPIOnlyWhileForClients() async throws {
        try await withApp { app, client in
            let volunteer = try await DigitalBuddyTests.staff(client, "volunteer1@demo.invalid")
            try await DigitalBuddyTests.finishCourse(volunteer)
            let worker = try await ReachoutAPITests.staff(client, "worker2@demo.invalid")
            let (me, member) = try await DigitalSupportTests.member(app, client, "Aineiston Saaja")
            _ = try await DigitalMappingTests.map(worker, "Aineiston Saaja", DigitalMappingTests.practical)
            let id = try await Self.clientLink(worker, "Verkkopankin opas")
            let link = ["title": "Verkkopankin opas", "path": "/materials/\(id)"]
            let given = try await worker.json(
                .post, "/api/digital/clients/\(member.uuidString)/goals",
                DigitalMappingTests.body(["theme": "safety", "text": "Opin verkkopankin", "material": id]))
            #expect(given.status == .created, "\(given.text)")
            #expect(DigitalMappingTests.object(given)["materialLink"] as? [String: String] == link)
            let buddy = try await ReachoutAPITests.staffID(app, "volunteer1@demo.invalid")
            let assigned = try await worker.json(
                .post, "/api/digital/buddy/assignments", DigitalBuddyTests.body(["buddy": buddy, "nickname": "Aineiston Saaja"]))
            #expect(assigned.status == .created, "\(assigned.text)")

            /// The goal as the download, the client's goals API and the buddy's API give it.
            func goals() async throws -> [[String: Any]] {
                let data = try #require(try JSONSerialization.jsonObject(with: Data(try await me.get("/account/data").text.utf8)) as? [String: Any])
                let downloaded = try #require((data["digital_support"] as? [String: Any])?["goals"] as? [[String: Any]])
                let mine = DigitalMappingTests.array(try await me.get("/api/my/digital/goals"))
                let clients = DigitalBuddyTests.object(try await volunteer.get("/api/digital/buddy"))["clients"] as? [[String: Any]]
                let buddys = try #require(clients?.first?["goals"] as? [[String: Any]])
                return [downloaded, mine, buddys].map { $0.first { $0["text"] as? String == "Opin verkkopankin" } ?? [:] }
            }
            for goal in try await goals() { #expect(goal["materialLink"] as? [String: String] == link, "\(goal)") }

            var edited: [String: Any] = [
                "title": "Verkkopankin opas", "url": "https://example.org/verkkopankki", "audiences": ["staff"], "languages": ["fi"],
                "visibility": "network", "themes": [] as [String],
            ]
            let staffOnly = try await worker.json(
                .put, "/api/materials/\(id)", String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self))
            #expect(staffOnly.status == .ok, "\(staffOnly.text)")
            for goal in try await goals() { #expect(goal["text"] != nil && goal["materialLink"] == nil, "\(goal)") }
            edited["audiences"] = ["clients"]
            _ = try await worker.json(
                .put, "/api/materials/\(id)", String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self))
            #expect(try await goals().allSatisfy { $0["materialLink"] as? [String: String] == link })
            #expect(try await worker.json(.delete, "/api/materials/\(id)", "").status == .noContent)
            for goal in try await goals() { #expect(goal["text"] != nil && goal["materialLink"] == nil, "\(goal)") }
        }
    }

    /// The console's picker lists the client material the worker may see,
    /// by words of the title: not staff material, not another
    /// organisation's own, not another network's; each with its link.
    @Test func theChatPickerListsOnlyClientMaterialTheWorkerMaySee() async throws {
        try await withApp { app, client in
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let shared = try await Self.clientLink(worker, "Chatin opas pankkiin")
            let other = try await ReachoutAPITests.staff(client, "worker2@demo.invalid")
            let ownID = try #require(
                DigitalMappingTests.object(
                    try await other.json(
                        .post, "/api/materials",
                        #"{"title":"Chatin oma opas","url":"https://example.org/oma","audiences":["clients"],"languages":["fi"],"visibility":"organisation"}"#
                    ))["id"] as? String)
            var draft = MaterialDraft()
            (draft.title, draft.audiences, draft.languages, draft.visibility) = ("Chatin vieras opas", ["clients"], ["fi"], "network")
            let elsewhere = StaffPrincipal(
                staffID: UUID(), sessionID: UUID(), email: "toinen@demo.invalid", role: .coordinator, organisationID: UUID(), networkID: UUID(),
                workName: "Toinen")
            _ = try await app.materials.service.add(draft, file: ("opas.txt", Data("Vieras".utf8)), by: elsewhere)
            _ = try await worker.json(
                .post, "/api/materials",
                #"{"title":"Chatin muistilista","url":"https://example.org/m","audiences":["staff"],"languages":["fi"],"visibility":"network"}"#)

            let found = DigitalMappingTests.array(try await worker.get("/api/support/materials?q=chatin"))
            #expect(found.map { $0["title"] as? String } == ["Chatin opas pankkiin"])
            #expect(found.first?["url"] as? String == "/materials/\(shared)" && found.first?["path"] as? String == "/materials/\(shared)")
            // The other organisation's worker finds their own material too, and by two words.
            let theirs = DigitalMappingTests.array(try await other.get("/api/support/materials?q=chatin%20opas")).compactMap { $0["id"] as? String }
            #expect(Set(theirs) == [shared, ownID])
            #expect(errorCode(try await worker.get("/api/support/materials?q=" + String(repeating: "a", count: 201))) == "material_bad_query")
            #expect(ChatMaterialsController.url("/materials/x", publicURL: "https://kohtaamo.example/") == "https://kohtaamo.example/materials/x")
        }
    }
}
