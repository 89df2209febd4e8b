import Foundation
import SQLKit
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// What the storage does when PostgreSQL ends its connections in the middle
/// of transactions (a cut, a restart): every transaction ends, and the pool
/// has connections to give afterwards.
@Suite struct StorageFaultTests {
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func transactionsCutByPostgreSQLEndAndThePoolRecovers() async throws {
        let (configuration, drop) = try await TestDatabase.make()
        let url = try #require(configuration.databaseURL)
        let name = "kohtaamo-fault-\(UUID().uuidString.prefix(8).lowercased())"
        // Two event loops, two connections each: four transactions run, four wait.
        let storage = try await Storage(sqlitePath: nil, postgresURL: url, poolSize: 2, applicationName: name, logger: .init(label: "test"))
        let admin = try await Storage(sqlitePath: nil, postgresURL: url, poolSize: 1, logger: .init(label: "test"))
        func cleanUp() async { await storage.close(); await admin.close(); await drop() }
        do { try await cutAndRecover(storage: storage, admin: admin, name: name) } catch { await cleanUp(); throw error }
        await cleanUp()
    }

    func cutAndRecover(storage: Storage, admin: Storage, name: String) async throws {
        _ = try await storage.sql.raw("CREATE TABLE notes (n INTEGER)").all()

        enum Outcome: Sendable { case committed, failed, hung }
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for n in 0..<8 {
                group.addTask {
                    do {
                        try await withDeadline(.seconds(30)) {
                            try await storage.writeSQL { sql in
                                _ = try await sql.raw("INSERT INTO notes VALUES (\(bind: n))").all()
                                _ = try await sql.raw("SELECT pg_sleep(3)").all()
                            }
                        }
                        return .committed
                    } catch is DeadlinePassed {
                        return .hung
                    } catch {
                        return .failed
                    }
                }
            }
            // End the backends while their statements run.
            for _ in 0..<100 {
                let active = try? await admin.sql.raw(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = \(bind: name) AND query LIKE 'SELECT pg_sleep%'"
                )
                .first()?.decode(column: "n", as: Int.self)
                if (active ?? 0) >= 4 { break }
                try? await Task.sleep(for: .milliseconds(100))
            }
            _ = try? await admin.sql.raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(bind: name)").all()
            return await group.reduce(into: [Outcome]()) { $0.append($1) }
        }
        #expect(!outcomes.contains(.hung), "a transaction never ended: \(outcomes)")
        #expect(outcomes.filter { $0 == .failed }.count >= 4, "the four cut transactions report their failure: \(outcomes)")

        // The pool gives connections again: eight more transactions commit.
        for n in 100..<108 {
            try await storage.writeSQL { sql in _ = try await sql.raw("INSERT INTO notes VALUES (\(bind: n))").all() }
        }
        let stored = try await admin.sql.raw("SELECT n FROM notes ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) }
        // None of the cut ones committed; the last eight did.
        #expect(Array(stored.suffix(8)) == Array(100..<108))
        #expect(stored.count == 8 + outcomes.filter { $0 == .committed }.count)
    }
}
