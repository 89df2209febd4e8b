import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Finder
@testable import Kohtaamo
@testable import KohtaamoBase

/// Coordinators keep their help points in the finder (issue 21): through
/// the JSON API and the pages, with their exceptions; workers may not, and
/// another organisation's point is not found. The demo's clock is Tuesday
/// 2026-11-24 noon in Helsinki.
@Suite struct FinderUpkeepTests {
    static let library = #"""
        {"municipality":"Oulu","name":"Oulun kirjaston digituki","description":"Apua puhelimen kanssa.","place":"library",
         "address":"Kaarlenväylä 3","postal_code":"90100","city":"Oulu","themes":["messaging","device_basics"],
         "languages":["fi","en"],"access":"drop_in","phone":"+358 40 123 4567","email":"digi@example.fi",
         "url":"https://example.fi/digi","hours":"MO,TU 09:00-16:00; WE 12:00-18:00"}
        """#

    func object(_ r: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any])
    }

    func fields(_ r: TestResponse) throws -> [String: String] {
        let list = try #require(try object(r)["fields"] as? [[String: String]])
        return Dictionary(list.map { ($0["field"] ?? "", $0["code"] ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    @Test func aCoordinatorAddsEditsAndRemovesAPointThroughTheAPI() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let c = Browser(client, language: "en")
            try await c.signIn("coordinator@demo.invalid")
            let made = try await c.json(.post, "/api/finder/points", Self.library)
            #expect(made.status == .created, "\(made.text)")
            let point = try object(made)
            let id = try #require(point["id"] as? String)
            #expect(point["municipality"] as? String == "Oulu" && point["municipality_slug"] as? String == "oulu")
            #expect(point["page"] as? String == "/finder/oulu")
            #expect(point["organisation_name"] as? String == "Aalto association")
            #expect(point["themes"] as? [String] == ["device_basics", "messaging"])
            #expect(point["languages"] as? [String] == ["fi", "en"])
            #expect(point["hours"] as? String == "MO,TU 09:00-16:00; WE 12:00-18:00")
            let weekly = try #require(point["weekly"] as? [[String: Any]])
            #expect(weekly.count == 3 && weekly[0]["weekday"] as? Int == 1 && weekly[0]["opens"] as? String == "09:00")
            #expect(weekly[2]["weekday"] as? Int == 3 && weekly[2]["closes"] as? String == "18:00")
            #expect(point["chat_service"] as? String == "")

            let list = try await c.get("/api/finder/points")
            #expect(list.status == .ok)
            #expect(
                try #require(try JSONSerialization.jsonObject(with: Data(list.text.utf8)) as? [[String: Any]]).map { $0["id"] as? String } == [id])

            // An answer sent back as it is saves the same point: the fields match.
            let edited = try await c.json(
                .put, "/api/finder/points/\(id)", made.text.replacingOccurrences(of: "Oulun kirjaston", with: "Oulun pääkirjaston"))
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(try object(edited)["name"] as? String == "Oulun pääkirjaston digituki")
            #expect(try object(edited)["organisation"] as? String == point["organisation"] as? String)
            #expect(try await app.finder.service.repository.point(id: UUID(uuidString: id)!)?.name == "Oulun pääkirjaston digituki")

            let removed = try await c.json(.delete, "/api/finder/points/\(id)", nil)
            #expect(removed.status == .noContent)
            #expect(try await c.get("/api/finder/points/\(id)").status == .notFound)
            #expect(try await app.finder.service.repository.point(id: UUID(uuidString: id)!) == nil)
            let actions = try await app.audit.entries(organisations: [try #require(UUID(uuidString: point["organisation"] as! String))]).map(\.action)
            #expect(Set(actions).isSuperset(of: ["finder.point.add", "finder.point.edit", "finder.point.delete"]))
        }
    }

    @Test func refusedFieldsComeBackTogetherWithCodesAndMessages() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let c = Browser(client, language: "en")
            try await c.signIn("coordinator@demo.invalid")
            let r = try await c.json(
                .post, "/api/finder/points",
                #"{"name":"","municipality":"Oulu","place":"castle","themes":["knitting"],"languages":["fi"],"access":"drop_in","url":"javascript:alert(1)","hours":"MO 16:00-09:00"}"#
            )
            #expect(r.status == .badRequest)
            let f = try fields(r)
            #expect(f == ["name": "required", "place": "bad_place", "themes": "bad_theme", "url": "bad_url", "hours": "bad_hours"])
            let body = try object(r)
            #expect(body["code"] as? String == "required" && body["message"] as? String == "This is missing.")
            let first = try #require((body["fields"] as? [[String: String]])?.first { $0["field"] == "url" })
            #expect(first["message"] == "A web address starts with https://.")
            // In Finnish for a Finnish reader.
            c.language = "fi"
            #expect(try object(try await c.json(.post, "/api/finder/points", #"{}"#))["message"] as? String != "This is missing.")
            // Not the shape asked for: bad_json, as everywhere.
            #expect(errorCode(try await c.json(.post, "/api/finder/points", #"{"themes":"messaging"}"#)) == "bad_json")
            #expect(try await app.finder.service.repository.allPoints().isEmpty)
        }
    }

    @Test func aNetworkCoordinatorKeepsEveryOrganisationsPointsAndACoordinatorOnlyTheirOwn() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let network = Browser(client, language: "en")
            try await network.signIn("network@demo.invalid")
            let body = Self.library.replacingOccurrences(
                of: #""municipality":"Oulu""#, with: #""municipality":"Oulu","organisation":"Lähde association""#)
            let made = try await network.json(.post, "/api/finder/points", body)
            #expect(made.status == .created, "\(made.text)")
            let id = try #require(try object(made)["id"] as? String)
            #expect(try object(made)["organisation_name"] as? String == "Lähde association")
            // An edit that names no organisation keeps the point's, not the network coordinator's own.
            let edited = try await network.json(.put, "/api/finder/points/\(id)", Self.library.replacingOccurrences(of: "digituki", with: "apu"))
            #expect(try edited.status == .ok && (object(edited)["organisation_name"] as? String) == "Lähde association")

            // Aalto's coordinator does not see Lähde's point: not found, like one that is not there.
            let c = Browser(client, language: "en")
            try await c.signIn("coordinator@demo.invalid")
            #expect(try await c.get("/api/finder/points").text == "[]")
            for r in [
                try await c.get("/api/finder/points/\(id)"), try await c.json(.put, "/api/finder/points/\(id)", Self.library),
                try await c.json(.put, "/api/finder/points/\(id)/exceptions/2026-12-24", #"{"closed":true}"#),
                try await c.json(.delete, "/api/finder/points/\(id)/exceptions/2026-12-24", nil),
                try await c.json(.delete, "/api/finder/points/\(id)", nil), try await c.get("/admin/finder/\(id)"),
                try await c.post("/admin/finder/\(id)/delete"),
            ] {
                #expect(r.status == .notFound)
            }
            // Nor may they name Lähde as the organisation of a new point.
            let foreign = try await c.json(.post, "/api/finder/points", body)
            #expect(try foreign.status == .badRequest && (fields(foreign)) == ["organisation": "bad_organisation"])
            #expect(try await app.finder.service.repository.point(id: UUID(uuidString: id)!)?.name == "Oulun kirjaston apu")

            // The network coordinator's list names the organisation; the form offers both.
            let page = try await network.get("/admin/finder")
            #expect(page.status == .ok && page.text.contains("Lähde association") && page.text.contains("Oulun kirjaston apu"))
            let form = try await network.get("/admin/finder/\(id)")
            #expect(form.text.contains(#"<select id="point-organisation" name="organisation">"#))
            #expect(try await network.json(.delete, "/api/finder/points/\(id)", nil).status == .noContent)
        }
    }

    @Test func workersAndVolunteersMayNot() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let network = Browser(client, language: "en")
            try await network.signIn("network@demo.invalid")
            let id = try #require(try object(try await network.json(.post, "/api/finder/points", Self.library))["id"] as? String)
            for email in ["worker1@demo.invalid", "volunteer1@demo.invalid"] {
                let b = Browser(client, language: "en")
                try await b.signIn(email)
                for r in [
                    try await b.get("/api/finder/points"), try await b.json(.post, "/api/finder/points", Self.library),
                    try await b.get("/api/finder/points/\(id)"), try await b.json(.delete, "/api/finder/points/\(id)", nil),
                    try await b.json(.put, "/api/finder/points/\(id)/exceptions/2026-12-24", #"{"closed":true}"#),
                ] {
                    #expect(r.status == .forbidden && errorCode(r) == "finder_not_allowed", "\(email): \(r.status)")
                }
                #expect(try await b.get("/admin/finder").status == .forbidden)
                #expect(try await b.post("/admin/finder/\(id)/delete").status == .forbidden)
                #expect(!(try await b.get("/admin").text.contains("/admin/finder")))
            }
            #expect(try await app.finder.service.repository.allPoints().count == 1)
            #expect(try await Browser(client).get("/api/finder/points").status == .unauthorized)
        }
    }

    @Test func exceptionsAreSetReplacedAndRemoved() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let c = Browser(client, language: "en")
            try await c.signIn("coordinator@demo.invalid")
            let id = try #require(try object(try await c.json(.post, "/api/finder/points", Self.library))["id"] as? String)
            let eve = try await c.json(.put, "/api/finder/points/\(id)/exceptions/2026-12-24", #"{"closed":true,"opens":"x","note":"Jouluaatto"}"#)
            #expect(eve.status == .ok, "\(eve.text)")
            var exceptions = try #require(try object(eve)["exceptions"] as? [[String: Any]])
            #expect(exceptions.count == 1 && exceptions[0]["closed"] as? Bool == true && exceptions[0]["opens"] == nil)
            #expect(exceptions[0]["note"] as? String == "Jouluaatto")
            // Today is allowed; the same day again replaces it.
            #expect(try await c.json(.put, "/api/finder/points/\(id)/exceptions/2026-11-24", #"{"opens":"10","closes":"14.00"}"#).status == .ok)
            let special = try await c.json(.put, "/api/finder/points/\(id)/exceptions/2026-12-24", #"{"opens":"10:00","closes":"13:00"}"#)
            exceptions = try #require(try object(special)["exceptions"] as? [[String: Any]])
            #expect(exceptions.map { $0["day"] as? String } == ["2026-11-24", "2026-12-24"])
            #expect(
                exceptions[1]["closed"] as? Bool == false && exceptions[1]["opens"] as? String == "10:00" && exceptions[1]["note"] as? String == "")
            let stored = try #require(try await app.finder.service.repository.point(id: UUID(uuidString: id)!))
            #expect(stored.exceptions.map(\.day.description) == ["2026-11-24", "2026-12-24"] && stored.exceptions[1].hours?.closes == 13 * 60)

            // Refused, each beside its field.
            let cases: [(String, String, [String: String])] = [
                ("2026-11-23", #"{"closed":true}"#, ["day": "bad_day"]),
                ("2026-02-30", #"{"closed":true}"#, ["day": "bad_day"]),
                ("2029-01-01", #"{"closed":true}"#, ["day": "bad_day"]),
                ("2026-12-31", #"{"opens":"14:00","closes":"10:00"}"#, ["closes": "bad_time"]),
                ("2026-12-31", #"{"opens":"25:00"}"#, ["opens": "bad_time", "closes": "required"]),
                ("2026-12-31", "", ["opens": "required", "closes": "required"]),
                ("2026-12-31", #"{"closed":true,"note":"\#(String(repeating: "a", count: 201))"}"#, ["note": "too_long"]),
                ("2026-12-31", #"{"closed":true,"note":"tab\there"}"#, ["note": "bad_note"]),
            ]
            for (day, body, expected) in cases {
                let r = try await c.json(.put, "/api/finder/points/\(id)/exceptions/\(day)", body.isEmpty ? nil : body)
                #expect(try r.status == .badRequest && (fields(r)) == expected, "\(day) \(body): \(r.text)")
            }
            #expect(try await app.finder.service.repository.point(id: UUID(uuidString: id)!)?.exceptions.count == 2)

            #expect(try await c.json(.delete, "/api/finder/points/\(id)/exceptions/2026-12-24", nil).status == .noContent)
            #expect(try await c.json(.delete, "/api/finder/points/\(id)/exceptions/2026-12-24", nil).status == .noContent)
            #expect(try await c.json(.delete, "/api/finder/points/\(id)/exceptions/joulu", nil).status == .notFound)
            #expect(try await app.finder.service.repository.point(id: UUID(uuidString: id)!)?.exceptions.map(\.day.description) == ["2026-11-24"])
            let org = try #require(try await app.finder.service.repository.point(id: UUID(uuidString: id)!)?.organisation)
            let audit = try await app.audit.entries(organisations: [org])
            #expect(audit.filter { $0.action == "finder.exception.set" }.count == 3)
            #expect(audit.filter { $0.action == "finder.exception.delete" }.map(\.target) == ["\(id) 2026-12-24"])

            // The page: add one with a refusal first (what was typed stays), then remove it.
            let refused = try await c.post(
                "/admin/finder/\(id)/exceptions", [("day", "2026-12-31"), ("opens", "16.00"), ("closes", "12.00"), ("note", "Uudenvuodenaatto")])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(##"<a href="#ex-closes">"##) && refused.text.contains(#"aria-describedby="ex-closes-error""#))
            #expect(refused.text.contains(#"value="Uudenvuodenaatto""#) && refused.text.contains(#"value="16.00""#))
            let added = try await c.post("/admin/finder/\(id)/exceptions", [("day", "2026-12-31"), ("closed", "1"), ("note", "Uudenvuodenaatto")])
            #expect(added.status == .seeOther)
            let page = try await c.get(try #require(added.location))
            #expect(page.text.contains("Uudenvuodenaatto") && page.text.contains("/admin/finder/\(id)/exceptions/2026-12-31/delete"))
            #expect(try await c.post("/admin/finder/\(id)/exceptions/2026-12-31/delete").status == .seeOther)
            #expect(!(try await c.get("/admin/finder/\(id)").text.contains("Uudenvuodenaatto")))
        }
    }

    @Test func theFormGivesBackWhatWasTypedWithEachFieldsError() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let c = Browser(client, language: "en")
            try await c.signIn("coordinator@demo.invalid")
            #expect(try await c.get("/admin").text.contains(#"href="/admin/finder""#))
            let empty = try await c.get("/admin/finder")
            #expect(empty.status == .ok && empty.text.contains("No help points yet."))
            #expect(empty.text.contains(#"href="/admin/finder/import">Import help points</a>"#))
            let form = try await c.get("/admin/finder/new")
            #expect(form.status == .ok && !form.text.contains("point-organisation"))
            var typed: [(String, String)] = [
                ("name", "Kirjasto <b>&</b>"), ("description", "Apua."), ("municipality", "Mänttä-Vilppula"), ("place", "library"),
                ("address", ""), ("postal_code", "123"), ("city", ""), ("themes", "safety"), ("themes", "content"), ("languages", "fi, sv"),
                ("access", "appointment"), ("phone", ""), ("email", ""), ("url", ""), ("chat_service", "tukichat"), ("hours", "MA-PE 9-15"),
            ]
            let refused = try await c.post("/admin/finder/new", typed)
            #expect(refused.status == .badRequest)
            let html = refused.text
            #expect(html.contains(#"class="error-summary""#) && html.contains(##"<a href="#point-address">This is missing.</a>"##))
            #expect(html.contains(##"<a href="#point-postal_code">A postal code has five digits.</a>"##))
            #expect(html.contains(#"aria-describedby="point-address-hint point-address-error""#))
            #expect(html.contains(#"value="Kirjasto &lt;b&gt;&amp;&lt;/b&gt;""#) && html.contains(#"value="Mänttä-Vilppula""#))
            #expect(html.contains(#"value="123""#) && html.contains(#"value="MA-PE 9-15""#))
            #expect(html.contains(#"id="point-themes-safety" name="themes" value="safety" checked"#))
            #expect(!html.contains(#"value="messaging" checked"#))
            #expect(html.contains(#"<option value="library" selected>"#) && html.contains(#"<option value="tukichat" selected>"#))
            #expect(try await app.finder.service.repository.allPoints().isEmpty)

            typed[4] = ("address", "Kirjastokatu 1")
            typed[5] = ("postal_code", "35800")
            let made = try await c.post("/admin/finder/new", typed)
            #expect(made.status == .seeOther)
            let point = try #require(try await app.finder.service.repository.allPoints().first)
            #expect(made.location == "/admin/finder/\(point.id.text())?saved=1")
            #expect(point.municipality == "mantta-vilppula" && point.hours.count == 5 && point.chatService == "tukichat")
            #expect(point.themes == [.safety, .content] && point.access == .appointment)

            let edit = try await c.get(try #require(made.location))
            #expect(edit.text.contains("Saved.") && edit.text.contains(#"href="/finder/mantta-vilppula""#))
            #expect(edit.text.contains(#"value="MO,TU,WE,TH,FR 09:00-15:00""#))
            // A Finnish reader sees the days as Finnish abbreviations, and the form takes them back.
            c.language = "fi"
            #expect(try await c.get("/admin/finder/\(point.id.text())").text.contains(#"value="ma,ti,ke,to,pe 09:00-15:00""#))
            c.language = "sv"
            #expect(try await c.get("/admin/finder/\(point.id.text())").text.contains(#"value="må,ti,on,to,fr 09:00-15:00""#))
            c.language = "en"
            var changed = typed
            changed[0] = ("name", "Mäntän kirjasto")
            changed[15] = ("hours", "ma,ti,ke,to,pe 09:00-15:00")
            changed.removeAll { $0.0 == "themes" }
            let noThemes = try await c.post("/admin/finder/\(point.id.text())", changed)
            #expect(noThemes.status == .badRequest && noThemes.text.contains(##"<a href="#point-themes-device_basics">This is missing.</a>"##))
            #expect(noThemes.text.contains(#"aria-describedby="point-themes-error""#))
            changed.append(("themes", "messaging"))
            #expect(try await c.post("/admin/finder/\(point.id.text())", changed).status == .seeOther)
            let saved = try await app.finder.service.repository.point(id: point.id)
            #expect(saved?.name == "Mäntän kirjasto" && saved?.hours == point.hours)

            let list = try await c.get("/admin/finder")
            #expect(list.text.contains("Mänttä-Vilppula") && list.text.contains(#"<a href="/finder/mantta-vilppula">"#))
            #expect(list.text.contains("Monday, Tuesday, Wednesday, Thursday, Friday 9:00–15:00"))

            let ask = try await c.get("/admin/finder/\(point.id.text())/delete")
            #expect(ask.status == .ok && ask.text.contains("Mäntän kirjasto"))
            #expect(try await app.finder.service.repository.point(id: point.id) != nil)
            let gone = try await c.post("/admin/finder/\(point.id.text())/delete")
            #expect(gone.status == .seeOther && gone.location == "/admin/finder?deleted=1")
            #expect(try await app.finder.service.repository.point(id: point.id) == nil)
            #expect(try await c.get("/admin/finder?deleted=1").text.contains("The help point was removed."))
        }
    }
}
