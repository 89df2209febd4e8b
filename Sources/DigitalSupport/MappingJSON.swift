import Foundation
import KohtaamoBase

/// The JSON of the needs mapping (docs/openapi.yaml, tag DigitalSupport).
struct QuestionJSON: Codable {
    let id: String?
    let theme: String
    let fi: String
    let sv: String?
    let en: String?

    init(_ q: MappingQuestion) { (id, theme, fi, sv, en) = (q.id, q.theme.rawValue, q.text.fi, q.text.sv, q.text.en) }
}

struct RuleJSON: Codable {
    struct Condition: Codable {
        let theme: String
        let min: Double
        let max: Double
    }

    let profile: String
    let conditions: [Condition]

    init(_ r: ProfileRule) {
        profile = r.profile.rawValue
        conditions = r.ranges.map { Condition(theme: $0.theme.rawValue, min: $0.range.lowerBound, max: $0.range.upperBound) }
    }

    /// The rules as given; unknown profiles, themes and bad ranges are faults by rule number.
    static func rules(_ list: [RuleJSON]) -> Result<[ProfileRule], MappingRules.Fault> {
        var out: [ProfileRule] = []
        for (n, r) in list.enumerated() {
            guard let profile = MappingProfileKey(rawValue: r.profile) else { return .failure(.init(line: n + 1, refusal: .rulesProfile)) }
            var ranges: [(theme: DigitalTheme, range: ClosedRange<Double>)] = []
            for c in r.conditions {
                guard let theme = DigitalTheme(rawValue: c.theme) else { return .failure(.init(line: n + 1, refusal: .rulesTheme)) }
                guard c.min.isFinite, c.max.isFinite, c.min <= c.max else { return .failure(.init(line: n + 1, refusal: .rulesRange)) }
                ranges.append((theme, c.min...c.max))
            }
            out.append(ProfileRule(profile: profile, ranges: ranges))
        }
        return .success(out)
    }
}

struct QuestionnaireJSON: Encodable {
    let version: Int
    let isDefault: Bool
    let questions: [QuestionJSON]
    let rules: [RuleJSON]
    let rulesText: String
    let scale: [Int]
    let notNeeded: String

    init(_ q: Questionnaire) {
        (version, isDefault, questions) = (q.version, q.version == 0, q.questions.map(QuestionJSON.init))
        (rules, rulesText) = (q.rules.map(RuleJSON.init), MappingRules.text(q.rules))
        (scale, notNeeded) = (Array(MappingAnswer.scale), MappingAnswer.notNeeded)
    }
}

struct ProfileJSON: Encodable {
    struct Goal: Encodable {
        let theme: String
        let text: String
    }

    struct Material: Encodable {
        let title: String
        let url: String
    }

    let key: String
    let name: String
    let description: String
    let goals: [Goal]
    let material: [Material]

    /// `material`: the mapping's suggestions (`suggestedMaterial`), the bank's first.
    init(_ p: MappingDefaults.Profile, language: Language, material suggested: [SuggestedMaterial]) {
        (key, name, description) = (p.key.rawValue, p.name.text(language), p.description.text(language))
        goals = p.goals.map { Goal(theme: $0.theme.rawValue, text: $0.text.text(language)) }
        material = suggested.map { Material(title: $0.title, url: $0.url) }
    }
}

struct MappingJSON: Encodable {
    struct Answer: Encodable {
        let question: String
        let theme: String
        let text: String
        /// Absent: "not needed".
        let value: Int?
    }

    let id: String
    let member: String
    let createdMs: Int64
    let date: HelsinkiDay
    let version: Int
    let filledByWorker: Bool
    let scores: [String: Double]
    let profile: ProfileJSON
    let answers: [Answer]

    /// The mapping as the API and the data download give it, with its questionnaire and suggested material.
    static func make(_ m: Mapping, _ digital: DigitalService, language: Language) async throws -> MappingJSON {
        MappingJSON(
            m, questionnaire: try await digital.questionnaire(of: m), language: language,
            material: try await digital.suggestedMaterial(m, language: language))
    }

    init(_ m: Mapping, questionnaire q: Questionnaire, language: Language, material: [SuggestedMaterial]) {
        (id, member, createdMs, version, filledByWorker) = (m.id.text(), m.member.text(), m.createdMs, m.version, m.filledBy != nil)
        date = HelsinkiDay(Date(timeIntervalSince1970: Double(m.createdMs) / 1000))
        scores = Dictionary(uniqueKeysWithValues: m.scores.map { ($0.key.rawValue, ($0.value * 100).rounded() / 100) })
        profile = ProfileJSON(MappingDefaults.profile(m.profile), language: language, material: material)
        answers = q.questions.map { question in
            Answer(question: question.id, theme: question.theme.rawValue, text: question.text.text(language), value: m.answers[question.id] ?? nil)
        }
    }
}

struct GoalJSON: Encodable {
    let id: String
    let theme: String
    let text: String
    let status: String
    let createdMs: Int64
    /// The client material's id given with the goal, or null.
    let material: String?
    /// Its title and page while the bank still gives it to clients.
    let materialLink: MaterialLinkJSON?

    /// `links`: the goals' material the bank still gives clients (`goalMaterialLinks`).
    init(_ g: MappingGoal, links: [UUID: MaterialLink]) {
        (id, theme, text, status, createdMs) = (g.id.text(), g.theme.rawValue, g.text, g.done ? "done" : "open", g.createdMs)
        material = g.material?.text()
        materialLink = g.material.flatMap { links[$0] }.map(MaterialLinkJSON.init)
    }

    /// The goals with the links of their material.
    static func list(_ goals: [MappingGoal], _ digital: DigitalService) async throws -> [GoalJSON] {
        let links = try await digital.goalMaterialLinks(goals)
        return goals.map { GoalJSON($0, links: links) }
    }

    static func one(_ goal: MappingGoal, _ digital: DigitalService) async throws -> GoalJSON {
        GoalJSON(goal, links: try await digital.goalMaterialLinks([goal]))
    }
}
