import Foundation
import Hummingbird
import KohtaamoBase

/// The Open Referral HSDS 3.0 API under `/api/hsds` (docs/openapi.yaml, tag
/// HSDS): public, no sign-in, read only. Lists are pages (`page` from 1,
/// `per_page` up to 500) in HSDS's envelope; `full` gives whole objects
/// instead of their own fields; `search` looks in names and descriptions.
/// A query parameter out of its range is 400; an unknown id 404.
struct HSDSController {
    let finder: FinderService
    let views: Views

    static let defaultPerPage = 50
    static let maxPerPage = 500

    func addRoutes(to router: Router<AppRequestContext>) {
        let hsds = router.group("/api/hsds")
        hsds.get(use: about)
        hsds.get("services", use: services)
        hsds.get("services/{id}", use: service)
        hsds.get("organizations", use: organizations)
        hsds.get("organizations/{id}", use: organization)
        hsds.get("service_at_locations", use: servicesAtLocations)
        hsds.get("service_at_locations/{id}", use: serviceAtLocation)
        hsds.get("taxonomies", use: taxonomies)
        hsds.get("taxonomies/{id}", use: taxonomy)
        hsds.get("taxonomy_terms", use: terms)
        hsds.get("taxonomy_terms/{id}", use: term)
    }

    // MARK: parameters

    /// The query's parameters, each checked; a bad one is 400 `bad_page` or `bad_filter`.
    struct Query {
        let request: Request

        static let badPage = AppError(.badRequest, code: "bad_page")
        static let badFilter = AppError(.badRequest, code: "bad_filter")

        func text(_ name: String) -> String? {
            request.uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        }

        func page() throws -> (number: Int, size: Int) {
            let number = try text("page").map { try Self.int($0, 1...1_000_000) } ?? 1
            let size = try text("per_page").map { try Self.int($0, 1...HSDSController.maxPerPage) } ?? HSDSController.defaultPerPage
            return (number, size)
        }

        static func int(_ text: String, _ range: ClosedRange<Int>) throws -> Int {
            guard text.count <= 8, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text), range.contains(n) else { throw badPage }
            return n
        }

        func flag(_ name: String) throws -> Bool {
            switch text(name)?.lowercased() {
            case nil, "false", "0": false
            case "true", "1": true
            default: throw Self.badFilter
            }
        }

        func id(_ name: String) throws -> UUID? {
            guard let t = text(name) else { return nil }
            guard let id = UUID(uuidString: t) else { throw Self.badFilter }
            return id
        }

        /// Lower-cased, at most 200 characters.
        func search() throws -> String? {
            guard let s = text("search")?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
            guard s.count <= 200 else { throw Self.badFilter }
            return s.lowercased()
        }

        /// An RFC 3339 date-time (with or without fractions of a second) or a date (its midnight in UTC), as ms.
        func modifiedAfter() throws -> Int64? {
            guard let t = text("modified_after") else { return nil }
            let f = ISO8601DateFormatter()
            var date = f.date(from: t)
            if date == nil {
                f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                date = f.date(from: t)
            }
            if date == nil, t.count == 10 {
                f.formatOptions = [.withFullDate]
                date = f.date(from: t)
            }
            guard let date else { throw Self.badFilter }
            return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        }

