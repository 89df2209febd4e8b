import Foundation
import KohtaamoBase

/// The JSON of reach-out's API (docs/openapi.yaml, tag Reachout). Absent
/// optional fields are left out.
struct PlanJSON: Encodable {
    let id: String
    let name: String
    let registered: Bool
    let label: String
    let note: String
    let rhythm: String
    let starts: HelsinkiDay
    let until: HelsinkiDay?
    let time: String
    let escalateAt: String
    let channel: String
    let owner: String
    let backup: String?
    let skipHolidays: Bool
    let endedOn: HelsinkiDay?
    let conversation: String?

    init(_ p: ContactPlan, name: String) {
        (id, self.name, registered, label, note, rhythm) = (p.id.text(), name, p.member != nil, p.label, p.note, p.rhythm.text)
        (starts, until, time, escalateAt, channel) = (p.starts, p.until, Clock24.text(p.minute), Clock24.text(p.escalationMinute), p.channel.rawValue)
        (owner, backup, skipHolidays, endedOn, conversation) = (p.owner.text(), p.backup?.text(), p.skipHolidays, p.endedOn, p.conversation?.text())
    }
}

struct OutcomeJSON: Encodable {
    let id: String
    let plan: String
    let day: HelsinkiDay
    let outcome: String
    let referral: String?
    let note: String
    let by: String
    let atMs: Int64

    init(_ o: ContactOutcome) {
        (id, plan, day, outcome, referral, note, by) = (o.id.text(), o.plan.text(), o.day, o.kind.rawValue, o.referral?.text(), o.note, o.by.text())
        atMs = o.atMs
    }
}

struct ContactJSON: Encodable {
    let plan: String
    let name: String
    let day: HelsinkiDay
    let time: String
    let dueMs: Int64
    let channel: String
    let registered: Bool
    let worker: String
    let covering: Bool
    let state: String
    let escalated: Bool
    let last: OutcomeJSON?
    let outcomes: [OutcomeJSON]

    init(_ c: DueContact, name: String) {
        (plan, self.name, day, time, channel) = (c.plan.id.text(), name, c.day, Clock24.text(c.plan.minute), c.plan.channel.rawValue)
        (dueMs, registered, worker, covering) = (c.dueMs, c.plan.member != nil, c.worker.text(), c.covering)
        (state, escalated, last, outcomes) = (c.state.rawValue, c.escalated, c.last.map(OutcomeJSON.init), c.outcomes.map(OutcomeJSON.init))
    }
}

struct AbsenceJSON: Encodable {
    let id: String
    let staff: String
    let from: HelsinkiDay
    let to: HelsinkiDay
    init(_ a: Absence) { (id, staff, from, to) = (a.id.text(), a.staff.text(), a.from, a.to) }
}

struct EscalationJSON: Encodable {
    let id: String
    let plan: String
    let name: String
    let day: HelsinkiDay
    let repeated: Bool
    let open: Bool
    let closedMs: Int64?
    let closingNote: String?
    let history: [OutcomeJSON]

    init(_ i: ReachoutService.EscalationItem) {
        let e = i.escalation
        (id, plan, name, day, repeated, open) = (e.id.text(), e.plan.text(), i.name, e.day, e.repeated, e.isOpen)
        closedMs = e.closedMs
        closingNote = e.isOpen ? nil : e.closingNote
        history = i.history.map(OutcomeJSON.init)
    }
}

/// Minutes after midnight as `09:00`.
enum Clock24 {
    static func text(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
}
