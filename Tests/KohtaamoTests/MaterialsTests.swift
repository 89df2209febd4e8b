import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Materials

/// The network's material bank (issue 22): staff add files and links, find
/// them by words and filters, replace files keeping the old versions, and
/// clients open client material without signing in. The demo's coordinator
/// and worker1 are in one organisation, worker2 and volunteer1 in another
/// of the same network.
@Suite struct MaterialsTests {
    func object(_ r: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any], "\(r.status) \(r.text)")
    }

    func array(_ r: TestResponse) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [[String: Any]], "\(r.status) \(r.text)")
    }

    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\(Browser.encode($0.1))" }.joined(separator: "&")
    }

    /// Adds a file material through the API (raw bytes, fields in the query).
    func upload(
        _ b: Browser, name: String, bytes: [UInt8], title: String, description: String = "", audiences: String = "staff",
        languages: String = "fi", visibility: String = "network", themes: String = ""
    ) async throws -> TestResponse {
        let q = Self.query([
            ("name", name), ("title", title), ("description", description), ("audiences", audiences), ("languages", languages),
            ("visibility", visibility), ("themes", themes),
        ])
        return try await b.client.execute(
            uri: "/api/materials/files?\(q)", method: .post,
            headers: [.contentType: "application/octet-stream", .cookie: b.cookieLine, .acceptLanguage: "en"], body: ByteBuffer(bytes: bytes))
    }

    func link(
        _ b: Browser, title: String, description: String = "", languages: [String] = ["fi"], audiences: [String] = ["staff"],
        visibility: String = "network", themes: [String] = []
    ) async throws -> TestResponse {
        let body: [String: Any] = [
            "title": title, "description": description, "url": "https://example.org/\(abs(title.hashValue))", "themes": themes,
            "audiences": audiences, "languages": languages, "visibility": visibility, "plain_language": false,
        ]
        return try await b.json(.post, "/api/materials", String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    func titles(_ b: Browser, _ query: [(String, String)]) async throws -> [String] {
        let r = try await b.get("/api/materials?" + Self.query(query))
        #expect(r.status == .ok, "\(r.text)")
        return try array(r).compactMap { $0["title"] as? String }
    }

    @Test func staffAddAFileAndALinkAndFindThemByWordsInTitleDescriptionAndContent() async throws {
        try await withApp { app, client in
            let w = Browser(client, language: "en")
            try await w.signIn("worker1@demo.invalid")
            let text = "Ohje: näin asennat sovelluksen.\nTee ensin varmuuskopio ja lataa päivitykset."
            let file = try await upload(
                w, name: "asennus.txt", bytes: Array(text.utf8), title: "Sovellusten asennus", description: "Opas asiakkaille",
                audiences: "clients,staff", themes: "device_basics")
            #expect(file.status == .created, "\(file.text)")
            let made = try object(file)
            #expect(made["themes"] as? [String] == ["device_basics"] && made["audiences"] as? [String] == ["staff", "clients"])
            #expect((made["file"] as? [String: Any])?["version"] as? Int == 1)
            #expect((made["client_path"] as? String)?.hasPrefix("/materials/") == true && made["may_edit"] as? Bool == true)
            let l = try await link(w, title: "Päivitykset", description: "Miten päivität puhelimen", themes: ["device_basics"])
            #expect(l.status == .created, "\(l.text)")

            // Words in the file's content only.
            let hits = try array(try await w.get("/api/materials?q=varmuuskopio"))
            #expect(hits.map { $0["title"] as? String } == ["Sovellusten asennus"])
            #expect(hits.first?["matches"] as? [String] == ["varmuuskopio"])
            #expect((hits.first?["snippet_html"] as? String)?.contains("<mark>varmuuskopio</mark>") == true)
            // The title weighs more than the content: both found, the title's first.
            let both = try await titles(w, [("q", "päivitykset")])
            #expect(both == ["Päivitykset", "Sovellusten asennus"], "\(both)")
            // Filters.
            let forClients = try await titles(w, [("q", "päivitykset"), ("audience", "clients")])
            #expect(forClients == ["Sovellusten asennus"], "\(forClients)")
            #expect(try await titles(w, [("q", "päivitykset"), ("language", "sv")]) == [])
            #expect(try await titles(w, [("theme", "device_basics")]).sorted() == ["Digitukijan muistilista", "Päivitykset", "Sovellusten asennus"])
            #expect(try await w.get("/api/materials?theme=knitting").status == .badRequest)

            // The demo's PDF is found by a word of its content, read from its compressed stream.
            // (PostgreSQL's Finnish stemmer also finds the plain-language guide's "tunnuslukua".)
            #expect(try await titles(w, [("q", "tunnuslukuja")]).contains("Digitukijan muistilista"))

            // Staff of another organisation of the network find network material; the audit log has the additions.
            let other = Browser(client, language: "en")
            try await other.signIn("worker2@demo.invalid")
            #expect(try await titles(other, [("q", "varmuuskopio")]) == ["Sovellusten asennus"])
            let org = try #require(UUID(uuidString: made["organisation"] as! String))
            #expect(try await app.audit.entries(organisations: [org]).filter { $0.action == "material.add" }.count >= 2)
        }
    }

    @Test func filesKeepTheLimitsAndOnlyTheOrganisationKeepsItsMaterial() async throws {
        try await withApp { app, client in
            let w = Browser(client, language: "en")
            try await w.signIn("worker1@demo.invalid")
            let page = Array("<html><script>alert(1)</script></html>".utf8)
            let html = try await upload(w, name: "a.txt", bytes: page, title: "Web page")
            #expect(html.status == .unsupportedMediaType && errorCode(html) == "file_type_not_allowed")
            let big = try await upload(w, name: "big.txt", bytes: [UInt8](repeating: 0x61, count: MaterialService.policy.maxBytes + 1), title: "Big")
            #expect(big.status == .contentTooLarge && errorCode(big) == "file_too_large")
            let empty = try await upload(w, name: "e.txt", bytes: [], title: "Empty")
            #expect(errorCode(empty) == "file_empty")
            let noTitle = try await upload(w, name: "t.txt", bytes: Array("hei".utf8), title: "")
            #expect(noTitle.status == .badRequest && errorCode(noTitle) == "material_bad_title")
            let both = try await w.json(
                .post, "/api/materials", #"{"title":"x","audiences":["staff"],"languages":["fi"],"visibility":"network"}"#)
            #expect(errorCode(both) == "material_file_or_link")
            let badLink = try await w.json(
                .post, "/api/materials", #"{"title":"x","url":"javascript:alert(1)","audiences":["staff"],"languages":["fi"],"visibility":"network"}"#
            )
            #expect(errorCode(badLink) == "material_bad_url")

            let own = try object(try await upload(w, name: "o.txt", bytes: Array("oma".utf8), title: "Own only", visibility: "organisation"))
            let shared = try object(try await upload(w, name: "s.txt", bytes: Array("jaettu".utf8), title: "Shared"))
            let ownID = try #require(own["id"] as? String), sharedID = try #require(shared["id"] as? String)

            let other = Browser(client, language: "en")
            try await other.signIn("worker2@demo.invalid")
            #expect(try await other.get("/api/materials/\(ownID)").status == .notFound)
            #expect(try await other.get("/api/materials/\(sharedID)").status == .ok)
            #expect(try object(try await other.get("/api/materials/\(sharedID)"))["may_edit"] as? Bool == false)
            let edit = try await other.json(
                .put, "/api/materials/\(sharedID)", #"{"title":"Mine now","audiences":["staff"],"languages":["fi"],"visibility":"network"}"#)
            #expect(edit.status == .forbidden && errorCode(edit) == "material_not_allowed")
            #expect(try await other.json(.delete, "/api/materials/\(sharedID)", nil).status == .forbidden)

            let volunteer = Browser(client, language: "en")
            try await volunteer.signIn("volunteer1@demo.invalid")
            #expect(errorCode(try await link(volunteer, title: "Vol")) == "material_not_allowed")
            #expect(try await volunteer.get("/api/materials/\(sharedID)").status == .ok)

            // The network coordinator keeps the network's material.
            let network = Browser(client, language: "en")
            try await network.signIn("network@demo.invalid")
            let renamed = try await network.json(
                .put, "/api/materials/\(sharedID)", #"{"title":"Shared guide","audiences":["staff"],"languages":["fi"],"visibility":"network"}"#)
            #expect(renamed.status == .ok)
            #expect(try object(renamed)["title"] as? String == "Shared guide")
            #expect(try await w.json(.delete, "/api/materials/\(ownID)", nil).status == .noContent)
            #expect(try await w.get("/api/materials/\(ownID)").status == .notFound)
            // The file's bytes and name are sealed in their row (the searchable text is not: it is published material).
            let row = try #require(
                try await app.storage.sql.select().columns("name_sealed", "content_sealed").from("material_files")
                    .where("material_id", .equal, UUID(uuidString: sharedID)!).first())
            #expect(try row.decode(column: "content_sealed", as: Data.self).range(of: Data("jaettu".utf8)) == nil)
            #expect(try row.decode(column: "name_sealed", as: Data.self).range(of: Data("s.txt".utf8)) == nil)
        }
    }

    @Test func replacingAFileKeepsTheOldVersionForStaff() async throws {
        try await withApp { app, client in
            let w = Browser(client, language: "en")
            try await w.signIn("worker1@demo.invalid")
            let made = try object(
                try await upload(w, name: "v1.txt", bytes: Array("ensimmäinen versio".utf8), title: "Versioitu", audiences: "clients"))
            let id = try #require(made["id"] as? String)
            let replaced = try await w.client.execute(
                uri: "/api/materials/\(id)/versions?name=v2.txt", method: .post,
                headers: [.contentType: "application/octet-stream", .cookie: w.cookieLine], body: ByteBuffer(string: "toinen versio"))
            #expect(replaced.status == .created, "\(replaced.text)")
            #expect((try object(replaced)["file"] as? [String: Any])?["version"] as? Int == 2)
            let versions = try array(try await w.get("/api/materials/\(id)/versions"))
            #expect(versions.map { $0["name"] as? String } == ["v1.txt", "v2.txt"])
            let old = try await w.get(try #require(versions[0]["path"] as? String))
            #expect(old.status == .ok && old.text == "ensimmäinen versio")
            #expect(old.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            // The search reads the new version; the client gets the new one.
            #expect(try await titles(w, [("q", "toinen")]) == ["Versioitu"])
            #expect(try await titles(w, [("q", "ensimmäinen")]) == [])
            let client2 = Browser(client, language: "fi")
            #expect(try await client2.get("/materials/\(id)/file").text == "toinen versio")
            // Another organisation's worker reads versions but may not replace.
            let other = Browser(client, language: "en")
            try await other.signIn("worker2@demo.invalid")
            #expect(try await other.get("/api/materials/\(id)/versions").status == .ok)
            let refused = try await other.client.execute(
                uri: "/api/materials/\(id)/versions?name=x.txt", method: .post,
                headers: [.contentType: "application/octet-stream", .cookie: other.cookieLine], body: ByteBuffer(string: "x"))
            #expect(refused.status == .forbidden)
            let org = try #require(UUID(uuidString: made["organisation"] as! String))
            #expect(try await app.audit.entries(organisations: [org]).contains { $0.action == "material.replace" && $0.target == id })
        }
    }

    @Test func clientsOpenClientMaterialWithoutSigningInAndNothingElse() async throws {
        try await withApp { app, client in
            let w = Browser(client, language: "en")
            try await w.signIn("worker1@demo.invalid")
            let staffOnly = try object(try await upload(w, name: "s.txt", bytes: Array("sisäinen".utf8), title: "Internal"))
            let anyone = Browser(client, language: "fi")
            #expect(try await anyone.get("/materials/\(staffOnly["id"] as! String)").status == .notFound)
            #expect(try await anyone.get("/materials/\(staffOnly["id"] as! String)/file").status == .notFound)
            let hits = try array(try await w.get("/api/materials?q=selkoopas"))
            let id = try #require(hits.first?["id"] as? String)
            let page = try await anyone.get("/materials/\(id)")
            #expect(page.status == .ok && page.text.contains("Pankkitunnukset puhelimessa") && page.text.contains("/materials/\(id)/file"))
            #expect(page.text.contains("Tämä teksti on selkokieltä."))
            // Staff lists of client material through the directory, as other features see it.
            let links = try await app.materials.directory.clientMaterial(id: UUID(uuidString: id)!)
            #expect(links?.path == "/materials/\(id)")
            #expect(try await app.materials.directory.clientMaterial(id: UUID(uuidString: staffOnly["id"] as! String)!) == nil)
        }
    }

    @Test func theStaffPagesAddSearchAndShowMatchesEscaped() async throws {
        try await withApp { app, client in
            let w = Browser(client, language: "fi")
            try await w.signIn("worker1@demo.invalid")
            let made = try await w.post(
                "/bank/new", [("title", "x")], headers: [:])  // not multipart: refused, nothing saved
            #expect(made.status == .unsupportedMediaType)
            let evil = try await link(w, title: "<script>alert(1)</script> kirjasto", description: "<b>kirjasto</b> & muuta")
            #expect(evil.status == .created)
            let page = try await w.get("/bank?q=kirjasto")
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert(1)") && page.text.contains("&lt;script&gt;"))
            #expect(page.text.contains("<mark>kirjasto</mark>"))
            #expect(!page.text.contains("<b>kirjasto"))
            let id = try #require(try object(evil)["id"] as? String)
            let item = try await w.get("/bank/\(id)")
            #expect(item.status == .ok && item.text.contains("&lt;script&gt;"))
            let saved = try await w.post(
                "/bank/\(id)",
                [("title", ""), ("audiences", "staff"), ("languages", "fi"), ("visibility", "network"), ("url", "https://example.org/a")])
            #expect(saved.status == .badRequest && saved.text.contains("Kirjoita otsikko."))
            let ok = try await w.post(
                "/bank/\(id)",
                [("title", "Uusi nimi"), ("audiences", "staff"), ("languages", "fi"), ("visibility", "network"), ("url", "https://example.org/a")])
            #expect(ok.status == .seeOther)
            #expect(try await app.materials.service.store.material(UUID(uuidString: id)!)?.title == "Uusi nimi")
        }
    }
}
