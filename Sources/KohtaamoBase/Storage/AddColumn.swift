import FluentKit

/// A migration that adds one optional column to a feature's table (and
/// drops it on revert), the same on SQLite and PostgreSQL. The feature
/// gives its name, which must never change once released.
package struct AddColumn: AsyncMigration {
    package let name: String
    let table: String
    let column: String
    let type: DatabaseSchema.DataType

    package init(_ name: String, table: String, column: String, type: DatabaseSchema.DataType) {
        (self.name, self.table, self.column, self.type) = (name, table, column, type)
    }

    package func prepare(on db: any Database) async throws {
        try await db.schema(table).field(.string(column), type).update()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(table).deleteField(.string(column)).update()
    }
}
