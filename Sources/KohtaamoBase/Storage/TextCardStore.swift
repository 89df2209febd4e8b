import FluentKit
import Foundation
import SQLKit

/// A short titled text in one language that an owner (a service, a staff
/// member) keeps for reuse: a referral card, a ready-made reply.
package struct TextCard: Sendable, Equatable {
    package var id: UUID
    package var owner: UUID
    /// `fi`, `sv` or `en`.
    package var language: String
    package var title: String
    package var body: String
    /// Optional contact ways (referral cards).
    package var phone: String
    package var link: String

    package init(id: UUID = UUID(), owner: UUID, language: String, title: String, body: String, phone: String = "", link: String = "") {
        (self.id, self.owner, self.language, self.title, self.body, self.phone, self.link) = (id, owner, language, title, body, phone, link)
    }

    /// The card as one message: title, text, then the contact ways.
    package var asMessage: String {
        [title, body, phone, link].filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

/// Text cards of one kind, each kind in its own table with the same columns
/// (features own their tables; this code serves them all).
package struct TextCardStore: Sendable {
    package let storage: Storage
    package let table: String
    package init(storage: Storage, table: String) {
        self.storage = storage
        self.table = table
    }

    package static let columns = ["id", "owner_id", "language", "title", "body", "phone", "link"]

    package static func card(_ row: any SQLRow) throws -> TextCard {
        TextCard(
            id: try row.decode(column: "id", as: UUID.self), owner: try row.decode(column: "owner_id", as: UUID.self),
            language: try row.decode(column: "language", as: String.self), title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self), phone: try row.decode(column: "phone", as: String.self),
            link: try row.decode(column: "link", as: String.self))
    }

    /// The cards of these owners, by language and title.
    package func cards(owners: [UUID]) async throws -> [TextCard] {
        guard !owners.isEmpty else { return [] }
        return try await storage.sql.select().columns(Self.columns).from(table).where("owner_id", .in, owners)
            .orderBy("language").orderBy("title").orderBy("created_ms").all().map(Self.card)
    }

    package func card(id: UUID) async throws -> TextCard? {
        try await storage.sql.select().columns(Self.columns).from(table).where("id", .equal, id).first().map(Self.card)
    }

    /// Adds the card, or changes it when its id is already the owner's.
    package func save(_ c: TextCard, at: Int64) async throws {
        let table = table
        try await storage.writeSQL { sql in
            let changed = try await sql.update(table).set("language", to: c.language).set("title", to: c.title).set("body", to: c.body)
                .set("phone", to: c.phone).set("link", to: c.link)
                .where("id", .equal, c.id).where("owner_id", .equal, c.owner).returning("id").all().count
            guard changed == 0 else { return }
            try await sql.insert(into: table).columns(Self.columns + ["created_ms"])
                .values(
                    SQLBind(c.id), SQLBind(c.owner), SQLBind(c.language), SQLBind(c.title), SQLBind(c.body), SQLBind(c.phone),
                    SQLBind(c.link), SQLBind(at)
                )
                .run()
        }
    }

    /// Deletes the owner's card; false if there is no such card of theirs.
    package func delete(id: UUID, owner: UUID) async throws -> Bool {
        let table = table
        return try await storage.writeSQL { sql in
            try await sql.delete(from: table).where("id", .equal, id).where("owner_id", .equal, owner)
                .returning("id").all().count == 1
        }
    }

    /// The table of one kind of card (for a feature's migration).
    package static func createTable(_ name: String, on db: any Database) async throws {
        try await db.schema(name)
            .id()
            .field("owner_id", .uuid, .required)
            .field("language", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("phone", .string, .required)
            .field("link", .string, .required)
            .field("created_ms", .int64, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name)_owner ON \(unsafeRaw: name) (owner_id)").run()
        }
    }
}

extension [TextCard] {
    /// The cards in `language`; Finnish ones when there are none in it.
    package func shown(in language: String) -> [TextCard] {
        let own = filter { $0.language == language }
        return own.isEmpty ? filter { $0.language == "fi" } : own
    }
}
