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
/// on, it counts a year of rows per period in the database. Back-to-back
/// ranges (a query's periods) become a search tree of CASEs instead: a
/// year of weeks costs each row six comparisons, not a hundred.
package struct SQLRangeCase: SQLExpression {
    package let column: String
    private let ranges: [(start: SQLBind, end: SQLBind)]
    private let backToBack: Bool
    /// Added to each index (a long list asked in parts).
    package let offset: Int
    package init(column: String, ranges: [(start: Int64, end: Int64)], offset: Int = 0) {
        (self.column, self.offset) = (column, offset)
        self.ranges = ranges.map { (SQLBind($0.start), SQLBind($0.end)) }
        backToBack = zip(ranges, ranges.dropFirst()).allSatisfy { $0.end == $1.start }
    }

    /// Ranges of ISO days (`2026-12-04`) in a text column, `[first, after)`.
    package init(column: String, days: [(first: String, after: String)]) {
        (self.column, self.offset) = (column, 0)
        ranges = days.map { (SQLBind($0.first), SQLBind($0.after)) }
        backToBack = zip(days, days.dropFirst()).allSatisfy { $0.after == $1.first }
    }

    package func serialize(to serializer: inout SQLSerializer) {
        if backToBack, let first = ranges.first, let last = ranges.last {
            serializer.write("CASE WHEN ")
            within(first.start, last.end, &serializer)
            serializer.write(" THEN ")
            tree(0, ranges.count - 1, &serializer)
            serializer.write(" END")
            return
        }
        serializer.write("CASE")
        for (i, r) in ranges.enumerated() {
            serializer.write(" WHEN ")
            within(r.start, r.end, &serializer)
            serializer.write(" THEN \(offset + i)")
        }
        serializer.write(" END")
    }

    /// `col >= start AND col < end`.
    private func within(_ start: SQLBind, _ end: SQLBind, _ serializer: inout SQLSerializer) {
        SQLIdentifier(column).serialize(to: &serializer)
        serializer.write(" >= ")
        start.serialize(to: &serializer)
        serializer.write(" AND ")
        SQLIdentifier(column).serialize(to: &serializer)
        serializer.write(" < ")
        end.serialize(to: &serializer)
    }

    /// The index among `low…high`, for a moment known to be inside them.
    private func tree(_ low: Int, _ high: Int, _ serializer: inout SQLSerializer) {
        guard low < high else {
            serializer.write("\(offset + low)")
            return
        }
        let mid = (low + high + 1) / 2
        serializer.write("(CASE WHEN ")
        SQLIdentifier(column).serialize(to: &serializer)
        serializer.write(" < ")
        ranges[mid].start.serialize(to: &serializer)
        serializer.write(" THEN ")
        tree(low, mid - 1, &serializer)
        serializer.write(" ELSE ")
        tree(mid, high, &serializer)
        serializer.write(" END)")
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
