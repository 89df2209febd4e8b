import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Finder
@testable import Kohtaamo
@testable import KohtaamoBase

/// The Open Referral HSDS 3.0 API (`/api/hsds/…`) as any program reads it:
/// public, paged, filtered, on the suite's database. The points come in by
/// the import: two of Aalto ry's in Oulu (one online) and one of Lähde ry's in Ii.
/// (tests/browser/test_hsds.py checks every answer against the published schemas.)
@Suite struct HSDSTests {
    static func object(_ r: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]) ?? [:]
    }

    static func contents(_ r: TestResponse) -> [[String: Any]] { (object(r)["contents"] as? [[String: Any]]) ?? [] }

    static func fill(_ client: any TestClientProtocol) async throws {
        let network = Browser(client, language: "en")
        try await network.signIn("network@demo.invalid")
        let csv = """
            municipality;name;description;organisation;place;address;postal_code;city;themes;languages;access;phone;email;url;hours
            Oulu;Kirjaston digituki;Apua puhelimen kanssa;;library;Kaarlenväylä 3;90100;Oulu;device_basics,messaging;fi,en;drop_in;+358 40 123 4567;tuki@example.org;;"MO,TU 09:00-12:00; WE 12:00-16:00"
            Oulu;Verkkotuki;;Aalto ry;online;;;;safety;fi;appointment;;;https://example.org/tuki;
            Ii;Iin kylätuki;Kahvila ja tuki;Lähde ry;clubhouse;Jokikatu 1;91100;Ii;online_services;fi,sv;both;;;;TH 10:00-14:00
            """
        let r = try await network.json(.post, "/api/finder/import", csv, headers: [.contentType: "text/csv"])
        #expect(r.status == .ok, "\(r.text)")
    }

    @Test func listsArePagesInHSDSsEnvelope() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            try await Self.fill(client)
            let b = Browser(client)
            let about = Self.object(try await b.get("/api/hsds"))
            #expect(about["version"] as? String == "3.0")
            let first = Self.object(try await b.get("/api/hsds/services?per_page=2"))
            #expect(first["total_items"] as? Int == 3 && first["total_pages"] as? Int == 2 && first["page_number"] as? Int == 1)
            #expect(first["size"] as? Int == 2 && first["first_page"] as? Bool == true && first["last_page"] as? Bool == false)
            let second = try await b.get("/api/hsds/services?per_page=2&page=2")
            #expect(Self.object(second)["size"] as? Int == 1 && Self.object(second)["last_page"] as? Bool == true)
            let ids = Set(
                (Self.contents(try await b.get("/api/hsds/services?per_page=2")) + Self.contents(second)).compactMap { $0["id"] as? String })
            #expect(ids == Set(try await app.finder.service.repository.allPoints().map { $0.id.text() }))
            let beyond = Self.object(try await b.get("/api/hsds/services?page=9"))
            #expect(beyond["empty"] as? Bool == true && (beyond["contents"] as? [Any])?.isEmpty == true && beyond["total_items"] as? Int == 3)
            // The list form has the service's own fields; `full` the whole service.
            let listed = Self.contents(try await b.get("/api/hsds/services"))
            #expect(listed.allSatisfy { $0["service_at_locations"] == nil && $0["status"] as? String == "active" })
            let full = Self.contents(try await b.get("/api/hsds/services?full=true"))
            let library = try #require(full.first { $0["name"] as? String == "Kirjaston digituki" })
            let sal = try #require((library["service_at_locations"] as? [[String: Any]])?.first)
            let schedules = try #require(sal["schedules"] as? [[String: Any]])
            #expect(Set(schedules.map { "\($0["byday"]!) \($0["opens_at"]!)-\($0["closes_at"]!)" }) == ["MO,TU 09:00-12:00", "WE 12:00-16:00"])
            #expect(schedules.allSatisfy { $0["freq"] as? String == "WEEKLY" && $0["timezone"] as? Int == 2 })
            let address = try #require(((sal["location"] as? [String: Any])?["addresses"] as? [[String: Any]])?.first)
            #expect(
                address["address_1"] as? String == "Kaarlenväylä 3" && address["postal_code"] as? String == "90100"
                    && address["country"] as? String == "FI")
            #expect((library["attributes"] as? [[String: Any]])?.count == 2 && (library["languages"] as? [[String: Any]])?.count == 2)
            #expect(library["application_process"] as? String == "Tule paikalle aukioloaikana. Aikaa ei tarvitse varata.")
            let online = try #require(full.first { $0["name"] as? String == "Verkkotuki" })
            let virtual = try #require(((online["service_at_locations"] as? [[String: Any]])?.first)?["location"] as? [String: Any])
            #expect(virtual["location_type"] as? String == "virtual" && virtual["url"] as? String == "https://example.org/tuki")
            // Organisations: only those with points.
            let organisations = Self.contents(try await b.get("/api/hsds/organizations"))
            #expect(organisations.map { $0["name"] as? String } == ["Aalto ry", "Lähde ry"])
            let aalto = try #require(organisations.first?["id"] as? String)
            let one = Self.object(try await b.get("/api/hsds/organizations/\(aalto)"))
            #expect((one["services"] as? [[String: Any]])?.count == 2)
        }
    }

    /// A day that differs from the week (closed, or other hours) is a
    /// schedule valid on that day only, with words that say it replaces the week.
    @Test func exceptionDaysAreSchedulesOfTheirOwnDay() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            try await Self.fill(client)
            let network = Browser(client, language: "en")
            try await network.signIn("network@demo.invalid")
            let point = try #require(try await app.finder.service.repository.allPoints().first { $0.name == "Kirjaston digituki" })
            let base = "/api/finder/points/\(point.id.text())/exceptions"
            #expect(try await network.json(.put, "\(base)/2026-12-24", #"{"closed":true,"note":"Jouluaatto"}"#).status == .ok)
            #expect(try await network.json(.put, "\(base)/2026-12-23", #"{"opens":"10:00","closes":"13:00"}"#).status == .ok)
            let sal = Self.object(
                try await Browser(client, language: "fi").get("/api/hsds/service_at_locations/\(HSDSExport.serviceAtLocationID(point.id).text())"))
            let schedules = try #require(sal["schedules"] as? [[String: Any]])
            #expect(schedules.filter { $0["freq"] as? String == "WEEKLY" }.count == 2)
            let days = schedules.filter { $0["valid_from"] != nil }
            #expect(days.map { $0["valid_from"] as? String } == ["2026-12-23", "2026-12-24"])
            #expect(days.allSatisfy { $0["valid_to"] as? String == $0["valid_from"] as? String && $0["freq"] == nil })
            #expect(days[0]["opens_at"] as? String == "10:00" && days[0]["closes_at"] as? String == "13:00")
            #expect(days[1]["opens_at"] == nil && days[1]["closes_at"] == nil)
            #expect((days[1]["description"] as? String)?.contains("2026-12-24 kiinni") == true)
            #expect(days[1]["notes"] as? String == "Tämä päivä korvaa viikon tavalliset ajat. Jouluaatto")
        }
    }

    @Test func filtersFindWhatTheyName() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            try await Self.fill(client)
            let b = Browser(client, language: "sv")
            func names(_ query: String) async throws -> Set<String> {
                Set(Self.contents(try await b.get("/api/hsds/services?" + query)).compactMap { $0["name"] as? String })
            }
            #expect(try await names("search=PUHELIMEN") == ["Kirjaston digituki"])
            #expect(try await names("search=l%C3%A4hde") == ["Iin kylätuki"])
            let terms = Self.contents(try await b.get("/api/hsds/taxonomy_terms"))
            #expect(terms.count == DigitalTheme.allCases.count && terms.first?["name"] as? String == "Grunderna i enheten")
            let safety = try #require(terms.first { $0["code"] as? String == "safety" }?["id"] as? String)
            #expect(try await names("taxonomy_term_id=\(safety)") == ["Verkkotuki"])
            let lahde = try #require(Self.contents(try await b.get("/api/hsds/organizations?search=l%C3%A4hde")).first?["id"] as? String)
            #expect(try await names("organization_id=\(lahde)") == ["Iin kylätuki"])
            #expect(try await names("modified_after=2030-01-01T00:00:00Z").isEmpty)
            #expect(try await names("modified_after=2026-01-01").count == 3)
            let taxonomy = try #require(Self.contents(try await b.get("/api/hsds/taxonomies")).first?["id"] as? String)
            #expect(Self.contents(try await b.get("/api/hsds/taxonomy_terms?taxonomy_id=\(taxonomy)")).count == DigitalTheme.allCases.count)
            #expect(try await b.get("/api/hsds/taxonomies/\(taxonomy)").status == .ok)
            #expect(try await b.get("/api/hsds/taxonomy_terms/\(safety)").status == .ok)
            let sals = Self.contents(try await b.get("/api/hsds/service_at_locations?postcode=91100"))
            #expect(sals.count == 1 && (sals.first?["service"] as? [String: Any])?["name"] as? String == "Iin kylätuki")
            let sal = try #require(sals.first?["id"] as? String)
            let one = Self.object(try await b.get("/api/hsds/service_at_locations/\(sal)"))
            #expect((one["service"] as? [String: Any])?["name"] as? String == "Iin kylätuki" && (one["schedules"] as? [Any])?.count == 1)
            _ = app
        }
    }

    @Test func badParametersAre400AndUnknownIds404() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            try await Self.fill(client)
            let b = Browser(client, language: "en")
            for query in ["page=0", "page=-1", "page=x", "per_page=0", "per_page=501", "per_page=99999999999"] {
                let r = try await b.get("/api/hsds/services?" + query)
                #expect(r.status == .badRequest && errorCode(r) == "bad_page", "\(query): \(r.status)")
            }
            for query in [
                "taxonomy_term_id=x", "organization_id=1", "modified_after=yesterday", "full=maybe", "format=ndjson",
                "search=" + String(repeating: "a", count: 201),
            ] {
                let r = try await b.get("/api/hsds/services?" + query)
                #expect(r.status == .badRequest && errorCode(r) == "bad_filter", "\(query): \(r.status)")
                #expect((Self.object(r)["message"] as? String)?.isEmpty == false)
            }
            for path in ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"] {
                let unknown = try await b.get("/api/hsds/\(path)/\(UUID().uuidString)")
                #expect(unknown.status == .notFound && errorCode(unknown) == "not_found", "\(path)")
                #expect(try await b.get("/api/hsds/\(path)/not-a-uuid").status == .notFound)
                #expect(try await b.get("/api/hsds/\(path)?per_page=0").status == .badRequest)
            }
            _ = app
        }
    }

    @Test func idsStayTheSameFromOneAnswerToTheNext() async throws {
        try await withApp { app, client in
            try await withoutDemoFinder(app)
            try await Self.fill(client)
            let b = Browser(client)
            let a = try await b.get("/api/hsds/service_at_locations?full=true").text
            let again = try await b.get("/api/hsds/service_at_locations?full=true").text
            #expect(a == again)
            let point = try #require(try await app.finder.service.repository.allPoints().first)
            #expect(a.contains(UUID(name: "service_at_location", in: point.id).text()))
            // RFC 9562's example of a version 5 UUID: the DNS namespace and "www.example.com".
            #expect(
                UUID(name: "www.example.com", in: UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!).text()
                    == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
        }
    }
}
