import Foundation
import Hummingbird
import KohtaamoBase

/// `/stats`: the coordinator's statistics page (a chart and tables a
/// section, no JavaScript), and `/stats/{table}.csv`, one table as CSV.
struct StatsPagesController {
    let stats: StatsFeature

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/stats", context: CoordinatorContext.self)
        group.get(use: page)
        group.get("{table}.csv", use: csv)
    }

    func page(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let (asked, report) = try await stats.report(request, staff: context.staff, language: context.language)
        let t = { (key: String) in stats.views.localizer.t(key, context.language) }
        let model = StatsPage(
            lengths: FigurePeriodLength.allCases.map {
                StatsPage.Option(value: $0.rawValue, label: t("stats_length_\($0.rawValue)"), selected: $0 == asked.length)
            },
            from: asked.from.description, until: asked.until.description, isNetwork: context.staff.role == .networkCoordinator,
            organisations: [StatsPage.Option(value: "", label: t("stats_whole_network"), selected: asked.organisation == nil)]
                + asked.choices.map { StatsPage.Option(value: $0.id.text(), label: $0.name, selected: $0.id == asked.organisation) },
            sections: report.sections.map { s -> StatsPage.Section in
                let first = s.tables.first
                return StatsPage.Section(
                    id: s.name, title: s.title, note: StatsPage.notes[s.name].map(t),
                    chart: first.flatMap { table in
                        table.rows.first.map { row in
                            StatsChart(
                                title: "\(row.label): \(t("stats_per_\(asked.length.rawValue)"))", id: s.name, row: row, columns: table.columns,
                                language: context.language)
                        }
                    },
                    tables: s.tables.map { table in
                        StatsPage.Table(
                            id: table.id, caption: table.caption, rowHeader: table.rowHeader, columns: table.columns.map(\.label),
                            rows: table.rows.map { r in
                                StatsPage.Row(label: r.label, isTotal: r.isTotal, cells: r.cells.map { StatsText.page($0, context.language) })
                            },
                            csv: "/stats/\(table.id).csv?\(asked.queryText)")
                    })
            })
        return stats.views.page(.stats, title: stats.views.title(t("stats_title")), request: request, context: context, model: model)
    }

    func csv(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let id = context.parameters.get("table") ?? ""
        let (asked, report) = try await stats.report(request, staff: context.staff, language: context.language)
        guard let table = report.sections.flatMap(\.tables).first(where: { $0.id == id }) else { throw AppError.notFound }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "private, no-store",
                .contentDisposition: "attachment; filename=\"\(table.id)-\(asked.from)-\(asked.until).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: StatsText.csv(table))))
    }
}

/// The statistics page (`stats.mustache`).
struct StatsPage: PageModel {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    struct Section {
        let id: String
        let title: String
        /// What a reader must know to read the section's figures right, under its heading.
        let note: String?
        let chart: StatsChart?
        let tables: [Table]
    }
    struct Table {
        let id: String
        let caption: String
        let rowHeader: String
        let columns: [String]
        let rows: [Row]
        let csv: String
    }
    struct Row {
        let label: String
        let isTotal: Bool
        let cells: [String]
    }
    let lengths: [Option]
    let from: String
    let until: String
    let isNetwork: Bool
    let organisations: [Option]
    let sections: [Section]

    /// The notes' catalogue keys by section. Group attendance is a lower
    /// bound: it counts members who wrote in the room during a scheduled
    /// time, and nothing records who only read.
    static let notes = ["groups": "matd_stats_groups_attendance"]
}
