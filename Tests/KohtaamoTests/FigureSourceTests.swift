import Foundation
import Testing

@testable import Booking
@testable import Coaching
@testable import DigitalSupport
@testable import Finder
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks
@testable import Reachout

/// Each feature's part of the statistics, on the suite's database: what a
/// sampler writes is what its source reads back (cell by cell), and a small
/// hand-made case through the feature's own service gives exact numbers,
/// leaving out another organisation's and what falls outside the periods.
@Suite struct FigureSourceTests {
    /// Every cell of the roll-up, comparable whatever the order of leaves.
    static func cells(_ leaves: [FigureLeaf], _ source: any FigureSource) -> Set<Figure> {
        Set(FigureRollup.figures(leaves, measures: source.measures))
    }

    /// The value of one measure for an organisation (all services) in a period (nil: all periods).
    static func value(_ leaves: [FigureLeaf], _ source: any FigureSource, _ measure: String, organisation: UUID?, service: UUID? = nil, period: Int?)
        -> Double
    {
        FigureRollup.figures(leaves, measures: source.measures).first {
            $0.measure == measure && $0.organisation == organisation && $0.service == service && $0.period == period && $0.part == nil
        }?.value ?? 0
    }

    /// The sampler's leaves and the source's reading of what it wrote agree
    /// in every cell, and there is something in them.
    static func agree(_ app: Kohtaamo, _ source: any FigureSource, _ sampler: any FigureSampler, organisations: [UUID], perDay: Double = 6)
        async throws
    {
        let query = FigureQuery(
            organisations: organisations, from: HelsinkiDay(year: 2026, month: 9, day: 7), until: HelsinkiDay(ms: app.clock.nowMs), length: .week)
        let written = try await sampler.sample(FigurePlan(query: query, perDay: perDay, seed: 2026, nowMs: app.clock.nowMs))
        let read = try await source.leaves(query)
        let expected = cells(written, source)
        let differ = cells(read, source).symmetricDifference(expected)
        #expect(differ.isEmpty, "\(differ.count) cells differ, e.g. \(Array(differ.prefix(4)))")
        for measure in source.measures {
            #expect(expected.contains { $0.measure == measure.key && $0.value > 0 }, "\(measure.key) is never sampled")
        }
    }

    // MARK: reach-out

    @Test func reachoutSamplerAndSourceAgree() async throws {
        // No server, so no escalation sweep: the sampler escalates only some
        // missed contacts, and a sweep would add the rest of the last week's.
        try await withAppParts { app in
            try await Self.agree(app, app.reachout.figureSource, app.reachout.figureSampler, organisations: [UUID(), UUID()])
        }
    }

