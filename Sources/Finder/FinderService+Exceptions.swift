import Foundation
import KohtaamoBase

/// A day's exception as typed in the form or the JSON, before the rules.
package struct ExceptionDraft: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    package var day = ""
    /// Closed all day: the times are not read.
    package var closed = false
    package var opens = ""
    package var closes = ""
    package var note = ""

    package init(day: String = "", closed: Bool = false, opens: String = "", closes: String = "", note: String = "") {
        (self.day, self.closed, self.opens, self.closes, self.note) = (day, closed, opens, closes, note)
    }
}

extension FinderService {
    /// How far ahead an exception may be: a holiday of next year is planned
    /// now, a year like 2206 is a typing mistake.
    package static let exceptionDaysAhead = 2 * 366
    package static let maxExceptionNote = 200

    /// Adds or replaces one day's exception of a point `p` keeps: closed all
    /// day, or open at special hours, with a note ("Christmas Eve"). The day
    /// must be a real date from today on; the refused fields come back together.
    package func setException(_ d: ExceptionDraft, point id: UUID, by p: StaffPrincipal) async throws -> Result<HelpPoint, RefusedFields> {
        let point = try await point(id, of: p)
        var problems: [FieldProblem] = []
        let today = Schedule.localDay(of: clock.now)
        let day = LocalDay(d.day.trimmingCharacters(in: .whitespaces))
        if d.day.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init("day", .required))
        } else if day == nil || day! < today || day! > Schedule.add(days: Self.exceptionDaysAhead, to: today) {
            problems.append(.init("day", .badDay))
        }
        var hours: (opens: Int, closes: Int)?
        if !d.closed {
            let opens = Self.time("opens", d.opens, &problems), closes = Self.time("closes", d.closes, &problems)
            if let opens, let closes {
                if opens < closes { hours = (opens, closes) } else { problems.append(.init("closes", .badTime)) }
            }
        }
        let note = d.note.trimmingCharacters(in: .whitespacesAndNewlines)
        if !Validate.length(note, 0...Self.maxExceptionNote) {
            problems.append(.init("note", .tooLong))
        } else if !Validate.plainLine(note) {
            problems.append(.init("note", .badNote))
        }
        guard problems.isEmpty, let day else { return .failure(RefusedFields(problems)) }
        let exception = DayException(day: day, hours: hours, note: note)
        try await repository.setException(point: point.id, day: day, exception, updatedMs: clock.nowMs)
        try await record(p, "finder.exception.set", "\(point.id.text()) \(day)")
        var saved = point
        saved.exceptions = (point.exceptions.filter { $0.day != day } + [exception]).sorted { $0.day < $1.day }
        saved.updatedMs = clock.nowMs
        return .success(saved)
    }

    /// Removes one day's exception of a point `p` keeps (a past day's too);
    /// removing one that is not there changes nothing. Not found for a day that is not a date.
    package func deleteException(day text: String, point id: UUID, by p: StaffPrincipal) async throws -> HelpPoint {
        var point = try await point(id, of: p)
        guard let day = LocalDay(text) else { throw FinderRefusal.notFound }
        guard point.exceptions.contains(where: { $0.day == day }) else { return point }
        try await repository.setException(point: point.id, day: day, nil, updatedMs: clock.nowMs)
        try await record(p, "finder.exception.delete", "\(point.id.text()) \(day)")
        point.exceptions.removeAll { $0.day == day }
        point.updatedMs = clock.nowMs
        return point
    }

    /// A time of day ("9", "9.00", "09:30", "24.00"), or a refusal of `field`.
    static func time(_ field: String, _ text: String, _ problems: inout [FieldProblem]) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty {
            problems.append(.init(field, .required))
            return nil
        }
        guard let minute = Schedule.parseTime(t) else {
            problems.append(.init(field, .badTime))
            return nil
        }
        return minute
    }
}
