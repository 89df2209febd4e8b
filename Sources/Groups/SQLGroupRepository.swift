import FluentKit
import Foundation
import KohtaamoBase
import KohtaamoRealtime
import SQLKit

/// `GroupRepository` in SQL (SQLKit): the same statements on SQLite and PostgreSQL.
package struct SQLGroupRepository: GroupRepository {
    package let storage: Storage
    package let sealer: Sealer
    package init(storage: Storage, sealer: Sealer) {
        self.storage = storage
        self.sealer = sealer
    }

    /// Data keys `kohtaamo rotate-key` re-wraps.
    package static let wrappedKeys = WrappedKeyTable(table: "group_applications", wrappedColumn: "wrapped_key", idColumns: ["id"])
    package static let questionKeys = WrappedKeyTable(table: "group_questions", wrappedColumn: "wrapped_key", idColumns: ["id"])
    private var sql: any SQLDatabase { storage.sql }

    private static let settingsColumns = [
        "service_id", "conversation_id", "style", "access", "volunteers_moderate", "rules_fi", "rules_sv", "rules_en",
        "rules_version", "questions_fi", "questions_sv", "questions_en", "retention_days",
    ]

    private static func settings(_ row: any SQLRow) throws -> GroupSettings {
        GroupSettings(
            service: try row.decode(column: "service_id", as: UUID.self), conversation: try row.decode(column: "conversation_id", as: UUID.self),
            style: GroupStyle(rawValue: try row.decode(column: "style", as: String.self)) ?? .peer,
            access: GroupAccess(rawValue: try row.decode(column: "access", as: String.self)) ?? .closed,
            volunteersModerate: try row.decode(column: "volunteers_moderate", as: Bool.self),
            rules: LocalizedText(
                fi: try row.decode(column: "rules_fi", as: String.self), sv: try row.decode(column: "rules_sv", as: String.self),
                en: try row.decode(column: "rules_en", as: String.self)),
            rulesVersion: try row.decode(column: "rules_version", as: Int.self),
            questions: LocalizedText(
                fi: try row.decode(column: "questions_fi", as: String.self), sv: try row.decode(column: "questions_sv", as: String.self),
                en: try row.decode(column: "questions_en", as: String.self)),
            retentionDays: try row.decode(column: "retention_days", as: Int?.self))
    }

    package func settings(service: UUID) async throws -> GroupSettings? {
        try await sql.select().columns(Self.settingsColumns).from("group_settings").where("service_id", .equal, service).first().map(Self.settings)
    }

    package func allSettings() async throws -> [GroupSettings] {
        try await sql.select().columns(Self.settingsColumns).from("group_settings").all().map(Self.settings)
    }

    package func createSettings(_ s: GroupSettings) async throws -> GroupSettings {
        try await storage.writeSQL { sql in
            if let existing = try await sql.select().columns(Self.settingsColumns).from("group_settings").where("service_id", .equal, s.service)
                .first()
            {
                return try Self.settings(existing)
            }
            try await Self.insert(s, sql)
            return s
        }
    }

    package func applyRoom(service: UUID, open: @escaping @Sendable (GroupSettings) async -> Bool) async throws -> RoomState? {
        let postgres = storage.kind == .postgres
        return try await storage.writeSQL { sql in
            let read = { try await sql.select().columns(Self.settingsColumns).from("group_settings").where("service_id", .equal, service).first() }
            // The room never changes (`GroupService.saveSettings` keeps it): lock it, then read the settings as they are now.
            guard let room = try await read().map(Self.settings)?.conversation,
                let was = try await SQLMessageStore.lockedIsOpen(room, sql, postgres: postgres),
                let s = try await read().map(Self.settings)
            else { return nil }
            let now = await open(s)
            guard now != was else { return RoomState(conversation: room, open: now, changed: false) }
            try await SQLMessageStore.setOpen(room, now, sql)
            return RoomState(conversation: room, open: now, changed: true)
        }
    }

    private static func insert(_ s: GroupSettings, _ sql: any SQLDatabase) async throws {
        try await sql.insert(into: "group_settings").columns(settingsColumns)
            .values(
                SQLBind(s.service), SQLBind(s.conversation), SQLBind(s.style.rawValue), SQLBind(s.access.rawValue), SQLBind(s.volunteersModerate),
                SQLBind(s.rules.fi), SQLBind(s.rules.sv), SQLBind(s.rules.en), SQLBind(s.rulesVersion),
                SQLBind(s.questions.fi), SQLBind(s.questions.sv), SQLBind(s.questions.en), SQLBind(s.retentionDays)
            )
            .run()
    }

    // MARK: applications (sealed: the answers and the worker's message)

    private static let applicationColumns = [
        "id", "service_id", "member_id", "nickname", "answers_sealed", "status", "message_sealed",
        "rules_version", "created_ms", "decided_ms", "wrapped_key", "master_key_id",
    ]

    package func saveApplication(_ a: GroupApplication) async throws {
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        let answers = String(decoding: try JSONEncoder().encode(a.answers), as: UTF8.self)
        let sealedAnswers = try sealer.seal(answers, key: key, conversation: a.id, seq: 0)
        let sealedMessage = try sealer.seal(a.message, key: key, conversation: a.id, seq: 1)
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_applications").where("id", .equal, a.id).run()
            try await sql.insert(into: "group_applications").columns(Self.applicationColumns)
                .values(
                    SQLBind(a.id), SQLBind(a.service), SQLBind(a.member), SQLBind(a.nickname), SQLBind(sealedAnswers), SQLBind(a.status.rawValue),
                    SQLBind(sealedMessage), SQLBind(a.rulesVersion), SQLBind(a.createdMs), SQLBind(a.decidedMs), SQLBind(wrapped),
                    SQLBind(masterKeyID)
                )
                .run()
        }
    }

    private func application(_ row: any SQLRow) throws -> GroupApplication {
        let id = try row.decode(column: "id", as: UUID.self)
        let key = try sealer.unwrap(try row.decode(column: "wrapped_key", as: Data.self))
        let answers = try sealer.open(try row.decode(column: "answers_sealed", as: Data.self), key: key, conversation: id, seq: 0)
        return GroupApplication(
            id: id, service: try row.decode(column: "service_id", as: UUID.self), member: try row.decode(column: "member_id", as: UUID.self),
            nickname: try row.decode(column: "nickname", as: String.self),
            answers: try JSONDecoder().decode([GroupApplication.QA].self, from: Data(answers.utf8)),
            status: GroupApplication.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .waiting,
            message: try sealer.open(try row.decode(column: "message_sealed", as: Data.self), key: key, conversation: id, seq: 1),
            rulesVersion: try row.decode(column: "rules_version", as: Int.self), createdMs: try row.decode(column: "created_ms", as: Int64.self),
            decidedMs: try row.decode(column: "decided_ms", as: Int64?.self))
    }

    package func application(id: UUID) async throws -> GroupApplication? {
        try await sql.select().columns(Self.applicationColumns).from("group_applications").where("id", .equal, id).first().map(application)
    }

    package func applications(service: UUID, open: Bool) async throws -> [GroupApplication] {
        var q = sql.select().columns(Self.applicationColumns).from("group_applications").where("service_id", .equal, service)
        if open { q = q.where("status", .in, [GroupApplication.Status.waiting.rawValue, GroupApplication.Status.interview.rawValue]) }
        return try await q.orderBy("created_ms", .descending).all().map(application)
    }

    package func applications(member: UUID) async throws -> [GroupApplication] {
        try await sql.select().columns(Self.applicationColumns).from("group_applications").where("member_id", .equal, member)
            .orderBy("created_ms", .descending).all().map(application)
    }

    package func deleteApplications(member: UUID) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_applications").where("member_id", .equal, member).run()
        }
    }

    package func saveSettings(_ s: GroupSettings) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_settings").where("service_id", .equal, s.service).run()
            try await Self.insert(s, sql)
        }
    }

    private static let memberColumns = [
        "service_id", "member_id", "nickname", "rules_version", "status", "banned_until_ms", "ban_reason", "joined_ms",
    ]

    private static func member(_ row: any SQLRow) throws -> GroupMember {
        GroupMember(
            service: try row.decode(column: "service_id", as: UUID.self), member: try row.decode(column: "member_id", as: UUID.self),
            nickname: try row.decode(column: "nickname", as: String.self), rulesVersion: try row.decode(column: "rules_version", as: Int.self),
            status: MemberStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .removed,
            bannedUntilMs: try row.decode(column: "banned_until_ms", as: Int64?.self),
            banReason: try row.decode(column: "ban_reason", as: String.self),
            joinedMs: try row.decode(column: "joined_ms", as: Int64.self))
    }

    package func member(service: UUID, member: UUID) async throws -> GroupMember? {
        try await sql.select().columns(Self.memberColumns).from("group_members").where("service_id", .equal, service)
            .where("member_id", .equal, member).first().map(Self.member)
    }

    package func members(service: UUID) async throws -> [GroupMember] {
        try await sql.select().columns(Self.memberColumns).from("group_members").where("service_id", .equal, service)
            .orderBy("nickname_key").all().map(Self.member)
    }

    package func memberships(member: UUID) async throws -> [GroupMember] {
        try await sql.select().columns(Self.memberColumns).from("group_members").where("member_id", .equal, member).all().map(Self.member)
    }

    package func saveMember(_ m: GroupMember) async throws -> Bool {
        let key = m.nickname.lowercased()
        return try await storage.writeSQL { sql in
            let clash = try await sql.select().column("member_id").from("group_members").where("service_id", .equal, m.service)
                .where("nickname_key", .equal, key).where("member_id", .notEqual, m.member).first()
            if clash != nil { return false }
            try await sql.delete(from: "group_members").where("service_id", .equal, m.service).where("member_id", .equal, m.member).run()
            try await sql.insert(into: "group_members").columns(Self.memberColumns + ["nickname_key"])
                .values(
                    SQLBind(m.service), SQLBind(m.member), SQLBind(m.nickname), SQLBind(m.rulesVersion), SQLBind(m.status.rawValue),
                    SQLBind(m.bannedUntilMs), SQLBind(m.banReason), SQLBind(m.joinedMs), SQLBind(key)
                )
                .run()
            return true
        }
    }

    package func deleteMember(member: UUID) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_members").where("member_id", .equal, member).run()
        }
    }

    private static let reportColumns = ["id", "service_id", "seq", "reporter_id", "reason", "at_ms", "handled"]

    private static func report(_ row: any SQLRow) throws -> GroupReport {
        GroupReport(
            id: try row.decode(column: "id", as: UUID.self), service: try row.decode(column: "service_id", as: UUID.self),
            seq: try row.decode(column: "seq", as: Int64.self), reporter: try row.decode(column: "reporter_id", as: UUID.self),
            reason: try row.decode(column: "reason", as: String.self), atMs: try row.decode(column: "at_ms", as: Int64.self),
            handled: try row.decode(column: "handled", as: Bool.self))
    }

    package func addReport(_ r: GroupReport) async throws {
        try await storage.writeSQL { sql in
            try await sql.insert(into: "group_reports").columns(Self.reportColumns)
                .values(
                    SQLBind(r.id), SQLBind(r.service), SQLBind(r.seq), SQLBind(r.reporter), SQLBind(r.reason), SQLBind(r.atMs), SQLBind(r.handled)
                )
                .run()
        }
    }

    package func reports(service: UUID, open: Bool) async throws -> [GroupReport] {
        var q = sql.select().columns(Self.reportColumns).from("group_reports").where("service_id", .equal, service)
        if open { q = q.where("handled", .equal, false) }
        return try await q.orderBy("at_ms").all().map(Self.report)
    }

    package func reports(reporter: UUID) async throws -> [GroupReport] {
        try await sql.select().columns(Self.reportColumns).from("group_reports").where("reporter_id", .equal, reporter).all().map(Self.report)
    }

    package func handleReports(service: UUID, seqs: [Int64], at: Int64) async throws {
        guard !seqs.isEmpty else { return }
        try await storage.writeSQL { sql in
            try await sql.update("group_reports").set("handled", to: true).set("handled_ms", to: at)
                .where("service_id", .equal, service).where("seq", .in, seqs).where("handled", .equal, false).run()
        }
    }

    package func deleteReports(reporter: UUID) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_reports").where("reporter_id", .equal, reporter).run()
        }
    }

    // MARK: questions (sealed: the question under its own key, answers under the same key)

    private static let questionColumns = [
        "id", "service_id", "member_id", "nickname", "anonymous", "body_sealed", "removed", "created_ms",
        "wrapped_key", "master_key_id",
    ]

    package func addQuestion(_ q: GroupQuestion) async throws {
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        let sealed = try sealer.seal(q.body, key: key, conversation: q.id, seq: 0)
        try await storage.writeSQL { sql in
            try await sql.insert(into: "group_questions").columns(Self.questionColumns)
                .values(
                    SQLBind(q.id), SQLBind(q.service), SQLBind(q.member), SQLBind(q.nickname), SQLBind(q.anonymous), SQLBind(sealed),
                    SQLBind(false), SQLBind(q.createdMs), SQLBind(wrapped), SQLBind(masterKeyID)
                )
                .run()
        }
    }

    package func addAnswer(_ a: GroupQuestion.Answer, question: UUID, service: UUID) async throws -> Bool {
        guard
            let row = try await sql.select().columns("wrapped_key", "removed").from("group_questions").where("id", .equal, question)
                .where("service_id", .equal, service).first(), try !row.decode(column: "removed", as: Bool.self)
        else { return false }
        let key = try sealer.unwrap(try row.decode(column: "wrapped_key", as: Data.self))
        // Each answer sealed under the question's key, bound to the answer's own id.
        let sealed = try sealer.seal(a.body, key: key, conversation: a.id, seq: 1)
        try await storage.writeSQL { sql in
            try await sql.insert(into: "group_answers").columns("id", "question_id", "staff_id", "name", "role", "body_sealed", "created_ms")
                .values(
                    SQLBind(a.id), SQLBind(question), SQLBind(a.staff), SQLBind(a.from.name), SQLBind(a.from.role.rawValue), SQLBind(sealed),
                    SQLBind(a.createdMs)
                )
                .run()
        }
        return true
    }

    private func questions(_ rows: [any SQLRow]) async throws -> [GroupQuestion] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        let answerRows = try await sql.select().columns("id", "question_id", "staff_id", "name", "role", "body_sealed", "created_ms")
            .from("group_answers").where("question_id", .in, ids).orderBy("created_ms").all()
        var byQuestion: [UUID: [any SQLRow]] = [:]
        for a in answerRows { byQuestion[try a.decode(column: "question_id", as: UUID.self), default: []].append(a) }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let removed = try row.decode(column: "removed", as: Bool.self)
            let key = try sealer.unwrap(try row.decode(column: "wrapped_key", as: Data.self))
            let answers = try (byQuestion[id] ?? []).map { a -> GroupQuestion.Answer in
                let answerID = try a.decode(column: "id", as: UUID.self)
                return GroupQuestion.Answer(
                    id: answerID, staff: try a.decode(column: "staff_id", as: UUID.self),
                    from: Sender(
                        name: try a.decode(column: "name", as: String.self), role: .init(stored: try a.decode(column: "role", as: String.self))),
                    body: try sealer.open(try a.decode(column: "body_sealed", as: Data.self), key: key, conversation: answerID, seq: 1),
                    createdMs: try a.decode(column: "created_ms", as: Int64.self))
            }
            return GroupQuestion(
                id: id, service: try row.decode(column: "service_id", as: UUID.self), member: try row.decode(column: "member_id", as: UUID.self),
                nickname: try row.decode(column: "nickname", as: String.self), anonymous: try row.decode(column: "anonymous", as: Bool.self),
                body: removed ? "" : try sealer.open(try row.decode(column: "body_sealed", as: Data.self), key: key, conversation: id, seq: 0),
                removed: removed, createdMs: try row.decode(column: "created_ms", as: Int64.self), answers: removed ? [] : answers)
        }
    }

    package func questions(service: UUID) async throws -> [GroupQuestion] {
        try await questions(
            try await sql.select().columns(Self.questionColumns).from("group_questions").where("service_id", .equal, service)
                .orderBy("created_ms", .descending).limit(200).all())
    }

    package func questions(member: UUID) async throws -> [GroupQuestion] {
        try await questions(
            try await sql.select().columns(Self.questionColumns).from("group_questions").where("member_id", .equal, member)
                .orderBy("created_ms", .descending).all())
    }

    package func removeQuestion(id: UUID, service: UUID) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_answers").where("question_id", .equal, id).run()
            return try await sql.update("group_questions").set("removed", to: true).set("body_sealed", to: Data()).set("nickname", to: "")
                .where("id", .equal, id).where("service_id", .equal, service).returning("id").all().count == 1
        }
    }

    package func deleteQuestions(member: UUID) async throws {
        try await storage.writeSQL { sql in
            let ids = try await sql.select().column("id").from("group_questions").where("member_id", .equal, member).all()
                .map { try $0.decode(column: "id", as: UUID.self) }
            if !ids.isEmpty { try await sql.delete(from: "group_answers").where("question_id", .in, ids).run() }
            try await sql.delete(from: "group_questions").where("member_id", .equal, member).run()
        }
    }

    package func invitedStaff(service: UUID) async throws -> Set<UUID> { try await staffSet("group_staff", service) }

    package func setInvitedStaff(service: UUID, _ staff: Set<UUID>) async throws { try await setStaffSet("group_staff", service, staff) }

    package func facilitators(service: UUID) async throws -> Set<UUID> { try await staffSet("group_facilitators", service) }

    package func setFacilitators(service: UUID, _ staff: Set<UUID>) async throws { try await setStaffSet("group_facilitators", service, staff) }

    /// A group's set of staff in one of the (service_id, staff_id) tables.
    private func staffSet(_ table: String, _ service: UUID) async throws -> Set<UUID> {
        Set(
            try await sql.select().column("staff_id").from(table).where("service_id", .equal, service).all()
                .map { try $0.decode(column: "staff_id", as: UUID.self) })
    }

    /// Replaces that set in one transaction.
    private func setStaffSet(_ table: String, _ service: UUID, _ staff: Set<UUID>) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: table).where("service_id", .equal, service).run()
            for id in staff {
                try await sql.insert(into: table).columns("service_id", "staff_id").values(SQLBind(service), SQLBind(id)).run()
            }
        }
    }

    private static let eventColumns = ["id", "service_id", "weekday", "start_minute", "duration_minutes", "title_fi", "title_sv", "title_en", "link"]

    package func events(service: UUID) async throws -> [ProgrammeEvent] {
        try await sql.select().columns(Self.eventColumns).from("group_events").where("service_id", .equal, service)
            .orderBy("weekday").orderBy("start_minute").all().map { row in
                ProgrammeEvent(
                    id: try row.decode(column: "id", as: UUID.self), service: try row.decode(column: "service_id", as: UUID.self),
                    weekday: try row.decode(column: "weekday", as: Int.self), startMinute: try row.decode(column: "start_minute", as: Int.self),
                    durationMinutes: try row.decode(column: "duration_minutes", as: Int.self),
                    title: LocalizedText(
                        fi: try row.decode(column: "title_fi", as: String.self), sv: try row.decode(column: "title_sv", as: String.self),
                        en: try row.decode(column: "title_en", as: String.self)),
                    link: try row.decode(column: "link", as: String.self))
            }
    }

    package func addEvent(_ e: ProgrammeEvent) async throws {
        try await storage.writeSQL { sql in
            try await sql.insert(into: "group_events").columns(Self.eventColumns)
                .values(
                    SQLBind(e.id), SQLBind(e.service), SQLBind(e.weekday), SQLBind(e.startMinute), SQLBind(e.durationMinutes),
                    SQLBind(e.title.fi), SQLBind(e.title.sv), SQLBind(e.title.en), SQLBind(e.link)
                )
                .run()
        }
    }

    package func deleteEvent(id: UUID, service: UUID) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_events").where("id", .equal, id).where("service_id", .equal, service)
                .returning("id").all().count == 1
        }
    }

    // MARK: retention

    package func deleteQuestions(service: UUID, askedBefore: Int64) async throws -> Int {
        var erased = 0
        while true {
            // A few hundred at a time: each batch is one short transaction.
            let done = try await storage.writeSQL { sql in
                let ids = try await sql.select().column("id").from("group_questions").where("service_id", .equal, service)
                    .where("created_ms", .lessThan, askedBefore).limit(500).all().map { try $0.decode(column: "id", as: UUID.self) }
                guard !ids.isEmpty else { return 0 }
                try await sql.delete(from: "group_answers").where("question_id", .in, ids).run()
                try await sql.delete(from: "group_questions").where("id", .in, ids).run()
                return ids.count
            }
            erased += done
            if done < 500 { return erased }
        }
    }

    package func deleteApplications(decidedBefore: Int64) async throws -> Int {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_applications")
                .where("status", .in, [GroupApplication.Status.accepted.rawValue, GroupApplication.Status.declined.rawValue])
                .where("decided_ms", .lessThan, decidedBefore).returning("id").all().count
        }
    }

    package func deleteReports(handledBefore: Int64) async throws -> Int {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "group_reports").where("handled", .equal, true)
                .where("handled_ms", .lessThan, handledBefore).returning("id").all().count
        }
    }

    package func eraseBanReasons(endedBefore: Int64) async throws -> Int {
        try await storage.writeSQL { sql in
            // A ban for good (no end) keeps its reason: the member still sees it on the group's page.
            try await sql.update("group_members").set("ban_reason", to: "")
                .where("status", .equal, MemberStatus.banned.rawValue).where("banned_until_ms", .lessThan, endedBefore)
                .where("ban_reason", .notEqual, "").returning("member_id").all().count
        }
    }

    package func addInvitation(_ i: GroupInvitation) async throws {
        try await storage.writeSQL { sql in
            try await sql.insert(into: "group_invitations").columns("code_hash", "service_id", "expires_ms")
                .values(SQLBind(i.codeHash), SQLBind(i.service), SQLBind(i.expiresMs)).run()
        }
    }

    package func invitation(codeHash: String, nowMs: Int64) async throws -> GroupInvitation? {
        try await sql.select().columns("code_hash", "service_id", "expires_ms").from("group_invitations").where("code_hash", .equal, codeHash)
            .where("expires_ms", .greaterThan, nowMs).first().map { row in
                GroupInvitation(
                    service: try row.decode(column: "service_id", as: UUID.self), codeHash: try row.decode(column: "code_hash", as: String.self),
                    expiresMs: try row.decode(column: "expires_ms", as: Int64.self))
            }
    }
}
