import Foundation
import KohtaamoBase

/// How the coaching pages show tasks, people's text and times. Every text
/// here is user text or from the catalogues: Mustache escapes it all, and
/// only addresses `Validate.webAddress` accepts become links.
struct CoachingPageText {
    let t: [String: String]
    let language: Language
    let nowMs: Int64
    /// The coachee's thread, where answers' files are kept.
    var conversation: UUID? = nil
    /// Titles of the tasks' bank material the bank still gives clients, by path (`taskMaterialTitles`).
    var materialTitles: [String: String] = [:]

    /// Lines of plain text, with http(s) addresses as links. Punctuation
    /// right after an address ("… https://a.fi.") stays text.
    static func lines(_ text: String) -> [TextLine] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { rawLine in
            var parts: [TextLine.Part] = []
            var plain = ""
            let words = rawLine.replacingOccurrences(of: "\r", with: "").split(separator: " ", omittingEmptySubsequences: false)
            for (i, word) in words.enumerated() {
                if i > 0 { plain += " " }
                let lower = word.lowercased()
                guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                    plain += word
                    continue
                }
                var address = String(word)
                var trailing = ""
                while let last = address.last, ".,;:!?)".contains(last) {
                    trailing = String(last) + trailing
                    address.removeLast()
                }
                if Validate.webAddress(address) {
                    if !plain.isEmpty { parts.append(.init(text: plain, link: nil)) }
                    parts.append(.init(text: address, link: address))
                    plain = trailing
                } else {
                    plain += word
                }
            }
            if !plain.isEmpty || parts.isEmpty { parts.append(.init(text: plain, link: nil)) }
            return TextLine(parts: parts)
        }
    }

    /// A time in Helsinki, as people write it in the reader's language.
    func time(_ ms: Int64) -> String {
        Helsinki.text(ms, in: language)
    }

    /// A week's Monday (`YYYY-MM-DD`) as a short date.
    func week(_ monday: String) -> String {
        let p = monday.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return monday }
        return language == .en ? "\(p[2])/\(p[1])/\(p[0])" : "\(p[2]).\(p[1]).\(p[0])"
    }

    static let helsinki = TimeZone(identifier: "Europe/Helsinki")!

    /// A due time from the form's date (`YYYY-MM-DD`) and time (`HH:MM` or
    /// `HH.MM`) in Helsinki: nil when no date is given, a failure when the
    /// fields do not make a time.
    static func due(date: String, time: String) -> Result<Int64?, CoachingService.Refusal> {
        if date.isEmpty { return .success(nil) }
        let d = date.split(separator: "-").compactMap { Int($0) }
        let clock = (time.isEmpty ? "16:00" : time).split(whereSeparator: { $0 == ":" || $0 == "." }).compactMap { Int($0) }
        guard d.count == 3, clock.count == 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else { return .failure(.badDue) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = helsinki
        let parts = DateComponents(year: d[0], month: d[1], day: d[2], hour: clock[0], minute: clock[1])
        guard parts.isValidDate(in: calendar), let at = calendar.date(from: parts) else { return .failure(.badDue) }
        return .success(Int64(at.timeIntervalSince1970 * 1000))
    }

    /// The catalogue key of a refusal's text: the API's own (coaching's
    /// `bad_answer` has a text of its own beside the groups' one).
    func errorKey(_ refusal: CoachingService.Refusal) -> String { CoachingAPIController.appError(refusal).messageKey }

    func error(_ refusal: CoachingService.Refusal) -> String {
        let key = errorKey(refusal)
        return t[key] ?? key
    }

    func kind(_ k: AnswerKind) -> String { t["coaching_kind_\(k.rawValue)"] ?? k.rawValue }

    func kinds(selected: String) -> [FieldOption] {
        AnswerKind.allCases.map { FieldOption(value: $0.rawValue, label: kind($0), selected: $0.rawValue == selected) }
    }

    /// A task for either side; the forms are added by the page.
    func view(_ task: CoachingTask) -> TaskView {
        let c = task.content
        let ticked = Set(task.answer?.checked ?? [])
        let steps = c.checklist.enumerated().map { TaskView.Step(index: $0.offset, text: $0.element, checked: ticked.contains($0.offset)) }
        let answer = task.answer.map { a in
            TaskView.AnswerView(
                text: Self.lines(a.text), hasText: !a.text.isEmpty,
                ticked: a.checked.compactMap { c.checklist.indices.contains($0) ? c.checklist[$0] : nil }, hasTicked: !a.checked.isEmpty,
                fileName: a.fileName,
                fileLink: a.file.flatMap { file in
                    conversation.map { "/api/coaching/files/\(file.uuidString.lowercased())?c=\($0.uuidString.lowercased())" }
                })
        }
        let history = task.history.map { e in
            let text = e.kind == .answered ? (e.answer?.text ?? "") : e.feedback
            return TaskView.HistoryRow(
                at: time(e.atMs), what: t["coaching_event_\(e.kind.rawValue)"] ?? e.kind.rawValue, text: Self.lines(text), hasText: !text.isEmpty)
        }
        let feedback = task.lastFeedback ?? ""
        let link = material(c.material)
        return TaskView(
            id: task.id.uuidString.lowercased(), title: c.title, kind: kind(c.answerKind), status: t["coaching_status_\(task.status.rawValue)"] ?? "",
            late: task.isLate(at: nowMs), due: task.dueMs.map(time), given: time(task.createdMs), instructions: Self.lines(c.instructions),
            hasInstructions: !c.instructions.isEmpty, material: link?.address, materialText: link?.text, steps: steps, hasSteps: !steps.isEmpty,
            answer: answer, lastFeedback: Self.lines(feedback), hasFeedback: !feedback.isEmpty, history: history, hasHistory: !history.isEmpty)
    }

    /// A task's material as a link: a bank material by its title while the
    /// bank gives it to clients (else no link), an address elsewhere as itself.
    func material(_ address: String) -> (address: String, text: String)? {
        if address.isEmpty { return nil }
        guard MaterialLink.id(fromPath: address) != nil else { return (address, address) }
        return materialTitles[address].map { (address, $0) }
    }

    /// Tasks by where they stand: late first (they need attention), then
    /// open, answered, done. Empty groups are left out.
    func sections(_ tasks: [CoachingTask], decorate: (CoachingTask, inout TaskView) -> Void) -> [TaskSection] {
        var groups: [String: [TaskView]] = [:]
        for task in tasks {
            var v = view(task)
            decorate(task, &v)
            let key: String
            switch task.status {
            case .open, .returned: key = task.isLate(at: nowMs) ? "late" : "open"
            case .answered: key = "answered"
            case .done: key = "done"
            }
            groups[key, default: []].append(v)
        }
        return ["late", "open", "answered", "done"].compactMap { key in
            guard let list = groups[key] else { return nil }
            return TaskSection(key: key, heading: t["coaching_section_\(key)"] ?? key, count: list.count, tasks: list)
        }
    }

    func progress(_ tasks: [CoachingTask]) -> ProgressTable {
        let p = CoachingProgress(tasks: tasks, nowMs: nowMs)
        let weeks = p.weeks.reversed().map { ProgressTable.Week(week: week($0.week), given: $0.given, answered: $0.answered, done: $0.done) }
        return ProgressTable(open: p.open, late: p.late, answered: p.answered, done: p.done, weeks: weeks, hasWeeks: !weeks.isEmpty)
    }
}
