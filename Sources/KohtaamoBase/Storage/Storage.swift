import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import ServiceLifecycle

/// The database behind every repository: the embedded SQLite file by default,
/// PostgreSQL when a `postgres://` URL is given. Same migrations on both.
package final class Storage: Service, Sendable {
    package enum Kind: String, Sendable { case sqlite, postgres }

    package let databases: Databases
    package let kind: Kind
    package let logger: Logger
    /// On SQLite: the group commit's own connection and thread (`SQLiteWriter`).
    package let sqliteWriter: SQLiteWriter?

    /// Opens (and for SQLite creates) the database; nothing is migrated yet.
    package init(sqlitePath: String?, postgresURL: String?, poolSize: Int = 4, applicationName: String = "kohtaamo", logger: Logger) async throws {
        self.logger = logger
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        if let postgresURL {
            kind = .postgres
            sqliteWriter = nil
            var configuration = try SQLPostgresConfiguration(url: postgresURL)
            configuration.coreConfiguration.options.additionalStartupParameters = [("application_name", applicationName)]
            // A request waits at most 5 s for a connection (10 by default): while
            // PostgreSQL is down a sender hears `unavailable` soon, and its outbox retries.
            databases.use(
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: poolSize, connectionPoolTimeout: .seconds(5),
                    sqlLogLevel: .trace), as: .psql)
        } else {
            kind = .sqlite
            let path = sqlitePath ?? "kohtaamo.sqlite"
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            sqliteWriter = SQLiteWriter(path: path)
            // WAL lets readers go on while one writer commits; it is a property of
            // the file, so setting it once at open is enough. synchronous stays
            // FULL: an acknowledged write survives a crash and a power cut.
            // (NORMAL was measured slower here: see docs/benchmarks.md.)
            // Foreign keys are switched on per connection by the driver, and its
            // busy handler retries a locked database instead of failing.
            _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
        }
    }

    /// A handle that stays valid after shutdown, where queries fail
    /// instead of the process crashing (late work of a closing socket).
    private let fallback: NIOLockedValueBox<(any Database)?> = .init(nil)

    package var database: any Database {
        if let db = databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()) {
            fallback.withLockedValue { if $0 == nil { $0 = db } }
            return db
        }
        return fallback.withLockedValue { $0 }!
    }

    /// The one place a Fluent handle becomes SQLKit's: both drivers' databases
    /// (and the guarded PostgreSQL transaction) are SQL databases.
    package static func sql(_ database: any Database) -> any SQLDatabase { database as! any SQLDatabase }

    package var sql: any SQLDatabase { Self.sql(database) }

    /// SQLite has one writer at a time: writers queue here instead of
    /// spinning, the `SQLiteWriter`'s group commits too.
    package let writeGate = WriteGate()

    /// Runs `body` in a transaction; it has committed when this returns.
    /// On SQLite, write transactions run one after another.
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard kind == .sqlite else { return try await guardedTransaction(body) }
        return try await writeGate.holding { try await database.transaction(body) }
    }

    /// `write`, with the transaction as SQLKit's handle.
    package func writeSQL<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await write { db in try await body(Self.sql(db)) }
    }

    /// Runs the migrations not yet run; running them again changes nothing.
    package func migrate(_ migrations: [any Migration]) async throws {
        let list = Migrations()
        list.add(migrations)
        // Fluent tells each migration's start and end at info: noise on every
        // start and every `demo`; kept at debug and below.
        var quiet = logger
        if quiet.logLevel > .debug { quiet.logLevel = max(quiet.logLevel, .notice) }
        let migrator = Migrator(databases: databases, migrations: list, logger: quiet, on: MultiThreadedEventLoopGroup.singleton.any())
        try await migrator.setupIfNeeded().flatMap { migrator.prepareBatch() }.get()
    }

    /// True when a trivial query answers.
    package func isHealthy() async -> Bool {
        do {
            _ = try await sql.raw("SELECT 1").all()
            return true
        } catch {
            return false
        }
    }

    package func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// For commands that open the database without running a server.
    package func close() async {
        await sqliteWriter?.close()
        await databases.shutdownAsync()
    }
}