        /// Only `json` (the default) is served.
        func checkFormat() throws {
            if let f = text("format"), f.lowercased() != "json" { throw Self.badFilter }
        }
    }

    static func pathID(_ context: AppRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        return id
    }

    static func page<T: Encodable>(_ all: [T], _ page: (number: Int, size: Int)) -> HSDS.Page<T> {
        let pages = (all.count + page.size - 1) / page.size
        let from = min(all.count, (page.number - 1) * page.size)
        let contents = Array(all[from..<min(all.count, from + page.size)])
        return HSDS.Page(
            total_items: all.count, total_pages: pages, page_number: page.number, size: contents.count, first_page: page.number == 1,
            last_page: page.number >= pages, empty: contents.isEmpty, contents: contents)
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    // MARK: the data of one answer

    /// Every point (by id), with its organisation's name and municipality, and the export in the reader's language.
    func load(_ context: AppRequestContext) async throws -> (points: [HelpPoint], export: HSDSExport) {
        let points = try await finder.repository.allPoints()
        var names: [UUID: String] = [:]
        for org in Set(points.map(\.organisation)) { names[org] = try await finder.services.organisationName(org, language: context.language) ?? "" }
        let municipalities = Dictionary(try await finder.repository.municipalities().map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        let offset = Helsinki.timeZone.secondsFromGMT(for: finder.clock.now) / 3600
        let export = HSDSExport(
            t: views.localizer.catalogue(context.language), language: context.language, organisations: names, municipalities: municipalities,
            utcOffset: offset)
        return (points, export)
    }

    /// The export without points, for the taxonomy and its terms.
    func themes(_ context: AppRequestContext) -> HSDSExport {
        HSDSExport(
            t: views.localizer.catalogue(context.language), language: context.language, organisations: [:], municipalities: [:], utcOffset: 0)
    }

    /// Points matching the services' filters.
    func filtered(_ points: [HelpPoint], _ q: Query, _ export: HSDSExport) throws -> [HelpPoint] {
        let search = try q.search(), term = try q.id("taxonomy_term_id"), taxonomy = try q.id("taxonomy_id")
        let organisation = try q.id("organization_id"), after = try q.modifiedAfter()
        let postcode = q.text("postcode")?.trimmingCharacters(in: .whitespaces)
        return points.filter { p in
            if let organisation, p.organisation != organisation { return false }
            if let after, p.updatedMs < after { return false }
            if let term, !p.themes.contains(where: { HSDSExport.termID($0) == term }) { return false }
            if let taxonomy, taxonomy != HSDSExport.taxonomyID || p.themes.isEmpty { return false }
            if let postcode, p.postalCode != postcode { return false }
            if let search {
                let municipality = export.municipalities[p.municipality]?.names
                let texts = [
                    p.name, p.description, export.organisations[p.organisation] ?? "", p.city, municipality?.fi ?? "", municipality?.sv ?? "",
                ]
                if !texts.contains(where: { $0.lowercased().contains(search) }) { return false }
            }
            return true
        }
    }

    // MARK: handlers

    func about(_ request: Request, context: AppRequestContext) async throws -> Response {
        try Self.json(HSDS.About(version: "3.0", openapi_url: "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"))
    }

    func services(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = Query(request: request)
        try q.checkFormat()
        let page = try q.page(), full = try q.flag("full")
        let (points, export) = try await load(context)
        let matching = try filtered(points, q, export)
        return try Self.json(Self.page(matching.map { full ? export.fullService($0) : export.service($0) }, page))
    }

    func service(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.pathID(context)
        let (points, export) = try await load(context)
        guard let p = points.first(where: { $0.id == id }) else { throw AppError.notFound }
        return try Self.json(export.fullService(p))
    }

    func servicesAtLocations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = Query(request: request)
        try q.checkFormat()
        let page = try q.page(), full = try q.flag("full")
        let (points, export) = try await load(context)
        let matching = try filtered(points, q, export).sorted {
            HSDSExport.serviceAtLocationID($0.id).text() < HSDSExport.serviceAtLocationID($1.id).text()
        }
        return try Self.json(Self.page(matching.map { full ? export.fullServiceAtLocation($0) : export.listedServiceAtLocation($0) }, page))
    }

    func serviceAtLocation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.pathID(context)
        let (points, export) = try await load(context)
        guard let p = HSDSExport.point(serviceAtLocation: id, in: points) else { throw AppError.notFound }
        return try Self.json(export.fullServiceAtLocation(p))
    }

    /// Organisations with at least one point, by name.
    func organizations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = Query(request: request)
        try q.checkFormat()
        let page = try q.page(), full = try q.flag("full"), fullService = try q.flag("full_service"), search = try q.search()
        let (points, export) = try await load(context)
        let byOrganisation = Dictionary(grouping: points, by: \.organisation)
        let ids = byOrganisation.keys.filter { id in search.map { (export.organisations[id] ?? "").lowercased().contains($0) } ?? true }
            .sorted { ((export.organisations[$0] ?? "").lowercased(), $0.text()) < ((export.organisations[$1] ?? "").lowercased(), $1.text()) }
        let organisations = ids.map { id in
            full || fullService
                ? export.organization(id, services: (byOrganisation[id] ?? []).map { fullService ? export.fullService($0) : export.service($0) })
                : export.organization(id)
        }
        return try Self.json(Self.page(organisations, page))
    }

    func organization(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.pathID(context)
        let fullService = try Query(request: request).flag("full_service")
        let (points, export) = try await load(context)
        let own = points.filter { $0.organisation == id }
        guard !own.isEmpty else { throw AppError.notFound }
        return try Self.json(export.organization(id, services: own.map { fullService ? export.fullService($0) : export.service($0) }))
    }

    func taxonomies(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = Query(request: request)
        try q.checkFormat()
        let page = try q.page(), search = try q.search()
        let taxonomy = themes(context).taxonomy
        let all = search.map { s in [taxonomy].filter { $0.name.lowercased().contains(s) || $0.description.lowercased().contains(s) } } ?? [taxonomy]
        return try Self.json(Self.page(all, page))
    }

    func taxonomy(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try Self.pathID(context) == HSDSExport.taxonomyID else { throw AppError.notFound }
        return try Self.json(themes(context).taxonomy)
    }

    /// The themes, in their order; a flat taxonomy, so `top_only` changes nothing and a `parent_id` finds none.
    func terms(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = Query(request: request)
        try q.checkFormat()
        let page = try q.page(), search = try q.search(), taxonomy = try q.id("taxonomy_id"), parent = try q.id("parent_id")
        _ = try q.flag("top_only")
        let export = themes(context)
        let all = DigitalTheme.allCases.map(export.term).filter { term in
            (taxonomy.map { $0 == HSDSExport.taxonomyID } ?? true) && parent == nil
                && (search.map { s in term.name.lowercased().contains(s) || term.description.lowercased().contains(s) || term.code.contains(s) }
                    ?? true)
        }
        return try Self.json(Self.page(all, page))
    }

    func term(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.pathID(context)
        guard let theme = DigitalTheme.allCases.first(where: { HSDSExport.termID($0) == id }) else { throw AppError.notFound }
        let export = themes(context)
        return try Self.json(export.term(theme))
    }
}
