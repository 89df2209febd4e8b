import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

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
            }
        }
    }
}
