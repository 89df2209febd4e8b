import Foundation
import Hummingbird
import KohtaamoBase

/// `GET /api/stats`: the page's figures as JSON, suppressed the same way
/// (a hidden figure is `null` with its `status`).
struct StatsAPIController {
    let stats: StatsFeature

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/stats", context: CoordinatorContext.self).get(use: get)
    }

    struct Body: Encodable {
        struct Period: Encodable { let first: String; let last: String }
        struct Column: Encodable { let key: String; let label: String; let first: String?; let last: String? }
        /// `value` is written also when null (a hidden figure), as the schema says.
        struct Cell: Encodable {
            let value: Double?
            let status: StatsShown
            enum CodingKeys: String, CodingKey { case value, status }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(value, forKey: .value)
                try c.encode(status, forKey: .status)
            }
        }
        struct Row: Encodable { let key: String; let label: String; let total: Bool; let cells: [Cell] }
        struct Table: Encodable { let id: String; let caption: String; let rows_are: String; let columns: [Column]; let rows: [Row] }
        struct Section: Encodable { let name: String; let title: String; let tables: [Table] }
        let length: String
        let from: String
        let until: String
        let organisation: String?
        let periods: [Period]
        let sections: [Section]
    }

    func get(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let (asked, report) = try await stats.report(request, staff: context.staff, language: context.language)
        let body = Body(
            length: asked.length.rawValue, from: asked.from.description, until: asked.until.description, organisation: asked.organisation?.text(),
            periods: report.query.periods.map { .init(first: $0.first.description, last: $0.last.description) },
            sections: report.sections.map { s in
                .init(
                    name: s.name, title: s.title,
                    tables: s.tables.map { t in
                        .init(
                            id: t.id, caption: t.caption, rows_are: t.rowKind,
                            columns: t.columns.map { .init(key: $0.key, label: $0.label, first: $0.first?.description, last: $0.last?.description) },
                            rows: t.rows.map { r in
                                .init(
                                    key: r.key, label: r.label, total: r.isTotal,
                                    cells: r.cells.map { .init(value: StatsText.number($0), status: $0.shown) })
                            })
                    })
            })
        return try JSONResponse.make(body)
    }
}
