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

/// Staff sign-in by form and JSON, sessions, and the lock-out.
@Suite struct SignInTests {
    @Test func formSignInGivesSessionCookieAndSignOutEndsIt() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let r = try await b.post("/signin", [("email", "Coordinator@Demo.Invalid"), ("password", demoPassword)])
            #expect(r.status == .seeOther)
            #expect(r.location == "/admin")
            let cookie = r.headers[values: .setCookie].first { $0.hasPrefix("k_session=") } ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))  // no https public URL configured
            #expect(try await b.get("/admin").status == .ok)
            #expect(try await b.post("/signout").status == .seeOther)
            #expect(b.cookies["k_session"] == nil)
            #expect(try await b.get("/admin").location?.hasPrefix("/signin") == true)
        }
    }

    @Test func cookiesAreSecureBehindAnHttpsAddress() async throws {
        try await withApp(configure: { $0.publicURL = "https://tuki.example.fi" }) { _, client in
            let r = try await Browser(client).post("/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)])
            let cookie = r.headers[values: .setCookie].first { $0.hasPrefix("k_session=") } ?? ""
            #expect(cookie.contains("Secure"))
            // The public address counts as this server's own origin.
            let api = try await Browser(client).json(
                .post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#,
                headers: [.origin: "https://tuki.example.fi"])
            #expect(api.status == .noContent)
        }
    }

    @Test func workerLandsOnProfileAndNextIsKeptOnSite() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let r = try await b.post("/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)])
            #expect(r.location == "/profile")
            let other = Browser(client)
            let r2 = try await other.post("/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword), ("next", "//evil.example/x")])
            #expect(r2.location == "/profile")
            let r3 = try await Browser(client).post(
                "/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword), ("next", "/profile?x=1")])
            #expect(r3.location == "/profile?x=1")
        }
    }

    @Test func wrongPasswordAndUnknownEmailLookTheSame() async throws {
        try await withApp { _, client in
            let wrong = try await Browser(client, language: "en").post(
                "/signin", [("email", "worker1@demo.invalid"), ("password", "not-the-password")])
            let unknown = try await Browser(client, language: "en").post(
                "/signin", [("email", "nobody@demo.invalid"), ("password", "not-the-password")])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.text.contains("The email or password is wrong."))
            // The same page but for the email and the CSRF token, masked anew in every page.
            let same = { (text: String, email: String) in
                text.replacingOccurrences(of: email, with: "X").replacing(/m\.[A-Za-z0-9_-]+/, with: "m.")
            }
            #expect(same(wrong.text, "worker1@demo.invalid") == same(unknown.text, "nobody@demo.invalid"))
        }
    }

    @Test func lockOutAfterFiveFailuresForExistingAndUnknownAlike() async throws {
        try await withApp { app, client in
            for email in ["worker1@demo.invalid", "nobody@demo.invalid"] {
                for attempt in 1...5 {
                    let r = try await Browser(client).json(.post, "/api/session", #"{"email":"\#(email)","password":"wrong-password"}"#)
                    #expect(r.status == (attempt < 5 ? .unauthorized : .tooManyRequests), "\(email) attempt \(attempt)")
                }
                let locked = try await Browser(client).json(.post, "/api/session", #"{"email":"\#(email)","password":"\#(demoPassword)"}"#)
                #expect(locked.status == .tooManyRequests)
                #expect(errorCode(locked) == "too_many_attempts")
                #expect(locked.headers[.retryAfter] != nil)
            }
            // The lock ends after 15 minutes; the right password works again.
            app.clock.advance(by: 15 * 60 + 1)
            let ok = try await Browser(client).json(.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#)
            #expect(ok.status == .noContent)
        }
    }

    @Test func failuresSpreadOverTimeDoNotLock() async throws {
        try await withApp { app, client in
            for _ in 1...8 {
                let r = try await Browser(client).json(.post, "/api/session", #"{"email":"worker2@demo.invalid","password":"wrong-password"}"#)
                #expect(r.status == .unauthorized)
                app.clock.advance(by: 4 * 60)  // 4 failures per 16 minutes stay under the limit
            }
        }
    }

    @Test func jsonSessionEntryPoints() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let r = try await b.json(.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#)
            #expect(r.status == .noContent)
            #expect(b.cookies["k_session"] != nil)
            let token = try #require(b.cookies["k_session"])
            #expect(try await b.json(.delete, "/api/session", nil).status == .noContent)
            // The old token no longer works even if a client kept it.
            b.cookies["k_session"] = token
            let again = try await b.json(.delete, "/api/session", nil)
            #expect(again.status == .unauthorized)
            #expect(errorCode(again) == "unauthorized")
        }
    }

    @Test func jsonSignInRefusesBadRequests() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let wrong = try await b.json(.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"nope-nope-nope"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(errorCode(wrong) == "invalid_credentials")
            let badJSON = try await b.json(.post, "/api/session", #"{"email": "#)
            #expect(badJSON.status == .badRequest)
            #expect(errorCode(badJSON) == "bad_json")
            let form = try await b.json(.post, "/api/session", "email=a&password=b", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == .unsupportedMediaType)
            #expect(errorCode(form) == "unsupported_media_type")
            let foreign = try await b.json(
                .post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#,
                headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden)
            #expect(errorCode(foreign) == "bad_origin")
            #expect(b.cookies["k_session"] == nil)
        }
    }

    @Test func messagesFollowTheLanguage() async throws {
        try await withApp { _, client in
            let sv = try await Browser(client, language: "sv").json(.post, "/api/session", #"{"email":"x@demo.invalid","password":"y"}"#)
            #expect(
                (try JSONSerialization.jsonObject(with: Data(sv.text.utf8)) as? [String: String])?["message"]
                    == "E-postadressen eller lösenordet är fel.")
        }
    }

    @Test func deactivatedAccountCannotSignIn() async throws {
        try await withApp { app, client in
            let worker = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            let b = Browser(client)
            try await b.signIn("worker1@demo.invalid")
            try await app.accounts.service.repository.updateStaff(id: worker.id, organisationID: worker.organisationID, role: .worker, active: false)
            #expect(try await b.get("/profile").status == .seeOther)  // the session no longer counts
            #expect(
                try await Browser(client).post("/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)]).status == .unauthorized)
        }
    }
}
