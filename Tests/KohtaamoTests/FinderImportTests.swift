import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Finder
@testable import Kohtaamo
@testable import KohtaamoBase

/// The import of help points from CSV, as a coordinator uses it: the JSON
/// entry point `POST /api/finder/import` and the page `/admin/finder/import`,
/// on the demo and the suite's database (SQLite, or PostgreSQL under
/// scripts/pg-throwaway). Aalto ry's coordinator and the network's
/// coordinator (also of Aalto ry) import; Lähde ry is the network's other organisation.
@Suite struct FinderImportTests {
    static let header = "municipality,name,description,organisation,place,address,postal_code,city,themes,languages,access,phone,email,url,hours"

    static func staff(_ client: any TestClientProtocol, _ email: String, language: String = "en") async throws -> Browser {
        let b = Browser(client, language: language)
        try await b.signIn(email)
        return b
    }

    static func post(_ b: Browser, _ csv: String, type: String = "text/csv") async throws -> TestResponse {
        try await b.json(.post, "/api/finder/import", csv, headers: [.contentType: type])
    }

    static func object(_ r: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]) ?? [:]
    }

    /// The refused file's problems as "line column code".
    static func problems(_ r: TestResponse) -> [String] {
        ((object(r)["problems"] as? [[String: Any]]) ?? []).map { "\($0["line"] ?? "") \($0["column"] ?? "") \($0["code"] ?? "")" }
    }

    static func row(_ name: String, municipality: String = "Oulu", place: String = "library", themes: String = "\"messaging,safety\"") -> String {
        "\(municipality),\(name),,,\(place),Kirkkokatu 1,90100,Oulu,\(themes),fi,drop_in,,,,\"TU,TH 10:00-14:00\""
    }

    @Test func everyBadRowIsReportedByLineAndColumnAndNothingIsSaved() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            let csv = [
                Self.header,
                Self.row("Hyvä piste"),
                // Line 3: a description over two lines, so the next row starts on line 5.
                "Oulu,Toinen piste,\"Ensimmäinen rivi\nToinen rivi\",,mall,Isokatu 2,9010,Oulu,messaging,fi,drop_in,,,,",
                "Oulu,,,,library,Katu 3,90100,Oulu,safety,fi,sometimes,,,,",
                Self.row("Hyvä piste"),
            ].joined(separator: "\n")
            let r = try await Self.post(coordinator, csv)
            #expect(r.status == .badRequest && Self.object(r)["code"] as? String == "bad_file", "\(r.text)")
            #expect(
                Self.problems(r) == ["3 postal_code bad_postal_code", "5 name required", "5 access bad_access", "6 name duplicate_row"], "\(r.text)")
            let first = try #require((Self.object(r)["problems"] as? [[String: Any]])?.first)
            #expect(first["message"] as? String == "A postal code has five digits.")
            #expect(try await app.finder.service.repository.allPoints().isEmpty)
            #expect(try await app.finder.service.repository.municipality(slug: "oulu") == nil)
        }
    }

    @Test func aGoodFileIsSavedWholeAndImportingItAgainReplacesInsteadOfDoubling() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            let csv =
                [Self.header, Self.row("Kirjaston digituki"), Self.row("Verkkotuki", place: "online"), Self.row("Iin tuki", municipality: "Ii")]
                .joined(separator: "\r\n") + "\r\n"
            let first = try await Self.post(coordinator, csv)
            #expect(first.status == .ok, "\(first.text)")
            #expect(Self.object(first)["saved"] as? Int == 3 && Self.object(first)["replaced"] as? Int == 0)
            #expect(Set(Self.object(first)["municipalities"] as? [String] ?? []) == ["oulu", "ii"])
            let saved = try await app.finder.service.repository.allPoints()
            #expect(saved.count == 3)
            let library = try #require(saved.first { $0.name == "Kirjaston digituki" })
            #expect(library.themes == [.messaging, .safety] && library.hours.map(\.weekday) == [2, 4] && library.place == .library)
            // Again, with a name in other case and a new description: replaced, same id, no double.
            let again = csv.replacingOccurrences(of: "Kirjaston digituki,", with: "KIRJASTON DIGITUKI,Uusi kuvaus")
            let second = try await Self.post(coordinator, again)
            #expect(second.status == .ok && Self.object(second)["replaced"] as? Int == 3, "\(second.text)")
            #expect((Self.object(second)["municipalities"] as? [String]) == [])
            let now = try await app.finder.service.repository.allPoints()
            #expect(now.count == 3)
            let replaced = try #require(now.first { $0.id == library.id })
            #expect(replaced.name == "KIRJASTON DIGITUKI" && replaced.description == "Uusi kuvaus")
            // One audit entry per import.
            let aalto = try #require(try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")).organisationID
            let audit = try await app.audit.entries(organisations: [aalto]).filter { $0.action == "finder.import" }
            #expect(audit.count == 2)
        }
    }

    @Test func finnishExcelSemicolonsABOMAndQuotedLineBreaksAreRead() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            let csv =
                "\u{FEFF}municipality;name;description;place;themes;languages;access;hours\r\n"
                + "Oulu;\"Tuki; kahvila\";\"Rivi yksi\r\nRivi \"\"kaksi\"\"\";online;messaging,content;fi,sv;appointment;MA-PE 9.00-12.00\r\n"
            let r = try await Self.post(coordinator, csv)
            #expect(r.status == .ok, "\(r.text)")
            let point = try #require(try await app.finder.service.repository.allPoints().first)
            #expect(point.name == "Tuki; kahvila" && point.description == "Rivi yksi\r\nRivi \"kaksi\"")
            #expect(point.themes == [.messaging, .content] && point.languages == ["fi", "sv"] && point.hours.count == 5)
        }
    }

    @Test func theHeaderAndTheFileAreCheckedFirst() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            let unknown = try await Self.post(
                coordinator, "municipality,name,place,themes,languages,access,colour,name\nOulu,A,library,safety,fi,drop_in,red,B\n")
            #expect(Self.problems(unknown) == ["1 colour unknown_column", "1 name duplicate_column"], "\(unknown.text)")
            let missing = try await Self.post(coordinator, "municipality,name,place\nOulu,A,library\n")
            #expect(Self.problems(missing) == ["1 themes missing_column", "1 languages missing_column", "1 access missing_column"])
            #expect(Self.problems(try await Self.post(coordinator, Self.header + "\n,,\n")) == ["1  no_rows"])
            #expect(Self.problems(try await Self.post(coordinator, Self.header + "\n\"Oulu,A\n")) == ["2  bad_file"])
            let extra = try await Self.post(coordinator, Self.header + "\n" + Self.row("A") + ",ylimääräinen\n")
            #expect(Self.problems(extra) == ["2  extra_cells"])
            let rows = (0...FinderImport.maxRows).map { Self.row("Piste \($0)") }
            let many = try await Self.post(coordinator, ([Self.header] + rows).joined(separator: "\n"))
            #expect(Self.problems(many) == ["\(FinderImport.maxRows + 2)  too_many_rows"], "\(many.status)")
            let huge = try await Self.post(coordinator, Self.header + "\n" + String(repeating: "x", count: FinderImport.maxBytes))
            #expect(huge.status == .contentTooLarge && Self.object(huge)["code"] as? String == "import_too_large")
            let json = try await Self.post(coordinator, "{}", type: "application/json")
            #expect(json.status == .unsupportedMediaType)
            #expect(try await app.finder.service.repository.allPoints().isEmpty)
        }
    }

    /// One row per rule of `FinderService.check`: each refusal code of a point, in the column it names.
    @Test func eachRuleOfTheFormRefusesItsRow() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            let h = "municipality,name,organisation,place,address,postal_code,themes,languages,access,phone,email,url,chat_service,hours"
            let ok = ["Oulu", "Piste", "", "library", "Katu 1", "90100", "safety", "fi", "drop_in", "", "", "", "", ""]
            let cases: [(Int, String, String)] = [
                (1, "", "required"), (1, String(repeating: "n", count: 121), "too_long"), (0, "!!!", "bad_municipality"),
                (2, "Lähde ry", "bad_organisation"), (3, "boat", "bad_place"), (4, "", "required"), (5, "123", "bad_postal_code"),
                (6, "cooking", "bad_theme"), (7, "finnish1", "bad_language"), (8, "often", "bad_access"), (9, "call me", "bad_phone"),
                (10, "no-at-sign", "bad_email"), (11, "javascript:alert(1)", "bad_url"), (12, "ei-ole", "bad_chat"),
                (13, "MO 18:00-09:00", "bad_hours"),
            ]
            var lines = [h]
            for (i, (column, value, _)) in cases.enumerated() {
                var cells = ok
                cells[column] = value
                cells[1] = column == 1 ? value : "Piste \(i)"
                lines.append(cells.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
            }
            let r = try await Self.post(coordinator, lines.joined(separator: "\n"))
            let names = h.split(separator: ",").map(String.init)
            let expected = cases.enumerated().map { i, c in "\(i + 2) \(names[c.0]) \(c.2)" }
            #expect(Self.problems(r) == expected, "\(r.text)")
            #expect(try await app.finder.service.repository.allPoints().isEmpty)
        }
    }

    @Test func onlyCoordinatorsImportAndANetworkCoordinatorForAnyOrganisationOfTheNetwork() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let csv = "municipality,name,organisation,place,themes,languages,access\nOulu,Lähteen piste,Lähde ry,online,safety,fi,appointment\n"
            for email in ["worker1@demo.invalid", "volunteer1@demo.invalid"] {
                let r = try await Self.post(try await Self.staff(client, email), csv)
                #expect(r.status == .forbidden && errorCode(r) == "finder_not_allowed", "\(email): \(r.status)")
                #expect(try await Self.staff(client, email).get("/admin/finder/import").status == .forbidden)
            }
            #expect(try await Self.post(Browser(client), csv).status == .unauthorized)
            // Aalto ry's coordinator cannot import for Lähde ry; the network's coordinator can.
            let coordinator = try await Self.post(try await Self.staff(client, "coordinator@demo.invalid"), csv)
            #expect(Self.problems(coordinator) == ["2 organisation bad_organisation"])
            let network = try await Self.post(try await Self.staff(client, "network@demo.invalid"), csv)
            #expect(network.status == .ok, "\(network.text)")
            let point = try #require(try await app.finder.service.repository.allPoints().first)
            #expect(try await app.network.directory.organisationName(point.organisation, language: .fi) == "Lähde ry")
        }
    }

    static func multipart(_ csv: String, name: String = "pisteet.csv", csrf: String) -> (String, ByteBuffer) {
        let boundary = "----kohtaamotest"
        let body =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n"
            + "--\(boundary)--\r\n"
        return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(string: body))
    }

    static func upload(_ client: any TestClientProtocol, _ b: Browser, _ csv: String) async throws -> TestResponse {
        let (type, body) = multipart(csv, csrf: b.csrf)
        return try await client.execute(
            uri: "/admin/finder/import", method: .post,
            headers: [.cookie: b.cookieLine, .contentType: type, .acceptLanguage: b.language ?? "fi"], body: body)
    }

    @Test func thePageShowsProblemsAsATableAndWhatWasSavedAsText() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            let page = try await coordinator.get("/admin/finder/import")
            #expect(
                page.status == .ok && page.text.contains("enctype=\"multipart/form-data\"") && page.text.contains("/admin/finder/import/template.csv")
            )
            // The template as downloaded imports as it is.
            let template = try await coordinator.get("/admin/finder/import/template.csv")
            #expect(template.status == .ok && template.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(template.text.hasPrefix("\u{FEFF}municipality;name;"))
            let bad = try await Self.upload(client, coordinator, Self.header + "\n" + Self.row("<b>X</b>", place: "<script>alert(1)</script>"))
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("<td>2</td><td class=\"break\">place</td>") && bad.text.contains("Nothing was saved"), "\(bad.text)")
            let xss = "<script>alert('x')</script>"
            let good = try await Self.upload(client, coordinator, Self.header + "\n" + Self.row("\"\(xss)\"") + "\n" + Self.row("Toinen"))
            #expect(good.status == .ok)
            #expect(!good.text.contains(xss) && good.text.contains("&lt;script&gt;"))
            #expect(good.text.contains("Points saved: 2"))
            let fromTemplate = try await Self.upload(client, coordinator, template.text)
            #expect(fromTemplate.status == .ok && fromTemplate.text.contains("Digitukipiste"))
            #expect(try await app.finder.service.repository.allPoints().count == 3)
        }
    }
}
