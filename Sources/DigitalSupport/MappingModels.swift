import Foundation
import KohtaamoBase

/// A text a coordinator writes in the three languages; Swedish and English
/// may be left out, and the Finnish is shown instead.
package struct MappingText: Sendable, Equatable, Codable {
    package var fi: String
    package var sv: String
    package var en: String

    package init(fi: String, sv: String, en: String) { (self.fi, self.sv, self.en) = (fi, sv, en) }

    package func text(_ language: Language) -> String {
        let own =
            switch language {
            case .fi: fi
            case .sv: sv
            case .en: en
            }
        return own.isEmpty ? fi : own
    }
}

/// One statement of the questionnaire ("Osaan lukea sähköpostia."), on one theme.
package struct MappingQuestion: Sendable, Equatable, Codable {
    /// Stable within its version: answers are stored by it.
    package var id: String
    package var theme: DigitalTheme
    package var text: MappingText

    package init(id: String, theme: DigitalTheme, text: MappingText) { (self.id, self.theme, self.text) = (id, theme, text) }
}

/// How well a person says they manage: 0 "I cannot" … 3 "I manage well".
/// "Not needed" is no answer on the scale: it does not pull the theme's mean down.
package enum MappingAnswer {
    package static let scale = 0...3
    /// The form's and the API's word for "not needed".
    package static let notNeeded = "skip"
}

/// The profiles a mapping yields. Their names, descriptions, suggested
/// goals and material are the product's (`MappingDefaults`); a network's
/// rules choose among them.
package enum MappingProfileKey: String, Sendable, CaseIterable, Codable {
    case beginner
    case practical
    case entertainment
    case advanced
}

/// One rule: the profile, when every named theme's score is in its range.
/// A rule with no ranges always matches (the fallback, last).
package struct ProfileRule: Sendable, Equatable {
    package var profile: MappingProfileKey
    package var ranges: [(theme: DigitalTheme, range: ClosedRange<Double>)]

    package init(profile: MappingProfileKey, ranges: [(theme: DigitalTheme, range: ClosedRange<Double>)]) {
        (self.profile, self.ranges) = (profile, ranges)
    }

    package static func == (a: ProfileRule, b: ProfileRule) -> Bool {
        a.profile == b.profile && a.ranges.map(\.theme) == b.ranges.map(\.theme) && a.ranges.map(\.range) == b.ranges.map(\.range)
    }
}

/// A network's questionnaire as saved: every save is a new version, kept,
/// so a mapping answered on an old version reads as it was. Version 0 is
/// the product's default set (a network that has saved none).
package struct Questionnaire: Sendable, Equatable {
    package var network: UUID?
    package var version: Int
    package var questions: [MappingQuestion]
    package var rules: [ProfileRule]
    package var savedMs: Int64

    package init(network: UUID?, version: Int, questions: [MappingQuestion], rules: [ProfileRule], savedMs: Int64) {
        (self.network, self.version, self.questions, self.rules, self.savedMs) = (network, version, questions, rules, savedMs)
    }
}

/// One filling of the questionnaire by or for a registered client: the
/// answers, the theme scores and the profile they gave, and the version
/// answered. Kept with the organisation and network of the worker (or, when
/// the client fills it alone, those of their latest mapping with a worker).
package struct Mapping: Sendable, Equatable {
    package var id: UUID
    package var member: UUID
    package var organisation: UUID?
    package var network: UUID?
    package var version: Int
    /// Question id → 0…3, or nil for "not needed".
    package var answers: [String: Int?]
    /// The mean of each theme's answers; a theme answered only "not needed" has none.
    package var scores: [DigitalTheme: Double]
    package var profile: MappingProfileKey
    /// The worker who filled it with the client; nil when the client filled it alone.
    package var filledBy: UUID?
    package var createdMs: Int64

    package init(
        id: UUID = UUID(), member: UUID, organisation: UUID?, network: UUID?, version: Int, answers: [String: Int?],
        scores: [DigitalTheme: Double], profile: MappingProfileKey, filledBy: UUID?, createdMs: Int64
    ) {
        (self.id, self.member, self.organisation, self.network, self.version) = (id, member, organisation, network, version)
        (self.answers, self.scores, self.profile, self.filledBy, self.createdMs) = (answers, scores, profile, filledBy, createdMs)
    }
}

/// A goal in a client's list: on a theme, its text sealed (it may say
/// anything of the person), open or done. Kept with an organisation (nil:
/// the client set it alone and has no worker yet).
package struct MappingGoal: Sendable, Equatable {
    package var id: UUID
    package var member: UUID
    package var organisation: UUID?
    package var theme: DigitalTheme
    package var text: String
    package var done: Bool
    package var addedBy: UUID?
    package var createdMs: Int64
    package var doneMs: Int64?
    /// Client material of the bank a worker gave with the goal.
    package var material: UUID?

    package init(
        id: UUID = UUID(), member: UUID, organisation: UUID?, theme: DigitalTheme, text: String, done: Bool = false, addedBy: UUID?,
        createdMs: Int64, doneMs: Int64? = nil, material: UUID? = nil
    ) {
        (self.id, self.member, self.organisation, self.theme, self.text) = (id, member, organisation, theme, text)
        (self.done, self.addedBy, self.createdMs, self.doneMs, self.material) = (done, addedBy, createdMs, doneMs, material)
    }
}
