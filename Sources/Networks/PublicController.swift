import Foundation
import Hummingbird
import KohtaamoBase

/// The public pages: the network's front page with every public service and
/// whether it is open now, and a page per service. No sign-in, no JavaScript.
struct PublicController {
    let repository: any NetworkRepository
    let referrals: TextCardStore
    let views: Views
    let clock: AppClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: home)
        router.get("/s/{slug}", use: service)
    }

    func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lang = context.language
        let text = ScheduleText(localizer: views.localizer, lang: lang)
        let now = clock.now
        let networks = try await repository.networks()
        var sections: [HomePage.NetworkSection] = []
        for (index, network) in networks.enumerated() {
            var items: [HomePage.ServiceCard] = []
            // Staff-only services (working groups) are never listed, even if marked public by an older version.
            for s in try await repository.services(network: network.id) where s.isPublic && !s.staffOnly {
                let status = text.status(try await repository.schedule(service: s.id), now: now)
                items.append(
                    .init(
                        slug: s.slug, name: s.names.in(lang), description: Views.nonEmpty(s.descriptions.in(lang)),
                        kind: views.localizer.t("kind_\(s.kind.rawValue)", lang), open: status.open, status: status.text))
            }
            sections.append(.init(anchor: "network-\(index + 1)", name: network.names.in(lang), services: items))
        }
        return views.page(
            .home, title: views.title(views.localizer.t("home_title", lang)), request: request,
            context: context, model: HomePage(networks: sections))
    }

    func service(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = context.parameters.get("slug") ?? ""
        guard let s = try await repository.service(slug: slug), s.isPublic, !s.staffOnly else { throw AppError.notFound }
        let lang = context.language
        let text = ScheduleText(localizer: views.localizer, lang: lang)
        let schedule = try await repository.schedule(service: s.id)
        let now = clock.now
        let status = text.status(schedule, now: now)
        let exceptions = text.upcomingExceptions(schedule, now: now)
        let organisation = try await repository.organisation(id: s.organisationID)
        let cards = try await referrals.cards(owners: [s.id]).shown(in: lang.rawValue)
        let languages = s.languages.map { code in Language(rawValue: code).map { views.localizer.t("language_\($0.rawValue)", lang) } ?? code }
        let startsChat = s.kind == .supportChat && status.open
        let chatScript = views.assets.url("chat.js")
        let chatModules = [chatScript] + views.assets.preloads(ofScriptURL: chatScript)
        return views.page(
            .service, title: views.title(s.names.in(lang)), request: request, context: context,
            model: ServicePage(
                name: s.names.in(lang),
                description: Views.nonEmpty(s.descriptions.in(lang)),
                kind: views.localizer.t("kind_\(s.kind.rawValue)", lang),
                organisation: organisation?.names.in(lang) ?? "",
                languages: languages.joined(separator: ", "),
                open: status.open,
                status: status.text,
                weekly: text.weeklyRows(schedule),
                exceptions: exceptions,
                hasExceptions: !exceptions.isEmpty,
                isChat: s.kind == .supportChat, slug: s.slug, form: s.kind == .supportChat,
                nicknameError: request.uri.queryParameters["nickname"] != nil,
                script: startsChat ? views.assets.url("chat-start.js") : nil,
                chatModules: startsChat ? chatModules.joined(separator: " ") : nil,
                referrals: ReferralView.items(cards), hasReferrals: !cards.isEmpty
            ))
    }
}
