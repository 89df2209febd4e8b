import Foundation
import Hummingbird
import KohtaamoBase

/// What the worker's and the client's mapping pages share: the
/// questionnaire to fill and the progress page (profile, suggestions,
/// goals, chart and table). Only the paths differ.
struct MappingViews {
    let digital: DigitalService
    let views: Views

    func text(_ context: some PageContext) -> DigitalPageText {
        DigitalPageText(t: views.localizer.catalogue(context.language), language: context.language)
    }

    /// The refusal as a message; the rules' name their line.
    static func message(_ r: MappingRefusal, line: Int, _ x: DigitalPageText) -> String {
        x.s(r.messageKey).replacingOccurrences(of: "{line}", with: String(line))
    }

    static func answerLabel(_ value: String, _ x: DigitalPageText) -> String { x.s("mapping_answer_\(value)") }

    /// The answers as typed on a form: `q_<question id>` → value.
    static func typedAnswers(_ form: Form, _ q: Questionnaire) -> [String: String] {
        var out: [String: String] = [:]
        for question in q.questions where !form["q_\(question.id)"].isEmpty { out[question.id] = form["q_\(question.id)"] }
        return out
    }

    func fill(
        _ request: Request, _ context: some PageContext, questionnaire q: Questionnaire, action: String, isStaff: Bool, nickname: String,
        back: String, typed: [String: String] = [:], problems: [(field: String, refusal: MappingRefusal, line: Int)] = [],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let x = text(context)
        var errors = FieldErrors()
        var e: [String: String] = [:]
        for p in problems where e[p.field] == nil {
            e[p.field] = Self.message(p.refusal, line: p.line, x)
            errors.add(p.field == "nickname" ? "mapping-nickname" : "q-\(p.field)-0", p.refusal.messageKey)
        }
        let values = MappingAnswer.scale.map(String.init) + [MappingAnswer.notNeeded]
        let themes = DigitalTheme.allCases.compactMap { theme -> MappingFillPage.Theme? in
            let questions = q.questions.filter { $0.theme == theme }
            guard !questions.isEmpty else { return nil }
            return MappingFillPage.Theme(
                id: "theme-\(theme.rawValue)", name: x.theme(theme),
                questions: questions.map { question in
                    MappingFillPage.Question(
                        id: "q-\(question.id)", text: question.text.text(context.language), error: e[question.id],
                        options: values.map { v in
                            .init(
                                id: "q-\(question.id)-\(v)", name: "q_\(question.id)", value: v, label: Self.answerLabel(v, x),
                                checked: typed[question.id] == v)
                        })
                })
        }
        let page = MappingFillPage(
            heading: isStaff ? x.s("mapping_fill_staff_title").replacingOccurrences(of: "{nickname}", with: nickname) : x.s("mapping_fill_title"),
            action: action, isStaff: isStaff, nickname: nickname, themes: themes, hasErrors: !problems.isEmpty, back: back)
        return views.page(
            .mappingFill, title: views.title(page.heading, x.s("mapping_title")), request: request, context: context, status: status, model: page,
            errors: errors)
    }

    /// "3.12.2026" (en: "3/12/2026").
    static func date(_ m: Mapping, _ language: Language) -> String {
        let d = HelsinkiDay(Date(timeIntervalSince1970: Double(m.createdMs) / 1000))
        return language == .en ? "\(d.day)/\(d.month)/\(d.year)" : "\(d.day).\(d.month).\(d.year)"
    }

    func progress(
        _ request: Request, _ context: some PageContext, mappings: [Mapping], goals: [MappingGoal], heading: String, isStaff: Bool,
        base: String, fillLink: String, back: String, goalTyped: (theme: String, text: String) = ("", ""),
        materials: (choices: [MaterialLink], typed: String)? = nil, problems: [(field: String, refusal: MappingRefusal, line: Int)] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let x = text(context)
        let language = context.language
        var errors = FieldErrors()
        var e: [String: String] = [:]
        for p in problems where e[p.field] == nil {
            e[p.field] = Self.message(p.refusal, line: p.line, x)
            errors.add(p.field == "theme" || p.field == "material" ? "goal-\(p.field)" : "goal-text", p.refusal.messageKey)
        }
        var latest: MappingProgressPage.Latest?
        if let m = mappings.last {
            let profile = MappingDefaults.profile(m.profile)
            let q = try await digital.questionnaire(of: m)
            let kept = Set(goals.map(\.text))
            let material = try await digital.suggestedMaterial(m, language: language).map {
                MappingProgressPage.Material(title: $0.title, url: $0.url)
            }
            latest = .init(
                date: Self.date(m, language), profile: profile.name.text(language), description: profile.description.text(language),
                suggestions: profile.goals.map {
                    .init(
                        theme: $0.theme.rawValue, themeName: x.theme($0.theme), text: $0.text.text(language),
                        added: kept.contains($0.text.text(language)))
                },
                material: material, hasMaterial: !material.isEmpty,
                answers: q.questions.map { question in
                    let value = m.answers[question.id].map { $0.map(String.init) ?? MappingAnswer.notNeeded } ?? MappingAnswer.notNeeded
                    return .init(text: question.text.text(language), answer: Self.answerLabel(value, x))
                })
        }
        let chart =
            mappings.isEmpty
            ? nil
            : MappingChart(
                title: x.s("mapping_chart_title"), mappings: mappings, language: language, theme: x.theme, day: { Self.date($0, language) },
                profile: { MappingDefaults.profile($0.profile).name.text(language) })
        let links = try await digital.goalMaterialLinks(goals)
        let page = MappingProgressPage(
            heading: heading, isStaff: isStaff, saved: request.uri.queryParameters["saved"] == "1", latest: latest,
            goals: goals.map { g in
                .init(
                    id: g.id.text(), themeName: x.theme(g.theme), text: g.text, done: g.done, action: "\(base)/goals/\(g.id.text())/status",
                    value: g.done ? "0" : "1", button: x.s(g.done ? "mapping_goal_reopen" : "mapping_goal_done"),
                    material: g.material.flatMap { links[$0] }.map { .init(title: $0.title, url: $0.path) })
            }, hasGoals: !goals.isEmpty, goalAction: "\(base)/goals",
            goalThemes: DigitalTheme.allCases.map { FieldOption(value: $0.rawValue, label: x.theme($0), selected: goalTyped.theme == $0.rawValue) },
            goalText: FormField(
                id: "goal-text", name: "text", label: x.s("mapping_goal_text"), hint: x.s("mapping_goal_text_hint"), value: goalTyped.text,
                error: e["text"], maxlength: DigitalService.maxGoal),
            goalThemeError: e["theme"],
            goalMaterials: materials.map { m in
                [FieldOption(value: "", label: x.s("materials_attach_none"), selected: m.typed.isEmpty)]
                    + m.choices.map { FieldOption(value: $0.id.text(), label: $0.title, selected: m.typed == $0.id.text()) }
            } ?? [], goalMaterialError: e["material"], chart: chart, fillLink: fillLink, back: back)
        return views.page(
            .mappingProgress, title: views.title(heading, x.s("mapping_title")), request: request, context: context, status: status, model: page,
            errors: errors)
    }
}
