/// Reach-out: a worker's plans of whom to contact and how often, each
/// worker's list of whom to contact today, the outcomes, and escalation of
/// contacts not reached by a set hour. Every time is Helsinki wall time.
package enum Reachout {
    /// A contact not reached by this minute of its day (16.00) goes to the
    /// coordinator, unless the plan sets another.
    package static let defaultEscalationMinute = 16 * 60
    /// How far back an outcome may be logged, and how far back the
    /// escalation sweep looks (a server that was down catches up).
    package static let lookBackDays = 7
    /// The longest label ("Aino, 040 123 4567"), note and outcome note.
    package static let maxLabel = 120
    package static let maxNote = 1000
    /// Every N days: from 2 to this.
    package static let maxEveryDays = 60
    /// An absence is at most this long (a longer one is a new backup).
    package static let maxAbsenceDays = 366
    /// Outcomes shown as a plan's history.
    package static let historyLength = 14
}
