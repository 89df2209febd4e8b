import AsyncKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Bad input gets a clear refusal, never a 500, and the server keeps serving.
@Suite struct RobustnessTests {
    @Test func malformedRequestsNeverGive500() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            try await b.signIn("coordinator@demo.invalid")
            let service = try await app.network.repository.service(slug: "tukichat")!.id
            let formPaths = [
                "/signin", "/profile", "/profile/password", "/admin/services/new", "/admin/services/\(service)",
                "/admin/services/\(service)/hours", "/admin/services/\(service)/exceptions", "/admin/organisations",
                "/admin/staff/new", "/reset/abc", "/signout",
            ]
            let bodies = [
                "%", "%zz=1", "a=%E0%A4%A", "=&=&&", String(repeating: "x", count: 70_000), "csrf=test-csrf-token&\u{0}=\u{0}",
                "csrf=test-csrf-token&opens_1=99999999999999999999&closes_1=-1&day=9999-99-99&email=" + String(repeating: "a", count: 5000),
            ]
            var generator = SystemRandomNumberGenerator()
            var all = bodies
            for _ in 0..<40 {
                let bytes = (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                all.append("csrf=test-csrf-token&" + String(decoding: bytes, as: UTF8.self))
            }
            for path in formPaths {
                for body in all {
                    let r = try await client.execute(
                        uri: path, method: .post,
                        headers: [
                            .contentType: "application/x-www-form-urlencoded",
                            .cookie: "k_csrf=test-csrf-token; k_session=\(b.cookies["k_session"]!)",
                        ],
                        body: ByteBuffer(string: body))
                    #expect(r.status.code < 500, "\(path) with \(body.prefix(40)) gave \(r.status)")
                }
            }
            for body in ["", "null", "[]", "{}", #"{"email":1,"password":[]}"#, String(repeating: "[", count: 10_000), "\u{FEFF}{}"] {
                let r = try await b.json(.post, "/api/session", body)
                #expect((400..<500).contains(r.status.code), "\(body.prefix(20)) gave \(r.status)")
                #expect(errorCode(r) != nil)
            }
            for uri in [
                "/s/%", "/s/\u{202E}x", "/admin/services/not-a-uuid", "/reset/" + String(repeating: "a", count: 3000), "/static/../../etc/passwd",
                "/lang/fi?next=%", "/?%%%", "/admin/services/\(service)/exceptions/not-a-day/delete",
            ] {
                let r = try await b.get(uri)
                #expect(r.status.code < 500, "\(uri) gave \(r.status)")
            }
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    /// Every role's context reads at most 64 KiB of a form (413 above it,
    /// the page in the reader's language), not Hummingbird's 2 MiB.
    /// An overloaded server (every database connection busy past the
    /// pool's wait) answers 503 with Retry-After, which a program retries,
    /// not 500, which says it is broken; the page says "try again".
    @Test func aBusyDatabaseIsATryAgainNotABreakage() {
        let busy = ErrorMiddleware.appError(for: ConnectionPoolTimeoutError.connectionRequestTimeout)
        #expect(busy.status == .serviceUnavailable)
        #expect(busy.code == "unavailable")
        #expect(busy.headers[.retryAfter] == "1")
        #expect(ErrorMiddleware.appError(for: CancellationError()).status == .internalServerError)
    }

    @Test func aFormOver64KiBIsRefusedInEveryContext() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            try await b.signIn("coordinator@demo.invalid")
            // /signin: the public context; /profile: staff; /admin/staff/new: coordinator.
            for path in ["/signin", "/profile", "/admin/staff/new"] {
                for (size, refused) in [(60_000, false), (70_000, true)] {
                    let body = "csrf=test-csrf-token&x=" + String(repeating: "a", count: size)
                    let r = try await client.execute(
                        uri: path, method: .post,
                        headers: [
                            .contentType: "application/x-www-form-urlencoded",
                            .cookie: "k_csrf=test-csrf-token; k_session=\(b.cookies["k_session"]!)",
                        ],
                        body: ByteBuffer(string: body))
                    #expect((r.status == .contentTooLarge) == refused, "\(path) with \(size) bytes gave \(r.status)")
                }
            }
        }
    }

    @Test func migrationsTwiceAreHarmlessAndDemoRefusesData() async throws {
        let (configuration, drop) = try await TestDatabase.make()
        let first = try await Kohtaamo.open(configuration: configuration, bcryptCost: 4)
        try await first.fillDemo(password: demoPassword)
        await first.storage.close()
        let second = try await Kohtaamo.open(configuration: configuration, bcryptCost: 4)
        // Network coordinator, coordinator, two workers, a volunteer and the library's digital guide.
        #expect(try await second.accounts.service.repository.countStaff() == 6)
        do {
            try await second.fillDemo(password: demoPassword)
            Issue.record("demo filled a database with data")
        } catch Kohtaamo.SetupError.notEmpty {}
        #expect(try await second.accounts.service.repository.countStaff() == 6)
        await second.storage.close()
        await drop()
    }

    @Test func createAdminOnEmptyDatabase() async throws {
        let (configuration, drop) = try await TestDatabase.make()
        let k = try await Kohtaamo.open(configuration: configuration, bcryptCost: 4)
        try await k.createAdmin(email: "Admin@Example.fi", password: "pitkä salasana 1", organisationName: "Oma ry", networkName: "Alue")
        let admin = try await k.accounts.service.repository.staff(email: "admin@example.fi")
        #expect(admin?.role == .networkCoordinator)
        #expect(try await k.network.repository.networks().first?.names.fi == "Alue")
        await #expect(throws: Kohtaamo.SetupError.self) {
            try await k.createAdmin(email: "admin@example.fi", password: "pitkä salasana 1", organisationName: "", networkName: "")
        }
        await #expect(throws: Kohtaamo.SetupError.self) {
            try await k.createAdmin(email: "not an email", password: "pitkä salasana 1", organisationName: "", networkName: "")
        }
        await k.storage.close()
        await drop()
    }
}
