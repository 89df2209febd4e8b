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

/// Every form needs the CSRF token that matches its cookie; other sites are refused.
@Suite struct CSRFTests {
    @Test func formWithoutTokenIsRefused() async throws {
        try await withApp { _, client in
            let b = Browser(client, language: "en")
            let r = try await b.post("/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)], csrf: false)
            #expect(r.status == .forbidden)
            #expect(r.text.contains("The form expired"))
            #expect(b.cookies["k_session"] == nil)
        }
    }

    @Test func tokenMustMatchTheCookie() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            try await b.signIn("coordinator@demo.invalid")
            let r = try await b.post("/admin/organisations/\(UUID())", [("nameFi", "X"), ("csrf", "other-token")], csrf: false)
            #expect(r.status == .forbidden)
            b.cookies["k_csrf"] = nil
            #expect(try await b.post("/profile", [("workName", "Uusi nimi"), ("csrf", "test-csrf-token")], csrf: false).status == .forbidden)
        }
    }

    @Test func signInPageIssuesTheCookie() async throws {
        try await withApp { _, client in
            let r = try await client.execute(uri: "/signin", method: .get)
            let cookie = r.headers[values: .setCookie].first { $0.hasPrefix("k_csrf=") }
            #expect(cookie?.contains("HttpOnly") == true)
            let token = String(cookie!.dropFirst("k_csrf=".count).prefix { $0 != ";" })
            // The page carries the token masked, never as the cookie has it,
            // and masked anew each time (pages are gzipped: BREACH).
            #expect(!r.text.contains(token))
            let again = try await client.execute(uri: "/signin", method: .get, headers: [.cookie: "k_csrf=\(token)"])
            let first = Self.formToken(r.text), second = Self.formToken(again.text)
            #expect(first?.hasPrefix("m.") == true && second?.hasPrefix("m.") == true && first != second)
            // Either masked form signs in with that cookie; one masked for another cookie does not.
            for sent in [first, second] {
                let ok = try await client.execute(
                    uri: "/signin", method: .post,
                    headers: [.cookie: "k_csrf=\(token)", .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "email=worker1%40demo.invalid&password=\(demoPassword)&csrf=\(sent ?? "")"))
                #expect(ok.status == .seeOther)
            }
            let other = try await client.execute(
                uri: "/signin", method: .post,
                headers: [.cookie: "k_csrf=someone-elses", .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "email=worker1%40demo.invalid&password=\(demoPassword)&csrf=\(first ?? "")"))
            #expect(other.status == .forbidden)
            // Pages without a form set no cookie at all.
            #expect(try await client.execute(uri: "/", method: .get).headers[values: .setCookie].isEmpty)
        }
    }

    static func formToken(_ html: String) -> String? {
        guard let start = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    /// Chromium sends `Origin: null` on a site's own form posts when the
    /// referrer policy is no-referrer; the CSRF token decides then.
    @Test func nullOriginWithTokenIsAccepted() async throws {
        try await withApp { _, client in
            let ok = try await Browser(client).post(
                "/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)],
                headers: [.origin: "null"])
            #expect(ok.status == .seeOther)
            let noToken = try await Browser(client).post(
                "/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)],
                csrf: false, headers: [.origin: "null"])
            #expect(noToken.status == .forbidden)
        }
    }

    @Test func foreignOriginOnFormIsRefused() async throws {
        try await withApp { _, client in
            let r = try await Browser(client).post(
                "/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)],
                headers: [.origin: "https://evil.example"])
            #expect(r.status == .forbidden)
        }
    }
}
