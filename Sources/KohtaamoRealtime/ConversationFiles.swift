@preconcurrency import Crypto
import Foundation
import KohtaamoBase
import SQLKit

/// A file kept in a conversation, without its bytes.
package struct StoredFile: Sendable, Equatable {
    package var id: UUID
    package var conversation: UUID
    /// As the uploader named it (opened from its sealed form).
    package var name: String
    package var kind: FileKind
    /// Bytes of the file itself (not of its sealed form).
    package var size: Int
    package var uploader: Identity
    /// Milliseconds since 1970, UTC.
    package var atMs: Int64
}

/// Files that belong to a conversation (reach them as `realtime.files`).
///
/// They are kept in the DATABASE, not on disk: there is one place to back
/// up; a file goes in the same transaction as its conversation's erase
/// (`SQLMessageStore.erase`), so nothing is left behind in a folder; and
/// every node on PostgreSQL reads the same files without a shared disk.
/// Each file and its name are sealed (`SealedFile`, shared with the material
/// bank) with the conversation's own data key, the one its messages use,
/// bound to the conversation and the file's id: erasing the key row makes
/// every copy unreadable, backups too.
///
/// The caller checks a file with `FilePolicy.check` first; `save` checks
/// again that the bytes are the kind given and the name is valid, so no
/// caller can store what the policy would refuse.
package struct ConversationFiles: Sendable {
    package let storage: Storage
    package let sealer: Sealer
    package let clock: AppClock

    package init(storage: Storage, sealer: Sealer, clock: AppClock = AppClock()) {
        self.storage = storage
        self.sealer = sealer
        self.clock = clock
    }

    static let table = "conversation_files"
    static let infoColumns = ["id", "conversation_id", "name_sealed", "kind", "size", "uploader", "at_ms"]

    /// Stores the file; throws a `FileRefusal` for bytes that are not `kind`
    /// (or are empty or over the largest size) or a bad name, and
    /// `StoreError.noSuchConversation` for a conversation that does not
    /// exist or was erased.
    package func save(conversation: UUID, name: String, kind: FileKind, bytes: Data, uploader: Identity) async throws -> StoredFile {
        try SealedFile.check(name: name, kind: kind, bytes: bytes)
        guard let key = try await DataKeys(sealer: sealer).key(conversation, storage.sql) else { throw StoreError.noSuchConversation }
        let file = StoredFile(
            id: UUID(), conversation: conversation, name: name, kind: kind, size: bytes.count, uploader: uploader, atMs: clock.nowMs)
        // Sealed before the write transaction: on SQLite writers take turns,
        // and sealing megabytes there would hold up every message.
        let sealed = try SealedFile.seal(name: name, kind: kind, bytes: bytes, key: key, owner: conversation, file: file.id, sealer: sealer)
        let database = storage.kind
        try await storage.writeSQL { sql in
            // The key row, held until the commit: an erase running now either
            // ends before (and this finds no key) or waits, and then deletes
            // this file with the rest (it deletes the key row before the files).
            var keyRow = sql.select().column("key_id").from("conversation_keys").where("conversation_id", .equal, conversation)
            if database == .postgres { keyRow = keyRow.for(.share) }
            guard try await keyRow.first() != nil else { throw StoreError.noSuchConversation }
            try await sql.insert(into: Self.table)
                .columns("id", "conversation_id", "name_sealed", "kind", "size", "uploader", "at_ms", "content_sealed")
                .values(
                    SQLBind(file.id), SQLBind(conversation), SQLBind(sealed.name), SQLBind(file.kind.rawValue), SQLBind(Int64(file.size)),
                    SQLBind(file.uploader.description), SQLBind(file.atMs), SQLBind(sealed.content)
                )
                .run()
        }
        return file
    }

    /// The file and its bytes; nil when there is no such file in this conversation.
    package func file(id: UUID, conversation: UUID) async throws -> (StoredFile, Data)? {
        let sql = storage.sql
        guard
            let row = try await sql.select().columns(Self.infoColumns + ["content_sealed"]).from(Self.table)
                .where("id", .equal, id).where("conversation_id", .equal, conversation).first(),
            let key = try await DataKeys(sealer: sealer).key(conversation, sql)
        else { return nil }
        let file = try stored(row, key: key)
        let bytes = try SealedFile.openContent(
            try row.decode(column: "content_sealed", as: Data.self), key: key, owner: conversation, file: file.id, sealer: sealer)
        return (file, bytes)
    }

    /// What is known of the file without reading its bytes; nil when there is
    /// no such file in this conversation.
    package func info(id: UUID, conversation: UUID) async throws -> StoredFile? {
        let sql = storage.sql
        guard
            let row = try await sql.select().columns(Self.infoColumns).from(Self.table)
                .where("id", .equal, id).where("conversation_id", .equal, conversation).first(),
            let key = try await DataKeys(sealer: sealer).key(conversation, sql)
        else { return nil }
        return try stored(row, key: key)
    }

    /// The conversation's files, oldest first.
    package func list(conversation: UUID) async throws -> [StoredFile] {
        let sql = storage.sql
        let rows = try await sql.select().columns(Self.infoColumns).from(Self.table).where("conversation_id", .equal, conversation)
            .orderBy("at_ms").orderBy("id").all()
        guard !rows.isEmpty, let key = try await DataKeys(sealer: sealer).key(conversation, sql) else { return [] }
        return try rows.map { try stored($0, key: key) }
    }

    /// Deletes the file; false when there was no such file in this conversation.
    package func delete(id: UUID, conversation: UUID) async throws -> Bool {
        try await storage.writeSQL { sql in
            guard
                try await sql.select().column("id").from(Self.table).where("id", .equal, id)
                    .where("conversation_id", .equal, conversation).first() != nil
            else { return false }
            try await sql.delete(from: Self.table).where("id", .equal, id).where("conversation_id", .equal, conversation).run()
            return true
        }
    }

    private func stored(_ row: any SQLRow, key: SymmetricKey) throws -> StoredFile {
        guard let kind = FileKind(rawValue: try row.decode(column: "kind", as: String.self)),
            let uploader = Identity(try row.decode(column: "uploader", as: String.self))
        else { throw Sealer.Failure.cannotOpen }
        var file = StoredFile(
            id: try row.decode(column: "id", as: UUID.self), conversation: try row.decode(column: "conversation_id", as: UUID.self),
            name: "", kind: kind, size: Int(try row.decode(column: "size", as: Int64.self)), uploader: uploader,
            atMs: try row.decode(column: "at_ms", as: Int64.self))
        file.name = try SealedFile.openName(
            try row.decode(column: "name_sealed", as: Data.self), key: key, owner: file.conversation, file: file.id, sealer: sealer)
        return file
    }
}
