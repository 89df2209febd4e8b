import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Which database the suite runs on: SQLite files by default, PostgreSQL when
/// `KOHTAAMO_TEST_DATABASE_URL` names a server (scripts/test sets it).
enum TestDatabase {
    static let postgresURL = ProcessInfo.processInfo.environment["KOHTAAMO_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// A fresh, empty database for one test; dropped by `drop`.
    static func make() async throws -> (configuration: Configuration, drop: @Sendable () async -> Void) {
        var configuration = Configuration()
        configuration.logLevel = .warning
        // Many tests run at once, each with its own pool: keep each small.
        configuration.databasePoolSize = 2
        // Every test has its own data directory (the master key lives there).
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kohtaamo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        configuration.dataDirectory = dir.path
        await DatabaseGate.shared.enter()
        if let base = postgresURL {
            let name = "k_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
            let admin: Storage
            do { admin = try await Storage(sqlitePath: nil, postgresURL: base, poolSize: 1, logger: .init(label: "test")) } catch {
                await DatabaseGate.shared.leave()
                throw error
            }
            // template0 takes no connections, so parallel tests' CREATE DATABASE
            // cannot collide on a busy template1; a retry covers the rest.
            var attempt = 0
            while true {
                do {
                    _ = try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name) TEMPLATE template0 ENCODING 'UTF8'").all()
                    break
                } catch {
                    attempt += 1
                    if attempt >= 5 {
                        await admin.close()
                        await DatabaseGate.shared.leave()
                        throw error
                    }
                    try await Task.sleep(for: .milliseconds(100 * attempt))
                }
            }
            var components = URLComponents(string: base)!
            components.path = "/" + name
            configuration.databaseURL = components.string!
            return (
                configuration,
                {
                    _ = try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").all()
                    await admin.close()
                    try? FileManager.default.removeItem(at: dir)
                    await DatabaseGate.shared.leave()
                }
            )
        }
        return (
            configuration,
            {
                try? FileManager.default.removeItem(at: dir)
                await DatabaseGate.shared.leave()
            }
        )
    }
}

