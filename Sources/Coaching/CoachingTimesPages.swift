import KohtaamoBase

/// The coach's appointment page (`coaching_times.mustache`): their times
/// with who booked them, the forms for one time and a weekly time, the
/// weekly times, and the appointments with cancel and attendance.
struct CoachingTimesPage: PageModel {
    /// `/coaching/{slug}/times`: where the forms post.
    let base: String
    let slug: String
    let serviceName: String
    let slots: [SlotRow]
    let hasSlots: Bool
    let patterns: [PatternRow]
    let hasPatterns: Bool
    let appointments: [AppointmentRow]
    let hasAppointments: Bool
    let slotFields: [FormField]
    let patternFields: [FormField]
    /// A refusal of a button (delete, cancel, mark), shown above the lists.
    let slotsError: String?
    let patternsError: String?
    let appointmentsError: String?

    struct SlotRow {
        let id: String
        let when: String
        let place: String
        /// Who booked it; nil for a free time (which may be deleted).
        let bookedBy: String?
        let free: Bool
    }

    struct PatternRow {
        let id: String
        let when: String
        let place: String
        let from: String
        let until: String?
        let skipping: String?
    }

    struct AppointmentRow {
        let id: String
        let when: String
        let place: String
        let nickname: String
        let status: String
        let canCancel: Bool
        /// Begun and still booked: came or did not come.
        let canMark: Bool
    }
}

/// The coachee's appointment page (`my_coaching_times.mustache`): the
/// coach's free times to book, their own appointments with move and
/// cancel while allowed, a reminder of a time within a day.
struct MyCoachingTimesPage: PageModel {
    let base: String
    let slug: String
    let name: String
    let coach: String
    let active: Bool
    /// The rule for changes in plain words.
    let limit: String
    let reminders: [Reminder]
    let hasReminders: Bool
    let free: [FreeRow]
    let hasFree: Bool
    let freeError: String?
    let appointments: [AppointmentRow]
    let hasAppointments: Bool

    struct Reminder {
        let when: String
        let place: String
        let now: Bool
    }

    struct FreeRow {
        let id: String
        let when: String
        let place: String
    }

    struct AppointmentRow {
        let id: String
        let when: String
        let place: String
        let status: String
        let booked: Bool
        let canChange: Bool
        /// Booked but too late to change: tell the coach instead.
        let tooLate: Bool
        /// Begun and not ended: the call starts in the thread.
        let now: Bool
        let moveOptions: [FieldOption]
        let hasMoveOptions: Bool
        let error: String?
    }
}
