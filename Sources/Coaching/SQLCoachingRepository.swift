import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `CoachingRepository` in SQL (SQLKit): the same statements on SQLite and PostgreSQL.
package struct SQLCoachingRepository: CoachingRepository {
    package let storage: Storage
    package let sealer: Sealer
    package init(storage: Storage, sealer: Sealer) {
        self.storage = storage
        self.sealer = sealer
    }

    /// Data keys `kohtaamo rotate-key` re-wraps.
    package static let wrappedKeys = WrappedKeyTable(table: "coaching_tasks", wrappedColumn: "wrapped_key", idColumns: ["id"])
    private var sql: any SQLDatabase { storage.sql }

    // MARK: set-up

    package func settings(service: UUID) async throws -> CoachingSettings? {
        guard
            let row = try await sql.select().columns("change_limit_hours", "file_max_bytes", "file_groups").from("coaching_settings")
                .where("service_id", .equal, service).first()
        else { return nil }
        let coaches = try await sql.select().column("staff_id").from("coaching_coaches").where("service_id", .equal, service).all()
        return CoachingSettings(
            service: service, coaches: Set(try coaches.map { try $0.decode(column: "staff_id", as: UUID.self) }),
            changeLimitHours: try row.decode(column: "change_limit_hours", as: Int.self),
            fileMaxBytes: Int(try row.decode(column: "file_max_bytes", as: Int64.self)),
            fileGroups: try row.decode(column: "file_groups", as: String.self).split(separator: ",").map(String.init))
    }

    package func saveSettings(_ s: CoachingSettings) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "coaching_settings").where("service_id", .equal, s.service).run()
            try await sql.insert(into: "coaching_settings").columns("service_id", "change_limit_hours", "file_max_bytes", "file_groups")
                .values(SQLBind(s.service), SQLBind(s.changeLimitHours), SQLBind(Int64(s.fileMaxBytes)), SQLBind(s.fileGroups.joined(separator: ",")))
                .run()
            try await sql.delete(from: "coaching_coaches").where("service_id", .equal, s.service).run()
            for coach in s.coaches.sorted(by: { $0.uuidString < $1.uuidString }) {
                try await sql.insert(into: "coaching_coaches").columns("service_id", "staff_id").values(SQLBind(s.service), SQLBind(coach)).run()
            }
        }
    }

    package func servicesCoached(by staff: UUID) async throws -> [UUID] {
        try await sql.select().column("service_id").from("coaching_coaches").where("staff_id", .equal, staff).all()
            .map { try $0.decode(column: "service_id", as: UUID.self) }
    }

    // MARK: coachees

    private static let coacheeColumns = ["service_id", "member_id", "nickname", "coach_id", "conversation_id", "status", "joined_ms"]

    private static func coachee(_ row: any SQLRow) throws -> Coachee {
        Coachee(
            service: try row.decode(column: "service_id", as: UUID.self), member: try row.decode(column: "member_id", as: UUID.self),
            nickname: try row.decode(column: "nickname", as: String.self), coach: try row.decode(column: "coach_id", as: UUID.self),
            conversation: try row.decode(column: "conversation_id", as: UUID.self),
            status: Coachee.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .ended,
            joinedMs: try row.decode(column: "joined_ms", as: Int64.self))
    }

    package func coachee(service: UUID, member: UUID) async throws -> Coachee? {
        try await sql.select().columns(Self.coacheeColumns).from("coachees").where("service_id", .equal, service)
            .where("member_id", .equal, member).first().map(Self.coachee)
    }

    package func coachees(service: UUID, coach: UUID?) async throws -> [Coachee] {
        var q = sql.select().columns(Self.coacheeColumns).from("coachees").where("service_id", .equal, service)
        if let coach { q = q.where("coach_id", .equal, coach) }
        return try await q.orderBy("nickname").all().map(Self.coachee)
    }

    package func coachings(member: UUID) async throws -> [Coachee] {
        try await sql.select().columns(Self.coacheeColumns).from("coachees").where("member_id", .equal, member).orderBy("joined_ms").all()
            .map(Self.coachee)
    }

    package func saveCoachee(_ c: Coachee) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "coachees").where("service_id", .equal, c.service).where("member_id", .equal, c.member).run()
            try await sql.insert(into: "coachees").columns(Self.coacheeColumns)
                .values(
                    SQLBind(c.service), SQLBind(c.member), SQLBind(c.nickname), SQLBind(c.coach), SQLBind(c.conversation), SQLBind(c.status.rawValue),
                    SQLBind(c.joinedMs)
                ).run()
        }
    }

    package func addInvitation(_ i: CoachingInvitation) async throws {
        try await storage.writeSQL { sql in
            try await sql.insert(into: "coaching_invitations").columns("code_hash", "service_id", "coach_id", "group_id", "expires_ms", "used_ms")
                .values(SQLBind(i.codeHash), SQLBind(i.service), SQLBind(i.coach), SQLBind(i.group), SQLBind(i.expiresMs), SQLBind(i.usedMs)).run()
        }
    }

    private static let invitationColumns = ["code_hash", "service_id", "coach_id", "group_id", "expires_ms", "used_ms"]

    private static func invitation(_ row: any SQLRow) throws -> CoachingInvitation {
        CoachingInvitation(
            codeHash: try row.decode(column: "code_hash", as: String.self), service: try row.decode(column: "service_id", as: UUID.self),
            coach: try row.decode(column: "coach_id", as: UUID.self), group: try row.decode(column: "group_id", as: UUID?.self),
            expiresMs: try row.decode(column: "expires_ms", as: Int64.self), usedMs: try row.decode(column: "used_ms", as: Int64?.self))
    }

    package func useInvitation(codeHash: String, nowMs: Int64) async throws -> CoachingInvitation? {
        try await storage.writeSQL { sql in
            // One conditional update: two people with the same code at once, one gets it.
            try await sql.update("coaching_invitations").set("used_ms", to: SQLBind(nowMs)).where("code_hash", .equal, codeHash)
                .where("used_ms", .is, SQLLiteral.null).where("expires_ms", .greaterThan, nowMs)
                .returning(Self.invitationColumns.map { SQLColumn($0) }).first().map(Self.invitation)
        }
    }

    package func invitation(codeHash: String, nowMs: Int64) async throws -> CoachingInvitation? {
        try await sql.select().columns(Self.invitationColumns).from("coaching_invitations").where("code_hash", .equal, codeHash)
            .where("used_ms", .is, SQLLiteral.null).where("expires_ms", .greaterThan, nowMs).first().map(Self.invitation)
    }

    // MARK: groups

    private func groups(_ rows: [any SQLRow]) async throws -> [CoachingGroup] {
        var out: [CoachingGroup] = []
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let members = try await sql.select().column("member_id").from("coaching_group_members").where("group_id", .equal, id).all()
                .map { try $0.decode(column: "member_id", as: UUID.self) }
            out.append(
                CoachingGroup(
                    id: id, service: try row.decode(column: "service_id", as: UUID.self), coach: try row.decode(column: "coach_id", as: UUID.self),
                    name: try row.decode(column: "name", as: String.self), conversation: try row.decode(column: "conversation_id", as: UUID.self),
                    members: members, createdMs: try row.decode(column: "created_ms", as: Int64.self)))
        }
        return out
    }

    private static let groupColumns = ["id", "service_id", "coach_id", "name", "conversation_id", "created_ms"]

    package func group(id: UUID) async throws -> CoachingGroup? {
        try await groups(try await sql.select().columns(Self.groupColumns).from("coaching_groups").where("id", .equal, id).all()).first
    }

    package func groups(service: UUID, coach: UUID?) async throws -> [CoachingGroup] {
        var q = sql.select().columns(Self.groupColumns).from("coaching_groups").where("service_id", .equal, service)
        if let coach { q = q.where("coach_id", .equal, coach) }
        return try await groups(try await q.orderBy("name").all())
    }

    package func groups(member: UUID) async throws -> [CoachingGroup] {
        let ids = try await sql.select().column("group_id").from("coaching_group_members").where("member_id", .equal, member).all()
            .map { try $0.decode(column: "group_id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        return try await groups(
            try await sql.select().columns(Self.groupColumns).from("coaching_groups")
                .where(SQLIdentifier("id"), .in, SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))).orderBy("name").all())
    }

    package func saveGroup(_ g: CoachingGroup) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "coaching_group_members").where("group_id", .equal, g.id).run()
            try await sql.delete(from: "coaching_groups").where("id", .equal, g.id).run()
            try await sql.insert(into: "coaching_groups").columns(Self.groupColumns)
                .values(SQLBind(g.id), SQLBind(g.service), SQLBind(g.coach), SQLBind(g.name), SQLBind(g.conversation), SQLBind(g.createdMs)).run()
            for m in Set(g.members) {
                try await sql.insert(into: "coaching_group_members").columns("group_id", "member_id").values(SQLBind(g.id), SQLBind(m)).run()
            }
        }
    }

    package func service(ofThread conversation: UUID) async throws -> UUID? {
        for table in ["coachees", "coaching_groups"] {
            if let row = try await sql.select().column("service_id").from(table).where("conversation_id", .equal, conversation).first() {
                return try row.decode(column: "service_id", as: UUID.self)
            }
        }
        return nil
    }

    package func deleteCoachee(member: UUID) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "coaching_group_members").where("member_id", .equal, member).run()
            try await sql.delete(from: "coachees").where("member_id", .equal, member).run()
        }
    }

    // MARK: tasks

    /// What is sealed of a task: all that the coach and the coachee wrote.
    private struct Sealed: Codable {
        var content: TaskContent
        var answer: TaskAnswer?
        var history: [TaskEvent]
    }

    private static let taskColumns = [
        "id", "service_id", "coach_id", "coachee_id", "group_task", "status", "due_ms", "created_ms", "changed_ms", "content_sealed",
        "wrapped_key", "master_key_id",
    ]

    private func binds(_ t: CoachingTask) throws -> [SQLBind] {
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        let json = String(decoding: try JSONEncoder().encode(Sealed(content: t.content, answer: t.answer, history: t.history)), as: UTF8.self)
        let sealed = try sealer.seal(json, key: key, conversation: t.id, seq: 0)
        return [
            SQLBind(t.id), SQLBind(t.service), SQLBind(t.coach), SQLBind(t.coachee), SQLBind(t.groupTask), SQLBind(t.status.rawValue),
            SQLBind(t.dueMs), SQLBind(t.createdMs), SQLBind(t.changedMs), SQLBind(sealed), SQLBind(wrapped), SQLBind(masterKeyID),
        ]
    }

    private func task(_ row: any SQLRow) throws -> CoachingTask {
        let id = try row.decode(column: "id", as: UUID.self)
        let key = try sealer.unwrap(try row.decode(column: "wrapped_key", as: Data.self))
        let json = try sealer.open(try row.decode(column: "content_sealed", as: Data.self), key: key, conversation: id, seq: 0)
        let sealed = try JSONDecoder().decode(Sealed.self, from: Data(json.utf8))
        return CoachingTask(
            id: id, service: try row.decode(column: "service_id", as: UUID.self), coach: try row.decode(column: "coach_id", as: UUID.self),
            coachee: try row.decode(column: "coachee_id", as: UUID.self), groupTask: try row.decode(column: "group_task", as: UUID?.self),
            content: sealed.content, dueMs: try row.decode(column: "due_ms", as: Int64?.self),
            status: TaskStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open, answer: sealed.answer,
            history: sealed.history, createdMs: try row.decode(column: "created_ms", as: Int64.self),
            changedMs: try row.decode(column: "changed_ms", as: Int64.self))
    }

    package func taskCounts(services: [UUID], ranges: [(start: Int64, end: Int64)], nowMs: Int64) async throws -> [TaskCount] {
        guard !services.isEmpty else { return [] }
        var out: [TaskCount] = []
        let open = [TaskStatus.open.rawValue, TaskStatus.returned.rawValue]
        for kind in TaskCount.Kind.allCases {
            let column: String
            let only: SQLQueryString
            switch kind {
            case .given: (column, only) = ("created_ms", "service_id IN (\(binds: services))")
            case .done: (column, only) = ("changed_ms", "service_id IN (\(binds: services)) AND status = \(bind: TaskStatus.done.rawValue)")
            case .missed:
                (column, only) = ("due_ms", "service_id IN (\(binds: services)) AND status IN (\(binds: open)) AND due_ms < \(bind: nowMs)")
            }
            for row in try await sql.rangeCounts(from: "coaching_tasks", at: column, ranges: ranges, by: ["service_id"], where: only) {
                out.append(
                    TaskCount(
                        service: try row.decode(column: "service_id", as: UUID.self), range: try row.decode(column: "r", as: Int.self), kind: kind,
                        count: try row.decode(column: "n", as: Int.self)))
            }
        }
        return out
    }

    package func addTasks(_ tasks: [CoachingTask]) async throws {
        let rows = try tasks.map(binds)
        try await storage.writeSQL { sql in
            try await sql.insertRows(into: "coaching_tasks", columns: Self.taskColumns, rows: rows)
        }
    }

    package func task(id: UUID) async throws -> CoachingTask? {
        try await sql.select().columns(Self.taskColumns).from("coaching_tasks").where("id", .equal, id).first().map(task)
    }

    package func tasks(service: UUID, coachee: UUID) async throws -> [CoachingTask] {
        try await sql.select().columns(Self.taskColumns).from("coaching_tasks").where("service_id", .equal, service)
            .where("coachee_id", .equal, coachee).orderBy("created_ms", .descending).all().map(task)
    }

    package func tasks(member: UUID) async throws -> [CoachingTask] {
        try await sql.select().columns(Self.taskColumns).from("coaching_tasks").where("coachee_id", .equal, member)
            .orderBy("created_ms").all().map(task)
    }

    package func updateTask(_ t: CoachingTask, expected: TaskStatus) async throws -> Bool {
        let b = try binds(t)
        return try await storage.writeSQL { sql in
            try await sql.update("coaching_tasks").set("status", to: b[5]).set("due_ms", to: b[6]).set("changed_ms", to: b[8])
                .set("content_sealed", to: b[9]).set("wrapped_key", to: b[10]).set("master_key_id", to: b[11])
                .where("id", .equal, t.id).where("status", .equal, expected.rawValue).returning("id").all().count == 1
        }
    }

    package func deleteTasks(member: UUID) async throws {
        try await storage.writeSQL { sql in try await sql.delete(from: "coaching_tasks").where("coachee_id", .equal, member).run() }
    }

    // MARK: templates

    package func templates(service: UUID, coach: UUID) async throws -> [TaskTemplate] {
        try await sql.select().columns("id", "service_id", "coach_id", "content", "created_ms").from("coaching_templates")
            .where("service_id", .equal, service).where("coach_id", .equal, coach).orderBy("created_ms").all()
            .map { row in
                TaskTemplate(
                    id: try row.decode(column: "id", as: UUID.self), service: try row.decode(column: "service_id", as: UUID.self),
                    coach: try row.decode(column: "coach_id", as: UUID.self),
                    content: try JSONDecoder().decode(TaskContent.self, from: Data(try row.decode(column: "content", as: String.self).utf8)),
                    createdMs: try row.decode(column: "created_ms", as: Int64.self))
            }
    }

    package func addTemplate(_ t: TaskTemplate) async throws {
        let content = String(decoding: try JSONEncoder().encode(t.content), as: UTF8.self)
        try await storage.writeSQL { sql in
            try await sql.insert(into: "coaching_templates").columns("id", "service_id", "coach_id", "content", "created_ms")
                .values(SQLBind(t.id), SQLBind(t.service), SQLBind(t.coach), SQLBind(content), SQLBind(t.createdMs)).run()
        }
    }

    package func deleteTemplate(id: UUID, coach: UUID) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "coaching_templates").where("id", .equal, id).where("coach_id", .equal, coach).returning("id").all().count == 1
        }
    }
}
