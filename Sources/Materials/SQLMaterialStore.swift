import Foundation
import KohtaamoBase
import SQLKit

/// The bank's rows on SQLite or PostgreSQL, with the search index kept in
/// the same transaction as the material (FTS5 table on SQLite, a tsvector
/// column on PostgreSQL).
package struct SQLMaterialStore: Sendable {
    package let storage: Storage
    package let sealer: Sealer

    package init(storage: Storage, sealer: Sealer) { (self.storage, self.sealer) = (storage, sealer) }

    /// Each file version's data key, for the start-up key check and `rotate-key`.
    package static let wrappedKeys = WrappedKeyTable(table: "material_files", wrappedColumn: "wrapped_key", idColumns: ["id"])

    static let columns = [
        "id", "organisation_id", "network_id", "title", "description", "url", "themes", "audiences", "languages", "plain_language",
        "visibility", "created_by", "created_ms", "updated_ms",
    ]
    static let fileColumns = ["id", "material_id", "number", "name_sealed", "kind", "size", "uploaded_by", "at_ms", "wrapped_key"]

    /// A new file version, sealed under a key of its own.
    package struct NewFile: Sendable {
        package var info: MaterialFile
        package var sealed: OwnKeySealedFile
    }

    // MARK: writing

    package func insert(_ m: Material, file: NewFile?, content: String) async throws {
        let kind = storage.kind
        try await storage.writeSQL { sql in
            try await sql.insert(into: "materials").columns(Self.columns + ["content_text"])
                .values(Self.binds(m) + [SQLBind(content)]).run()
            if let file { try await Self.insert(file, sql) }
            try await Self.index(m, content: content, kind: kind, sql)
        }
    }

    /// Saves the material's fields; `content` (with a new file) replaces the searchable text.
    package func update(_ m: Material, file: NewFile?, content: String?) async throws {
        let kind = storage.kind
        try await storage.writeSQL { sql in
            var u = sql.update("materials")
            for (column, value) in zip(Self.columns, Self.binds(m)).dropFirst() { u = u.set(SQLIdentifier(column), to: value) }
            if let content { u = u.set("content_text", to: content) }
            try await u.where("id", .equal, m.id).run()
            if let file { try await Self.insert(file, sql) }
            let text =
                try await sql.select().column("content_text").from("materials").where("id", .equal, m.id).first()?
                .decode(column: "content_text", as: String.self) ?? ""
            try await Self.index(m, content: text, kind: kind, sql)
        }
    }

    package func delete(_ id: UUID) async throws {
        let kind = storage.kind
        try await storage.writeSQL { sql in
            try await sql.delete(from: "material_files").where("material_id", .equal, id).run()
            try await sql.delete(from: "materials").where("id", .equal, id).run()
            if kind == .sqlite { try await sql.delete(from: "materials_fts").where("material_id", .equal, id.uuidString).run() }
        }
    }

    static func insert(_ f: NewFile, _ sql: any SQLDatabase) async throws {
        try await sql.insert(into: "material_files")
            .columns(fileColumns + ["master_key_id", "content_sealed"])
            .values(
                SQLBind(f.info.id), SQLBind(f.info.material), SQLBind(f.info.number), SQLBind(f.sealed.sealed.name),
                SQLBind(f.info.kind.rawValue), SQLBind(Int64(f.info.size)), SQLBind(f.info.uploadedBy), SQLBind(f.info.atMs),
                SQLBind(f.sealed.wrappedKey), SQLBind(f.sealed.masterKeyID), SQLBind(f.sealed.sealed.content)
            ).run()
    }

    /// The search index's row for the material: title weighs most, then the
    /// description, then the file's text.
    static func index(_ m: Material, content: String, kind: Storage.Kind, _ sql: any SQLDatabase) async throws {
        let title = MaterialSearch.indexable(m.title), description = MaterialSearch.indexable(m.description)
        let text = MaterialSearch.indexable(content)
        if kind == .sqlite {
            try await sql.delete(from: "materials_fts").where("material_id", .equal, m.id.uuidString).run()
            try await sql.insert(into: "materials_fts").columns("material_id", "title", "description", "content")
                .values(SQLBind(m.id.uuidString), SQLBind(title), SQLBind(description), SQLBind(text)).run()
        } else {
            let config = MaterialSearch.configuration(m.languages)
            try await sql.raw(
                """
                UPDATE materials SET search_config = \(bind: config), search_vector =
                  setweight(to_tsvector(\(bind: config)::regconfig, \(bind: title)), 'A') ||
                  setweight(to_tsvector(\(bind: config)::regconfig, \(bind: description)), 'B') ||
                  setweight(to_tsvector(\(bind: config)::regconfig, \(bind: text)), 'C')
                WHERE id = \(bind: m.id)
                """
            ).run()
        }
    }

    static func binds(_ m: Material) -> [SQLBind] {
        [
            SQLBind(m.id), SQLBind(m.organisation), SQLBind(m.network), SQLBind(m.title), SQLBind(m.description), SQLBind(m.url),
            SQLBind(m.themes.map(\.rawValue).joined(separator: ",")), SQLBind(m.audiences.map(\.rawValue).joined(separator: ",")),
            SQLBind(m.languages.map(\.rawValue).joined(separator: ",")), SQLBind(m.plainLanguage), SQLBind(m.visibility.rawValue),
            SQLBind(m.createdBy), SQLBind(m.createdMs), SQLBind(m.updatedMs),
        ]
    }

    // MARK: reading

    package func material(_ id: UUID) async throws -> Material? {
        guard let row = try await storage.sql.select().columns(Self.columns).from("materials").where("id", .equal, id).first() else {
            return nil
        }
        var m = try Self.material(row)
        m.file = try await versions(id).last
        return m
    }

    /// Every material staff of `network` may find: the network's own and
    /// every public one; newest first.
    package func materials(network: UUID) async throws -> [Material] {
        let rows = try await storage.sql.select().columns(Self.columns).from("materials")
            .where("network_id", .equal, network).orWhere("visibility", .equal, MaterialVisibility.public.rawValue)
            .orderBy("updated_ms", .descending).orderBy("id").all()
        var list = try rows.map(Self.material)
        let current = try await currentFiles(list.filter(\.isFile).map(\.id))
        for i in list.indices { list[i].file = current[list[i].id] }
        return list
    }

    /// The newest version of each material given.
    func currentFiles(_ ids: [UUID]) async throws -> [UUID: MaterialFile] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await storage.sql.select().columns(Self.fileColumns).from("material_files")
            .where("material_id", .in, ids).orderBy("number").all()
        var out: [UUID: MaterialFile] = [:]
        for row in rows {
            let f = try file(row)
            out[f.material] = f
        }
        return out
    }

    /// The material's file versions, oldest first.
    package func versions(_ material: UUID) async throws -> [MaterialFile] {
        try await storage.sql.select().columns(Self.fileColumns).from("material_files").where("material_id", .equal, material)
            .orderBy("number").all().map(file)
    }

    /// A version's bytes; nil when the material has no such version.
    package func content(material: UUID, file id: UUID) async throws -> (MaterialFile, Data)? {
        guard
            let row = try await storage.sql.select().columns(Self.fileColumns + ["content_sealed"]).from("material_files")
                .where("id", .equal, id).where("material_id", .equal, material).first()
        else { return nil }
        let f = try file(row)
        let bytes = try OwnKeySealedFile.openContent(
            try row.decode(column: "content_sealed", as: Data.self), wrappedKey: try row.decode(column: "wrapped_key", as: Data.self),
            owner: material, file: id, sealer: sealer)
        return (f, bytes)
    }

    /// Materials whose words match, with a rank (higher is better) and the
    /// best passage, its matched words marked.
    package func search(_ words: [String]) async throws -> [UUID: (rank: Double, snippet: String)] {
        guard !words.isEmpty else { return [:] }
        let sql = storage.sql
        var out: [UUID: (rank: Double, snippet: String)] = [:]
        if storage.kind == .sqlite {
            // bm25 is lower for better matches: negated. Weights: title 10, description 4, text 1.
            let rows = try await sql.raw(
                """
                SELECT material_id, -bm25(materials_fts, 0.0, 10.0, 4.0, 1.0) AS rank,
                  snippet(materials_fts, -1, char(57344), char(57345), '…', 16) AS snippet
                FROM materials_fts WHERE materials_fts MATCH \(bind: MaterialSearch.fts5(words))
                """
            ).all()
            for row in rows {
                guard let id = UUID(uuidString: try row.decode(column: "material_id", as: String.self)) else { continue }
                out[id] = (try row.decode(column: "rank", as: Double.self), try row.decode(column: "snippet", as: String.self))
            }
        } else {
            let text = MaterialSearch.tsquery(words)
            let rows = try await sql.raw(
                """
                SELECT m.id, ts_rank(m.search_vector, q)::float8 AS rank,
                  ts_headline(m.search_config::regconfig, m.title || ' — ' || m.description || ' — ' || m.content_text, q,
                    'StartSel=' || chr(57344) || ', StopSel=' || chr(57345) || ', MaxWords=24, MinWords=10, MaxFragments=1') AS snippet
                FROM materials m, LATERAL to_tsquery(m.search_config::regconfig, \(bind: text)) q
                WHERE m.search_vector @@ q
                """
            ).all()
            for row in rows {
                out[try row.decode(column: "id", as: UUID.self)] =
                    (try row.decode(column: "rank", as: Double.self), try row.decode(column: "snippet", as: String.self))
            }
        }
        return out
    }

    static func list<T: RawRepresentable<String>>(_ text: String, _: T.Type) -> [T] {
        text.split(separator: ",").compactMap { T(rawValue: String($0)) }
    }

    static func material(_ row: any SQLRow) throws -> Material {
        Material(
            id: try row.decode(column: "id", as: UUID.self), organisation: try row.decode(column: "organisation_id", as: UUID.self),
            network: try row.decode(column: "network_id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
            description: try row.decode(column: "description", as: String.self), url: try row.decode(column: "url", as: String?.self),
            themes: list(try row.decode(column: "themes", as: String.self), DigitalTheme.self),
            audiences: list(try row.decode(column: "audiences", as: String.self), MaterialAudience.self),
            languages: list(try row.decode(column: "languages", as: String.self), MaterialLanguage.self),
            plainLanguage: try row.decode(column: "plain_language", as: Bool.self),
            visibility: MaterialVisibility(rawValue: try row.decode(column: "visibility", as: String.self)) ?? .organisation,
            createdBy: try row.decode(column: "created_by", as: UUID.self), createdMs: try row.decode(column: "created_ms", as: Int64.self),
            updatedMs: try row.decode(column: "updated_ms", as: Int64.self), file: nil)
    }

    func file(_ row: any SQLRow) throws -> MaterialFile {
        let id = try row.decode(column: "id", as: UUID.self), material = try row.decode(column: "material_id", as: UUID.self)
        guard let kind = FileKind(rawValue: try row.decode(column: "kind", as: String.self)) else { throw Sealer.Failure.cannotOpen }
        let name = try OwnKeySealedFile.openName(
            try row.decode(column: "name_sealed", as: Data.self), wrappedKey: try row.decode(column: "wrapped_key", as: Data.self),
            owner: material, file: id, sealer: sealer)
        return MaterialFile(
            id: id, material: material, number: try row.decode(column: "number", as: Int.self), name: name, kind: kind,
            size: Int(try row.decode(column: "size", as: Int64.self)), uploadedBy: try row.decode(column: "uploaded_by", as: UUID.self),
            atMs: try row.decode(column: "at_ms", as: Int64.self))
    }
}
