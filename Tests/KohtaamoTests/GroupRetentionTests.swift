import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Retention beyond support chats, run by the same `RetentionService`: a
/// group's room messages and Q&A after the days its coordinator set (kept
/// while the group exists by default); decided applications, handled reports
/// and ended bans' reasons 90 days on; anonymous clients that take part in
/// nothing 30 days after they were made. As in `RetentionTests`, the clock
/// is moved, the rules run, and the database is read.
@Suite struct GroupRetentionTests {
    static let day: TimeInterval = 86_400
    static let dayMs: Int64 = 86_400_000

    func count(_ app: Kohtaamo, _ table: String, _ column: String, _ value: some Encodable & Sendable) async throws -> Int {
        try await app.storage.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where(SQLIdentifier(column), .equal, SQLBind(value)).first()!.decode(column: "n", as: Int.self)
    }

    /// The settings form as `GroupTests.configure` sends it, with a retention choice.
    func saveRetention(_ coordinator: Browser, _ service: UUID, _ choice: String, days: String = "") async throws -> TestResponse {
        try await coordinator.post(
            "/admin/services/\(service.uuidString)/group",
            [
                ("style", "peer"), ("access", "open"), ("rulesFi", "Ole ystävällinen. Älä kerro muiden asioita eteenpäin."),
                ("rulesSv", ""), ("rulesEn", "Be kind."), ("retention", choice), ("retentionDays", days),
            ])
    }

    /// The clock starts at the real now: room messages carry the server's own time.
    @Test func roomMessagesAndQuestionsGoAfterTheGroupsDays() async throws {
        try await withApp(now: Date()) { app, client in
            let settings = try await GroupTests.configure(client, app)
            #expect(settings.retentionDays == nil, "kept while the group exists unless the coordinator says otherwise")
            let start = app.clock.now
            let aino = UUID(), bertta = UUID()
            let repository = app.groups.service.repository
            // Q&A on day 0, with an answer, and on day 10.
            let old = GroupQuestion(
                id: UUID(), service: settings.service, member: aino, nickname: "Aino", anonymous: false,
                body: "vanha kysymys", removed: false, createdMs: app.clock.nowMs, answers: [])
            try await repository.addQuestion(old)
            #expect(
                try await repository.addAnswer(
                    .init(
                        id: UUID(), staff: UUID(), from: Sender(name: "T", role: .worker), body: "vastaus",
                        createdMs: app.clock.nowMs), question: old.id, service: settings.service))
            // Room messages carry the server's own time: two old ones, then (a moment later) a new one.
            func post(_ body: String) async throws -> StoredMessage {
                try await app.realtime.post(
                    conversation: settings.conversation, clientID: UUID(), sender: .client(aino),
                    from: Sender(name: "Aino", role: .client), body: body
                ).message
            }
            let old1 = try await post("vanha viesti 1"), old2 = try await post("vanha viesti 2")
            try await Task.sleep(for: .milliseconds(30))
            let new = try await post("uusi viesti")
            #expect(new.atMs - old2.atMs >= 20)
            try await repository.addReport(
                GroupReport(
                    id: UUID(), service: settings.service, seq: old1.seq, reporter: bertta, reason: "loukkaava",
                    atMs: app.clock.nowMs, handled: false))
            app.clock.advance(by: 10 * Self.day)
            let recent = GroupQuestion(
                id: UUID(), service: settings.service, member: aino, nickname: "Aino", anonymous: true,
                body: "uusi kysymys", removed: false, createdMs: app.clock.nowMs, answers: [])
            try await repository.addQuestion(recent)

            func stored() async throws -> [StoredMessage] {
                try await app.realtime.store.messages(conversation: settings.conversation, after: 0, limit: 100)
                    .filter { [old1.seq, old2.seq, new.seq].contains($0.seq) }
            }
            // By default nothing of the group's goes, even ten years on.
            app.clock.set(start.addingTimeInterval(3650 * Self.day))
            let untouched = await app.retention.runOnce()
            #expect(untouched["group data"] == 0)
            #expect(try await stored().map(\.body) == ["vanha viesti 1", "vanha viesti 2", "uusi viesti"])
            #expect(try await repository.questions(service: settings.service).count == 2)

            // The coordinator sets 30 days; the clock stands 30 days after a moment between the old and the new message.
            app.clock.set(start.addingTimeInterval(10 * Self.day))
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await saveRetention(coordinator, settings.service, "days", days: "30").status == .seeOther)
            #expect(try await repository.settings(service: settings.service)?.retentionDays == 30)
            let between = (old2.atMs + new.atMs) / 2
            app.clock.set(Date(timeIntervalSince1970: Double(between + 30 * Self.dayMs) / 1000))
            let erased = await app.retention.runOnce()
            #expect(erased["group data"] == 3, "two messages and one question")

