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
