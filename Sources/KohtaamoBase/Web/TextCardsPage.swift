/// A text card as the pages show it (the `referral_cards` partial and the
/// editor's list): an absent phone or address is no section at all.
package struct ReferralCardView: Sendable {
    package let id: String
    package let title: String
    package let body: String
    package let phone: String?
    package let link: String?
    /// The phone number to dial (digits and a leading plus).
    package let tel: String
}

/// The editor of a set of text cards (`text_cards_form.mustache`): the cards
/// by language, and the form of a new or edited card.
struct TextCardsPage: PageModel {
    let heading: String
    let intro: String
    let base: String
    let breadcrumb: [Crumb]
    let groups: [LanguageGroup]
    let hasCards: Bool
    /// Whether the cards have a phone and an address.
    let contacts: Bool
    let saved: Bool
    let editing: Bool
    let id: String
    let languages: [Choice]
    /// The card in the form, under `f`: the layout owns `title`.
    let f: Fields

    struct Crumb {
        let href: String
        let label: String
    }

    struct LanguageGroup {
        let language: String
        let cards: [ReferralCardView]
    }

    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Fields {
        let title: String
        let body: String
        let phone: String
        let link: String
    }
}
