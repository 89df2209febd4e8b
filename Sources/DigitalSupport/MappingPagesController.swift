import Foundation
import Hummingbird
import KohtaamoBase

/// The staff's needs mapping pages, without JavaScript: the organisation's
/// mapped clients and a nickname to map one (`/digital/mapping`), the
/// questionnaire to fill with the client (`/digital/mapping/new?nickname=`),
/// a client's profile, goals and progress (`/digital/mapping/clients/{member}`),
/// and the coordinator's questionnaire (`/digital/mapping/questionnaire`).
struct MappingPagesController {
    let digital: DigitalService
    let views: Views
    var shared: MappingViews { MappingViews(digital: digital, views: views) }

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/digital/mapping", context: StaffContext.self)
        staff.get(use: list)
        staff.get("new", use: newForm)
        staff.post("new", use: make)
        staff.get("clients/{member}", use: client)
        staff.post("clients/{member}/goals", use: addGoal)
        staff.post("clients/{member}/goals/{goal}/status", use: setGoal)
        staff.get("questionnaire", use: questionnaire)
        staff.post("questionnaire", use: saveQuestionnaire)
    }

    /// Refused fields come back to the form; any other refusal is the error page.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T { try await DigitalAPIController.refusingFieldsOnly(body) }

    func list(_ request: Request, context: StaffContext, nickname: String = "", error: MappingRefusal? = nil) async throws -> Response {
        let x = shared.text(context)
        let clients = try await Self.refusing { try await digital.mappedClients(context.staff) }
        var errors = FieldErrors()
        if let error { errors.add("mapping-nickname", error.messageKey) }
        let page = DigitalMappingPage(
            nickname: FormField(
                id: "mapping-nickname", name: "nickname", label: x.s("mapping_nickname"), hint: x.s("mapping_nickname_hint"), value: nickname,
                error: error.map { x.s($0.messageKey) }, maxlength: 60),
            clients: clients.map { c in
                .init(
                    nickname: Views.nonEmpty(c.nickname) ?? "–", link: "/digital/mapping/clients/\(c.member.text())",
                    date: MappingViews.date(c.latest, context.language),
                    profile: MappingDefaults.profile(c.latest.profile).name.text(context.language),
                    count: c.count)
            }, hasClients: !clients.isEmpty, canEdit: context.staff.role == .coordinator || context.staff.role == .networkCoordinator)
        return views.page(
            .digitalMapping, title: views.title(x.s("mapping_title")), request: request, context: context, status: error == nil ? .ok : .badRequest,
            model: page, errors: errors)
    }

    func list(_ request: Request, context: StaffContext) async throws -> Response { try await list(request, context: context, nickname: "") }

    func newForm(_ request: Request, context: StaffContext) async throws -> Response {
        let nickname = request.uri.queryParameters["nickname"].map(String.init) ?? ""
        let q = try await Self.refusing { try await digital.questionnaire(context.staff) }
        do {
            _ = try await digital.client(nickname: nickname)
        } catch let r as MappingRefusal {
            return try await list(request, context: context, nickname: nickname, error: r)
        }
        return shared.fill(
            request, context, questionnaire: q, action: "/digital/mapping/new", isStaff: true,
            nickname: nickname.trimmingCharacters(in: .whitespaces),
            back: "/digital/mapping")
    }

    func make(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let q = try await Self.refusing { try await digital.questionnaire(context.staff) }
        let nickname = form["nickname"]
        let typed = MappingViews.typedAnswers(form, q)
        do {
            let member = try await Self.refusing { try await digital.client(nickname: nickname) }
            _ = try await Self.refusing { try await digital.makeMapping(context.staff, member: member, answers: typed) }
            return Views.redirect("/digital/mapping/clients/\(member.text())?saved=1")
        } catch let r as MappingRefusedFields {
            return shared.fill(
                request, context, questionnaire: q, action: "/digital/mapping/new", isStaff: true, nickname: nickname, back: "/digital/mapping",
                typed: typed, problems: r.problems, status: .badRequest)
        }
    }

    func client(_ request: Request, context: StaffContext) async throws -> Response {
        try await renderClient(request, context)
    }

    func renderClient(
        _ request: Request, _ context: StaffContext, goalTyped: (theme: String, text: String) = ("", ""), materialTyped: String = "",
        problems: [(field: String, refusal: MappingRefusal, line: Int)] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let member = try context.pathID("member")
        let choices = try await digital.goalMaterials(context.staff)
        let mappings = try await Self.refusing { try await digital.clientMappings(context.staff, member: member) }
        let goals = try await digital.goals(of: member, organisation: context.staff.organisationID)
        let nickname = try await digital.members.nickname(member: member) ?? ""
        let x = shared.text(context)
        return try await shared.progress(
            request, context, mappings: mappings, goals: goals,
            heading: x.s("mapping_client_title").replacingOccurrences(of: "{nickname}", with: nickname), isStaff: true,
            base: "/digital/mapping/clients/\(member.text())",
            fillLink: "/digital/mapping/new?nickname=\(nickname.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
            back: "/digital/mapping", goalTyped: goalTyped, materials: (choices, materialTyped),
            problems: problems, status: status)
    }

    func addGoal(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let member = try context.pathID("member")
        do {
            _ = try await Self.refusing {
                try await digital.addGoal(context.staff, member: member, theme: form["theme"], text: form["text"], material: form["material"])
            }
            return Views.redirect("/digital/mapping/clients/\(member.text())#goals")
        } catch let r as MappingRefusedFields {
            return try await renderClient(
                request, context, goalTyped: (form["theme"], form["text"]), materialTyped: form["material"], problems: r.problems, status: .badRequest
            )
        }
    }

    func setGoal(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let member = try context.pathID("member")
        let goal = try context.pathID("goal")
        try await Self.refusing { try await digital.setGoal(context.staff, member: member, goal: goal, done: form["done"] == "1") }
        return Views.redirect("/digital/mapping/clients/\(member.text())#goals")
    }

    // MARK: the coordinator's questionnaire

    static let languages: [(String, KeyPath<MappingText, String>)] = [("fi", \.fi), ("sv", \.sv), ("en", \.en)]

    func questionnaire(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try digital.requireEditor(context.staff) }
        let q = try await digital.questionnaire(network: context.staff.networkID)
        var typed: [String: String] = ["rules": MappingRules.text(q.rules)]
        for theme in DigitalTheme.allCases {
            for (n, question) in q.questions.filter({ $0.theme == theme }).enumerated() {
                for (code, path) in Self.languages { typed["q_\(theme.rawValue)_\(n + 1)_\(code)"] = question.text[keyPath: path] }
            }
        }
        return renderQuestionnaire(request, context, q: q, typed: typed)
    }

    func renderQuestionnaire(
        _ request: Request, _ context: StaffContext, q: Questionnaire, typed: [String: String],
        problems: [(field: String, refusal: MappingRefusal, line: Int)] = [], slots: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) -> Response {
        let x = shared.text(context)
        var e: [String: String] = [:]
        var errors = FieldErrors()
        for p in problems {
            // A question's field by where it was typed (its slot), the rest by name.
            let field = slots[p.field] ?? p.field
            guard e[field] == nil else { continue }
            e[field] = MappingViews.message(p.refusal, line: p.line, x)
            errors.add(field.hasPrefix("theme-") ? "q_\(field.dropFirst(6))_1_fi" : field, p.refusal.messageKey)
        }
        let themes = DigitalTheme.allCases.map { theme in
            DigitalQuestionnairePage.Theme(
                id: "theme-\(theme.rawValue)", name: x.theme(theme), error: e["theme-\(theme.rawValue)"],
                slots: (1...DigitalService.questionsPerTheme.upperBound).map { n in
                    .init(
                        legend: x.s("mapping_editor_question").replacingOccurrences(of: "{n}", with: String(n)),
                        fields: Self.languages.map { code, _ in
                            let name = "q_\(theme.rawValue)_\(n)_\(code)"
                            return FormField(
                                id: name, name: name, label: x.s("mapping_editor_in_\(code)"), value: typed[name] ?? "", error: e[name],
                                maxlength: DigitalService.maxQuestion)
                        })
                })
        }
        let page = DigitalQuestionnairePage(
            version: q.version == 0
                ? x.s("mapping_editor_default") : x.s("mapping_editor_version").replacingOccurrences(of: "{n}", with: String(q.version)),
            saved: request.uri.queryParameters["saved"] == "1", themes: themes,
            rules: FormField(
                id: "rules", name: "rules", label: x.s("mapping_editor_rules"), hint: x.s("mapping_editor_rules_hint"), value: typed["rules"] ?? "",
                error: e["rules"], kind: "textarea", maxlength: 4000),
            profiles: MappingProfileKey.allCases.map { "\($0.rawValue) (\(MappingDefaults.profile($0).name.text(context.language)))" }
                .joined(separator: ", "),
            hasErrors: !problems.isEmpty)
        return views.page(
            .digitalQuestionnaire, title: views.title(x.s("mapping_editor_title"), x.s("mapping_title")), request: request, context: context,
            status: status, model: page, errors: errors)
    }

    func saveQuestionnaire(_ request: Request, context: StaffContext) async throws -> Response {
        // The person first: a worker is refused before anything is read.
        try await Self.refusing { try digital.requireEditor(context.staff) }
        let form = try await Form.read(request, context: context)
        var typed: [String: String] = ["rules": form["rules"]]
        var input: [DigitalService.QuestionInput] = []
        // The service numbers the questions it gets; each is traced back to its slot for the error.
        var slots: [String: String] = [:]
        for theme in DigitalTheme.allCases {
            for n in 1...DigitalService.questionsPerTheme.upperBound {
                var text: [String: String] = [:]
                for (code, _) in Self.languages {
                    let name = "q_\(theme.rawValue)_\(n)_\(code)"
                    (typed[name], text[code]) = (form[name], form[name])
                }
                guard [text["fi"], text["sv"], text["en"]].contains(where: { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }) else {
                    continue
                }
                for (code, _) in Self.languages { slots["question-\(input.count)-\(code)"] = "q_\(theme.rawValue)_\(n)_\(code)" }
                input.append(.init(theme: theme.rawValue, text: MappingText(fi: text["fi"] ?? "", sv: text["sv"] ?? "", en: text["en"] ?? "")))
            }
        }
        do {
            _ = try await Self.refusing {
                try await digital.saveQuestionnaire(context.staff, questions: input, rules: MappingRules.parse(form["rules"]))
            }
            return Views.redirect("/digital/mapping/questionnaire?saved=1")
        } catch let r as MappingRefusedFields {
            let q = try await digital.questionnaire(network: context.staff.networkID)
            return renderQuestionnaire(request, context, q: q, typed: typed, problems: r.problems, slots: slots, status: .badRequest)
        }
    }
}
