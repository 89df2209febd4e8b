import Foundation
import KohtaamoBase

/// The rules of the needs mapping. A worker (not a volunteer) maps a
/// registered client with them, found by nickname, and the mapping is kept
/// with the worker's organisation and network. A client alone maps
/// themselves: kept with the organisation and network of their latest
/// mapping with a worker (so that worker sees the progress), or with none,
/// on the product's default questionnaire. Coordinators (of an organisation
/// or of the network) edit their network's questionnaire.
extension DigitalService {
    package static let maxQuestion = 300
    package static let maxGoal = 300
    package static let questionsPerTheme = 1...3

    // MARK: the questionnaire

    /// The network's newest questionnaire, else the default set.
    package func questionnaire(network: UUID?) async throws -> Questionnaire {
        guard let network, let saved = try await repository.questionnaire(network: network) else { return MappingDefaults.questionnaire }
        return saved
    }

    /// The version a mapping was answered on.
    package func questionnaire(of mapping: Mapping) async throws -> Questionnaire {
        guard mapping.version > 0, let network = mapping.network,
            let saved = try await repository.questionnaire(network: network, version: mapping.version)
        else { return MappingDefaults.questionnaire }
        return saved
    }

    package func questionnaire(_ p: StaffPrincipal) async throws -> Questionnaire {
        try requireMapper(p)
        return try await questionnaire(network: p.networkID)
    }

    package func requireMapper(_ p: StaffPrincipal) throws {
        guard p.role != .volunteer else { throw MappingRefusal.notAllowed }
    }

    package func requireEditor(_ p: StaffPrincipal) throws {
        guard p.role == .coordinator || p.role == .networkCoordinator else { throw MappingRefusal.notAllowed }
    }

    /// A question as typed: its theme and its text in three languages.
    package struct QuestionInput: Sendable {
        package var theme: String
        package var text: MappingText
        package init(theme: String, text: MappingText) { (self.theme, self.text) = (theme, text) }
    }

    /// Questions checked: known themes, Finnish text required, one to three a theme.
    /// Each gets the id `<theme>_<n>` in its theme's order.
    static func questions(_ input: [QuestionInput], _ p: inout [(field: String, refusal: MappingRefusal, line: Int)]) -> [MappingQuestion] {
        var out: [MappingQuestion] = []
        for (n, q) in input.enumerated() {
            guard let theme = DigitalTheme(rawValue: q.theme) else {
                p.append(("question-\(n)", .badTheme, 0))
                continue
            }
            var texts: [String] = []
            for (language, value) in [("fi", q.text.fi), ("sv", q.text.sv), ("en", q.text.en)] {
                let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if (language == "fi" && v.isEmpty) || v.count > maxQuestion || !Validate.plainLine(v) || v.contains(where: \.isNewline) {
                    p.append(("question-\(n)-\(language)", .badQuestion, 0))
                }
                texts.append(v)
            }
            let index = out.filter { $0.theme == theme }.count + 1
            out.append(MappingQuestion(id: "\(theme.rawValue)_\(index)", theme: theme, text: MappingText(fi: texts[0], sv: texts[1], en: texts[2])))
        }
        for theme in DigitalTheme.allCases where !questionsPerTheme.contains(out.filter({ $0.theme == theme }).count) {
            p.append(("theme-\(theme.rawValue)", .questionCount, 0))
        }
        return out
    }

    /// Saves the coordinator's questions and rules as the network's next version.
    package func saveQuestionnaire(_ p: StaffPrincipal, questions input: [QuestionInput], rules: Result<[ProfileRule], MappingRules.Fault>)
        async throws -> Questionnaire
    {
        try requireEditor(p)
        var problems: [(field: String, refusal: MappingRefusal, line: Int)] = []
        let questions = Self.questions(input, &problems)
        var checked: [ProfileRule] = []
        switch rules {
        case .success(let r):
            if let fault = MappingRules.check(r) { problems.append(("rules", fault.refusal, fault.line)) } else { checked = r }
        case .failure(let fault): problems.append(("rules", fault.refusal, fault.line))
        }
        guard problems.isEmpty else { throw MappingRefusedFields(problems) }
        let saved = try await repository.saveQuestionnaire(
            network: p.networkID, questions: questions, rules: checked, savedBy: p.staffID, nowMs: clock.nowMs)
        try await record(p, "digital.questionnaire", p.networkID)
        return saved
    }

    // MARK: mappings

    /// The answers as typed (question id → "0"…"3" or "skip"), checked against the questionnaire.
    static func answers(_ typed: [String: String], _ q: Questionnaire) throws -> [String: Int?] {
        var problems: [(field: String, refusal: MappingRefusal, line: Int)] = []
        if typed.keys.contains(where: { key in !q.questions.contains { $0.id == key } }) { problems.append(("answers", .badAnswer, 0)) }
        var out: [String: Int?] = [:]
        for question in q.questions {
            let raw = typed[question.id]?.trimmingCharacters(in: .whitespaces) ?? ""
            if raw == MappingAnswer.notNeeded {
                out[question.id] = .some(nil)
            } else if let v = Int(raw), MappingAnswer.scale.contains(v) {
                out[question.id] = v
            } else {
                problems.append((question.id, raw.isEmpty ? .missingAnswer : .badAnswer, 0))
            }
        }
        guard problems.isEmpty else { throw MappingRefusedFields(problems) }
        return out
    }

    func mapping(member: UUID, organisation: UUID?, network: UUID?, typed: [String: String], by staff: UUID?) async throws -> Mapping {
        let q = try await questionnaire(network: network)
        let answers = try Self.answers(typed, q)
        let scores = MappingRules.scores(answers, questions: q.questions)
        let mapping = Mapping(
            member: member, organisation: organisation, network: network, version: q.version, answers: answers, scores: scores,
            profile: MappingRules.profile(scores, rules: q.rules), filledBy: staff, createdMs: clock.nowMs)
        try await repository.addMapping(mapping)
        return mapping
    }

