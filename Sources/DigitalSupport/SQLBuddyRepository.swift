import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `BuddyRepository` in SQL (SQLKit): the same statements on SQLite and
/// PostgreSQL. Counting a try and assigning are single upserts, so two at
/// once cannot both insert.
package struct SQLBuddyRepository: BuddyRepository {
    package let storage: Storage
    package init(storage: Storage) { self.storage = storage }

    private var sql: any SQLDatabase { storage.sql }

    // MARK: the course

    private static let moduleColumns = ["id", "network_id", "position", "title", "body", "links", "quiz", "version", "updated_ms"]

    private static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }

    private static func module(_ row: any SQLRow) throws -> BuddyModule {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        return BuddyModule(
            id: try row.decode(column: "id", as: UUID.self), network: try row.decode(column: "network_id", as: UUID.self),
            position: try row.decode(column: "position", as: Int.self), title: try text("title"), text: try text("body"),
            links: try JSONDecoder().decode([BuddyLink].self, from: Data(try text("links").utf8)),
            quiz: try JSONDecoder().decode([BuddyQuestion].self, from: Data(try text("quiz").utf8)),
            version: try row.decode(column: "version", as: Int.self), updatedMs: try row.decode(column: "updated_ms", as: Int64.self))
    }

    package func modules(network: UUID) async throws -> [BuddyModule] {
        try await sql.select().columns(Self.moduleColumns).from("buddy_modules").where("network_id", .equal, network).orderBy("position").all()
            .map(Self.module)
    }

    package func module(id: UUID) async throws -> BuddyModule? {
        try await sql.select().columns(Self.moduleColumns).from("buddy_modules").where("id", .equal, id).first().map(Self.module)
    }

    package func saveCourse(network: UUID, _ modules: [BuddyModule]) async throws {
        let rows = try modules.map { m in
            [
                SQLBind(m.id), SQLBind(network), SQLBind(m.position), SQLBind(m.title), SQLBind(m.text), SQLBind(try Self.json(m.links)),
                SQLBind(try Self.json(m.quiz)), SQLBind(m.version), SQLBind(m.updatedMs),
            ]
        }
        let kept = modules.map(\.id)
        try await storage.writeSQL { sql in
            let old = try await sql.select().column("id").from("buddy_modules").where("network_id", .equal, network).all()
                .map { try $0.decode(column: "id", as: UUID.self) }
            let gone = old.filter { !kept.contains($0) }
            if !gone.isEmpty {
                try await sql.delete(from: "buddy_progress").where("module_id", .in, gone).run()
                try await sql.delete(from: "buddy_modules").where("id", .in, gone).run()
            }
            for (id, row) in zip(kept, rows) {
                if old.contains(id) {
                    var update = sql.update("buddy_modules")
                    for (column, value) in zip(Self.moduleColumns, row).dropFirst(2) { update = update.set(SQLIdentifier(column), to: value) }
                    try await update.where("id", .equal, id).where("network_id", .equal, network).run()
                } else {
                    try await sql.insert(into: "buddy_modules").columns(Self.moduleColumns).values(row).run()
                }
            }
        }
    }

    // MARK: progress and training

    package func progress(staff: UUID) async throws -> [BuddyProgress] {
        try await sql.select().columns("staff_id", "module_id", "attempts", "last_attempt_ms", "done_ms", "done_version").from("buddy_progress")
            .where("staff_id", .equal, staff).all()
            .map { row in
                BuddyProgress(
                    staff: staff, module: try row.decode(column: "module_id", as: UUID.self),
                    attempts: try row.decode(column: "attempts", as: Int.self),
                    lastAttemptMs: try row.decode(column: "last_attempt_ms", as: Int64.self),
                    doneMs: try row.decode(column: "done_ms", as: Int64?.self),
                    doneVersion: try row.decode(column: "done_version", as: Int?.self))
            }
    }

    package func recordAttempt(staff: UUID, module: UUID, passed: Bool, version: Int, nowMs: Int64) async throws {
        // A failed try after a pass keeps the pass: the module was done.
        let done: SQLQueryString =
            passed
            ? "done_ms = excluded.done_ms, done_version = excluded.done_version"
            : "done_ms = buddy_progress.done_ms, done_version = buddy_progress.done_version"
        let doneMs: Int64? = passed ? nowMs : nil, doneVersion: Int? = passed ? version : nil
        try await storage.writeSQL { sql in
            try await sql.raw(
                """
                INSERT INTO buddy_progress (staff_id, module_id, attempts, last_attempt_ms, done_ms, done_version)
                VALUES (\(bind: staff), \(bind: module), 1, \(bind: nowMs), \(bind: doneMs), \(bind: doneVersion))
                ON CONFLICT (staff_id, module_id) DO UPDATE SET attempts = buddy_progress.attempts + 1,
                last_attempt_ms = excluded.last_attempt_ms, \(done)
                """
            ).run()
        }
    }

    private static func training(_ row: any SQLRow) throws -> BuddyTraining {
        BuddyTraining(
            staff: try row.decode(column: "staff_id", as: UUID.self), network: try row.decode(column: "network_id", as: UUID.self),
            completedMs: try row.decode(column: "completed_ms", as: Int64.self))
    }

    package func training(staff: UUID) async throws -> BuddyTraining? {
        try await sql.select().columns("staff_id", "network_id", "completed_ms").from("buddy_trained").where("staff_id", .equal, staff).first()
            .map(Self.training)
    }

    package func trainings(staff: [UUID]) async throws -> [UUID: BuddyTraining] {
        guard !staff.isEmpty else { return [:] }
        let found = try await sql.select().columns("staff_id", "network_id", "completed_ms").from("buddy_trained").where("staff_id", .in, staff)
            .all().map(Self.training)
        return Dictionary(found.map { ($0.staff, $0) }, uniquingKeysWith: { a, _ in a })
    }

    package func markTrained(_ t: BuddyTraining) async throws {
        try await storage.writeSQL { sql in
            try await sql.raw(
                """
                INSERT INTO buddy_trained (staff_id, network_id, completed_ms) VALUES (\(bind: t.staff), \(bind: t.network), \(bind: t.completedMs))
                ON CONFLICT (staff_id) DO NOTHING
                """
            ).run()
        }
    }

    // MARK: assignments

    private static let assignmentColumns = ["id", "organisation_id", "buddy_id", "member_id", "assigned_by", "created_ms"]

    private static func assignment(_ row: any SQLRow) throws -> BuddyAssignment {
        BuddyAssignment(
            id: try row.decode(column: "id", as: UUID.self), organisation: try row.decode(column: "organisation_id", as: UUID.self),
            buddy: try row.decode(column: "buddy_id", as: UUID.self), member: try row.decode(column: "member_id", as: UUID.self),
            assignedBy: try row.decode(column: "assigned_by", as: UUID.self), createdMs: try row.decode(column: "created_ms", as: Int64.self))
    }

    package func assign(_ a: BuddyAssignment) async throws -> BuddyAssignment {
        try await storage.writeSQL { sql in
            try await sql.raw(
                """
                INSERT INTO buddy_assignments (id, organisation_id, buddy_id, member_id, assigned_by, created_ms)
                VALUES (\(bind: a.id), \(bind: a.organisation), \(bind: a.buddy), \(bind: a.member), \(bind: a.assignedBy), \(bind: a.createdMs))
                ON CONFLICT (buddy_id, member_id) DO NOTHING
                """
            ).run()
        }
        guard
            let stored = try await sql.select().columns(Self.assignmentColumns).from("buddy_assignments").where("buddy_id", .equal, a.buddy)
                .where("member_id", .equal, a.member).first().map(Self.assignment)
        else { throw BuddyRefusal.notFound }
        return stored
    }

    package func assignment(id: UUID) async throws -> BuddyAssignment? {
        try await sql.select().columns(Self.assignmentColumns).from("buddy_assignments").where("id", .equal, id).first().map(Self.assignment)
    }

    package func unassign(id: UUID) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "buddy_assignments").where("id", .equal, id).returning("id").all().count == 1
        }
    }

    private func assignments(_ column: String, _ id: UUID) async throws -> [BuddyAssignment] {
        try await sql.select().columns(Self.assignmentColumns).from("buddy_assignments").where(SQLIdentifier(column), .equal, SQLBind(id))
            .orderBy("created_ms").all().map(Self.assignment)
    }

    package func assignments(buddy: UUID) async throws -> [BuddyAssignment] { try await assignments("buddy_id", buddy) }
    package func assignments(organisation: UUID) async throws -> [BuddyAssignment] { try await assignments("organisation_id", organisation) }
    package func assignments(member: UUID) async throws -> [BuddyAssignment] { try await assignments("member_id", member) }
}