/// How many tests hold a database at once. Swift Testing starts every test
/// together, and each holds pools (its app's, a second node's, the admin
/// one): on PostgreSQL 177 tests at once passed the throw-away server's 600
/// connections ("too many clients"); on SQLite their blocking calls queue
/// for the same two threads, and in CI sign-ins waited past the pool's 10 s
/// (ConnectionPoolTimeoutError, a 500). Fewer at once is also faster.
actor DatabaseGate {
    static let shared = DatabaseGate(limit: TestDatabase.postgresURL == nil ? 12 : 24)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func enter() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// The demo password every seeded account has.
let demoPassword = "demo-pass-123"

/// Runs `body` against a real application on a fresh database, filled with
/// the demo network unless `demo` is false. The clock starts at a fixed
/// Tuesday noon in Helsinki (2026-11-24 12:00 +02:00) unless given.
///
/// The server's periodic services (`Kohtaamo.periodicServices`: retention,
/// group schedules, the escalation sweep, the finder's visits) run only
/// when `periodic` is true. Each runs at start and then on a timer of real
/// seconds, by the app's clock wherever the test has moved it: a run that
/// falls inside a test changes what the test counts (CI once counted 5
/// escalations where 3 were due), or closes a room the test has just opened
/// (a schedule read before the coordinator's change, applied after it).
/// Tests run the rule they check themselves (`sweep`, `runOnce`,
/// `applySchedules`, `flush`), at the moment they choose.
func withApp<T: Sendable>(
    demo: Bool = true,
    now: Date = Date(timeIntervalSince1970: 1_795_514_400),
    periodic: Bool = false,
    configure: (inout Configuration) -> Void = { _ in },
    _ body: @Sendable (Kohtaamo, any TestClientProtocol) async throws -> T
) async throws -> T {
    try await onFreshApp(demo: demo, now: now, configure: configure, closesStorage: true) { kohtaamo in
        try await kohtaamo.application(periodic: periodic).test(.router) { client in try await body(kohtaamo, client) }
    }
}

/// The app's parts on a fresh database (with the demo network if `demo`),
/// with no server and none of its background services: for tests that need
/// no requests and move the clock or count what a periodic service changes.
func withAppParts<T: Sendable>(
    demo: Bool = false, now: Date = Date(timeIntervalSince1970: 1_795_514_400), _ body: @Sendable (Kohtaamo) async throws -> T
) async throws -> T {
    try await onFreshApp(demo: demo, now: now, closesStorage: false, body)
}

/// Opens the app on a fresh database, fills the demo if asked, runs `body`,
/// then drops the database. `closesStorage`: the body runs the application,
/// whose services close the storage when it ends; otherwise it is closed here.
/// On an error the storage is closed here either way.
private func onFreshApp<T: Sendable>(
    demo: Bool, now: Date, configure: (inout Configuration) -> Void = { _ in }, closesStorage: Bool,
    _ body: @Sendable (Kohtaamo) async throws -> T
) async throws -> T {
    var (configuration, drop) = try await TestDatabase.make()
    configure(&configuration)
    let kohtaamo = try await Kohtaamo.open(configuration: configuration, clock: AppClock(fixed: now), bcryptCost: 4)
    do {
        if demo { try await kohtaamo.fillDemo(password: demoPassword) }
        let result = try await body(kohtaamo)
        if !closesStorage { await kohtaamo.storage.close() }
        await drop()
        return result
    } catch {
        await kohtaamo.storage.close()
        await drop()
        throw DetailedError(error)
    }
}

/// Shows what a database error really was (PostgresNIO hides it in `description`).
struct DetailedError: Error, CustomStringConvertible {
    let description: String
    init(_ error: any Error) { description = String(reflecting: error).prefix(2000).description }
}

/// A browser stand-in: keeps cookies, sends the CSRF token with forms.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String]
    var language: String?

    init(_ client: any TestClientProtocol, language: String? = nil) {
        self.client = client
        self.language = language
        // Double-submit: any random value works as long as cookie and field match.
        cookies = ["k_csrf": "test-csrf-token"]
    }

    var csrf: String { cookies["k_csrf"]! }
    /// The cookies as one `Cookie` header (for sockets).
    var cookieLine: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    private func headers(_ extra: HTTPFields) -> HTTPFields {
        var h = extra
        if !cookies.isEmpty { h[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let language { h[.acceptLanguage] = language }
        return h
    }

    private func remember(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2 else { continue }
            if value.contains("Max-Age=0") || pair[1].isEmpty { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
    }

    @discardableResult
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        let r = try await client.execute(uri: uri, method: .get, headers: self.headers(headers))
        remember(r)
        return r
    }

    /// Posts a form; the CSRF field is added unless `csrf` is false.
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)] = [], csrf: Bool = true, headers: HTTPFields = [:]) async throws -> TestResponse {
        var all = fields
        if csrf { all.append(("csrf", self.csrf)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var h = headers
        h[.contentType] = "application/x-www-form-urlencoded"
        let r = try await client.execute(uri: uri, method: .post, headers: self.headers(h), body: ByteBuffer(string: body))
        remember(r)
        return r
    }

    @discardableResult
    func json(_ method: HTTPRequest.Method, _ uri: String, _ body: String?, headers: HTTPFields = [:]) async throws -> TestResponse {
        var h = headers
        if body != nil, h[.contentType] == nil { h[.contentType] = "application/json" }
        let r = try await client.execute(uri: uri, method: method, headers: self.headers(h), body: body.map { ByteBuffer(string: $0) })
        remember(r)
        return r
    }

    /// Any bytes as a JSON body (also invalid UTF-8).
    @discardableResult
    func json(_ method: HTTPRequest.Method, _ uri: String, bytes: [UInt8]) async throws -> TestResponse {
        let r = try await client.execute(
            uri: uri, method: method, headers: self.headers([.contentType: "application/json"]), body: ByteBuffer(bytes: bytes))
        remember(r)
        return r
    }

    /// Signs in through the form; expects success.
    func signIn(_ email: String, password: String = demoPassword) async throws {
        let r = try await post("/signin", [("email", email), ("password", password)])
        #expect(r.status == .seeOther, "sign-in of \(email) failed: \(r.status)")
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed)!
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
}

/// A JSON error body's code.
func errorCode(_ r: TestResponse) -> String? {
    (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any])?["code"] as? String
}

/// Every byte of the database as a thief would copy it.
func rawDatabase(_ configuration: Configuration) throws -> Data {
    guard let url = configuration.databaseURL else {
        var all = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: configuration.sqlitePath + suffix) { all.append(data) }
        }
        return all
    }
    let dump = Process()
    dump.executableURL = URL(
        fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/usr/bin/pg_dump") ? "/usr/bin/pg_dump" : "/usr/lib/postgresql/15/bin/pg_dump")
    dump.arguments = ["--data-only", url]
    let out = Pipe()
    dump.standardOutput = out
    try dump.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    dump.waitUntilExit()
    #expect(dump.terminationStatus == 0)
    return data
}

/// The demo's finder without its help points (Oulu's library and chat), for
/// suites that count the points they make themselves.
func withoutDemoFinder(_ app: Kohtaamo) async throws {
    try await app.storage.writeSQL { sql in
        for table in ["finder_exceptions", "finder_hours", "finder_points", "finder_municipalities"] {
            try await sql.raw("DELETE FROM \(unsafeRaw: table)").run()
        }
    }
}
