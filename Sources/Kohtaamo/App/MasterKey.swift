import Accounts
import Chat
import Coaching
import DigitalSupport
import Foundation
import Groups
import KohtaamoBase
import KohtaamoRealtime
import Materials
import Reachout
import SQLKit

/// Where the master key comes from, when a start may make one, and the check
/// that it is the key this database was written with.
extension Kohtaamo {
    /// Every table that holds data keys wrapped by the master key. The key
    /// check at start-up and `rotate-key` both use this one list, so a table
    /// cannot be rotated but left unchecked (or the other way round).
    package static let sealedTables: [WrappedKeyTable] =
        [
            SQLMessageStore.wrappedKeys, SQLSupportChatRepository.wrappedKeys, FluentAccountRepository.wrappedKeys,
            SQLGroupRepository.wrappedKeys, SQLGroupRepository.questionKeys, SQLCoachingRepository.wrappedKeys,
        ] + SQLReachoutRepository.wrappedKeys + SQLDigitalRepository.wrappedKeys + [SQLMaterialStore.wrappedKeys]

    /// A missing key file is made only where that cannot split the data
    /// between keys: for the embedded SQLite default (the key lives beside its
    /// only database), or when the data directory was chosen on purpose.
    /// Nodes on one PostgreSQL must share one key, so a PostgreSQL start with
    /// neither stops rather than inventing a key of its own.
    static func mayMakeMasterKey(_ configuration: Configuration, dataDirectoryGiven: Bool) -> Bool {
        configuration.masterKeyFile == nil && (configuration.databaseURL == nil || dataDirectoryGiven)
    }

    /// Checked before the database is opened, so a node without a key stops
    /// at once and touches nothing.
    static func requireMasterKeySource(_ configuration: Configuration, dataDirectoryGiven: Bool) throws {
        if !mayMakeMasterKey(configuration, dataDirectoryGiven: dataDirectoryGiven), configuration.masterKeyFile == nil,
            !FileManager.default.fileExists(atPath: configuration.masterKeyPath)
        {
            throw SettingError(
                name: "KOHTAAMO_MASTER_KEY_FILE",
                problem: "with PostgreSQL, set it to the key file every node shares (or give --data-dir to keep master.key there)")
        }
    }

    /// Loads (or, where allowed, makes) the master key and checks it against
    /// the database. A key made by this start is removed again if the check
    /// fails, so the next start does not meet a key that opens nothing.
    static func loadMasterKey(_ configuration: Configuration, dataDirectoryGiven: Bool, storage: Storage) async throws -> (Sealer, Bool) {
        let path = configuration.masterKeyPath
        let create = mayMakeMasterKey(configuration, dataDirectoryGiven: dataDirectoryGiven)
        let (sealer, made) = try Sealer.load(path: path, create: create)
        do {
            try await checkMasterKey(sealer, storage: storage)
        } catch {
            guard made else { throw error }
            try? FileManager.default.removeItem(atPath: path)
            throw Sealer.Failure.badKeyFile("master key file \(path) is missing, and this database was written with a key: put that key file back")
        }
        return (sealer, made)
    }

    /// A database whose data keys were wrapped by another master key must
    /// not start: nothing could be read, and new rows would mix keys.
    static func checkMasterKey(_ sealer: Sealer, storage: Storage) async throws {
        let known = Array(sealer.knownKeyIDs)
        for t in sealedTables {
            let other = try await storage.sql.select().column("master_key_id").from(t.table)
                .where(SQLIdentifier(t.wrappedColumn), .isNot, SQLLiteral.null)
                .where("master_key_id", .notIn, known).limit(1).all()
            if !other.isEmpty {
                throw Sealer.Failure.badKeyFile(
                    "the master key \(sealer.masterKeyID) does not match the one this database was written with (\(t.table))")
            }
        }
    }
}