    /// The registered client a worker names by nickname.
    package func client(nickname: String) async throws -> UUID {
        let n = nickname.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !n.isEmpty, n.count <= 60, let found = try await members.member(nickname: n) else { throw MappingRefusal.memberNotFound }
        return found.id
    }

    /// A worker maps a client with them.
    package func makeMapping(_ p: StaffPrincipal, member: UUID, answers: [String: String]) async throws -> Mapping {
        try requireMapper(p)
        guard try await members.nickname(member: member) != nil else { throw MappingRefusal.memberNotFound }
        let m = try await mapping(member: member, organisation: p.organisationID, network: p.networkID, typed: answers, by: p.staffID)
        try await record(p, "digital.mapping", member)
        return m
    }

    /// A client's mappings kept with the worker's organisation; not found if none.
    package func clientMappings(_ p: StaffPrincipal, member: UUID) async throws -> [Mapping] {
        try requireMapper(p)
        let mine = try await repository.mappings(member: member).filter { $0.organisation == p.organisationID }
        guard !mine.isEmpty else { throw MappingRefusal.notFound }
        return mine
    }

    /// The organisation's mapped clients, the most recently mapped first, with their latest mapping.
    package func mappedClients(_ p: StaffPrincipal) async throws -> [(member: UUID, nickname: String, latest: Mapping, count: Int)] {
        try requireMapper(p)
        var latest: [UUID: (Mapping, Int)] = [:]
        for m in try await repository.mappings(organisation: p.organisationID) { latest[m.member] = (m, (latest[m.member]?.1 ?? 0) + 1) }
        var out: [(member: UUID, nickname: String, latest: Mapping, count: Int)] = []
        for (member, (m, count)) in latest { out.append((member, try await members.nickname(member: member) ?? "", m, count)) }
        return out.sorted { $0.latest.createdMs > $1.latest.createdMs }
    }

    /// Where a client's own mapping is kept: with their latest worker's organisation and network, else none.
    package func home(member: UUID) async throws -> (organisation: UUID?, network: UUID?) {
        guard let last = try await repository.mappings(member: member).last(where: { $0.organisation != nil }) else { return (nil, nil) }
        return (last.organisation, last.network)
    }

    package func myQuestionnaire(member: UUID) async throws -> Questionnaire {
        try await questionnaire(network: try await home(member: member).network)
    }

    package func makeMyMapping(member: UUID, answers: [String: String]) async throws -> Mapping {
        let home = try await home(member: member)
        return try await mapping(member: member, organisation: home.organisation, network: home.network, typed: answers, by: nil)
    }

    package func myMappings(member: UUID) async throws -> [Mapping] { try await repository.mappings(member: member) }

    // MARK: goals

    /// The client's goals kept with the organisation (for its workers, and
    /// for the client's digital buddy there), oldest first.
    package func goals(of member: UUID, organisation: UUID) async throws -> [MappingGoal] {
        try await repository.goals(member: member).filter { $0.organisation == organisation }
    }

    static func goal(theme: String, text: String) throws -> (DigitalTheme, String) {
        var problems: [(field: String, refusal: MappingRefusal, line: Int)] = []
        let theme = DigitalTheme(rawValue: theme)
        if theme == nil { problems.append(("theme", .badTheme, 0)) }
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty || t.count > maxGoal || !Validate.plainLine(t) || t.contains(where: \.isNewline) { problems.append(("text", .badGoal, 0)) }
        guard problems.isEmpty, let theme else { throw MappingRefusedFields(problems) }
        return (theme, t)
    }

    /// A worker adds a goal to their organisation's client (picked from the suggestions or written).
    /// `material`: a client material's id (or empty), see `goalMaterial`.
    package func addGoal(_ p: StaffPrincipal, member: UUID, theme: String, text: String, material: String = "") async throws -> MappingGoal {
        _ = try await clientMappings(p, member: member)
        let (theme, text) = try Self.goal(theme: theme, text: text)
        let banked = try await goalMaterial(p, material)
        let goal = MappingGoal(
            member: member, organisation: p.organisationID, theme: theme, text: text, addedBy: p.staffID, createdMs: clock.nowMs, material: banked)
        try await repository.addGoal(goal)
        // The target names the client only: the audit log holds no goal text.
        try await record(p, "digital.goal", member)
        return goal
    }

    package func setGoal(_ p: StaffPrincipal, member: UUID, goal: UUID, done: Bool) async throws {
        _ = try await clientMappings(p, member: member)
        guard try await goals(of: member, organisation: p.organisationID).contains(where: { $0.id == goal }),
            try await repository.setGoal(id: goal, member: member, done: done, nowMs: clock.nowMs)
        else { throw MappingRefusal.notFound }
        try await record(p, "digital.goal_status", member)
    }

    package func myGoals(member: UUID) async throws -> [MappingGoal] { try await repository.goals(member: member) }

    /// A client adds a goal of their own; it is kept where their own mappings are.
    package func addMyGoal(member: UUID, theme: String, text: String) async throws -> MappingGoal {
        let (theme, text) = try Self.goal(theme: theme, text: text)
        let goal = MappingGoal(
            member: member, organisation: try await home(member: member).organisation, theme: theme, text: text, addedBy: nil,
            createdMs: clock.nowMs)
        try await repository.addGoal(goal)
        return goal
    }

    package func setMyGoal(member: UUID, goal: UUID, done: Bool) async throws {
        guard try await repository.setGoal(id: goal, member: member, done: done, nowMs: clock.nowMs) else { throw MappingRefusal.notFound }
    }
}