            let after = try await stored()
            #expect(after.map(\.seq) == [old1.seq, old2.seq, new.seq], "the rows stay: seqs keep no gaps")
            #expect(after.map(\.removed) == [true, true, false])
            #expect(after.map(\.body) == ["", "", "uusi viesti"] && after.map(\.from.name) == ["", "", "Aino"])
            let bodies = try await app.storage.sql.select().column("body").from("messages").where("conversation_id", .equal, settings.conversation)
                .where("seq", .in, [old1.seq, old2.seq]).all().map { try $0.decode(column: "body", as: Data.self) }
            #expect(bodies == [Data(), Data()], "the sealed bodies are gone from the database")
            // The report of an erased message is handled: nothing is left to judge.
            #expect(try await repository.reports(service: settings.service, open: true).isEmpty)
            let handled = try await app.storage.sql.select().column("handled_ms").from("group_reports").where("seq", .equal, old1.seq).first()
            #expect(try handled?.decode(column: "handled_ms", as: Int64?.self) == app.clock.nowMs)
            // The question of day 0 and its answer are gone (row and data key); that of day 10 stays.
            #expect(try await count(app, "group_questions", "id", old.id) == 0)
            #expect(try await count(app, "group_answers", "question_id", old.id) == 0)
            #expect(try await repository.questions(service: settings.service).map(\.body) == ["uusi kysymys"])

