import Foundation
import Hummingbird

/// Whose cards a page keeps, where it lives and how it is named; the
/// feature finds it after checking the person's rights.
package struct TextCardTarget: Sendable {
    package var owner: UUID
    /// The page's address; saving posts here, deleting to `<base>/<id>/delete`.
    package var base: String
    package var heading: String
    package var intro: String
    package var breadcrumb: [(href: String, label: String)]
    package init(owner: UUID, base: String, heading: String, intro: String, breadcrumb: [(href: String, label: String)]) {
        (self.owner, self.base, self.heading, self.intro, self.breadcrumb) = (owner, base, heading, intro, breadcrumb)
    }
}

/// One page to keep a list of text cards (referral cards, ready-made
/// replies): the cards by language, a form to add or change one, delete.
package struct TextCardEditor: Sendable {
    package let store: TextCardStore
    package let views: Views
    /// Whether cards have a phone number and a web address.
    package let contacts: Bool

    package init(store: TextCardStore, views: Views, contacts: Bool) {
        (self.store, self.views, self.contacts) = (store, views, contacts)
    }

    /// The list and the form; `?edit=<id>` fills the form with that card.
    package func page(_ request: Request, _ context: some PageContext, _ target: TextCardTarget) async throws -> Response {
        let cards = try await store.cards(owners: [target.owner])
        let editing = request.uri.queryParameters["edit"].flatMap { UUID(uuidString: String($0)) }.flatMap { id in cards.first { $0.id == id } }
        return render(
            request, context, target, cards: cards, form: editing,
            saved: request.uri.queryParameters["saved"] != nil)
    }

    package func save(_ request: Request, _ context: some PageContext, _ target: TextCardTarget) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let cards = try await store.cards(owners: [target.owner])
        var errors = FieldErrors()
        var id = UUID()
        if !form["id"].isEmpty {
            // Changing a card that is not (any more) the owner's is refused, not turned into a new card.
            guard let existing = UUID(uuidString: form["id"]), cards.contains(where: { $0.id == existing }) else { throw AppError.notFound }
            id = existing
        }
        let card = TextCard(
            id: id, owner: target.owner, language: form["language"], title: form["title"].trimmingCharacters(in: .whitespaces),
            body: form["body"].trimmingCharacters(in: .whitespacesAndNewlines),
            phone: contacts ? form["phone"].trimmingCharacters(in: .whitespaces) : "",
            link: contacts ? form["link"].trimmingCharacters(in: .whitespaces) : "")
        if Language(rawValue: card.language) == nil { errors.add("language", "error_card_language") }
        if !Validate.length(card.title, 1...80) || !Validate.plainLine(card.title) { errors.add("title", "error_card_title") }
        if !Validate.length(card.body, 1...2000) { errors.add("body", "error_card_body") }
        if !card.phone.isEmpty && !Self.isPhone(card.phone) { errors.add("phone", "error_card_phone") }
        if !card.link.isEmpty && !Self.isWebAddress(card.link) { errors.add("link", "error_card_link") }
        if form["id"].isEmpty && cards.count >= 200 { errors.add("title", "error_card_too_many") }
        guard errors.isEmpty else {
            return render(request, context, target, cards: cards, form: card, isNew: form["id"].isEmpty, errors: errors, status: .badRequest)
        }
        try await store.save(card, at: Int64(Date().timeIntervalSince1970 * 1000))
        return Views.redirect("\(target.base)?saved=1")
    }

    package func delete(_ request: Request, _ context: some PageContext, _ target: TextCardTarget) async throws -> Response {
        _ = try await Form.read(request, context: context)
        guard let id = context.parameters.get("card").flatMap(UUID.init(uuidString:)),
            try await store.delete(id: id, owner: target.owner)
        else { throw AppError.notFound }
        return Views.redirect("\(target.base)?saved=1")
    }

    /// Digits with spaces, dashes, brackets and a leading plus: 3–30 characters.
    static func isPhone(_ s: String) -> Bool {
        (3...30).contains(s.count) && s.enumerated().allSatisfy { i, c in c.isASCII && (c.isNumber || " -()".contains(c) || (c == "+" && i == 0)) }
    }

    static func isWebAddress(_ s: String) -> Bool { Validate.webAddress(s) }

    private func render(
        _ request: Request, _ context: some PageContext, _ target: TextCardTarget, cards: [TextCard], form: TextCard?,
        isNew: Bool? = nil, saved: Bool = false, errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) -> Response {
        let t = views.localizer.catalogue(context.language)
        let groups: [TextCardsPage.LanguageGroup] = Language.allCases.compactMap { lang in
            let items = cards.filter { $0.language == lang.rawValue }
            guard !items.isEmpty else { return nil }
            return .init(language: t["language_\(lang.rawValue)"] ?? lang.rawValue, cards: ReferralView.items(items))
        }
        let editing = !(isNew ?? (form == nil))
        let language = form?.language ?? context.language.rawValue
        return views.page(
            .textCardsForm, title: views.title(target.heading), request: request, context: context, status: status,
            model: TextCardsPage(
                heading: target.heading, intro: target.intro, base: target.base,
                breadcrumb: target.breadcrumb.map { .init(href: $0.href, label: $0.label) },
                groups: groups, hasCards: !groups.isEmpty, contacts: contacts, saved: saved, editing: editing,
                id: editing ? form?.id.uuidString.lowercased() ?? "" : "",
                languages: Language.allCases.map {
                    .init(value: $0.rawValue, label: t["language_\($0.rawValue)"] ?? $0.rawValue, selected: $0.rawValue == language)
                },
                // Under `f`: the layout owns `title`.
                f: .init(title: form?.title ?? "", body: form?.body ?? "", phone: form?.phone ?? "", link: form?.link ?? "")
            ), errors: errors)
    }
}

/// Text cards as the pages show them (`ReferralCardView`).
package enum ReferralView {
    package static func items(_ cards: [TextCard]) -> [ReferralCardView] {
        cards.map { c in
            ReferralCardView(
                id: c.id.uuidString.lowercased(), title: c.title, body: c.body, phone: Views.nonEmpty(c.phone), link: Views.nonEmpty(c.link),
                tel: c.phone.filter { $0.isNumber || $0 == "+" })
        }
    }
}