    /// The week of the weekly figures' test: two plans, four contacts made,
    /// two reached, three escalated; a plan of another organisation and a
    /// Friday plan whose contacts fall before the week or after today are
    /// not counted.
    @Test func reachoutCountsPlannedMadeReachedEscalated() async throws {
        try await ReachoutRuleTests.onBoth { w, repository in
            let monday = ReachoutRuleTests.monday
            let tue = monday.adding(days: 1), wed = monday.adding(days: 2)
            let a = try await w.plan("A", .daily, from: monday)
            let b = try await w.plan("B", .weekdays([1, 3]), from: monday, at: 10 * 60)
            let c = try await w.plan("C", .weekdays([5]), from: monday.adding(days: -10))
            let other = ContactPlan(
                organisation: UUID(), member: nil, label: "Other", note: "", rhythm: .daily, starts: monday, until: nil, minute: 9 * 60,
                channel: .phone, owner: UUID(), backup: nil, createdMs: 0)
            try await w.reachout.repository.addPlan(other)
            w.set(ReachoutRuleTests.at(monday.adding(days: -3), 9, 10))
            _ = try await w.reachout.log(w.worker, plan: c.id, .init(kind: "reached"))
            w.set(ReachoutRuleTests.at(monday, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "no_answer"))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "reached"))
            w.set(ReachoutRuleTests.at(tue, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "no_answer"))
            w.set(ReachoutRuleTests.at(wed, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "left_message"))
            _ = try await w.reachout.log(w.worker, plan: b.id, .init(kind: "reached"))
            w.set(ReachoutRuleTests.at(wed, 18))
            try await w.reachout.sweep(organisation: w.organisation)
            try await w.reachout.sweep(organisation: other.organisation)
            let source = ReachoutFigures(reachout: w.reachout)
            let query = FigureQuery(organisations: [w.organisation], from: monday, until: monday, length: .week)
            let leaves = try await source.leaves(query)
            let got = ["planned", "made", "reached", "escalated"].map {
                Self.value(leaves, source, "reachout.\($0)", organisation: w.organisation, period: 0)
            }
            #expect(got == [5, 4, 2, 3], "\(repository)")
            #expect(Set(leaves.map(\.organisation)) == [w.organisation] && leaves.allSatisfy { $0.service == nil && $0.period == 0 })
        }
    }

    // MARK: groups

    /// A new organisation with services of these kinds, by id.
    static func organisation(_ app: Kohtaamo, _ kinds: [ServiceKind]) async throws -> (organisation: UUID, services: [ServiceInfo]) {
        let repo = app.network.repository
        let net = try await repo.createNetwork(slug: "n\(UUID().text().prefix(8))", names: .init(fi: "V", sv: "N", en: "N"), at: app.clock.now)
        let org = try await repo.createOrganisation(network: net, names: .init(fi: "Org", sv: "Org", en: "Org"), at: app.clock.now)
        var services: [ServiceInfo] = []
        for kind in kinds {
            let record = ServiceRecord(
                id: UUID(), organisationID: org.id, slug: "s\(UUID().text().prefix(12))", kind: kind, names: .init(fi: "P", sv: "T", en: "S"),
                descriptions: .init(fi: "", sv: "", en: ""), languages: ["fi"], isPublic: true, sharedWith: [])
            _ = try await repo.saveService(record, at: app.clock.now)
            services.append(try #require(try await app.network.directory.service(id: record.id)))
        }
        return (org.id, services)
    }

    @Test func groupsSamplerAndSourceAgree() async throws {
        try await withApp(demo: false) { app, _ in
            let a = try await Self.organisation(app, [.group, .group, .supportChat])
            let b = try await Self.organisation(app, [.group])
            try await Self.agree(app, app.groups.figureSource, app.groups.figureSampler, organisations: [a.organisation, b.organisation])
        }
    }

    /// Three members of an open group write eight messages this week (with
    /// a worker's one, during the group's meeting now) and two last week
    /// (between meetings); another organisation's group and a message two
    /// weeks back are not counted. Messages of this week are posted as the
    /// room posts them (at the real time), earlier ones by the bulk writer.
    @Test func groupsCountMembersMessagesTimesAndAttendance() async throws {
        try await withApp(demo: false, now: Date()) { app, _ in
            let groups = app.groups.service
            func open(_ info: ServiceInfo) async throws -> GroupSettings {
                var g = try await groups.settings(for: info)
                g.access = .open
                try await groups.repository.saveSettings(g)
                return g
            }
            let mine = try await Self.organisation(app, [.group])
            let other = try await Self.organisation(app, [.group])
            let (group, elsewhere) = (try await open(mine.services[0]), try await open(other.services[0]))
            let today = HelsinkiDay(app.clock.now)
            let minute = Helsinki.calendar.component(.hour, from: app.clock.now) * 60 + Helsinki.calendar.component(.minute, from: app.clock.now)
            let start = max(0, minute - 30)
            try await groups.repository.addEvent(
                ProgrammeEvent(
                    id: UUID(), service: group.service, weekday: today.weekday, startMinute: start, durationMinutes: min(60, 1440 - start),
                    title: .init(fi: "Tapaaminen", sv: "Träff", en: "Meeting"), link: ""))
            var members: [UUID] = []
            for name in ["Aino", "Bea", "Cecilia"] {
                let m = UUID()
                #expect(try await groups.join(group, member: m, nickname: name, acceptedRules: group.rulesVersion, invitation: nil) == .joined)
                members.append(m)
            }
            let stranger = UUID()
            _ = try await groups.join(elsewhere, member: stranger, nickname: "Dora", acceptedRules: elsewhere.rulesVersion, invitation: nil)
            func post(_ g: GroupSettings, _ who: Identity, _ body: String) async throws {
                _ = try await groups.realtime.post(
                    conversation: g.conversation, clientID: UUID(), sender: who, from: Sender(name: "x", role: .client), body: body)
            }
            for i in [0, 0, 0, 1, 1, 2, 2] { try await post(group, .client(members[i]), "Viesti") }
            try await post(group, .staff(UUID()), "Tervetuloa")
            try await post(elsewhere, .client(stranger), "Muualla")
            let between = start >= 120 ? start - 120 : start + 120
            func earlier(_ days: Int, _ who: UUID) -> MessageFigures.Sampled {
                MessageFigures.Sampled(
                    conversation: group.conversation, sender: .client(who), from: Sender(name: "x", role: .client), body: "Aiemmin",
                    atMs: today.adding(days: -days).ms(minute: between))
            }
            try await groups.realtime.messageFigures.add([earlier(14, members[2]), earlier(7, members[0]), earlier(7, members[1])])
            let source = app.groups.figureSource
            let query = FigureQuery(organisations: [mine.organisation], from: today.adding(days: -7), until: today, length: .week)
            let leaves = try await source.leaves(query)
            func v(_ m: String, _ period: Int?) -> Double {
                Self.value(leaves, source, "groups.\(m)", organisation: mine.organisation, service: group.service, period: period)
            }
            #expect([v("members", 0), v("members", 1), v("members", nil)] == [2, 3, 3])
            #expect([v("messages", 0), v("messages", 1), v("messages", nil)] == [2, 8, 10])
            #expect([v("sessions", 0), v("sessions", 1), v("attendance", 0), v("attendance", 1)] == [1, 1, 0, 3])
            #expect(Set(leaves.map(\.organisation)) == [mine.organisation])
        }
    }

    // MARK: coaching

    @Test func coachingSamplerAndSourceAgree() async throws {
        try await withApp(demo: false) { app, _ in
            let a = try await Self.organisation(app, [.coaching, .coaching, .group])
            let b = try await Self.organisation(app, [.coaching])
            try await Self.agree(app, app.coaching.figureSource, app.coaching.figureSampler, organisations: [a.organisation, b.organisation])
        }
    }

    /// The demo's coaching in March 2027 (the demo's own is in November
    /// 2026): three tasks given in the first week, one done, one late and
    /// one without a due time; one given the next week, not due yet; a late
    /// task of February is not counted. Four times booked: one attended, one
    /// missed, one cancelled, one still coming.
    @Test func coachingCountsTasksAndAppointments() async throws {
        try await withApp { app, _ in
            let coaching = app.coaching.service
            let info = try #require(try await app.network.directory.service(slug: "valmennus"))
            let coach = try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid"))
            let p = StaffPrincipal(
                staffID: coach.id, sessionID: UUID(), email: coach.email, role: coach.role, organisationID: info.organisations[0], networkID: UUID(),
                workName: coach.workName)
            let member = try #require(try await app.reachout.service.members.member(nickname: "valmennettava")).id
            func at(_ day: Int, _ hour: Int) -> Date {
                HelsinkiDay(year: 2027, month: day > 28 ? 2 : 3, day: day > 28 ? day - 28 : day).at(minute: hour * 60)
            }
            func give(_ due: Date?) async throws -> UUID {
                let content = TaskContent(title: "Tehtävä", instructions: "", answerKind: .text, checklist: [], material: "")
                return try #require(
                    try await coaching.give(
                        p, service: info.id, to: .coachee(member), content: content, dueMs: due.map { Int64($0.timeIntervalSince1970 * 1000) }
                    ).first
                ).id
            }
            app.clock.set(HelsinkiDay(year: 2027, month: 2, day: 20).at(minute: 10 * 60))
            _ = try await give(HelsinkiDay(year: 2027, month: 2, day: 25).at(minute: 12 * 60))
            app.clock.set(at(1, 10))
            let done = try await give(at(3, 12))
            _ = try await give(at(4, 12))
            _ = try await give(nil)
            var slots: [UUID] = []
            for (day, hour) in [(2, 10), (3, 10), (4, 10), (12, 14)] {
                slots.append(
                    try await coaching.addSlot(
                        p, service: info.id, startMs: Int64(at(day, hour).timeIntervalSince1970 * 1000), minutes: 45, place: ""
                    ).id)
            }
            var booked: [UUID] = []
            for slot in slots { booked.append(try await coaching.book(member, service: info.id, slot: slot).id) }
            _ = try await coaching.cancel(.client(member), appointment: booked[2])
            app.clock.set(at(2, 12))
            _ = try await coaching.answer(member, task: done, TaskAnswer(text: "Tein sen."))
            _ = try await coaching.feedback(p, task: done, text: "Hyvä!", accept: true)
            app.clock.set(at(5, 12))
            _ = try await coaching.mark(p, appointment: booked[0], attended: true)
            _ = try await coaching.mark(p, appointment: booked[1], attended: false)
            app.clock.set(at(9, 10))
            _ = try await give(at(20, 12))
            app.clock.set(at(10, 12))
            let source = app.coaching.figureSource
            let query = FigureQuery(
                organisations: [p.organisationID], from: HelsinkiDay(year: 2027, month: 3, day: 1), until: HelsinkiDay(year: 2027, month: 3, day: 8),
                length: .week)
            let leaves = try await source.leaves(query)
            func v(_ m: String, _ period: Int?) -> Double {
                Self.value(leaves, source, "coaching.\(m)", organisation: p.organisationID, service: info.id, period: period)
            }
            #expect([v("tasks_given", 0), v("tasks_given", 1), v("tasks_done", 0), v("tasks_missed", 0), v("tasks_missed", nil)] == [3, 1, 1, 1, 1])
            #expect(
                [v("appointments_booked", 0), v("appointments_booked", 1), v("appointments_attended", nil), v("appointments_missed", nil)] == [
                    2, 1, 1, 1,
                ])
            let elsewhere = try await source.leaves(FigureQuery(organisations: [UUID()], periods: query.periods))
            #expect(elsewhere.isEmpty)
        }
    }

    // MARK: finder

    @Test func finderSamplerAndSourceAgree() async throws {
        try await withApp(demo: false) { app, _ in
            try await Self.agree(app, app.finder.figureSource, app.finder.figureSampler, organisations: [UUID(), UUID()])
        }
    }

    /// Two views of Oulu's page count one visit each for the library and
    /// for the chat's owner (both have points there); a municipality with no
    /// help counts nothing. The counts wait in memory, survive a flush and
    /// a restart (a new counter over the same table), and the table keeps
    /// only the day, the organisation and the count.
    @Test func finderCountsVisitsOfTheMunicipalityPage() async throws {
        try await withApp { app, client in
            let points = try await app.finder.service.repository.points(municipality: "oulu")
            let owners = Set(points.map(\.organisation))
            #expect(owners.count == 2)
            for uri in ["/finder/oulu", "/finder/oulu?theme=messaging", "/finder/nowhere", "/finder"] {
                _ = try await client.execute(uri: uri, method: .get)
            }
            let stored = try await app.storage.sql.raw("SELECT * FROM finder_visits").all()
            #expect(stored.isEmpty, "written before a minute had passed")
            let today = HelsinkiDay(app.clock.now)
            let query = FigureQuery(organisations: Array(owners) + [UUID()], from: today, until: today, length: .week)
            let source = app.finder.figureSource
            let shown = Set(
                try await app.finder.service.listing(slug: "oulu", theme: .messaging, language: nil, in: .fi)?.points.map(\.point.organisation) ?? [])
            var leaves = try await source.leaves(query)
            for o in owners { #expect(Self.value(leaves, source, "finder.visits", organisation: o, period: 0) == (shown.contains(o) ? 2 : 1)) }
            _ = try await client.execute(uri: "/finder/oulu", method: .get)
            try await app.finder.service.visits.flush()
            let restarted = FinderFigures(
                finder: FinderService(
                    repository: app.finder.service.repository, services: app.finder.service.services, happenings: [], audit: app.finder.service.audit,
                    clock: app.clock))
            leaves = try await restarted.leaves(query)
            for o in owners { #expect(Self.value(leaves, source, "finder.visits", organisation: o, period: 0) == (shown.contains(o) ? 3 : 2)) }
            #expect(Set(leaves.map(\.organisation)) == owners)
            let row = try #require(try await app.storage.sql.raw("SELECT * FROM finder_visits").first())
            #expect(Set(row.allColumns) == ["day", "organisation_id", "visits"])
        }
    }

    // MARK: digital support

    @Test func digitalSamplerAndSourceAgree() async throws {
        try await withApp(demo: false) { app, _ in
            try await Self.agree(app, app.digital.figureSource, app.digital.figureSampler, organisations: [UUID(), UUID()])
        }
    }

    /// A guide's four times in March 2027: one attended, one missed, one
    /// cancelled, one coming next week; three mappings with the
    /// organisation (one client twice), and none counted of another
    /// organisation, of a client alone, or of February.
    @Test func digitalCountsAppointmentsAndMappings() async throws {
        try await withApp(demo: false) { app, _ in
            let digital = app.digital.service
            let organisation = UUID()
            let p = StaffPrincipal(
                staffID: UUID(), sessionID: UUID(), email: "", role: .worker, organisationID: organisation, networkID: UUID(), workName: "Opas")
            func at(_ month: Int, _ day: Int, _ hour: Int) -> Date { HelsinkiDay(year: 2027, month: month, day: day).at(minute: hour * 60) }
            func ms(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }
            let (x, y) = (UUID(), UUID())
            let typed = Dictionary(uniqueKeysWithValues: try await digital.questionnaire(network: nil).questions.map { ($0.id, "2") })
            func map(_ member: UUID, _ org: UUID?, _ when: Date) async throws {
                app.clock.set(when)
                _ = try await digital.mapping(member: member, organisation: org, network: nil, typed: typed, by: nil)
            }
            try await map(x, organisation, at(2, 20, 12))
            app.clock.set(at(3, 1, 10))
            var slots: [UUID] = []
            for day in [2, 3, 4, 12] { slots.append(try await digital.addSlot(p, startMs: ms(at(3, day, 10)), minutes: 30, place: "Kirjasto").id) }
            let a1 = try await digital.book(x, organisation: organisation, slot: slots[0])
            let a2 = try await digital.book(x, organisation: organisation, slot: slots[1])
            let a3 = try await digital.book(y, organisation: organisation, slot: slots[2])
            _ = try await digital.book(x, organisation: organisation, slot: slots[3])
            _ = try await digital.cancel(p, appointment: a3.id)
            try await map(x, organisation, at(3, 2, 12))
            try await map(x, organisation, at(3, 3, 12))
            try await map(y, UUID(), at(3, 3, 12))
            try await map(y, nil, at(3, 3, 13))
            app.clock.set(at(3, 5, 12))
            _ = try await digital.mark(p, appointment: a1.id, attended: true)
            _ = try await digital.mark(p, appointment: a2.id, attended: false)
            try await map(y, organisation, at(3, 9, 12))
            app.clock.set(at(3, 10, 12))
            let source = app.digital.figureSource
            let query = FigureQuery(
                organisations: [organisation], from: HelsinkiDay(year: 2027, month: 3, day: 1), until: HelsinkiDay(year: 2027, month: 3, day: 8),
                length: .week)
            let leaves = try await source.leaves(query)
            func v(_ m: String, _ period: Int?) -> Double { Self.value(leaves, source, "digital.\(m)", organisation: organisation, period: period) }
            #expect(
                [v("appointments_booked", 0), v("appointments_booked", 1), v("appointments_attended", nil), v("appointments_missed", nil)] == [
                    2, 1, 1, 1,
                ])
            #expect(
                [v("mappings", 0), v("mappings", 1), v("clients_mapped", 0), v("clients_mapped", 1), v("clients_mapped", nil)] == [2, 1, 1, 1, 2])
            #expect(Set(leaves.map(\.organisation)) == [organisation] && leaves.allSatisfy { $0.service == nil })
        }
    }
}