            #expect(await app.retention.runOnce()["group data"] == 0, "nothing twice")
            // Back to "while the group exists": the rest stays (the handled report goes 90 days on).
            try await coordinator.signIn("coordinator@demo.invalid")  // the sign-in of day 10 has run out
            #expect(try await saveRetention(coordinator, settings.service, "group").status == .seeOther)
            #expect(try await repository.settings(service: settings.service)?.retentionDays == nil)
            app.clock.advance(by: 3650 * Self.day)
            #expect(await app.retention.runOnce()["group data"] == 1)
            #expect(try await count(app, "group_reports", "service_id", settings.service) == 0)
            #expect(try await stored().map(\.body) == ["", "", "uusi viesti"])
        }
    }

    @Test func decidedApplicationsHandledReportsAndEndedBansReasonsGoAfter90Days() async throws {
        try await withAppParts(demo: true, now: GroupTests.noon) { app in
            let info = try #require(try await app.network.directory.service(slug: GroupTests.slug))
            let group = try await app.groups.service.settings(for: info)
            let repository = app.groups.service.repository
            let day0 = app.clock.nowMs
            func application(_ status: GroupApplication.Status, decidedDay: Int64?) async throws -> UUID {
                let a = GroupApplication(
                    id: UUID(), service: group.service, member: UUID(), nickname: "Hakija", answers: [.init(question: "Miksi?", answer: "Koska")],
                    status: status, message: "Haastattelu tiistaina", rulesVersion: 1, createdMs: day0,
                    decidedMs: decidedDay.map { day0 + $0 * Self.dayMs })
                try await repository.saveApplication(a)
                return a.id
            }
            let accepted = try await application(.accepted, decidedDay: 0), declined = try await application(.declined, decidedDay: 0)
            let declinedLater = try await application(.declined, decidedDay: 10)
            let waiting = try await application(.waiting, decidedDay: nil), interview = try await application(.interview, decidedDay: nil)

            func report(_ seq: Int64, handledDay: Int64?) async throws {
                try await repository.addReport(
                    GroupReport(
                        id: UUID(), service: group.service, seq: seq, reporter: UUID(), reason: "syy \(seq)",
                        atMs: day0, handled: false))
                if let handledDay { try await repository.handleReports(service: group.service, seqs: [seq], at: day0 + handledDay * Self.dayMs) }
            }
            try await report(1, handledDay: 0)
            try await report(2, handledDay: 10)
            try await report(3, handledDay: nil)

            func banned(_ nickname: String, untilDay: Int64?) async throws -> UUID {
                let m = GroupMember(
                    service: group.service, member: UUID(), nickname: nickname, rulesVersion: 1, status: .banned,
                    bannedUntilMs: untilDay.map { day0 + $0 * Self.dayMs }, banReason: "uhkailu", joinedMs: day0)
                #expect(try await repository.saveMember(m))
                return m.member
            }
            let endedEarly = try await banned("Eka", untilDay: 2), endedLater = try await banned("Toka", untilDay: 20)
            let forGood = try await banned("Kolmas", untilDay: nil)

            // Day 95: the cutoff is day 5.
            app.clock.advance(by: 95 * Self.day)
            #expect(await app.retention.runOnce()["group data"] == 4, "two applications, one report, one reason")
            for (id, kept) in [(accepted, false), (declined, false), (declinedLater, true), (waiting, true), (interview, true)] {
                #expect(try await count(app, "group_applications", "id", id) == (kept ? 1 : 0))
            }
            #expect(try await repository.application(id: declinedLater)?.message == "Haastattelu tiistaina")
            let reports = try await app.storage.sql.select().column("seq").from("group_reports").where("service_id", .equal, group.service)
                .orderBy("seq").all().map { try $0.decode(column: "seq", as: Int64.self) }
            #expect(reports == [2, 3], "the report handled on day 0 goes; a later one and an open one stay")
            let early = try #require(try await repository.member(service: group.service, member: endedEarly))
            #expect(
                early.banReason.isEmpty && early.status == .banned && early.bannedUntilMs == day0 + 2 * Self.dayMs, "the ban stays, its reason goes")
            #expect(try await repository.member(service: group.service, member: endedLater)?.banReason == "uhkailu")
            #expect(try await repository.member(service: group.service, member: forGood)?.banReason == "uhkailu", "a ban for good has not ended")
            #expect(await app.retention.runOnce()["group data"] == 0, "nothing twice")
        }
    }

    @Test func anonymousClientsThatTakePartInNothingGoAfter30Days() async throws {
        try await withAppParts(demo: true) { app in
            let chats = app.chat.service
            func made(_ token: String) async throws -> UUID { try await chats.repository.createClient(tokenHash: token, at: app.clock.nowMs) }
            let idle = try await made("idle")
            let waiting = try await made("waiting")
            _ = try await chats.start(serviceSlug: "tukichat", client: waiting, nickname: nil, language: .fi)
            let deleted = try await made("deleted")
            let (conversation, _) = try await chats.start(serviceSlug: "tukichat", client: deleted, nickname: nil, language: .fi)
            try await chats.erase(try #require(try await chats.repository.chat(conversation)))
            app.clock.advance(by: 20 * Self.day)
            let young = try await made("young")

            func left() async throws -> Set<UUID> {
                Set(
                    try await app.storage.sql.select().column("id").from("anonymous_clients").all().map { try $0.decode(column: "id", as: UUID.self) }
                )
            }
            app.clock.advance(by: 10 * Self.day)
            #expect(await app.retention.runOnce()["anonymous clients"] == 0, "30 days to the moment")
            app.clock.advance(by: 1)
            #expect(await app.retention.runOnce()["anonymous clients"] == 2)
            let remaining = try await left()
            #expect(remaining.isSuperset(of: [waiting, young]) && remaining.isDisjoint(with: [idle, deleted]))
            #expect(try await chats.repository.client(tokenHash: "idle") == nil)
            #expect(try await chats.repository.client(tokenHash: "waiting") == waiting, "a client waiting in the queue stays")
        }
    }

    @Test func aBadRetentionValueGetsItsErrorAndChangesNothing() async throws {
        try await withApp(now: GroupTests.noon) { app, client in
            let settings = try await GroupTests.configure(client, app)
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let page = "/admin/services/\(settings.service.uuidString)/group"
            #expect(try await coordinator.get(page).text.contains(#"id="retention-group" name="retention" value="group" checked"#))
            for days in ["0", "3651", "kolme", ""] {
                let bad = try await saveRetention(coordinator, settings.service, "days", days: days)
                #expect(bad.status == .badRequest)
                #expect(bad.text.contains("Write the number of days as a number, 1–3650."), "days \(days)")
                #expect(
                    bad.text.contains(##"href="#retentionDays""##) && bad.text.contains(#"value="\#(days)""#),
                    "the summary links to the field, the value stays")
            }
            #expect(try await saveRetention(coordinator, settings.service, "ikuisesti").text.contains("Choose how long messages are kept."))
            // In Finnish, in plain words.
            let finnish = Browser(client, language: "fi")
            try await finnish.signIn("coordinator@demo.invalid")
            #expect(try await saveRetention(finnish, settings.service, "days", days: "0").text.contains("Kirjoita päivien määrä numerona, 1–3650."))
            #expect(try await app.groups.service.repository.settings(service: settings.service) == settings, "nothing changed")

            #expect(try await saveRetention(coordinator, settings.service, "days", days: " 365 ").status == .seeOther)
            let shown = try await coordinator.get(page).text
            #expect(
                shown.contains(#"value="days" checked"#)
                    && shown.contains(#"name="retentionDays" type="text" inputmode="numeric" size="5" value="365""#))
            // A form without the choice (an older page) leaves it as it is.
            #expect(
                try await coordinator.post(
                    page,
                    [
                        ("style", "peer"), ("access", "open"), ("rulesFi", "Ole ystävällinen. Älä kerro muiden asioita eteenpäin."),
                        ("rulesSv", ""), ("rulesEn", "Be kind."),
                    ]
                ).status == .seeOther)
            #expect(try await app.groups.service.repository.settings(service: settings.service)?.retentionDays == 365)
        }
    }
}
