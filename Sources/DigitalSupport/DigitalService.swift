import Booking
import Foundation
import KohtaamoBase

/// The rules of digital support: who keeps events and sessions (the
/// organisation's staff, not volunteers), what an event or a session may
/// say, and the public's view. People in sessions are in `+Seats`.
package struct DigitalService: Sendable {
    package let repository: any DigitalRepository
    package let services: any ServiceDirectory
    package let members: any MemberDirectory
    package let audit: AuditLog
    package let clock: AppClock
    /// Appointments of individual digital coaching (`+Appointments`).
    package let booking: BookingService
    /// The workers' work names, for the calendar invitation.
    package let staff: any StaffDirectory
    /// The network's material bank: the needs mapping's suggested material
    /// points into it where it has client material on the profile's themes.
    package let materials: (any MaterialDirectory)?

    package init(
        repository: any DigitalRepository, services: any ServiceDirectory, members: any MemberDirectory, audit: AuditLog, clock: AppClock,
        booking: BookingService, staff: any StaffDirectory, materials: (any MaterialDirectory)? = nil
    ) {
        (self.repository, self.services, self.members, self.audit, self.clock) = (repository, services, members, audit, clock)
        (self.booking, self.staff, self.materials) = (booking, staff, materials)
    }

    package var today: HelsinkiDay { HelsinkiDay(clock.now) }

    // MARK: who

    /// Workers and coordinators keep events and sessions; volunteers do not
    /// (they help at them, but the lists hold people's names).
    package func requireWorker(_ p: StaffPrincipal) throws {
        guard p.role != .volunteer else { throw DigitalRefusal.notAllowed }
    }

    // MARK: what is typed

    /// An event as typed (the form and the API's JSON).
    package struct EventInput: Sendable {
        package var title = "", description = "", municipality = "", place = "", address = ""
        /// `YYYY-MM-DD`; `9:00`, `09:00` or `9.00`.
        package var date = "", start = "", end = ""
        package var themes: [String] = []
        package var languages: [String] = []
        package var isPublic = true
        package init() {}
    }

    /// A session as typed. `seats` nil: not a number.
    package struct SessionInput: Sendable {
        package var title = "", description = "", municipality = "", place = "", address = ""
        package var online = false
        package var seats: Int? = nil
        package var themes: [String] = []
        package var languages: [String] = []
        package var isPublic = true
        package init() {}
    }

    package struct MeetingInput: Sendable {
        package var date = "", start = "", end = ""
        package init(date: String = "", start: String = "", end: String = "") { (self.date, self.start, self.end) = (date, start, end) }
    }

    typealias Problems = [(field: String, refusal: DigitalRefusal)]

    /// Trimmed text: required or not, at most `max`, one line or several.
    static func text(_ field: String, _ value: String, max: Int, required: Bool, lines: Bool = false, _ refusal: DigitalRefusal, _ p: inout Problems)
        -> String
    {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let plain = lines ? Validate.plainText(v) : Validate.plainLine(v) && !v.contains(where: \.isNewline)
        if (required && v.isEmpty) || v.count > max || !plain { p.append((field, refusal)) }
        return v
    }

    /// The themes (unknown ones refused; none is "any theme") and the
    /// languages (at least one, codes of two or three letters: `fi`, `sv`, `so`).
    static func themesAndLanguages(_ themes: [String], _ languages: [String], _ p: inout Problems) -> ([DigitalTheme], [String]) {
        let t = DigitalTheme.list(themes.joined(separator: ","))
        if !t.unknown.isEmpty || themes.count > 20 { p.append(("themes", .badTheme)) }
        var codes: [String] = []
        for code in languages.flatMap({ $0.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }) }).map({ $0.lowercased() }) {
            guard (2...3).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                p.append(("languages", .badLanguage))
                return (t.themes, [])
            }
            if !codes.contains(code) { codes.append(code) }
        }
        if codes.isEmpty || codes.count > 10 { p.append(("languages", .badLanguage)) }
        return (t.themes, codes)
    }

    /// The municipality's name and slug.
    static func municipality(_ value: String, _ p: inout Problems) -> (name: String, slug: String) {
        let name = text("municipality", value, max: DigitalSupport.maxMunicipality, required: true, .badMunicipality, &p)
        guard !name.isEmpty else { return ("", "") }
        guard let slug = MunicipalitySlug.make(name) else {
            if !p.contains(where: { $0.field == "municipality" }) { p.append(("municipality", .badMunicipality)) }
            return (name, "")
        }
        return (name, slug)
    }

    /// What an event and a session both say of themselves: a title, a
    /// description, the municipality (its name and slug), the place and its address.
    static func listing(
        _ title: String, _ description: String, _ municipality: String, _ place: String, _ address: String, placeRequired: Bool,
        _ p: inout Problems
    ) -> (title: String, description: String, municipality: (name: String, slug: String), place: String, address: String) {
        (
            text("title", title, max: DigitalSupport.maxTitle, required: true, .badTitle, &p),
            text("description", description, max: DigitalSupport.maxDescription, required: false, lines: true, .badDescription, &p),
            Self.municipality(municipality, &p),
            text("place", place, max: DigitalSupport.maxPlace, required: placeRequired, .badPlace, &p),
            text("address", address, max: DigitalSupport.maxAddress, required: false, .badAddress, &p)
        )
    }

    /// A day and a start and end time. A day before today is refused unless
    /// it is the one already saved (an old event may still be corrected).
    func when(date: String, start: String, end: String, kept: HelsinkiDay?, _ p: inout Problems, prefix: String = "")
        -> (day: HelsinkiDay, start: Int, end: Int)?
    {
        let d = HelsinkiDay(date.trimmingCharacters(in: .whitespaces))
        let fits = d.map { $0 == kept || ($0 >= today && $0.days(since: today) <= DigitalSupport.aheadDays) } ?? false
        if !fits { p.append((prefix + "date", .badDay)) }
        let s = Schedule.parseTime(start), e = Schedule.parseTime(end)
        if s == nil || s! >= 1440 { p.append((prefix + "start", .badTime)) }
        if e == nil || (s != nil && e! <= s!) { p.append((prefix + "end", .badTime)) }
        guard fits, let d, let s, let e, s < e, s < 1440 else { return nil }
        return (d, s, e)
    }

    func event(from input: EventInput, base: PopupEvent?, by p: StaffPrincipal) throws -> PopupEvent {
        var problems: Problems = []
        let (title, description, municipality, place, address) = Self.listing(
            input.title, input.description, input.municipality, input.place, input.address, placeRequired: true, &problems)
        let when = when(date: input.date, start: input.start, end: input.end, kept: base?.day, &problems)
        let (themes, languages) = Self.themesAndLanguages(input.themes, input.languages, &problems)
        guard problems.isEmpty, let when else { throw DigitalRefusedFields(problems) }
        return PopupEvent(
            id: base?.id ?? UUID(), organisation: base?.organisation ?? p.organisationID, title: title, description: description,
            municipalityName: municipality.name, municipality: municipality.slug, place: place, address: address, day: when.day,
            startMinute: when.start, endMinute: when.end, themes: themes, languages: languages, isPublic: input.isPublic,
            cancelled: base?.cancelled ?? false, sequence: base?.sequence ?? 0, createdMs: base?.createdMs ?? clock.nowMs, updatedMs: clock.nowMs)
    }

    func session(from input: SessionInput, base: GroupSession?, by p: StaffPrincipal) throws -> GroupSession {
        var problems: Problems = []
        // Online: a call on the platform, so no place is needed (one typed is kept, e.g. "Linkki lähetetään sähköpostilla").
        let (title, description, municipality, place, address) = Self.listing(
            input.title, input.description, input.municipality, input.place, input.address, placeRequired: !input.online, &problems)
        if input.seats.map({ !DigitalSupport.seats.contains($0) }) ?? true { problems.append(("seats", .badSeats)) }
        let (themes, languages) = Self.themesAndLanguages(input.themes, input.languages, &problems)
        guard problems.isEmpty, let seats = input.seats else { throw DigitalRefusedFields(problems) }
        return GroupSession(
            id: base?.id ?? UUID(), organisation: base?.organisation ?? p.organisationID, title: title, description: description,
            municipalityName: municipality.name, municipality: municipality.slug, place: place, address: address, online: input.online,
            seats: seats, themes: themes, languages: languages, isPublic: input.isPublic, cancelled: base?.cancelled ?? false,
            sequence: base?.sequence ?? 0, createdMs: base?.createdMs ?? clock.nowMs, updatedMs: clock.nowMs)
    }

    // MARK: events

    package func events(_ p: StaffPrincipal) async throws -> [PopupEvent] {
        try requireWorker(p)
        return try await repository.events(organisation: p.organisationID)
    }

    /// An event of the asker's organisation; not found for anyone else's.
    package func event(_ p: StaffPrincipal, id: UUID) async throws -> PopupEvent {
        try requireWorker(p)
        guard let event = try await repository.event(id: id), event.organisation == p.organisationID else { throw DigitalRefusal.notFound }
        return event
    }

    package func makeEvent(_ p: StaffPrincipal, _ input: EventInput) async throws -> PopupEvent {
        try requireWorker(p)
        let event = try event(from: input, base: nil, by: p)
        try await repository.addEvent(event)
        try await record(p, "digital.event", event.id)
        return event
    }

    package func editEvent(_ p: StaffPrincipal, id: UUID, _ input: EventInput) async throws -> PopupEvent {
        let old = try await event(p, id: id)
        guard !old.cancelled else { throw DigitalRefusal.eventCancelled }
        let saved = try await repository.saveEvent(try event(from: input, base: old, by: p))
        try await record(p, "digital.event_edit", id)
        return saved
    }

    /// Cancels an event: it stays, marked cancelled, with a raised sequence.
    package func cancelEvent(_ p: StaffPrincipal, id: UUID) async throws -> PopupEvent {
        var event = try await event(p, id: id)
        guard !event.cancelled else { throw DigitalRefusal.eventCancelled }
        (event.cancelled, event.updatedMs) = (true, clock.nowMs)
        let saved = try await repository.saveEvent(event)
        try await record(p, "digital.event_cancel", id)
        return saved
    }

    // MARK: sessions

    package func sessions(_ p: StaffPrincipal) async throws -> [GroupSession] {
        try requireWorker(p)
        return try await repository.sessions(organisation: p.organisationID)
    }

    package func session(_ p: StaffPrincipal, id: UUID) async throws -> GroupSession {
        try requireWorker(p)
        guard let session = try await repository.session(id: id), session.organisation == p.organisationID else { throw DigitalRefusal.notFound }
        return session
    }

    package func makeSession(_ p: StaffPrincipal, _ input: SessionInput) async throws -> GroupSession {
        try requireWorker(p)
        let session = try session(from: input, base: nil, by: p)
        try await repository.addSession(session)
        try await record(p, "digital.session", session.id)
        return session
    }

    package func editSession(_ p: StaffPrincipal, id: UUID, _ input: SessionInput) async throws -> GroupSession {
        let old = try await session(p, id: id)
        guard !old.cancelled else { throw DigitalRefusal.sessionCancelled }
        let saved = try await repository.saveSession(try session(from: input, base: old, by: p), nowMs: clock.nowMs)
        try await record(p, "digital.session_edit", id)
        return saved
    }

    /// Cancels the course: it stays, marked cancelled; no one may sign up.
    package func cancelSession(_ p: StaffPrincipal, id: UUID) async throws -> GroupSession {
        var session = try await session(p, id: id)
        guard !session.cancelled else { throw DigitalRefusal.sessionCancelled }
        (session.cancelled, session.updatedMs) = (true, clock.nowMs)
        let saved = try await repository.saveSession(session, nowMs: clock.nowMs)
        try await record(p, "digital.session_cancel", id)
        return saved
    }

    package func meetings(_ p: StaffPrincipal, session id: UUID) async throws -> [SessionMeeting] {
        let session = try await session(p, id: id)
        return try await repository.meetings(session: session.id)
    }

    package func addMeeting(_ p: StaffPrincipal, session id: UUID, _ input: MeetingInput) async throws -> SessionMeeting {
        let session = try await session(p, id: id)
        guard !session.cancelled else { throw DigitalRefusal.sessionCancelled }
        var problems: Problems = []
        guard let when = when(date: input.date, start: input.start, end: input.end, kept: nil, &problems), problems.isEmpty else {
            throw DigitalRefusedFields(problems)
        }
        let meeting = SessionMeeting(session: session.id, day: when.day, startMinute: when.start, endMinute: when.end)
        guard try await repository.addMeeting(meeting, max: DigitalSupport.maxMeetings, nowMs: clock.nowMs) else {
            throw DigitalRefusal.tooManyMeetings
        }
        try await record(p, "digital.meeting", session.id)
        return meeting
    }

    package func deleteMeeting(_ p: StaffPrincipal, session id: UUID, meeting: UUID) async throws {
        let session = try await session(p, id: id)
        guard try await repository.deleteMeeting(id: meeting, session: session.id, nowMs: clock.nowMs) else { throw DigitalRefusal.notFound }
        try await record(p, "digital.meeting_delete", session.id)
    }

    // MARK: the public

    /// A public session as anyone sees it: its meetings and seats left.
    package struct PublicSession: Sendable {
        package var session: GroupSession
        package var meetings: [SessionMeeting]
        package var seatsLeft: Int
        package var waiting: Int
        package var organisationName: String
        /// Every meeting has ended.
        package var over: Bool
    }

    package func publicSession(id: UUID, language: Language) async throws -> PublicSession {
        guard let session = try await repository.session(id: id), session.isPublic else { throw DigitalRefusal.notFound }
        let meetings = try await repository.meetings(session: id)
        let seats = try await repository.seats(session: id)
        let seated = seats.filter { $0.status == .seated }.count
        return PublicSession(
            session: session, meetings: meetings, seatsLeft: max(0, session.seats - seated), waiting: seats.count - seated,
            organisationName: try await services.organisationName(session.organisation, language: language) ?? "",
            over: !meetings.isEmpty && meetings.allSatisfy { $0.endMs <= clock.nowMs })
    }

    func record(_ p: StaffPrincipal, _ action: String, _ id: UUID) async throws {
        try await audit.record(
            .init(at: clock.now, staffID: p.staffID, staffName: p.workName, organisationID: p.organisationID, action: action, target: id.text()))
    }
}
