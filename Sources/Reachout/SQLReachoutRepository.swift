import Crypto
import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `ReachoutRepository` in SQL (SQLKit): the same statements on SQLite and PostgreSQL.
package struct SQLReachoutRepository: ReachoutRepository {
    package let storage: Storage
    package let sealer: Sealer
    package init(storage: Storage, sealer: Sealer) {
        (self.storage, self.sealer) = (storage, sealer)
    }

    /// Data keys `kohtaamo rotate-key` re-wraps.
    package static let wrappedKeys = [
        WrappedKeyTable(table: "reachout_plans", wrappedColumn: "wrapped_key", idColumns: ["id"]),
        WrappedKeyTable(table: "reachout_outcomes", wrappedColumn: "wrapped_key", idColumns: ["id"]),
        WrappedKeyTable(table: "reachout_escalations", wrappedColumn: "wrapped_key", idColumns: ["id"]),
    ]
    private var sql: any SQLDatabase { storage.sql }

    // MARK: sealing, a data key per row

    private func seal(_ text: String, row id: UUID) throws -> [SQLBind] {
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        return [SQLBind(try sealer.seal(text, key: key, conversation: id, seq: 0)), SQLBind(wrapped), SQLBind(masterKeyID)]
    }

    private func open(_ row: any SQLRow, column: String, id: UUID) throws -> String {
        let key = try sealer.unwrap(try row.decode(column: "wrapped_key", as: Data.self))
        return try sealer.open(try row.decode(column: column, as: Data.self), key: key, conversation: id, seq: 0)
    }

    // MARK: plans

    /// What is sealed of a plan.
    private struct SealedPlan: Codable {
        var label: String
        var note: String
    }

    private static let planColumns = [
        "id", "organisation_id", "member_id", "rhythm", "starts", "until", "minute", "escalation_minute", "channel", "owner_id", "backup_id",
        "skip_holidays", "ended_on", "conversation_id", "created_ms", "content_sealed", "wrapped_key", "master_key_id",
    ]

    private func binds(_ p: ContactPlan) throws -> [SQLBind] {
        let json = String(decoding: try JSONEncoder().encode(SealedPlan(label: p.label, note: p.note)), as: UTF8.self)
        return [
            SQLBind(p.id), SQLBind(p.organisation), SQLBind(p.member), SQLBind(p.rhythm.text), SQLBind(p.starts.description),
            SQLBind(p.until?.description), SQLBind(p.minute), SQLBind(p.escalationMinute), SQLBind(p.channel.rawValue), SQLBind(p.owner),
            SQLBind(p.backup), SQLBind(p.skipHolidays), SQLBind(p.endedOn?.description), SQLBind(p.conversation), SQLBind(p.createdMs),
        ] + (try seal(json, row: p.id))
    }

    private func plan(_ row: any SQLRow) throws -> ContactPlan {
        let id = try row.decode(column: "id", as: UUID.self)
        let sealed = try JSONDecoder().decode(SealedPlan.self, from: Data(try open(row, column: "content_sealed", id: id).utf8))
        func day(_ column: String) throws -> HelsinkiDay? { try row.decode(column: column, as: String?.self).flatMap(HelsinkiDay.init) }
        guard let rhythm = Rhythm(text: try row.decode(column: "rhythm", as: String.self)), let starts = try day("starts"),
            let channel = ContactChannel(rawValue: try row.decode(column: "channel", as: String.self))
        else { throw UnreadableRow(what: "reachout plan \(id) is unreadable") }
        return ContactPlan(
            id: id, organisation: try row.decode(column: "organisation_id", as: UUID.self),
            member: try row.decode(column: "member_id", as: UUID?.self),
            label: sealed.label, note: sealed.note, rhythm: rhythm, starts: starts, until: try day("until"),
            minute: try row.decode(column: "minute", as: Int.self), escalationMinute: try row.decode(column: "escalation_minute", as: Int.self),
            channel: channel, owner: try row.decode(column: "owner_id", as: UUID.self), backup: try row.decode(column: "backup_id", as: UUID?.self),
            skipHolidays: try row.decode(column: "skip_holidays", as: Bool.self), endedOn: try day("ended_on"),
            conversation: try row.decode(column: "conversation_id", as: UUID?.self), createdMs: try row.decode(column: "created_ms", as: Int64.self))
    }

    package func plan(id: UUID) async throws -> ContactPlan? {
        try await sql.select().columns(Self.planColumns).from("reachout_plans").where("id", .equal, id).first().map(plan)
    }

    package func plans(organisation: UUID) async throws -> [ContactPlan] {
        try await sql.select().columns(Self.planColumns).from("reachout_plans").where("organisation_id", .equal, organisation)
            .orderBy("created_ms").all().map(plan)
    }

    package func plans(member: UUID) async throws -> [ContactPlan] {
        try await sql.select().columns(Self.planColumns).from("reachout_plans").where("member_id", .equal, member)
            .orderBy("created_ms").all().map(plan)
    }

    package func organisationsWithActivePlans() async throws -> [UUID] {
        try await sql.select().distinct().column("organisation_id").from("reachout_plans").where("ended_on", .is, SQLLiteral.null).all()
            .map { try $0.decode(column: "organisation_id", as: UUID.self) }
    }

    package func addPlan(_ p: ContactPlan) async throws {
        let row = try binds(p)
        try await storage.writeSQL { sql in try await sql.insert(into: "reachout_plans").columns(Self.planColumns).values(row).run() }
    }

    package func savePlan(_ p: ContactPlan) async throws {
        let b = try binds(p)
        try await storage.writeSQL { sql in
            var update = sql.update("reachout_plans")
            for (column, value) in zip(Self.planColumns, b).dropFirst() { update = update.set(SQLIdentifier(column), to: value) }
            try await update.where("id", .equal, p.id).run()
        }
    }

    package func forget(member: UUID, endedOn day: HelsinkiDay) async throws {
        let plans = try await plans(member: member)
        var changed: [[SQLBind]] = []
        for var p in plans {
            (p.member, p.label, p.note, p.conversation) = (nil, "", "", nil)
            if p.endedOn == nil { p.endedOn = day }
            changed.append(try binds(p))
        }
        let rows = changed
        let outcomes = try await outcomes(plans: plans.map(\.id), from: HelsinkiDay(year: 1970, month: 1, day: 1), to: day.adding(days: 1))
        let blanked = try outcomes.map { o in (o.id, try seal("", row: o.id)) }
        try await storage.writeSQL { sql in
            for b in rows {
                var update = sql.update("reachout_plans")
                for (column, value) in zip(Self.planColumns, b).dropFirst() { update = update.set(SQLIdentifier(column), to: value) }
                try await update.where("id", .equal, b[0]).run()
            }
            for (id, s) in blanked {
                try await sql.update("reachout_outcomes").set("note_sealed", to: s[0]).set("wrapped_key", to: s[1]).set("master_key_id", to: s[2])
                    .where("id", .equal, id).run()
            }
        }
    }

    // MARK: outcomes

    private static let outcomeColumns = [
        "id", "plan_id", "day", "kind", "referral_id", "by_id", "at_ms", "note_sealed", "wrapped_key", "master_key_id",
    ]

    private func outcome(_ row: any SQLRow) throws -> ContactOutcome {
        let id = try row.decode(column: "id", as: UUID.self)
        guard let day = HelsinkiDay(try row.decode(column: "day", as: String.self)),
            let kind = OutcomeKind(rawValue: try row.decode(column: "kind", as: String.self))
        else { throw UnreadableRow(what: "reachout outcome \(id) is unreadable") }
        return ContactOutcome(
            id: id, plan: try row.decode(column: "plan_id", as: UUID.self), day: day, kind: kind,
            referral: try row.decode(column: "referral_id", as: UUID?.self), note: try open(row, column: "note_sealed", id: id),
            by: try row.decode(column: "by_id", as: UUID.self), atMs: try row.decode(column: "at_ms", as: Int64.self))
    }

    private func binds(_ o: ContactOutcome) throws -> [SQLBind] {
        [
            SQLBind(o.id), SQLBind(o.plan), SQLBind(o.day.description), SQLBind(o.kind.rawValue), SQLBind(o.referral), SQLBind(o.by),
            SQLBind(o.atMs),
        ] + (try seal(o.note, row: o.id))
    }

    package func addOutcome(_ o: ContactOutcome) async throws -> ContactOutcome {
        let row = try binds(o)
        try await storage.writeSQL { sql in
            try await sql.insert(into: "reachout_outcomes").columns(Self.outcomeColumns).values(row).ignoringConflicts(with: ["id"]).run()
        }
        guard let stored = try await sql.select().columns(Self.outcomeColumns).from("reachout_outcomes").where("id", .equal, o.id).first() else {
            throw UnreadableRow(what: "reachout outcome \(o.id) was not stored")
        }
        return try outcome(stored)
    }

    package func outcomes(plans: [UUID], from: HelsinkiDay, to: HelsinkiDay) async throws -> [ContactOutcome] {
        guard !plans.isEmpty else { return [] }
        return try await sql.select().columns(Self.outcomeColumns).from("reachout_outcomes")
            .where("plan_id", .in, SQLGroupExpression(SQLList(plans.map { SQLBind($0) })))
            .where("day", .greaterThanOrEqual, from.description).where("day", .lessThanOrEqual, to.description)
            .orderBy("at_ms").all().map(outcome)
    }

    package func latestOutcomes(plans: [UUID], before day: HelsinkiDay) async throws -> [UUID: ContactOutcome] {
        guard !plans.isEmpty else { return [:] }
        // One row a plan (two only if two outcomes share a millisecond), by the (plan_id, day) index.
        let query: SQLQueryString = """
            SELECT \(unsafeRaw: Self.outcomeColumns.map { "o." + $0 }.joined(separator: ", ")) FROM reachout_outcomes o
            WHERE o.plan_id IN (\(binds: plans)) AND o.day < \(bind: day.description)
            AND o.at_ms = (SELECT MAX(l.at_ms) FROM reachout_outcomes l WHERE l.plan_id = o.plan_id AND l.day < \(bind: day.description))
            """
        var out: [UUID: ContactOutcome] = [:]
        for o in try await sql.raw(query).all().map(outcome) where out[o.plan].map({ $0.id.uuidString < o.id.uuidString }) ?? true {
            out[o.plan] = o
        }
        return out
    }

    package func history(plan: UUID, limit: Int) async throws -> [ContactOutcome] {
        try await sql.select().columns(Self.outcomeColumns).from("reachout_outcomes").where("plan_id", .equal, plan)
            .orderBy("at_ms", .descending).limit(limit).all().map(outcome)
    }

    package func outcomeMarks(plans: [UUID], from: HelsinkiDay, to: HelsinkiDay) async throws -> [OutcomeMark] {
        guard !plans.isEmpty else { return [] }
        let reached = OutcomeKind.allCases.filter(\.reachedPerson).map(\.rawValue)
        let query: SQLQueryString = """
            SELECT plan_id, day, MAX(CASE WHEN kind IN (\(binds: reached)) THEN 1 ELSE 0 END) AS reached FROM reachout_outcomes
            WHERE plan_id IN (\(binds: plans)) AND day >= \(bind: from.description) AND day <= \(bind: to.description)
            GROUP BY plan_id, day
            """
        return try await sql.raw(query).all().compactMap { row in
            guard let day = HelsinkiDay(try row.decode(column: "day", as: String.self)) else { return nil }
            return OutcomeMark(
                plan: try row.decode(column: "plan_id", as: UUID.self), day: day, reached: try row.decode(column: "reached", as: Int.self) == 1)
        }
    }

    package func addOutcomes(_ outcomes: [ContactOutcome]) async throws {
        let rows = try outcomes.map { try binds($0) }
        try await storage.writeSQL { sql in try await sql.insertRows(into: "reachout_outcomes", columns: Self.outcomeColumns, rows: rows) }
    }

    // MARK: absences

    package func addAbsence(_ a: Absence) async throws {
        try await storage.writeSQL { sql in
            try await sql.insert(into: "reachout_absences")
                .columns("id", "organisation_id", "staff_id", "from_day", "to_day", "created_by", "created_ms")
                .values(
                    SQLBind(a.id), SQLBind(a.organisation), SQLBind(a.staff), SQLBind(a.from.description), SQLBind(a.to.description),
                    SQLBind(a.createdBy), SQLBind(a.createdMs)
                ).run()
        }
    }

    package func absences(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [Absence] {
        try await sql.select().columns("id", "organisation_id", "staff_id", "from_day", "to_day", "created_by", "created_ms").from(
            "reachout_absences"
        )
        .where("organisation_id", .equal, organisation).where("to_day", .greaterThanOrEqual, from.description)
        .where("from_day", .lessThanOrEqual, to.description).orderBy("from_day").all()
        .compactMap { row in
            guard let from = HelsinkiDay(try row.decode(column: "from_day", as: String.self)),
                let to = HelsinkiDay(try row.decode(column: "to_day", as: String.self))
            else { return nil }
            return Absence(
                id: try row.decode(column: "id", as: UUID.self), organisation: try row.decode(column: "organisation_id", as: UUID.self),
                staff: try row.decode(column: "staff_id", as: UUID.self), from: from, to: to,
                createdBy: try row.decode(column: "created_by", as: UUID.self), createdMs: try row.decode(column: "created_ms", as: Int64.self))
        }
    }

    package func deleteAbsence(id: UUID, organisation: UUID) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "reachout_absences").where("id", .equal, id).where("organisation_id", .equal, organisation)
                .returning("id").all().count == 1
        }
    }

    // MARK: escalations

    private static let escalationColumns = [
        "id", "plan_id", "organisation_id", "day", "repeated", "created_ms", "closed_ms", "closed_by", "note_sealed", "wrapped_key", "master_key_id",
    ]

    private func escalation(_ row: any SQLRow) throws -> Escalation {
        let id = try row.decode(column: "id", as: UUID.self)
        guard let day = HelsinkiDay(try row.decode(column: "day", as: String.self)) else {
            throw UnreadableRow(what: "reachout escalation \(id) is unreadable")
        }
        return Escalation(
            id: id, plan: try row.decode(column: "plan_id", as: UUID.self), organisation: try row.decode(column: "organisation_id", as: UUID.self),
            day: day, repeated: try row.decode(column: "repeated", as: Bool.self), createdMs: try row.decode(column: "created_ms", as: Int64.self),
            closedMs: try row.decode(column: "closed_ms", as: Int64?.self), closedBy: try row.decode(column: "closed_by", as: UUID?.self),
            closingNote: try open(row, column: "note_sealed", id: id))
    }

    private func binds(_ e: Escalation) throws -> [SQLBind] {
        [
            SQLBind(e.id), SQLBind(e.plan), SQLBind(e.organisation), SQLBind(e.day.description), SQLBind(e.repeated), SQLBind(e.createdMs),
            SQLBind(e.closedMs), SQLBind(e.closedBy),
        ] + (try seal(e.closingNote, row: e.id))
    }

    package func addEscalation(_ e: Escalation) async throws -> Bool {
        let row = try binds(e)
        return try await storage.writeSQL { sql in
            try await sql.insert(into: "reachout_escalations").columns(Self.escalationColumns).values(row)
                .ignoringConflicts(with: ["plan_id", "day"]).returning("id").all().count == 1
        }
    }

    package func escalation(id: UUID) async throws -> Escalation? {
        try await sql.select().columns(Self.escalationColumns).from("reachout_escalations").where("id", .equal, id).first().map(escalation)
    }

    package func escalations(organisation: UUID, closedSinceMs: Int64) async throws -> [Escalation] {
        try await sql.select().columns(Self.escalationColumns).from("reachout_escalations").where("organisation_id", .equal, organisation)
            .where { $0.where("closed_ms", .is, SQLLiteral.null).orWhere("closed_ms", .greaterThanOrEqual, closedSinceMs) }
            .orderBy("day").orderBy("created_ms").all().map(escalation)
    }

    package func escalations(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [Escalation] {
        try await sql.select().columns(Self.escalationColumns).from("reachout_escalations").where("organisation_id", .equal, organisation)
            .where("day", .greaterThanOrEqual, from.description).where("day", .lessThanOrEqual, to.description).orderBy("day").all().map(escalation)
    }

    package func escalationDays(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [HelsinkiDay] {
        try await sql.select().column("day").from("reachout_escalations").where("organisation_id", .equal, organisation)
            .where("day", .greaterThanOrEqual, from.description).where("day", .lessThanOrEqual, to.description).all()
            .compactMap { HelsinkiDay(try $0.decode(column: "day", as: String.self)) }
    }

    /// Many escalations at once (a sampled stretch of activity), ids new.
    package func addEscalations(_ escalations: [Escalation]) async throws {
        let rows = try escalations.map { try binds($0) }
        try await storage.writeSQL { sql in try await sql.insertRows(into: "reachout_escalations", columns: Self.escalationColumns, rows: rows) }
    }

    package func closeEscalation(id: UUID, closedMs: Int64, by: UUID, note: String) async throws -> Bool {
        let s = try seal(note, row: id)
        return try await storage.writeSQL { sql in
            try await sql.update("reachout_escalations").set("closed_ms", to: closedMs).set("closed_by", to: by).set("note_sealed", to: s[0])
                .set("wrapped_key", to: s[1]).set("master_key_id", to: s[2]).where("id", .equal, id).where("closed_ms", .is, SQLLiteral.null)
                .returning("id").all().count == 1
        }
    }
}

/// A stored row the code cannot read back (a rhythm or a day it does not know).
struct UnreadableRow: Error, CustomStringConvertible {
    let what: String
    var description: String { what }
}
