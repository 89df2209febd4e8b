import SQLKit

extension SQLDatabase {
    /// Inserts many rows, as few statements as the databases' limits on
    /// bound values allow (SQLite's 32766, PostgreSQL's 65535): a year of
    /// sampled activity is written in seconds, not row by row. Run it inside
    /// `Storage.writeSQL`, so that the rows go in together or not at all.
    package func insertRows(into table: String, columns: [String], rows: [[SQLBind]]) async throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let perStatement = max(1, 16_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(start + perStatement, rows.count)
            var insert = self.insert(into: table).columns(columns)
            for row in rows[start..<end] { insert = insert.values(row) }
            try await insert.run()
            start = end
        }
    }
}

/// `CASE WHEN col >= a AND col < b THEN i … END`: which of the ranges
/// (`[start, end)` in ms) a row's moment falls in, NULL for none; grouped
/// on, it counts a year of rows per period in the database.
package struct SQLRangeCase: SQLExpression {
    package let column: String
    package let ranges: [(start: Int64, end: Int64)]
    /// Added to each index (a long list asked in parts).
    package let offset: Int
    package init(column: String, ranges: [(start: Int64, end: Int64)], offset: Int = 0) {
        (self.column, self.ranges, self.offset) = (column, ranges, offset)
    }
    package func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CASE")
        for (i, r) in ranges.enumerated() {
            serializer.write(" WHEN ")
            SQLIdentifier(column).serialize(to: &serializer)
            serializer.write(" >= ")
            SQLBind(r.start).serialize(to: &serializer)
            serializer.write(" AND ")
            SQLIdentifier(column).serialize(to: &serializer)
            serializer.write(" < ")
            SQLBind(r.end).serialize(to: &serializer)
            serializer.write(" THEN \(offset + i)")
        }
        serializer.write(" END")
    }
}

extension SQLDatabase {
    /// Rows of `table` whose moment `column` falls in one of `ranges`,
    /// counted in the database by the `groups` columns and the range: each
    /// answer row has those columns, `r` (the range's index plus `offset`)
    /// and `n` (the count). `filter` narrows the rows (`1 = 1` for none).
    /// The table, column and group names are the caller's constants.
    package func rangeCounts(
        from table: String, at column: String, ranges: [(start: Int64, end: Int64)], offset: Int = 0, by groups: [String],
        where filter: SQLQueryString
    ) async throws -> [any SQLRow] {
        guard let first = ranges.first, let last = ranges.last else { return [] }
        let which = SQLRangeCase(column: column, ranges: ranges, offset: offset)
        let names = groups.joined(separator: ", ")
        let query: SQLQueryString = """
            SELECT \(unsafeRaw: names), r, COUNT(*) AS n FROM (
            SELECT \(unsafeRaw: names), \(which) AS r FROM \(ident: table)
            WHERE \(ident: column) >= \(bind: first.start) AND \(ident: column) < \(bind: last.end) AND \(filter)) t
            WHERE r IS NOT NULL GROUP BY \(unsafeRaw: names), r
            """
        return try await raw(query).all()
    }
}
