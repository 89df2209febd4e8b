import KohtaamoBase

/// A link of the breadcrumb above an appointment page.
package struct TimesCrumb: Sendable {
    package let href: String
    package let label: String
    /// The first link has no separator before it.
    var first = false
    package init(href: String, label: String) { (self.href, self.label) = (href, label) }

    /// The links with the first marked.
    static func trail(_ crumbs: [TimesCrumb]) -> [TimesCrumb] {
        crumbs.enumerated().map { i, c in
            var c = c
            c.first = i == 0
            return c
        }
    }
}

/// What a feature's host page says of itself: where it is, who the guests
/// are called, what a call is, where invitations are fetched.
package struct HostTimesFrame: Sendable {
    package var crumbs: [TimesCrumb]
    /// The page's title after "Ajat" (the service's or organisation's name).
    package var name: String
    package var intro: String
    /// What the guest's name is called in a list ("Nimimerkki", "Asiakas").
    package var guestLabel: String
    /// The hint of the place field (what an empty place means here).
    package var placeHint: String
    /// `…/appointments`: `<it>/<id>/invitation.ics` is the calendar file.
    package var invitations: String
    package init(crumbs: [TimesCrumb], name: String, intro: String, guestLabel: String, placeHint: String, invitations: String) {
        (self.crumbs, self.name, self.intro, self.guestLabel, self.placeHint, self.invitations) = (
            crumbs, name, intro, guestLabel, placeHint, invitations
        )
    }
}

/// The host's appointment page (`times.mustache`): their times with who
/// booked them, the forms for one time and a weekly time, the weekly
/// times, and the appointments with cancel and attendance.
package struct HostTimesPage: PageModel {
    /// Where the forms post (`/coaching/{slug}/times`, `/digital/times`).
    let base: String
    let crumbs: [TimesCrumb]
    let intro: String
    let guestLabel: String
    let invitations: String
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

/// What a feature's guest page says of itself: the host, whether booking
/// is open, the rule for changes and what to do when it is too late.
package struct GuestTimesFrame: Sendable {
    package var crumbs: [TimesCrumb]
    package var name: String
    /// "Valmentaja:" and the coach's work name; nil when no one host is named.
    package var hostLabel: String?
    package var hostName: String
    /// False: the guest sees their times but books none (a coaching ended).
    package var active: Bool
    package var endedText: String
    package var changeLimitHours: Int
    package var freeNone: String
    package var tooLate: String
    /// Where a call begins when the time is now (the thread), and its words; nil: no link.
    package var callLink: String?
    package var callLinkText: String
    package var invitations: String
    package init(
        crumbs: [TimesCrumb], name: String, hostLabel: String?, hostName: String, active: Bool, endedText: String, changeLimitHours: Int,
        freeNone: String, tooLate: String, callLink: String?, callLinkText: String, invitations: String
    ) {
        (self.crumbs, self.name, self.hostLabel, self.hostName, self.active, self.endedText) = (
            crumbs, name, hostLabel, hostName, active, endedText
        )
        (self.changeLimitHours, self.freeNone, self.tooLate, self.callLink, self.callLinkText, self.invitations) = (
            changeLimitHours, freeNone, tooLate, callLink, callLinkText, invitations
        )
    }
}

/// The guest's appointment page (`my_times.mustache`): the host's free
/// times to book, their own appointments with move and cancel while
/// allowed, a reminder of a time within a day.
package struct GuestTimesPage: PageModel {
    let base: String
    let crumbs: [TimesCrumb]
    let hostLabel: String?
    let hostName: String
    let active: Bool
    let endedText: String
    /// The rule for changes in plain words.
    let limit: String
    let freeNone: String
    let tooLateText: String
    let callLink: String?
    let callLinkText: String
    let invitations: String
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
        /// Booked but too late to change: tell the host instead.
        let tooLate: Bool
        /// Begun and not ended: the call starts where `callLink` leads.
        let now: Bool
        let moveOptions: [FieldOption]
        let hasMoveOptions: Bool
        let error: String?
    }
}
