import FluentKit
import KohtaamoBase
import SQLKit

/// The bank's tables. Files are sealed (`material_files`, a key of each
/// version's own); titles, descriptions and the text read from files are
/// not: they are published material, not anyone's personal data, and the
/// search index must read them.
struct CreateMaterialSchema: AsyncMigration {
    var name: String { "materials.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("materials")
            .field("id", .uuid, .identifier(auto: false))
            .field("organisation_id", .uuid, .required)
            .field("network_id", .uuid, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("url", .string)
            // Codes joined by commas: a network's bank is hundreds of rows, filtered in memory.
            .field("themes", .string, .required)
            .field("audiences", .string, .required)
            .field("languages", .string, .required)
            .field("plain_language", .bool, .required)
            .field("visibility", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            // The current file's text (text and PDF files), for the search and its passages.
            .field("content_text", .string, .required)
            .create()
        try await db.schema("material_files")
            .field("id", .uuid, .identifier(auto: false))
            .field("material_id", .uuid, .required, .references("materials", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("name_sealed", .data, .required)
            .field("kind", .string, .required)
            .field("size", .int64, .required)
            .field("uploaded_by", .uuid, .required)
            .field("at_ms", .int64, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            .field("content_sealed", .data, .required)
            .unique(on: "material_id", "number")
            .create()
        let sql = Storage.sql(db)
        try await sql.raw("CREATE INDEX materials_by_network ON materials (network_id)").run()
        if sql.dialect.name == "sqlite" {
            // FTS5 (sqlite-nio's copy is built with it). No Finnish stemmer:
            // the query asks for prefixes (`MaterialSearch`). Diacritics kept:
            // "sää" and "saa" are different words.
            try await sql.raw(
                "CREATE VIRTUAL TABLE materials_fts USING fts5(material_id UNINDEXED, title, description, content, tokenize = 'unicode61 remove_diacritics 0')"
            ).run()
        } else {
            // Each row's words stemmed with its first language's configuration
            // ('finnish', 'swedish', 'english'; 'simple' otherwise).
            try await sql.raw("ALTER TABLE materials ADD COLUMN search_config TEXT NOT NULL DEFAULT 'simple'").run()
            try await sql.raw("ALTER TABLE materials ADD COLUMN search_vector TSVECTOR").run()
            try await sql.raw("CREATE INDEX materials_search ON materials USING GIN (search_vector)").run()
        }
    }

    func revert(on db: any Database) async throws {
        if Storage.sql(db).dialect.name == "sqlite" { try await Storage.sql(db).raw("DROP TABLE materials_fts").run() }
        for table in ["material_files", "materials"] { try await db.schema(table).delete() }
    }
}

package enum MaterialMigrations {
    package static let all: [any Migration] = [CreateMaterialSchema()]
}
