import Foundation
import Hummingbird
import KohtaamoBase

/// The audit log as a coordinator reads it: their organisations' entries,
/// newest first, a hundred a page. Nothing here changes an entry (the
/// database refuses it too).
struct AuditController {
    let audit: AuditLog
    let organisations: any OrganisationDirectory
    let views: Views
    static let pageSize = 100

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/admin/audit", context: CoordinatorContext.self).get(use: page)
    }

    func page(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let lang = context.language
        let t = views.localizer.catalogue(lang)
        let orgs = try await organisations.manageable(by: me, language: lang)
        let names = Dictionary(orgs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let beforeText = request.uri.queryParameters["before"].map(String.init) ?? ""
        let before = beforeText.isEmpty ? nil : Int64(beforeText)
        if !beforeText.isEmpty && before == nil { throw AppError.badRequest }
        let entries = try await audit.entries(organisations: orgs.map(\.id), before: before, limit: Self.pageSize)
        let time = Date.FormatStyle(
            date: .numeric, time: .shortened, locale: Locale(identifier: lang == .fi ? "fi_FI" : lang == .sv ? "sv_FI" : "en_GB"),
            timeZone: TimeZone(identifier: "Europe/Helsinki")!)
        let rows: [AuditPage.Entry] = entries.map { e in
            .init(
                at: Date(timeIntervalSince1970: Double(e.atMs) / 1000).formatted(time), who: e.staffName,
                organisation: names[e.organisationID] ?? "", action: t["audit_\(e.action.replacingOccurrences(of: ".", with: "_"))"] ?? e.action,
                target: e.target, reason: Views.nonEmpty(e.reason))
        }
        return views.page(
            .audit, title: views.title(views.localizer.t("audit_title", context.language)), request: request, context: context,
            model: AuditPage(
                entries: rows, hasEntries: !rows.isEmpty, showOrganisation: orgs.count > 1,
                older: entries.count == Self.pageSize ? entries.last.map { "/admin/audit?before=\($0.atMs)" } : nil
            ))
    }
}
