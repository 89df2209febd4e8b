import FluentKit
import Logging
import NIOCore
import PostgresNIO
import SQLKit

/// The connection under a PostgreSQL transaction had closed when a statement was to be sent.
package struct ConnectionLost: Error, Sendable {}

/// A transaction's handle on its one pooled PostgreSQL connection that fails a
/// statement at once when that connection has closed.
///
/// Why: PostgresNIO hands a statement to its channel without a write promise.
/// Once the channel has closed (PostgreSQL ended the backend, or restarted),
/// the channel's handlers have left its pipeline, the statement never reaches
/// them, and its future never completes. Fluent's transaction then waits for
/// ever on the ROLLBACK after the failed statement, and the pooled connection
/// is never given back: after a few such faults under load a node's pool ran
/// dry and it stopped answering. Checking and writing in one turn of the
/// connection's event loop closes that window: the handlers leave the
/// pipeline in a later turn than the one in which the channel goes inactive,
/// and while they are there a closed connection fails the statement itself.
struct GuardedConnection: Database, SQLDatabase {
    let inner: any Database & SQLDatabase
    let connection: PostgresConnection

    /// Runs `body` on the connection's event loop, where the check and the
    /// write happen in one turn (every path below writes synchronously).
    private func guarded(_ body: @escaping @Sendable () -> EventLoopFuture<Void>) -> EventLoopFuture<Void> {
        let connection = self.connection
        return connection.eventLoop.flatSubmit {
            connection.isClosed ? connection.eventLoop.makeFailedFuture(ConnectionLost()) : body()
        }
    }

    // MARK: Database

    var context: DatabaseContext { inner.context }
    var inTransaction: Bool { true }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        guarded { [inner] in inner.execute(query: query, onOutput: onOutput) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        guarded { [inner] in inner.execute(schema: schema) }
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        guarded { [inner] in inner.execute(enum: `enum`) }
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closure(self) }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closure(self) }

    // MARK: SQLDatabase

    var logger: Logger { inner.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { inner.version }
    var dialect: any SQLDialect { inner.dialect }
    var queryLogLevel: Logger.Level? { inner.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        guarded { [inner] in inner.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

extension Storage {
    /// A PostgreSQL transaction on one pooled connection, every statement
    /// guarded (`GuardedConnection`). Whatever happens to the connection, this
    /// returns, and the connection goes back to the pool (which drops it if
    /// it has closed).
    func guardedTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await database.withConnection { scoped in
            let sql = scoped as! any Database & SQLDatabase
            return (scoped as! any PostgresDatabase).withConnection { connection in
                let db = GuardedConnection(inner: sql, connection: connection)
                return connection.eventLoop.makeFutureWithTask {
                    try await db.raw("BEGIN").run()
                    do {
                        let result = try await body(db)
                        try await db.raw("COMMIT").run()
                        return result
                    } catch {
                        // A closed connection fails this at once; the first error is the one to tell.
                        try? await db.raw("ROLLBACK").run()
                        throw error
                    }
                }
            }
        }.get()
    }
}
