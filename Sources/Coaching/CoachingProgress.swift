import Foundation

/// Where a coachee stands, now and week by week (Helsinki weeks, Monday
/// first): what the progress view and the coach's list show.
package struct CoachingProgress: Sendable, Equatable, Encodable {
    package var open = 0
    package var late = 0
    package var answered = 0
    package var done = 0
    package var weeks: [Week] = []

    package struct Week: Sendable, Equatable, Encodable {
        /// The week's Monday, `YYYY-MM-DD`.
        package var week: String
        /// Tasks given that week.
        package var given: Int
        /// Answers sent that week (every round).
        package var answered: Int
        /// Tasks the coach accepted that week.
        package var done: Int
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = TimeZone(identifier: "Europe/Helsinki")!
        return c
    }()

    /// The week's Monday in Helsinki.
    static func monday(_ ms: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        let start = calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
        let d = calendar.dateComponents([.year, .month, .day], from: start)
        return String(format: "%04d-%02d-%02d", d.year ?? 0, d.month ?? 0, d.day ?? 0)
    }

    /// From a coachee's tasks at `nowMs`; weeks with nothing are left out.
    package init(tasks: [CoachingTask], nowMs: Int64) {
        var byWeek: [String: Week] = [:]
        func bump(_ ms: Int64, _ change: (inout Week) -> Void) {
            let key = Self.monday(ms)
            var w = byWeek[key] ?? Week(week: key, given: 0, answered: 0, done: 0)
            change(&w)
            byWeek[key] = w
        }
        for t in tasks {
            switch t.status {
            case .open, .returned: open += 1
            case .answered: answered += 1
            case .done: done += 1
            }
            if t.isLate(at: nowMs) { late += 1 }
            bump(t.createdMs) { $0.given += 1 }
            for e in t.history {
                switch e.kind {
                case .answered: bump(e.atMs) { $0.answered += 1 }
                case .done: bump(e.atMs) { $0.done += 1 }
                case .returned: break
                }
            }
        }
        weeks = byWeek.values.sorted { $0.week < $1.week }
    }
}
