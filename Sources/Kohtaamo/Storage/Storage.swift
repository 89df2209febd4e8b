import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Logging
import NIOCore
import NIOPosix
import SQLKit
import ServiceLifecycle

/// The database behind every repository: the embedded SQLite file by default,
/// PostgreSQL when a `postgres://` URL is given. Same migrations on both.
public final class Storage: Service, Sendable {
    public enum Kind: String, Sendable { case sqlite, postgres }

    public let databases: Databases
    public let kind: Kind
    let logger: Logger

    /// Opens (and for SQLite creates) the database; nothing is migrated yet.
    public init(sqlitePath: String?, postgresURL: String?, logger: Logger) async throws {
        self.logger = logger
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        if let postgresURL {
            kind = .postgres
            databases.use(try .postgres(url: postgresURL, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
        } else {
            kind = .sqlite
            databases.use(.sqlite(.file(sqlitePath ?? "kohtaamo.sqlite"), sqlLogLevel: .trace), as: .sqlite)
            // WAL lets readers go on while one writer commits; it is a property of
            // the file, so setting it once at open is enough. synchronous stays
            // FULL: an acknowledged write must survive a crash.
            // Foreign keys are switched on per connection by the driver, and its
            // busy handler retries a locked database instead of failing.
            _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
        }
    }

    public var database: any Database {
        databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    public var sql: any SQLDatabase { database as! any SQLDatabase }

    /// Runs the migrations not yet run; running them again changes nothing.
    public func migrate(_ migrations: [any Migration]) async throws {
        let list = Migrations()
        list.add(migrations)
        let migrator = Migrator(databases: databases, migrations: list, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        try await migrator.setupIfNeeded().flatMap { migrator.prepareBatch() }.get()
    }

    /// True when a trivial query answers.
    public func isHealthy() async -> Bool {
        do {
            _ = try await sql.raw("SELECT 1").all()
            return true
        } catch {
            return false
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await databases.shutdownAsync()
    }

    /// For commands that open the database without running a server.
    public func close() async {
        await databases.shutdownAsync()
    }
}
