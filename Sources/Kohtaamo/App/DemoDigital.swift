import Accounts
import Booking
import DigitalSupport
import Foundation
import KohtaamoBase

extension Kohtaamo {
    /// The demo's digital support in Oulu: a pop-up event within the next
    /// two weeks ("Digituki kauppakeskus Valkeassa", five days ahead,
    /// 12–15), and the group session "Älypuhelimen alkeet" (four weekly
    /// meetings at the main library from next week, not on public holidays, 8 seats) with one demo
    /// registered client signed up, when the demo has one. The digital
    /// worker `worker1@demo.invalid` has weekly free times (Thursdays
    /// 13.00–13.45 at the main library) and that client has booked the first.
    func fillDemoDigital(organisation: UUID, now: Date) async throws {
        let repository = digital.service.repository
        let today = HelsinkiDay(now)
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        try await repository.addEvent(
            PopupEvent(
                organisation: organisation, title: "Digituki kauppakeskus Valkeassa",
                description: "Tuo oma puhelin, tabletti tai kannettava. Autamme sovellusten, pankkitunnusten ja viestien kanssa. Ei ajanvarausta.",
                municipalityName: "Oulu", municipality: "oulu", place: "Kauppakeskus Valkea, 2. kerros", address: "Isokatu 23, 90100 Oulu",
                day: today.adding(days: 5), startMinute: 12 * 60, endMinute: 15 * 60,
                themes: [.deviceBasics, .messaging, .onlineServices], languages: ["fi", "en"], createdMs: nowMs, updatedMs: nowMs))
        let session = GroupSession(
            organisation: organisation, title: "Älypuhelimen alkeet",
            description: "Neljä tapaamista aloittelijoille: puhelimen asetukset, viestit, kuvat ja turvallisuus. Ota oma puhelin mukaan.",
            municipalityName: "Oulu", municipality: "oulu", place: "Oulun pääkirjasto, Pakkalan sali", address: "Kaarlenväylä 3, 90100 Oulu",
            online: false, seats: 8, themes: [.deviceBasics, .messaging, .safety], languages: ["fi"], createdMs: nowMs, updatedMs: nowMs)
        try await repository.addSession(session)
        // Thursdays 10–11.30 from next week's, passing over public holidays (the library is closed).
        var day = today.monday.adding(days: 7 + 3)
        var added = 0
        while added < 4 {
            if FinnishHolidays.name(of: day) == nil {
                _ = try await repository.addMeeting(
                    SessionMeeting(session: session.id, day: day, startMinute: 10 * 60, endMinute: 11 * 60 + 30),
                    max: DigitalSupport.maxMeetings, nowMs: nowMs)
                added += 1
            }
            day = day.adding(days: 7)
        }
        var client: UUID? = nil
        for nickname in ["yhteydenpito", "valmennettava"] {
            guard let member = try await digital.service.members.member(nickname: nickname) else { continue }
            _ = try await repository.signUp(SessionSeat(session: session.id, member: member.id, label: "", addedBy: nil, createdMs: nowMs))
            client = member.id
            break
        }
        try await fillDemoDigitalTimes(organisation: organisation, client: client, now: now)
    }

    /// The worker's weekly times of digital support and the client's one booking.
    func fillDemoDigitalTimes(organisation: UUID, client: UUID?, now: Date) async throws {
        guard let worker = try await accounts.service.repository.staff(email: "worker1@demo.invalid"), worker.organisationID == organisation
        else { return }
        let booking = digital.service.booking
        let pattern = WeeklyPattern(
            scope: DigitalService.scope(of: organisation), host: worker.id, weekday: 4, startMinute: 13 * 60, minutes: 45,
            place: "Oulun pääkirjasto, digitukipiste", from: HelsinkiDay(now))
        try await booking.savePattern(pattern, now: now)
        guard let client, let first = try await digital.service.freeSlots(organisation: organisation).min(by: { $0.startMs < $1.startMs })
        else { return }
        _ = try await digital.service.book(client, organisation: organisation, slot: first.id)
    }

    /// The library's own digital guide (`kirjasto@demo.invalid`) with weekly
    /// free times, so that the finder's "book a time" on the library's help
    /// point leads to times a client can book.
    func fillDemoLibraryTimes(library: UUID, passwordHash: String, now: Date) async throws {
        let guide = try await accounts.service.repository.createStaff(
            organisationID: library, email: "kirjasto@demo.invalid", passwordHash: passwordHash, role: .worker,
            workName: "Kirjaston digiopastaja", workingHours: "ti 10–14", at: now)
        let pattern = WeeklyPattern(
            scope: DigitalService.scope(of: library), host: guide.id, weekday: 2, startMinute: 10 * 60, minutes: 45,
            place: "Oulun pääkirjasto, 2. krs", from: HelsinkiDay(now))
        try await digital.service.booking.savePattern(pattern, now: now)
    }
}
