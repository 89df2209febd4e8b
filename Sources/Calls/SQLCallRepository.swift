import Foundation
import KohtaamoBase
import KohtaamoRealtime
import SQLKit

/// `CallRepository` in SQL (SQLKit): the same statements on SQLite and PostgreSQL.
package struct SQLCallRepository: CallRepository {
    let storage: Storage
    package init(storage: Storage) { self.storage = storage }
    private var sql: any SQLDatabase { storage.sql }

    private static let callColumns = ["id", "conversation_id", "kind", "media", "started_by", "started_ms", "connected_ms", "ended_ms"]
    private static let memberColumns = ["identity", "joined_ms", "left_ms", "removed", "hand", "audio", "video"]

    private static func call(_ row: any SQLRow) throws -> Call {
        Call(
            id: try row.decode(column: "id", as: UUID.self), conversation: try row.decode(column: "conversation_id", as: UUID.self),
            kind: CallKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .group,
            media: CallMedia(rawValue: try row.decode(column: "media", as: String.self)) ?? .audio,
            startedBy: Identity(try row.decode(column: "started_by", as: String.self)) ?? .client(UUID()),
            startedMs: try row.decode(column: "started_ms", as: Int64.self), connectedMs: try row.decode(column: "connected_ms", as: Int64?.self),
            endedMs: try row.decode(column: "ended_ms", as: Int64?.self))
    }

    private static func member(_ row: any SQLRow) throws -> CallMember? {
        guard let identity = Identity(try row.decode(column: "identity", as: String.self)) else { return nil }
        return CallMember(
            identity: identity, joinedMs: try row.decode(column: "joined_ms", as: Int64.self),
            leftMs: try row.decode(column: "left_ms", as: Int64?.self),
            removed: try row.decode(column: "removed", as: Bool.self), hand: try row.decode(column: "hand", as: Bool.self),
            audio: try row.decode(column: "audio", as: Bool.self), video: try row.decode(column: "video", as: Bool.self))
    }

    package func activeCall(conversation: UUID) async throws -> Call? {
        try await Self.active(conversation, sql)
    }

    private static func active(_ conversation: UUID, _ sql: any SQLDatabase) async throws -> Call? {
        try await sql.select().columns(callColumns).from("calls").where("conversation_id", .equal, conversation).where(
            "ended_ms", .is, SQLLiteral.null
        )
        .first().map(Self.call)
    }

    package func call(id: UUID) async throws -> Call? {
        try await sql.select().columns(Self.callColumns).from("calls").where("id", .equal, id).first().map(Self.call)
    }

    package func start(_ c: Call, starter: CallMember) async throws -> Bool {
        do {
            return try await storage.writeSQL { sql in
                guard try await Self.active(c.conversation, sql) == nil else { return false }
                try await sql.insert(into: "calls").columns(Self.callColumns)
                    .values(
                        SQLBind(c.id), SQLBind(c.conversation), SQLBind(c.kind.rawValue), SQLBind(c.media.rawValue),
                        SQLBind(c.startedBy.description), SQLBind(c.startedMs), SQLBind(c.connectedMs), SQLBind(c.endedMs)
                    ).run()
                try await Self.insert(c.id, starter, sql)
                return true
            }
        } catch {
            // Two starts at once on PostgreSQL: the unique index let one in.
            if try await activeCall(conversation: c.conversation) != nil { return false }
            throw error
        }
    }

    private static func insert(_ call: UUID, _ m: CallMember, _ sql: any SQLDatabase) async throws {
        try await sql.insert(into: "call_members").columns(["call_id"] + memberColumns)
            .values(
                SQLBind(call), SQLBind(m.identity.description), SQLBind(m.joinedMs), SQLBind(m.leftMs), SQLBind(m.removed), SQLBind(m.hand),
                SQLBind(m.audio), SQLBind(m.video)
            ).run()
    }

    package func members(call: UUID) async throws -> [CallMember] {
        try await Self.members(call, sql)
    }

    private static func members(_ call: UUID, _ sql: any SQLDatabase) async throws -> [CallMember] {
        try await sql.select().columns(memberColumns).from("call_members").where("call_id", .equal, call).orderBy("joined_ms").all()
            .compactMap(Self.member)
    }

    package func join(call: UUID, _ m: CallMember, limit: Int) async throws -> CallJoin {
        try await storage.writeSQL { sql in
            guard let c = try await sql.select().columns(Self.callColumns).from("calls").where("id", .equal, call).first().map(Self.call), c.isOn
            else { return .ended }
            let members = try await Self.members(call, sql)
            if let old = members.first(where: { $0.identity == m.identity }) {
                if old.removed { return .removed }
                if old.isIn { return .joined }
            }
            guard members.filter(\.isIn).count < limit else { return .full }
            try await sql.delete(from: "call_members").where("call_id", .equal, call).where("identity", .equal, m.identity.description).run()
            try await Self.insert(call, m, sql)
            return .joined
        }
    }

    package func update(call: UUID, _ m: CallMember) async throws {
        try await storage.writeSQL { sql in
            try await sql.update("call_members")
                .set("left_ms", to: SQLBind(m.leftMs)).set("removed", to: m.removed).set("hand", to: m.hand)
                .set("audio", to: m.audio).set("video", to: m.video)
                .where("call_id", .equal, call).where("identity", .equal, m.identity.description).run()
        }
    }

    package func connected(call: UUID, at: Int64) async throws {
        try await storage.writeSQL { sql in
            try await sql.update("calls").set("connected_ms", to: at).where("id", .equal, call).where("connected_ms", .is, SQLLiteral.null).run()
        }
    }

    package func end(call: UUID, at: Int64) async throws -> Bool {
        try await storage.writeSQL { sql in
            guard
                try await sql.select().column("id").from("calls").where("id", .equal, call).where("ended_ms", .is, SQLLiteral.null).first() != nil
            else { return false }
            try await sql.update("calls").set("ended_ms", to: at).where("id", .equal, call).run()
            return true
        }
    }

    package func anyRemoved(conversation: UUID, _ identities: [Identity]) async throws -> Bool {
        try await sql.select().column(SQLColumn("identity", table: "m")).from(SQLAlias(SQLIdentifier("calls"), as: SQLIdentifier("c")))
            .join(
                SQLAlias(SQLIdentifier("call_members"), as: SQLIdentifier("m")), on: SQLColumn("call_id", table: "m"), .equal,
                SQLColumn("id", table: "c")
            )
            .where(SQLColumn("conversation_id", table: "c"), .equal, SQLBind(conversation))
            .where(SQLColumn("ended_ms", table: "c"), .is, SQLLiteral.null)
            .where(SQLColumn("removed", table: "m"), .equal, SQLLiteral.boolean(true))
            .where(SQLColumn("identity", table: "m"), .in, SQLGroupExpression(SQLList(identities.map { SQLBind($0.description) })))
            .first() != nil
    }
}
