import Foundation
import KohtaamoBase

/// Writing the buddy course (coordinators). A changed module gets a new
/// version; a completed course stays completed whatever changes later:
/// taking the right away silently would leave clients without their buddy
/// overnight, and a buddy who passed an earlier version is shown the
/// module as changed instead, to read again.
extension BuddyService {
    /// A module as typed; `id` nil for a new one.
    package struct ModuleInput: Sendable {
        package var id: UUID?
        package var title = "", text = ""
        package var links: [BuddyLink] = []
        package var quiz: [BuddyQuestion] = []
        package init(id: UUID? = nil, title: String = "", text: String = "", links: [BuddyLink] = [], quiz: [BuddyQuestion] = []) {
            (self.id, self.title, self.text, self.links, self.quiz) = (id, title, text, links, quiz)
        }
    }

    typealias Problems = [(field: String, refusal: BuddyRefusal)]

    private static func line(_ s: String, max: Int) -> String? {
        let v = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty, Validate.length(v, 1...max), Validate.plainLine(v), !v.contains(where: \.isNewline) else { return nil }
        return v
    }

    /// The module's title, text, links and quiz, trimmed, or every refused field.
    static func checked(_ input: ModuleInput) -> (ModuleInput, Problems) {
        var p: Problems = []
        var out = ModuleInput(id: input.id)
        if let title = line(input.title, max: Buddies.maxTitle) { out.title = title } else { p.append(("title", .badTitle)) }
        let text = input.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || !Validate.length(text, 1...Buddies.maxText) || !Validate.plainText(text) { p.append(("text", .badText)) }
        out.text = text
        out.links = input.links.compactMap { l in
            let url = l.url.trimmingCharacters(in: .whitespaces)
            guard let title = line(l.title, max: Buddies.maxTitle), url.lowercased().hasPrefix("https://"), Validate.webAddress(url) else {
                return nil
            }
            return BuddyLink(title: title, url: url)
        }
        if out.links.count != input.links.count || !Buddies.links.contains(input.links.count) { p.append(("links", .badLink)) }
        out.quiz = input.quiz.compactMap { q in
            let options = q.options.compactMap { line($0, max: Buddies.maxOption) }
            guard let text = line(q.text, max: Buddies.maxQuestion), options.count == q.options.count, Buddies.options.contains(options.count),
                options.indices.contains(q.right)
            else { return nil }
            return BuddyQuestion(text: text, options: options, right: q.right)
        }
        if out.quiz.count != input.quiz.count || !Buddies.questions.contains(input.quiz.count) { p.append(("quiz", .badQuiz)) }
        return (out, p)
    }

    /// The network's course as given, in this order: modules with an id
    /// are the course's own (another id is refused), the rest are new.
    package func saveCourse(_ p: StaffPrincipal, _ inputs: [ModuleInput]) async throws -> [BuddyModule] {
        try await save(p, inputs, new: nil)
    }

    /// As `saveCourse`; `new` is an id chosen here for a module added on its page.
    private func save(_ p: StaffPrincipal, _ inputs: [ModuleInput], new: UUID?) async throws -> [BuddyModule] {
        try requireCoordinator(p)
        let old = try await repository.modules(network: p.networkID)
        let ids = inputs.compactMap(\.id)
        guard Buddies.modules.contains(inputs.count), Set(ids).count == ids.count,
            ids.allSatisfy({ id in id == new || old.contains { $0.id == id } })
        else {
            throw BuddyRefusedFields([("modules", .badCourse)])
        }
        var modules: [BuddyModule] = []
        for (n, input) in inputs.enumerated() {
            let (typed, problems) = Self.checked(input)
            guard problems.isEmpty else { throw BuddyRefusedFields(problems) }
            var m =
                old.first { $0.id == typed.id }
                ?? BuddyModule(
                    id: typed.id ?? UUID(), network: p.networkID, position: n, title: "", text: "", links: [], quiz: [], version: 0,
                    updatedMs: clock.nowMs)
            m.position = n
            if m.title != typed.title || m.text != typed.text || m.links != typed.links || m.quiz != typed.quiz {
                (m.title, m.text, m.links, m.quiz, m.version, m.updatedMs) = (
                    typed.title, typed.text, typed.links, typed.quiz, m.version + 1, clock.nowMs
                )
            }
            modules.append(m)
        }
        try await repository.saveCourse(network: p.networkID, modules)
        try await digital.record(p, "digital.buddy_course", p.networkID)
        return modules
    }

    private func inputs(_ modules: [BuddyModule]) -> [ModuleInput] {
        modules.map { ModuleInput(id: $0.id, title: $0.title, text: $0.text, links: $0.links, quiz: $0.quiz) }
    }

    /// One module written on its page: a new one goes last.
    package func saveModule(_ p: StaffPrincipal, _ input: ModuleInput) async throws -> BuddyModule {
        try requireCoordinator(p)
        let (_, problems) = Self.checked(input)
        guard problems.isEmpty else { throw BuddyRefusedFields(problems) }
        var all = inputs(try await repository.modules(network: p.networkID))
        var added: UUID?
        if let id = input.id {
            guard let i = all.firstIndex(where: { $0.id == id }) else { throw BuddyRefusal.notFound }
            all[i] = input
        } else {
            guard all.count < Buddies.modules.upperBound else { throw BuddyRefusedFields([("modules", .badCourse)]) }
            // Its id is chosen here, so the saved module is found again.
            var new = input
            new.id = UUID()
            (added, all) = (new.id, all + [new])
        }
        let saved = try await save(p, all, new: added)
        let id = input.id ?? added
        return saved.first { $0.id == id } ?? saved[saved.count - 1]
    }

    package func deleteModule(_ p: StaffPrincipal, id: UUID) async throws {
        try requireCoordinator(p)
        let all = inputs(try await repository.modules(network: p.networkID))
        guard all.contains(where: { $0.id == id }) else { throw BuddyRefusal.notFound }
        _ = try await saveCourse(p, all.filter { $0.id != id })
    }

    /// Moves a module one place earlier (`up`) or later.
    package func moveModule(_ p: StaffPrincipal, id: UUID, up: Bool) async throws {
        try requireCoordinator(p)
        var all = inputs(try await repository.modules(network: p.networkID))
        guard let i = all.firstIndex(where: { $0.id == id }) else { throw BuddyRefusal.notFound }
        let j = up ? i - 1 : i + 1
        guard all.indices.contains(j) else { return }
        all.swapAt(i, j)
        _ = try await saveCourse(p, all)
    }
}
