@preconcurrency import Crypto
import FluentKit
import Foundation
import SQLKit

/// A table that stores data keys wrapped by the master key: each feature
/// names its own (the conversations' keys, the feedback answers' keys).
package struct WrappedKeyTable: Sendable {
    package var table: String
    package var wrappedColumn: String
    /// The columns that find one row.
    package var idColumns: [String]
    package init(table: String, wrappedColumn: String, idColumns: [String]) {
        (self.table, self.wrappedColumn, self.idColumns) = (table, wrappedColumn, idColumns)
    }
}

/// `kohtaamo rotate-key`: a new master key, and every data key re-wrapped
/// under it. No message is read or rewritten. Servers running meanwhile
/// notice the new key file and wrap new keys with it; the old key stays
/// beside it (`<file>.old-<id>`) so anything it still wraps opens.
package enum KeyRotation {
    package struct Report: Sendable {
        package var oldID: String
        package var newID: String
        package var oldKeyFile: String
        /// Re-wrapped keys per table.
        package var rewrapped: [String: Int]
        /// Keys still under another master key at the end (0 unless a server wrote one in the last moment).
        package var left: Int
    }

    package static func rotate(keyPath: String, storage: Storage, tables: [WrappedKeyTable], settle: Duration = .seconds(1)) async throws -> Report {
        let (old, _) = try Sealer.loadMasterKey(path: keyPath, create: false)
        let oldID = Sealer.fingerprint(old)
        let new = SymmetricKey(size: .bits256)
        let oldFile = keyPath + ".old-" + oldID
        try write(old, to: oldFile)
        // The new file appears whole (rename), so a server never reads half a key.
        try write(new, to: keyPath + ".new")
        guard rename(keyPath + ".new", keyPath) == 0 else { throw Sealer.Failure.badKeyFile("cannot replace \(keyPath)") }
        let (sealer, _) = try Sealer.load(path: keyPath, create: false)
        let newID = sealer.masterKeyID
        var counts: [String: Int] = [:]
        // Passes after a pause catch keys a server wrapped just before it saw the new file.
        for pass in 0..<3 {
            for t in tables { counts[t.table, default: 0] += try await rewrap(t, sealer: sealer, to: newID, storage: storage) }
            if pass < 2 { try await Task.sleep(for: settle) }
        }
        var left = 0
        for t in tables {
            left +=
                try await storage.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(t.table)
                .where(SQLIdentifier(t.wrappedColumn), .isNot, SQLLiteral.null).where("master_key_id", .notEqual, newID)
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return Report(oldID: oldID, newID: newID, oldKeyFile: oldFile, rewrapped: counts, left: left)
    }

    package static func write(_ key: SymmetricKey, to path: String) throws {
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        try? FileManager.default.removeItem(atPath: path)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Sealer.Failure.badKeyFile("cannot write \(path)")
        }
    }

    /// Re-wraps the table's keys that are not under `newID`, 500 per transaction.
    static func rewrap(_ t: WrappedKeyTable, sealer: Sealer, to newID: String, storage: Storage) async throws -> Int {
        var total = 0
        while true {
            let rows = try await storage.sql.select().columns(t.idColumns + [t.wrappedColumn, "master_key_id"]).from(t.table)
                .where(SQLIdentifier(t.wrappedColumn), .isNot, SQLLiteral.null).where("master_key_id", .notEqual, newID).limit(500).all()
            if rows.isEmpty { return total }
            var changes: [(ids: [SQLBind], wrapped: Data, was: String)] = []
            for row in rows {
                let (wrapped, id) = try sealer.rewrap(try row.decode(column: t.wrappedColumn, as: Data.self))
                guard id == newID else { throw Sealer.Failure.badKeyFile("the key file changed again during the rotation") }
                let ids = try t.idColumns.map { column -> SQLBind in
                    if let uuid = try? row.decode(column: column, as: UUID.self) { return SQLBind(uuid) }
                    return SQLBind(try row.decode(column: column, as: Int.self))
                }
                changes.append((ids, wrapped, try row.decode(column: "master_key_id", as: String.self)))
            }
            try await storage.writeSQL { [changes] sql in
                for c in changes {
                    var update = sql.update(t.table).set(SQLIdentifier(t.wrappedColumn), to: SQLBind(c.wrapped)).set("master_key_id", to: newID)
                    for (column, value) in zip(t.idColumns, c.ids) { update = update.where(SQLIdentifier(column), .equal, value) }
                    // Only if nobody changed it meanwhile; otherwise the next round sees it again.
                    try await update.where("master_key_id", .equal, c.was).run()
                }
            }
            total += changes.count
        }
    }
}
