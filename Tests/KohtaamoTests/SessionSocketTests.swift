import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import NIOWebSocket
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// A staff member's sockets live only as long as the sign-in they were
/// opened under: signing out closes that one's sockets at once (shared
/// computers), deactivation closes all of them.
@Suite struct SessionSocketTests {
    /// True when the socket still answers a frame.
    func answers(_ socket: TestSocket) async -> Bool {
        socket.send(#"{"t":"sync","c":"\#(UUID().uuidString.lowercased())","after":0}"#)
        return await socket.next("error", timeout: .seconds(5)) != nil
    }

    @Test func signingOutClosesThatSignInsSocketsAndDeactivationAllOfThem() async throws {
        try await withLiveApp { app, client, port in
            let first = try await signInCookie(client, "worker1@demo.invalid")
            let second = try await signInCookie(client, "worker1@demo.invalid")
            let a = TestSocket(port: port, cookie: first)
            let b = TestSocket(port: port, cookie: second)
            #expect(await answers(a))
            #expect(await answers(b))

            let out = try await client.execute(uri: "/api/session", method: .delete, headers: [.cookie: first])
            #expect(out.status == .noContent)
            #expect(await a.closeCode() == .policyViolation, "the signed-out socket ended")
            #expect(await answers(b), "the other sign-in's socket stays")

            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let worker = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            let off = try await coordinator.post(
                "/admin/staff/\(worker.id.uuidString)", [("role", "worker"), ("organisation", worker.organisationID.uuidString)])
            #expect(off.status == .seeOther)
            #expect(await b.closeCode() == .policyViolation, "a deactivated person's sockets end")
            // And a new one is not opened.
            let c = TestSocket(port: port, cookie: second)
            #expect(await answers(c) == false)
        }
    }

    @Test func aSignInThatRunsOutClosesItsSockets() async throws {
        try await withLiveApp { app, client, port in
            let cookie = try await signInCookie(client, "worker1@demo.invalid")
            // The sign-in has a few seconds left: enough to open the socket on a
            // busy machine (a second and a half was not, once, on PostgreSQL;
            // four were not, twice, at a load of 10 on 2 cores).
            try await SessionModel.query(on: app.storage.database).set(\.$expiresAt, to: Date().addingTimeInterval(8)).update()
            let socket = TestSocket(port: port, cookie: cookie)
            #expect(await answers(socket))
            #expect(await socket.closeCode(within: .seconds(20)) == .policyViolation)
        }
    }
}
