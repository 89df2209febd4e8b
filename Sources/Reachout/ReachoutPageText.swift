import Foundation
import KohtaamoBase

/// How the reach-out pages say days, times, channels and outcomes in the
/// reader's language. Every text is from the catalogues or people's own
/// text; Mustache escapes it all.
struct ReachoutPageText {
    let t: [String: String]
    let language: Language

    /// "torstai 3.12.2026" (en: "Thursday 3/12/2026").
    func day(_ d: HelsinkiDay) -> String {
        let date = language == .en ? "\(d.day)/\(d.month)/\(d.year)" : "\(d.day).\(d.month).\(d.year)"
        return "\(t["weekday_\(d.weekday)"] ?? "") \(date)"
    }

    /// Minutes after midnight as "9.00" (en: "9:00").
    func time(minute: Int) -> String {
        String(format: language == .en ? "%d:%02d" : "%d.%02d", minute / 60, minute % 60)
    }

    /// A moment as its Helsinki day and time.
    func moment(_ ms: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        let c = Helsinki.calendar.dateComponents([.hour, .minute], from: date)
        return "\(day(HelsinkiDay(date))) \(time(minute: (c.hour ?? 0) * 60 + (c.minute ?? 0)))"
    }

    func channel(_ c: ContactChannel) -> String { t["reachout_channel_\(c.rawValue)"] ?? c.rawValue }
    func outcome(_ k: OutcomeKind) -> String { t["reachout_outcome_\(k.rawValue)"] ?? k.rawValue }
    func state(_ s: DueContact.State) -> String { t["reachout_state_\(s.rawValue)"] ?? s.rawValue }
    func error(_ r: ReachoutRefusal) -> String { t[r.messageKey] ?? r.rawValue }

    func history(_ o: ContactOutcome, workers: [UUID: String], referrals: [UUID: String]) -> HistoryRow {
        HistoryRow(
            kind: o.kind.rawValue, when: moment(o.atMs), outcome: outcome(o.kind), byName: workers[o.by].flatMap(Views.nonEmpty),
            outcomeNote: Views.nonEmpty(o.note),
            referralTitle: o.referral.flatMap { referrals[$0] })
    }

    /// The states and outcomes the page's script shows after it logs one.
    func scriptTexts() -> [[String: String]] {
        Views.scriptTexts(
            t,
            [
                "logged", "sending", "failed", "ended", "you", "no-answer", "left-message", "reached", "referral", "declined", "open", "try-again",
                "message-left",
            ],
            prefixes: ["reachout_js_", "reachout_outcome_", "reachout_state_"])
    }
}
