import Foundation
import Hummingbird
import KohtaamoBase

/// The buddy course's pages, without JavaScript: the course and the
/// reader's progress (`/digital/buddy/course`), a part with its quiz
/// (`/digital/buddy/course/{module}`), and the coordinators' form for a
/// part (`/digital/buddy/modules/…`).
struct BuddyCoursePagesController {
    let buddies: BuddyService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/digital/buddy/course", context: StaffContext.self)
        staff.get(use: course)
        staff.get("{module}", use: module)
        staff.post("{module}", use: answer)
        let coordinator = router.group("/digital/buddy/modules", context: CoordinatorContext.self)
        coordinator.get("new", use: newForm)
        coordinator.post("new", use: make)
        coordinator.get("{module}", use: editForm)
        coordinator.post("{module}", use: edit)
        coordinator.post("{module}/delete", use: delete)
        coordinator.post("{module}/move", use: move)
    }

    func text(_ context: some PageContext) -> DigitalPageText {
        DigitalPageText(t: views.localizer.catalogue(context.language), language: context.language)
    }

    static func refusing<T>(_ body: () async throws -> T) async throws -> T { try await BuddyAPIController.refusing(body) }

    // MARK: taking the course

    func course(_ request: Request, context: StaffContext) async throws -> Response {
        let x = text(context)
        let s = try await buddies.standing(context.staff)
        let rows = s.modules.enumerated().map { n, m in
            BuddyCoursePage.Row(
                id: m.id.text(), title: m.title, done: s.done(m), changed: s.changed(m), first: n == 0, last: n == s.modules.count - 1)
        }
        let page = BuddyCoursePage(
            modules: rows, hasModules: !rows.isEmpty,
            doneText: x.s("buddy_course_done").replacingOccurrences(of: "{done}", with: String(s.doneCount))
                .replacingOccurrences(of: "{all}", with: String(s.modules.count)),
            completedText: s.training.map {
                x.s("buddy_course_completed").replacingOccurrences(of: "{day}", with: x.day(HelsinkiDay(ms: $0.completedMs)))
            },
            canAssign: context.staff.role != .volunteer, canEdit: context.staff.role.canAdminister)
        return views.page(.buddyCourse, title: views.title(x.s("buddy_course_title")), request: request, context: context, model: page)
    }

    func render(
        _ request: Request, _ context: StaffContext, _ m: BuddyModule, chosen: [Int?] = [], outcome: BuddyService.Outcome? = nil
    ) async throws -> Response {
        let x = text(context)
        let s = try await buddies.standing(context.staff)
        let passed = outcome?.passed ?? (request.uri.queryParameters["passed"] == "1")
        let wrong = Set(outcome?.wrong ?? [])
        var errors = FieldErrors()
        for n in wrong.sorted() { errors.add("question-\(n)", "buddy_module_look_again") }
        let index = s.modules.firstIndex { $0.id == m.id } ?? 0
        let next = s.modules.indices.contains(index + 1) ? s.modules[index + 1] : nil
        let page = BuddyModulePage(
            id: m.id.text(), title: m.title, paragraphs: m.paragraphs, links: m.links, hasLinks: !m.links.isEmpty,
            questions: m.quiz.enumerated().map { n, q in
                .init(
                    number: n + 1, text: q.text,
                    options: q.options.enumerated().map { k, o in
                        .init(id: "q\(n + 1)-\(k + 1)", value: k, label: o, checked: chosen.indices.contains(n) && chosen[n] == k)
                    }, wrong: wrong.contains(n + 1))
            }, done: s.done(m), changed: s.changed(m), passed: passed, completed: passed && s.training != nil,
            next: passed && s.training == nil ? next.map { "/digital/buddy/course/\($0.id.text())" } : nil,
            wrongText: wrong.isEmpty
                ? nil
                : x.s("buddy_module_wrong").replacingOccurrences(of: "{questions}", with: wrong.sorted().map(String.init).joined(separator: ", ")))
        return views.page(
            .buddyModule, title: views.title(m.title, x.s("buddy_course_title")), request: request, context: context, model: page, errors: errors)
    }

    func module(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try context.pathID("module")
        let m = try await Self.refusing { try await buddies.module(context.staff, id: id) }
        return try await render(request, context, m)
    }

    /// Every question's chosen option (`q1`, `q2`, …); none chosen counts as wrong.
    func answer(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let id = try context.pathID("module")
        let m = try await Self.refusing { try await buddies.module(context.staff, id: id) }
        let chosen = m.quiz.indices.map { Int(form["q\($0 + 1)"]) }
        let outcome = try await Self.refusing { try await buddies.answer(context.staff, module: m.id, chosen, strict: false) }
        if outcome.passed { return Views.redirect("/digital/buddy/course/\(m.id.text())?passed=1#result") }
        return try await render(request, context, m, chosen: chosen, outcome: outcome)
    }

    // MARK: writing the course (coordinators)

    /// What was typed on a part's form: five questions of four options at most.
    struct Typed {
        var id: UUID?
        var values: [String: String] = [:]

        init(_ form: Form, id: UUID?) {
            self.id = id
            for name in ["title", "text", "links"] { values[name] = form[name] }
            for q in Buddies.questions {
                values["q\(q)"] = form["q\(q)"]
                values["q\(q)-right"] = form["q\(q)-right"]
                for o in 1...Buddies.options.upperBound { values["q\(q)-o\(o)"] = form["q\(q)-o\(o)"] }
            }
        }

        init(_ m: BuddyModule?) {
            guard let m else { return }
            id = m.id
            (values["title"], values["text"]) = (m.title, m.text)
            values["links"] = m.links.map { "\($0.title) | \($0.url)" }.joined(separator: "\n")
            for (n, q) in m.quiz.enumerated() {
                values["q\(n + 1)"] = q.text
                values["q\(n + 1)-right"] = String(q.right + 1)
                for (k, o) in q.options.enumerated() { values["q\(n + 1)-o\(k + 1)"] = o }
            }
        }

        /// Links one a line, `title | address`; a question counts when anything of it is typed.
        var input: BuddyService.ModuleInput {
            var i = BuddyService.ModuleInput(id: id, title: values["title"] ?? "", text: values["text"] ?? "")
            i.links = (values["links"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
                .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                .map { line in
                    guard let bar = line.lastIndex(of: "|") else { return BuddyLink(title: "", url: line) }
                    return BuddyLink(title: String(line[..<bar]), url: String(line[line.index(after: bar)...]))
                }
            for q in Buddies.questions {
                let text = values["q\(q)"] ?? ""
                let typed = (1...Buddies.options.upperBound).map { values["q\(q)-o\($0)"] ?? "" }
                guard !(typed + [text]).allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else { continue }
                // The right one is counted among the options typed; an empty one chosen is refused.
                let right = Int(values["q\(q)-right"] ?? "") ?? 0
                let kept = typed.enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
                let index = kept.firstIndex { $0.offset == right - 1 } ?? -1
                i.quiz.append(BuddyQuestion(text: text, options: kept.map(\.element), right: index))
            }
            return i
        }
    }

    func renderForm(
        _ request: Request, _ context: CoordinatorContext, module: BuddyModule?, typed: Typed,
        problems: [(field: String, refusal: BuddyRefusal)] = [], status: HTTPResponse.Status = .ok
    ) -> Response {
        let x = text(context)
        var e: [String: String] = [:]
        var errors = FieldErrors()
        for p in problems {
            if e[p.field] == nil { e[p.field] = x.s(p.refusal.messageKey) }
            errors.add(p.field == "quiz" ? "module-q1" : "module-\(p.field)", p.refusal.messageKey)
        }
        let v = typed.values
        func field(_ name: String, _ label: String, hint: String? = nil, kind: String = "text", max: Int = Buddies.maxTitle) -> FormField {
            FormField(
                id: "module-\(name)", name: name, label: label, hint: hint, value: v[name] ?? "", error: e[name], kind: kind, maxlength: max)
        }
        let questions = Buddies.questions.map { q in
            BuddyModuleFormPage.Question(
                number: q,
                text: field("q\(q)", x.s("buddy_form_question").replacingOccurrences(of: "{n}", with: String(q)), max: Buddies.maxQuestion),
                options: (1...Buddies.options.upperBound).map { o in
                    field("q\(q)-o\(o)", x.s("buddy_form_option").replacingOccurrences(of: "{n}", with: String(o)), max: Buddies.maxOption)
                },
                rights: (1...Buddies.options.upperBound).map { o in
                    FieldOption(
                        value: String(o), label: x.s("buddy_form_option").replacingOccurrences(of: "{n}", with: String(o)),
                        selected: (v["q\(q)-right"] ?? "1") == String(o))
                })
        }
        let heading = module?.title ?? x.s("buddy_form_new")
        let page = BuddyModuleFormPage(
            action: module.map { "/digital/buddy/modules/\($0.id.text())" } ?? "/digital/buddy/modules/new", isNew: module == nil,
            heading: heading, saved: module != nil && request.uri.queryParameters["saved"] == "1",
            title: field("title", x.s("buddy_form_title")),
            text: field("text", x.s("buddy_form_text"), hint: x.s("buddy_form_text_hint"), kind: "textarea", max: Buddies.maxText),
            links: field("links", x.s("buddy_form_links"), hint: x.s("buddy_form_links_hint"), kind: "textarea", max: 4000),
            questions: questions, quizError: e["quiz"])
        return views.page(
            .buddyModuleForm, title: views.title(heading, x.s("buddy_course_title")), request: request, context: context, status: status,
            model: page, errors: errors)
    }

    func newForm(_ request: Request, context: CoordinatorContext) async throws -> Response {
        renderForm(request, context, module: nil, typed: Typed(nil))
    }

    func save(_ request: Request, _ context: CoordinatorContext, module: BuddyModule?) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let typed = Typed(form, id: module?.id)
        do {
            let saved = try await buddies.saveModule(context.staff, typed.input)
            return Views.redirect("/digital/buddy/modules/\(saved.id.text())?saved=1")
        } catch let r as BuddyRefusedFields {
            return renderForm(request, context, module: module, typed: typed, problems: r.problems, status: .badRequest)
        } catch let r as BuddyRefusal {
            throw BuddyAPIController.appError(r)
        }
    }

    func make(_ request: Request, context: CoordinatorContext) async throws -> Response { try await save(request, context, module: nil) }

    func load(_ context: CoordinatorContext) async throws -> BuddyModule {
        let id = try context.pathID("module")
        return try await Self.refusing { try await buddies.module(context.staff, id: id) }
    }

    func editForm(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let m = try await load(context)
        return renderForm(request, context, module: m, typed: Typed(m))
    }

    func edit(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await save(request, context, module: try await load(context))
    }

    func delete(_ request: Request, context: CoordinatorContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let m = try await load(context)
        try await Self.refusing { try await buddies.deleteModule(context.staff, id: m.id) }
        return Views.redirect("/digital/buddy/course#edit")
    }

    func move(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let m = try await load(context)
        try await Self.refusing { try await buddies.moveModule(context.staff, id: m.id, up: form["direction"] == "up") }
        return Views.redirect("/digital/buddy/course#edit")
    }
}
