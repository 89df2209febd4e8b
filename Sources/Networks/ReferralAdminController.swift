import Foundation
import Hummingbird
import KohtaamoBase

/// Coordinator pages for a service's referral cards: where else to turn
/// (a crisis line, health advice). Clients see them when the service is
/// closed and beside the chat; workers insert them into a chat.
struct ReferralAdminController {
    let repository: any NetworkRepository
    let editor: TextCardEditor
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let referrals = router.group("/admin/services/{id}/referrals", context: CoordinatorContext.self)
        referrals.get(use: { try await editor.page($0, $1, try await target($1)) })
        referrals.post(use: { try await editor.save($0, $1, try await target($1)) })
        referrals.post("{card}/delete", use: { try await editor.delete($0, $1, try await target($1)) })
    }

    /// The service of the path, if the person manages its organisation; else 404.
    func target(_ context: CoordinatorContext) async throws -> TextCardTarget {
        let me = context.staff
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let s = try await repository.service(id: id),
            let org = try await repository.organisation(id: s.organisationID),
            me.canManage(organisation: org.id, inNetwork: org.networkID)
        else { throw AppError.notFound }
        let name = s.names.in(context.language)
        return TextCardTarget(
            owner: s.id, base: "/admin/services/\(s.id.uuidString)/referrals",
            heading: "\(views.localizer.t("referrals_title", context.language)): \(name)",
            intro: views.localizer.t("referrals_intro", context.language),
            breadcrumb: [("/admin/services", views.localizer.t("services_title", context.language)), ("/admin/services/\(s.id.uuidString)", name)])
    }
}
