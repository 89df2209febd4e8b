import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks
@testable import Reachout

/// Reach-out as any program would use it: the JSON entry points of
/// docs/openapi.yaml (tag Reachout) over HTTP, on the demo, on the suite's
/// database (SQLite, or PostgreSQL under scripts/pg-throwaway). The clock is
/// the demo's Tuesday 2026-11-24 12:00 in Helsinki: worker1 has Aino (daily,
/// due now), `yhteydenpito` (chat, Mon/Wed/Fri 13.00) and Matti (daily 10.00
/// since Saturday, escalated on Sunday and Monday, the second repeated).
@Suite struct ReachoutAPITests {
    static func object(_ r: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]) ?? [:]
    }

    static func array(_ r: TestResponse) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [[String: Any]]) ?? []
    }

    static func body(_ fields: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }

    static func staff(_ client: any TestClientProtocol, _ email: String) async throws -> Browser {
        let b = Browser(client, language: "en")
        try await b.signIn(email)
        return b
    }

    static func staffID(_ app: Kohtaamo, _ email: String) async throws -> String {
        try #require(try await app.accounts.service.repository.staff(email: email)).id.uuidString.lowercased()
    }

    /// worker1's plan by its name (label or nickname).
    static func planID(_ worker: Browser, _ name: String) async throws -> String {
        try #require(Self.array(try await worker.get("/api/reachout/plans")).first { $0["name"] as? String == name }?["id"] as? String)
    }

    /// A refusal with its status and stable code.
    static func refused(_ r: TestResponse, _ status: HTTPResponse.Status, _ code: String, _ comment: Comment? = nil) {
        #expect(r.status == status && errorCode(r) == code, "\(comment?.description ?? ""): \(r.status.code) \(r.text)")
    }

    @Test func aWorkerMakesEditsAndEndsAPlanAndEachMistakeHasItsCode() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            let me = try await Self.staffID(app, "worker1@demo.invalid")
            // The demo's backup: worker1's coordinator (the demo has no worker3 unless asked for more workers).
            let backup = try await Self.staffID(app, "coordinator@demo.invalid")
            let elsewhere = try await Self.staffID(app, "worker2@demo.invalid")
            // The team: the organisation's staff who keep plans, by work name (worker2 is of another organisation).
            let team = Self.array(try await worker.get("/api/reachout/team"))
            #expect(Set(team.compactMap { $0["id"] as? String }).isSuperset(of: [me, backup]))
            #expect(!team.contains { $0["id"] as? String == elsewhere })

            let made = try await worker.json(
                .post, "/api/reachout/plans",
                Self.body([
                    "label": " Liisa, 044 000 0000 ", "note": "Muutti juuri.\nSoita iltapäivällä.", "rhythm": "weekdays:4,2", "time": "9.30",
                    "channel": "phone", "backup": backup,
                ]))
            #expect(made.status == .created, "\(made.text)")
            let plan = Self.object(made)
            let id = try #require(plan["id"] as? String)
            #expect(plan["name"] as? String == "Liisa, 044 000 0000" && plan["label"] as? String == "Liisa, 044 000 0000")
            #expect(plan["note"] as? String == "Muutti juuri.\nSoita iltapäivällä." && plan["registered"] as? Bool == false)
            #expect(plan["rhythm"] as? String == "weekdays:2,4" && plan["time"] as? String == "09:30" && plan["escalateAt"] as? String == "16:00")
            #expect(plan["starts"] as? String == "2026-11-24" && plan["channel"] as? String == "phone" && plan["skipHolidays"] as? Bool == false)
            #expect(plan["owner"] as? String == me && plan["backup"] as? String == backup)
            // Absent optionals are left out, not null.
            for key in ["until", "endedOn", "conversation"] { #expect(plan[key] == nil, "\(key) is in \(made.text)") }

            let read = Self.object(try await worker.get("/api/reachout/plans/\(id)"))
            #expect((read["plan"] as? [String: Any])?["id"] as? String == id && (read["history"] as? [Any])?.isEmpty == true)
            #expect(Self.array(try await worker.get("/api/reachout/plans")).contains { $0["id"] as? String == id })

            let edited = try await worker.json(
                .put, "/api/reachout/plans/\(id)",
                Self.body([
                    "label": "Liisa", "rhythm": "every:3", "time": "08:00", "escalateAt": "11.00", "until": "2026-12-31", "channel": "phone",
                    "skipHolidays": true,
                ]))
            #expect(edited.status == .ok, "\(edited.text)")
            let after = Self.object(edited)
            #expect(after["rhythm"] as? String == "every:3" && after["time"] as? String == "08:00" && after["escalateAt"] as? String == "11:00")
            #expect(after["until"] as? String == "2026-12-31" && after["skipHolidays"] as? Bool == true && after["note"] as? String == "")
            // Left out of the edit: the backup is cleared, the owner and the first day kept.
            #expect(after["backup"] == nil && after["owner"] as? String == me && after["starts"] as? String == "2026-11-24")

            // A registered client by nickname: their nickname is the name, chat is allowed.
            let registered = Self.object(
                try await worker.json(
                    .post, "/api/reachout/plans", Self.body(["nickname": "YHTEYDENPITO", "rhythm": "daily", "time": "13:00", "channel": "chat"])))
            #expect(
                registered["registered"] as? Bool == true && registered["name"] as? String == "yhteydenpito" && registered["label"] as? String == "")

            // Each mistake has its code.
            let valid: [String: Any] = ["label": "Testi", "rhythm": "daily", "time": "9:00", "channel": "phone"]
            for (change, status, code) in [
                (["rhythm": "weekly"], HTTPResponse.Status.badRequest, "bad_rhythm"), (["rhythm": "weekdays:1,1"], .badRequest, "bad_rhythm"),
                (["rhythm": "every:1"], .badRequest, "bad_rhythm"), (["time": "25:00"], .badRequest, "bad_time"),
                (["time": "9"], .badRequest, "bad_time"), (["time": "17:00", "escalateAt": "16:00"], .badRequest, "bad_time"),
                (["channel": "fax"], .badRequest, "bad_channel"), (["channel": "chat"], .badRequest, "bad_channel"),
                (["channel": "call"], .badRequest, "bad_channel"),
                (["label": "", "nickname": "ei-ketään-tällä-nimellä"], .notFound, "member_not_found"),
                (["owner": elsewhere], .badRequest, "bad_worker"), (["owner": "minä"], .badRequest, "bad_worker"),
                (["owner": me, "backup": me], .badRequest, "bad_worker"), (["label": ""], .badRequest, "bad_label"),
                (["label": "kaksi\nriviä"], .badRequest, "bad_label"), (["label": String(repeating: "a", count: 121)], .badRequest, "bad_label"),
                (["note": String(repeating: "a", count: 1001)], .badRequest, "bad_note"), (["starts": "2026-13-01"], .badRequest, "bad_days"),
                (["starts": "2026-11-01"], .badRequest, "bad_days"), (["until": "2026-11-01"], .badRequest, "bad_days"),
            ] as [([String: Any], HTTPResponse.Status, String)] {
                let r = try await worker.json(.post, "/api/reachout/plans", Self.body(valid.merging(change) { $1 }))
                Self.refused(r, status, code, "\(change)")
            }
            Self.refused(
                try await worker.json(.post, "/api/reachout/plans", #"{"label":"Testi","time":"9:00","channel":"phone"}"#), .badRequest, "bad_json")
            Self.refused(
                try await worker.json(.put, "/api/reachout/plans/\(id)", Self.body(valid.merging(["time": "x"]) { $1 })), .badRequest, "bad_time")
            // Nothing was made of them.
            #expect(Self.array(try await worker.get("/api/reachout/plans")).count == 5)

            // Ended: nothing more is done to it.
            let ended = try await worker.json(.post, "/api/reachout/plans/\(id)/end", nil)
            #expect(ended.status == .ok && Self.object(ended)["endedOn"] as? String == "2026-11-24")
            Self.refused(try await worker.json(.post, "/api/reachout/plans/\(id)/end", nil), .conflict, "plan_ended")
            Self.refused(try await worker.json(.put, "/api/reachout/plans/\(id)", Self.body(valid)), .conflict, "plan_ended")
            // The ended plan comes after the active ones.
            #expect(Self.array(try await worker.get("/api/reachout/plans")).last?["id"] as? String == id)

            // Volunteers keep no plans.
            let volunteer = try await Self.staff(client, "volunteer1@demo.invalid")
            for r in [
                try await volunteer.get("/api/reachout/today"), try await volunteer.get("/api/reachout/plans"),
                try await volunteer.json(.post, "/api/reachout/plans", Self.body(valid)), try await volunteer.get("/api/reachout/team"),
                try await volunteer.get("/api/reachout/calendar"), try await volunteer.get("/api/reachout/absences"),
            ] {
                Self.refused(r, .forbidden, "reachout_not_allowed")
            }
            // Another organisation's worker finds none of these plans.
            let other = try await Self.staff(client, "worker2@demo.invalid")
            let aino = try await Self.planID(worker, "Aino, 040 123 4567")
            for r in [
                try await other.get("/api/reachout/plans/\(aino)"), try await other.json(.put, "/api/reachout/plans/\(aino)", Self.body(valid)),
                try await other.json(.post, "/api/reachout/plans/\(aino)/end", nil),
                try await other.json(.post, "/api/reachout/plans/\(aino)/outcomes", #"{"outcome":"reached"}"#),
                try await other.json(.post, "/api/reachout/plans/\(aino)/chat", nil), try await other.get("/api/reachout/plans/not-a-uuid"),
            ] {
                Self.refused(r, .notFound, "not_found")
            }
            #expect(Self.array(try await other.get("/api/reachout/plans")).isEmpty)
            #expect((Self.object(try await other.get("/api/reachout/today"))["contacts"] as? [Any])?.isEmpty == true)
            // Not signed in.
            #expect(try await Browser(client).get("/api/reachout/plans").status == .unauthorized)
        }
    }

    @Test func todaysListAndOutcomesARetryWithTheSameIdIsStoredOnce() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            let today = Self.object(try await worker.get("/api/reachout/today"))
            #expect(today["day"] as? String == "2026-11-24")
            let contacts = try #require(today["contacts"] as? [[String: Any]])
            // Matti at 10.00, then Aino now; yhteydenpito is not due on a Tuesday.
            #expect(contacts.map { $0["name"] as? String } == ["Matti, 050 765 4321", "Aino, 040 123 4567"])
            #expect(contacts.map { $0["time"] as? String } == ["10:00", "12:00"])
            #expect(contacts.allSatisfy { $0["state"] as? String == "open" && $0["covering"] as? Bool == false && $0["escalated"] as? Bool == false })
            // Matti's last time: no answer on Sunday; Aino has no last time (left out).
            #expect((contacts[0]["last"] as? [String: Any])?["outcome"] as? String == "no_answer")
            #expect((contacts[0]["last"] as? [String: Any])?["day"] as? String == "2026-11-22" && contacts[1]["last"] == nil)
            let matti = try #require(contacts[0]["plan"] as? String)
            let aino = try #require(contacts[1]["plan"] as? String)
            // Another day's list: Wednesday has yhteydenpito at 13.00 too.
            let wednesday = Self.object(try await worker.get("/api/reachout/today?day=2026-11-25"))
            #expect((wednesday["contacts"] as? [[String: Any]])?.map { $0["time"] as? String } == ["10:00", "12:00", "13:00"])
            // A day is YYYY-MM-DD in digits, of a year 1970–9998 (a week of 0001 went back into 1 BC, one of 9999 on to 10000).
            for day in ["25.11.2026", "%2B202-11-24", "0001-01-01", "1969-12-31", "9999-12-31"] {
                Self.refused(try await worker.get("/api/reachout/today?day=\(day)"), .badRequest, "bad_days", "\(day)")
                Self.refused(try await worker.get("/api/reachout/calendar?day=\(day)"), .badRequest, "bad_days", "\(day)")
            }
            #expect(try await worker.get("/api/reachout/calendar?day=9998-12-31").status == .ok)

            // No answer, retried with the same id: stored once.
            let id = UUID().uuidString.lowercased()
            let first = try await worker.json(
                .post, "/api/reachout/plans/\(aino)/outcomes", Self.body(["id": id, "outcome": "no_answer", "note": "Soitan uudelleen."]))
            #expect(first.status == .created, "\(first.text)")
            let outcome = Self.object(first)
            #expect(outcome["id"] as? String == id && outcome["day"] as? String == "2026-11-24" && outcome["referral"] == nil)
            app.clock.advance(by: 30)
            let retry = try await worker.json(
                .post, "/api/reachout/plans/\(aino)/outcomes", Self.body(["id": id, "outcome": "no_answer", "note": "Soitan uudelleen."]))
            #expect(retry.status == .created && Self.object(retry)["atMs"] as? Int == outcome["atMs"] as? Int)
            let history = try #require(Self.object(try await worker.get("/api/reachout/plans/\(aino)"))["history"] as? [[String: Any]])
            #expect(history.count == 1 && history[0]["note"] as? String == "Soitan uudelleen.")
            // Its id for another plan's outcome is refused.
            Self.refused(
                try await worker.json(.post, "/api/reachout/plans/\(matti)/outcomes", Self.body(["id": id, "outcome": "reached"])), .badRequest,
                "bad_outcome")
            var row = try #require((Self.object(try await worker.get("/api/reachout/today"))["contacts"] as? [[String: Any]])?.last)
            #expect(row["state"] as? String == "try_again" && (row["outcomes"] as? [Any])?.count == 1)

            // Mistakes.
            let card = try await Self.referralCard(app)
            for (fields, code) in [
                (["outcome": "maybe"], "bad_outcome"), (["outcome": "reached", "id": "not-a-uuid"], "bad_outcome"),
                (["outcome": "referral"], "bad_referral"), (["outcome": "referral", "referral": UUID().uuidString], "bad_referral"),
                (["outcome": "reached", "referral": "x"], "bad_referral"), (["outcome": "reached", "day": "2026-11-25"], "bad_day"),
                (["outcome": "reached", "day": "2026-11-10"], "bad_day"), (["outcome": "reached", "day": "huomenna"], "bad_day"),
                (["outcome": "reached", "day": "2026-11-20"], "bad_day"), (["outcome": "reached", "note": "kello\u{7}"], "bad_note"),
                (["outcome": "reached", "note": String(repeating: "a", count: 1001)], "bad_note"),
            ] as [([String: String], String)] {
                Self.refused(try await worker.json(.post, "/api/reachout/plans/\(matti)/outcomes", Self.body(fields)), .badRequest, code, "\(fields)")
            }
            Self.refused(try await worker.json(.post, "/api/reachout/plans/\(matti)/outcomes", #"{"note":"x"}"#), .badRequest, "bad_json")

            // A referral names one of the organisation's cards.
            let cards = Self.array(try await worker.get("/api/reachout/referrals"))
            #expect(cards.contains { $0["id"] as? String == card && $0["title"] as? String == "Ruoka-apu" && $0["language"] as? String == "fi" })
            let referral = try await worker.json(
                .post, "/api/reachout/plans/\(aino)/outcomes", Self.body(["outcome": "referral", "referral": card]))
            #expect(referral.status == .created && Self.object(referral)["referral"] as? String == card)
            row = try #require((Self.object(try await worker.get("/api/reachout/today"))["contacts"] as? [[String: Any]])?.last)
            #expect(row["state"] as? String == "reached" && (row["outcomes"] as? [Any])?.count == 2)
            // Reached on Monday after all, logged late: a past day of the last week.
            let late = try await worker.json(.post, "/api/reachout/plans/\(matti)/outcomes", Self.body(["outcome": "reached", "day": "2026-11-23"]))
            #expect(late.status == .created && Self.object(late)["day"] as? String == "2026-11-23")

            // Declined (on Monday, logged today): the plan ends that day, it is off today's list, and nothing is logged after it.
            let declined = try await worker.json(
                .post, "/api/reachout/plans/\(matti)/outcomes", Self.body(["outcome": "declined", "day": "2026-11-23", "note": "Ei halua enää."]))
            #expect(declined.status == .created)
            let plan = try #require(Self.object(try await worker.get("/api/reachout/plans/\(matti)"))["plan"] as? [String: Any])
            #expect(plan["endedOn"] as? String == "2026-11-23")
            #expect(
                (Self.object(try await worker.get("/api/reachout/today"))["contacts"] as? [[String: Any]])?.map { $0["plan"] as? String } == [aino])
            Self.refused(try await worker.json(.post, "/api/reachout/plans/\(matti)/outcomes", #"{"outcome":"reached"}"#), .conflict, "plan_ended")
            // Aino declines today: ended today, still on today's list as reached.
            _ = try await worker.json(.post, "/api/reachout/plans/\(aino)/outcomes", #"{"outcome":"declined"}"#)
            let ainoPlan = try #require(Self.object(try await worker.get("/api/reachout/plans/\(aino)"))["plan"] as? [String: Any])
            #expect(ainoPlan["endedOn"] as? String == "2026-11-24")
            #expect((Self.object(try await worker.get("/api/reachout/today?day=2026-11-25"))["contacts"] as? [[String: Any]])?.count == 1)
        }
    }

    /// A referral card of one of worker1's organisation's services.
    static func referralCard(_ app: Kohtaamo) async throws -> String {
        let worker = try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid"))
        let service = try #require(try await app.network.directory.services(organisation: worker.organisationID).first)
        let card = TextCard(owner: service.id, language: "fi", title: "Ruoka-apu", body: "Kerhon ruoka-apu torstaisin.")
        try await app.network.referrals.save(card, at: 0)
        return card.id.uuidString.lowercased()
    }

    @Test func theCoordinatorSeesEscalationsClosesThemOnceAndReadsTheFigures() async throws {
        try await withApp { app, client in
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            // The figures first, before anything is logged: Matti's Saturday was reached,
            // Sunday tried and missed, Monday missed; today is not missed yet.
            let figures = try await coordinator.get("/api/reachout/figures?weeks=2")
            #expect(figures.status == .ok, "\(figures.text)")
            let weeks = Self.array(figures)
            #expect(weeks.map { $0["week"] as? String } == ["2026-11-16", "2026-11-23"])
            #expect(
                weeks.map { [$0["planned"], $0["made"], $0["reached"], $0["missed"], $0["escalated"]].map { $0 as? Int } } == [
                    [2, 2, 1, 1, 1], [3, 0, 0, 1, 1],
                ])
            #expect(Self.array(try await coordinator.get("/api/reachout/figures")).count == 8)
            for bad in ["0", "54", "kaksi"] { Self.refused(try await coordinator.get("/api/reachout/figures?weeks=\(bad)"), .badRequest, "bad_days") }
            Self.refused(try await worker.get("/api/reachout/figures"), .forbidden, "forbidden")

            // Matti's Sunday and Monday, the second in red (repeated), each with the plan's history.
            let list = Self.array(try await coordinator.get("/api/reachout/escalations"))
            #expect(list.map { $0["day"] as? String } == ["2026-11-22", "2026-11-23"])
            #expect(list.map { $0["repeated"] as? Bool } == [false, true] && list.allSatisfy { $0["open"] as? Bool == true })
            #expect(list.allSatisfy { $0["name"] as? String == "Matti, 050 765 4321" && $0["closedMs"] == nil && $0["closingNote"] == nil })
            #expect((list[0]["history"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["no_answer", "reached"])
            Self.refused(try await worker.get("/api/reachout/escalations"), .forbidden, "forbidden")
            let first = try #require(list[0]["id"] as? String)

            Self.refused(try await coordinator.json(.post, "/api/reachout/escalations/\(first)/close", #"{"note":"  "}"#), .badRequest, "bad_note")
            Self.refused(try await coordinator.json(.post, "/api/reachout/escalations/\(first)/close", "{}"), .badRequest, "bad_json")
            Self.refused(try await worker.json(.post, "/api/reachout/escalations/\(first)/close", #"{"note":"Soitin."}"#), .forbidden, "forbidden")
            let closed = try await coordinator.json(.post, "/api/reachout/escalations/\(first)/close", #"{"note":"Soitin itse, kaikki hyvin."}"#)
            #expect(closed.status == .ok, "\(closed.text)")
            let item = Self.object(closed)
            #expect(item["open"] as? Bool == false && item["closingNote"] as? String == "Soitin itse, kaikki hyvin." && item["closedMs"] is Int)
            Self.refused(
                try await coordinator.json(.post, "/api/reachout/escalations/\(first)/close", #"{"note":"Uudestaan."}"#), .conflict,
                "escalation_closed")
            Self.refused(
                try await coordinator.json(.post, "/api/reachout/escalations/\(UUID().uuidString)/close", #"{"note":"x"}"#), .notFound, "not_found")
            // The network coordinator (of the same organisation) sees them too.
            let network = try await Self.staff(client, "network@demo.invalid")
            #expect(Self.array(try await network.get("/api/reachout/escalations")).count == 2)
            // Open ones first; the closed one stays below for a week.
            let again = Self.array(try await coordinator.get("/api/reachout/escalations"))
            #expect(again.map { $0["open"] as? Bool } == [true, false] && again.last?["id"] as? String == first)

            // At 16.00 the contacts of today not reached escalate: Aino (no answer only) and Matti (repeated).
            let aino = try await Self.planID(worker, "Aino, 040 123 4567")
            _ = try await worker.json(.post, "/api/reachout/plans/\(aino)/outcomes", #"{"outcome":"no_answer"}"#)
            app.clock.advance(by: 4 * 3600 + 60)
            let later = Self.array(try await coordinator.get("/api/reachout/escalations")).filter { $0["day"] as? String == "2026-11-24" }
            #expect(Set(later.compactMap { $0["name"] as? String }) == ["Aino, 040 123 4567", "Matti, 050 765 4321"])
            #expect(later.first { $0["name"] as? String == "Matti, 050 765 4321" }?["repeated"] as? Bool == true)
            #expect(later.first { $0["name"] as? String == "Aino, 040 123 4567" }?["repeated"] as? Bool == false)
            let today = try #require(Self.object(try await worker.get("/api/reachout/today"))["contacts"] as? [[String: Any]])
            #expect(today.allSatisfy { $0["escalated"] as? Bool == true })
            #expect(Self.array(try await coordinator.get("/api/reachout/figures?weeks=1")).first?["escalated"] as? Int == 3)
        }
    }

    @Test func anAbsenceGivesTheContactsToTheBackupAndTheCalendarShowsIt() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            // The demo's backup of worker1's plans: their coordinator.
            let backup = try await Self.staff(client, "coordinator@demo.invalid")
            let me = try await Self.staffID(app, "worker1@demo.invalid")
            let anni = try await Self.staffID(app, "coordinator@demo.invalid")
            #expect((Self.object(try await backup.get("/api/reachout/today"))["contacts"] as? [Any])?.isEmpty == true)

            let made = try await worker.json(.post, "/api/reachout/absences", #"{"from":"2026-11-24","to":"2026-11-25"}"#)
            #expect(made.status == .created, "\(made.text)")
            let absence = Self.object(made)
            #expect(absence["staff"] as? String == me && absence["from"] as? String == "2026-11-24" && absence["to"] as? String == "2026-11-25")
            let id = try #require(absence["id"] as? String)
            // The backup makes worker1's contacts today.
            let covered = try #require(Self.object(try await backup.get("/api/reachout/today"))["contacts"] as? [[String: Any]])
            #expect(covered.map { $0["name"] as? String } == ["Matti, 050 765 4321", "Aino, 040 123 4567"])
            #expect(covered.allSatisfy { $0["covering"] as? Bool == true && $0["worker"] as? String == anni })
            #expect((Self.object(try await worker.get("/api/reachout/today"))["contacts"] as? [Any])?.isEmpty == true)
            #expect(Self.array(try await worker.get("/api/reachout/absences")).map { $0["id"] as? String } == [id])
            #expect(Self.array(try await worker.get("/api/reachout/absences?from=2026-11-26&to=2026-12-31")).isEmpty)
            Self.refused(try await worker.get("/api/reachout/absences?from=2026-11-26&to=2026-11-01"), .badRequest, "bad_days")
            Self.refused(try await worker.get("/api/reachout/absences?from=2026-01-01&to=2027-12-31"), .badRequest, "bad_days")

            // The week: Monday to Sunday, worker1 away Tuesday and Wednesday, their contacts with the backup.
            let week = Self.array(try await worker.get("/api/reachout/calendar?day=2026-11-26&worker=\(me)"))
            #expect(week.map { $0["day"] as? String } == (23...29).map { "2026-11-\($0)" })
            #expect(week.map { ($0["away"] as? [String]) == [me] } == [false, true, true, false, false, false, false])
            #expect(week.allSatisfy { $0["holiday"] == nil })
            #expect((week[1]["contacts"] as? [Any])?.isEmpty == true && (week[3]["contacts"] as? [Any])?.count == 2)
            // Friday: Matti, Aino, and yhteydenpito at 13.00.
            #expect((week[4]["contacts"] as? [[String: Any]])?.map { $0["time"] as? String } == ["10:00", "12:00", "13:00"])
            let theirs = Self.array(try await worker.get("/api/reachout/calendar?day=2026-11-24&worker=\(anni)"))
            #expect((theirs[1]["contacts"] as? [[String: Any]])?.allSatisfy { $0["covering"] as? Bool == true } == true)
            #expect((theirs[1]["contacts"] as? [Any])?.count == 2 && (theirs[1]["away"] as? [Any])?.isEmpty == true)
            let team = Self.array(try await worker.get("/api/reachout/calendar?day=2026-11-24"))
            #expect((team[1]["contacts"] as? [Any])?.count == 2 && (team[1]["away"] as? [String]) == [me])
            // Christmas week names its holidays.
            let christmas = Self.array(try await worker.get("/api/reachout/calendar?day=2026-12-24"))
            #expect(christmas.map { $0["holiday"] as? String } == [nil, nil, nil, "christmas_eve", "christmas", "boxing_day", nil])
            Self.refused(try await worker.get("/api/reachout/calendar?day=2026-02-30"), .badRequest, "bad_days")
            Self.refused(try await worker.get("/api/reachout/calendar?worker=jokainen"), .badRequest, "bad_worker")

            // Only a coordinator marks or deletes someone else's absence.
            Self.refused(
                try await worker.json(.post, "/api/reachout/absences", #"{"staff":"\#(anni)","from":"2026-11-30"}"#), .forbidden, "not_coordinator")
            let own = try await backup.json(.post, "/api/reachout/absences", #"{"from":"2026-12-01"}"#)
            #expect(own.status == .created && Self.object(own)["to"] as? String == "2026-12-01" && Self.object(own)["staff"] as? String == anni)
            let mark = try #require(Self.object(own)["id"] as? String)
            Self.refused(try await worker.json(.delete, "/api/reachout/absences/\(mark)", nil), .forbidden, "not_coordinator")
            let marked = try await backup.json(.post, "/api/reachout/absences", #"{"staff":"\#(me)","from":"2026-12-02","to":null}"#)
            #expect(marked.status == .created && Self.object(marked)["staff"] as? String == me)
            let elsewhere = try await Self.staffID(app, "worker2@demo.invalid")
            Self.refused(
                try await backup.json(.post, "/api/reachout/absences", #"{"staff":"\#(elsewhere)","from":"2026-12-01"}"#), .badRequest, "bad_worker")
            Self.refused(try await backup.json(.post, "/api/reachout/absences", #"{"staff":"x","from":"2026-12-01"}"#), .badRequest, "bad_worker")
            for body in [
                #"{"from":"2026-11-30","to":"2026-11-29"}"#, #"{"from":"2026-11-01"}"#, #"{"from":"30.11.2026"}"#,
                #"{"from":"2026-11-30","to":"2027-12-01"}"#,
                #"{"from":"2028-01-01"}"#,
            ] {
                Self.refused(try await worker.json(.post, "/api/reachout/absences", body), .badRequest, "bad_absence", "\(body)")
            }
            Self.refused(try await worker.json(.post, "/api/reachout/absences", #"{"to":"2026-11-30"}"#), .badRequest, "bad_json")

            // Deleted: the contacts are worker1's again.
            #expect(try await worker.json(.delete, "/api/reachout/absences/\(id)", nil).status == .noContent)
            Self.refused(try await worker.json(.delete, "/api/reachout/absences/\(id)", nil), .notFound, "not_found")
            #expect((Self.object(try await worker.get("/api/reachout/today"))["contacts"] as? [Any])?.count == 2)
            #expect((Self.object(try await backup.get("/api/reachout/today"))["contacts"] as? [Any])?.isEmpty == true)
            // Another organisation's worker finds none of the absences.
            let other = try await Self.staff(client, "worker2@demo.invalid")
            Self.refused(try await other.json(.delete, "/api/reachout/absences/\(mark)", nil), .notFound, "not_found")
            #expect(Self.array(try await other.get("/api/reachout/absences?from=2026-11-24&to=2026-12-31")).isEmpty)
            #expect(Self.array(try await worker.get("/api/reachout/absences?from=2026-11-24&to=2026-12-31")).count == 2)
        }
    }

    @Test func theRegisteredClientSeesWhoContactsThemChatsAndDeclines() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            let member = Browser(client, language: "en")
            #expect(try await member.post("/account/signin", [("nickname", "yhteydenpito"), ("password", demoPassword)]).status == .seeOther)

            let mine = Self.array(try await member.get("/api/my/reachout"))
            #expect(mine.count == 1)
            let plan = try #require(mine.first)
            #expect(plan["worker"] as? String == "Työntekijä 1" && plan["rhythm"] as? String == "weekdays:1,3,5")
            #expect(plan["time"] as? String == "13:00" && plan["channel"] as? String == "chat" && plan["conversation"] == nil)
            // Never the workers' label or note.
            #expect(Set(plan.keys) == ["id", "worker", "rhythm", "time", "channel"])
            #expect(!(try await member.get("/api/my/reachout")).text.contains("Kerhon jäsen"))
            let id = try #require(plan["id"] as? String)

            // The worker opens the chat: the member, worker1 and the backup are in it.
            let opened = try await worker.json(.post, "/api/reachout/plans/\(id)/chat", nil)
            #expect(opened.status == .ok, "\(opened.text)")
            let conversation = try #require((Self.object(opened)["conversation"] as? String).flatMap(UUID.init(uuidString:)))
            let people = try await app.realtime.participants(conversation)
            let memberID = try #require(try await app.reachout.service.members.member(nickname: "yhteydenpito")).id
            #expect(people.contains { $0.identity == .client(memberID) && $0.sender.name == "yhteydenpito" && $0.canSend })
            #expect(Set(people.compactMap { $0.sender.role == .client ? nil : $0.sender.name }) == ["Työntekijä 1", "Koordinaattori Anni"])
            // Once made, the same conversation.
            let reopened = Self.object(try await worker.json(.post, "/api/reachout/plans/\(id)/chat", nil))
            #expect(reopened["conversation"] as? String == conversation.uuidString.lowercased())
            #expect(Self.array(try await member.get("/api/my/reachout")).first?["conversation"] as? String == conversation.uuidString.lowercased())
            // The member reads the thread as a participant.
            #expect(try await member.get("/api/conversations/\(conversation.uuidString)/messages").status == .ok)
            // A person known by label only has no chat.
            let aino = try await Self.planID(worker, "Aino, 040 123 4567")
            Self.refused(try await worker.json(.post, "/api/reachout/plans/\(aino)/chat", nil), .badRequest, "no_member")

            // Not theirs, or not a plan: not found. Then they decline theirs, once.
            Self.refused(try await member.json(.post, "/api/my/reachout/\(aino)/decline", nil), .notFound, "not_found")
            Self.refused(try await member.json(.post, "/api/my/reachout/nothing/decline", nil), .notFound, "not_found")
            #expect(try await member.json(.post, "/api/my/reachout/\(id)/decline", nil).status == .noContent)
            Self.refused(try await member.json(.post, "/api/my/reachout/\(id)/decline", nil), .conflict, "plan_ended")
            #expect(Self.array(try await member.get("/api/my/reachout")).isEmpty)
            let ended = Self.object(try await worker.get("/api/reachout/plans/\(id)"))
            #expect((ended["plan"] as? [String: Any])?["endedOn"] as? String == "2026-11-24")
            #expect((ended["history"] as? [[String: Any]])?.first?["outcome"] as? String == "declined")
            // A plan moved to another registered client does not take the chat with the first one along.
            let second = Browser(client, language: "en")
            let signedUp = try await second.post(
                "/account/new", [("nickname", "Toinen Jäsen"), ("password", "salasana-123"), ("repeat", "salasana-123"), ("email", "")])
            #expect(signedUp.status == .seeOther)
            let moved = Self.object(
                try await worker.json(
                    .post, "/api/reachout/plans", Self.body(["nickname": "yhteydenpito", "rhythm": "daily", "time": "15:00", "channel": "chat"])))
            let movedID = try #require(moved["id"] as? String)
            let firstChat = try #require(
                Self.object(try await worker.json(.post, "/api/reachout/plans/\(movedID)/chat", nil))["conversation"] as? String)
            let edited = try await worker.json(
                .put, "/api/reachout/plans/\(movedID)",
                Self.body(["nickname": "Toinen Jäsen", "rhythm": "daily", "time": "15:00", "channel": "chat"]))
            #expect(edited.status == .ok && Self.object(edited)["name"] as? String == "Toinen Jäsen" && Self.object(edited)["conversation"] == nil)
            let secondChat = try #require(
                (Self.object(try await worker.json(.post, "/api/reachout/plans/\(movedID)/chat", nil))["conversation"] as? String)
                    .flatMap(UUID.init(uuidString:)))
            #expect(secondChat.uuidString.lowercased() != firstChat)
            let secondID = try #require(try await app.reachout.service.members.member(nickname: "Toinen Jäsen")).id
            let seated = try await app.realtime.participants(secondChat).map(\.identity)
            #expect(seated.contains(.client(secondID)) && !seated.contains(.client(memberID)))
            #expect(Self.array(try await second.get("/api/my/reachout")).first?["conversation"] as? String == secondChat.uuidString.lowercased())
            #expect(Self.array(try await member.get("/api/my/reachout")).isEmpty)

            // Staff and no one else: the member's routes need the member's sign-in.
            #expect(try await worker.get("/api/my/reachout").status == .unauthorized)
            #expect(try await Browser(client).json(.post, "/api/my/reachout/\(id)/decline", nil).status == .unauthorized)
        }
    }

    /// Every route of reach-out's JSON API is in docs/openapi.yaml, under the Reachout tag.
    @Test func everyRouteIsDescribed() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        try await withApp(demo: false) { app, _ in
            let routes = app.router().routes.filter { "\($0.path)".hasPrefix("/api/reachout") || "\($0.path)".hasPrefix("/api/my/reachout") }
            #expect(routes.count == 19)
            for route in routes {
                let full = "\(route.path)"
                let path = full.count > 1 && full.hasSuffix("/") ? String(full.dropLast()) : full
                guard let start = text.range(of: "\n  \(path):\n") else {
                    Issue.record("\(path) is not in docs/openapi.yaml")
                    continue
                }
                let rest = text[text.index(before: start.upperBound)...]
                let block = rest[..<(rest.range(of: "\n  /")?.lowerBound ?? rest.endIndex)]
                let method = route.method.rawValue.lowercased()
                #expect(block.contains("\n    \(method):\n"), "\(route.method) \(path) is not described")
                #expect(block.contains("tags: [Reachout]"), "\(path) is not under the Reachout tag")
            }
        }
    }
}
