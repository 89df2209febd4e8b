import Foundation
import HTTPTypes
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

/// Public pages, headers, static files, health, metrics and languages.
@Suite struct PagesTests {
    @Test func securityHeadersOnEveryAnswer() async throws {
        try await withApp { _, client in
            for uri in ["/", "/s/tukichat", "/signin", "/no-such-page", "/healthz"] {
                let r = try await client.execute(uri: uri, method: .get)
                let csp = r.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("script-src 'self'"), "\(uri)")
                #expect(csp.contains("frame-ancestors 'none'"), "\(uri)")
                #expect(!csp.contains("unsafe-inline"), "\(uri)")
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(uri)")
                #expect(r.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
            }
        }
    }

    @Test func frontPageListsOpenAndClosedServices() async throws {
        try await withApp { _, client in
            let r = try await client.execute(uri: "/", method: .get)
            #expect(r.status == .ok)
            #expect(r.text.contains(#"<html lang="fi">"#))
            #expect(r.text.contains("<title>Palvelut – Kohtaamo</title>"))
            #expect(r.text.contains("Tukichat"))
            #expect(r.text.contains("Auki nyt. Auki koko ajan."))
            #expect(r.text.contains("Suljettu nyt. Aukeaa tänään klo 18.00."))  // the relatives' group, Tuesday 18–19.30
            #expect(r.text.contains(##"href="#main""##))
            // The way to the public finder of digital help, for those who came for it.
            #expect(r.text.contains(#"<a href="/finder">Etsi digitukea</a>"#))
            #expect(!r.text.contains("<script"))  // public pages need no JavaScript
        }
    }

    @Test func notFoundPageInTheReadersLanguage() async throws {
        try await withApp { _, client in
            let fi = try await Browser(client).get("/ei-ole")
            #expect(fi.status == .notFound)
            #expect(fi.text.contains("Sivua ei löydy"))
            let sv = try await Browser(client, language: "sv-FI").get("/s/ei-ole")
            #expect(sv.status == .notFound)
            #expect(sv.text.contains("Sidan finns inte"))
            #expect(sv.text.contains(#"<html lang="sv">"#))
            let api = try await Browser(client, language: "en").get("/api/nothing")
            #expect(api.status == .notFound)
            #expect(errorCode(api) == "not_found")
        }
    }

    @Test func languageSwitchIsRememberedAndReturnsToThePage() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let r = try await b.get("/lang/en?next=%2Fs%2Ftukichat")
            #expect(r.status == .seeOther)
            #expect(r.location == "/s/tukichat")
            #expect(r.headers[values: .setCookie].first { $0.hasPrefix("k_lang=en") }?.contains("Max-Age=31536000") == true)
            let page = try await b.get("/s/tukichat")
            #expect(page.text.contains(#"<html lang="en">"#))
            #expect(page.text.contains("Support chat"))
            #expect(try await b.get("/lang/en?next=https://evil.example").location == "/")
            #expect(try await b.get("/lang/de").status == .notFound)
        }
    }

    @Test func staticFilesAreCachedForAYearAndCompressed() async throws {
        try await withApp { app, client in
            let url = app.views.assets.url("app.css")
            let plain = try await client.execute(uri: url, method: .get)
            #expect(plain.status == .ok)
            #expect(plain.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(plain.headers[.contentType] == "text/css; charset=utf-8")
            #expect(plain.text.contains(":focus-visible"))
            let gzip = try await client.execute(uri: url, method: .get, headers: [.acceptEncoding: "gzip, br"])
            #expect(gzip.headers[.contentEncoding] == "gzip")
            #expect(gzip.body.readableBytes < plain.body.readableBytes / 2)
            #expect(try await client.execute(uri: "/static/000000000000/app.css", method: .get).headers[.cacheControl] == "no-cache")
            #expect(try await client.execute(uri: "/static/x/nothing.css", method: .get).status == .notFound)
        }
    }

    @Test func healthAndMetrics() async throws {
        try await withApp { app, client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(app.storage.kind == (TestDatabase.postgresURL == nil ? .sqlite : .postgres))
            #expect(health.text.contains(#""database":"\#(app.storage.kind.rawValue)""#))
            // The router test has no peer address: not known to be this machine, so no figures.
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
        }
    }

    /// With a token set, `/metrics` answers only that bearer token.
    @Test func metricsWithATokenAskForIt() async throws {
        let token = "m3tr1cs-t0ken-for-tests"
        try await withApp(configure: { $0.metricsToken = token }) { _, client in
            _ = try await client.execute(uri: "/s/tukichat", method: .get)
            let none = try await client.execute(uri: "/metrics", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            #expect(errorCode(none) == "unauthorized")
            #expect(
                try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong-token-of-any-length"]).status
                    == .unauthorized)
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("hb_requests"))
            #expect(metrics.text.contains(#"/s/{slug}"#))
        }
    }

    /// Without a token: only a request from this machine that no proxy forwarded.
    @Test func metricsWithoutATokenOnlyOnThisMachine() async throws {
        try await withLiveApp { _, client, _ in
            // A request first, so the counters exist whichever tests ran before.
            _ = try await client.execute(uri: "/", method: .get)
            let local = try await client.execute(uri: "/metrics", method: .get)
            #expect(local.status == .ok)
            #expect(local.text.contains("hb_requests"))
            for header in [HTTPField.Name.xForwardedFor, .forwarded, .xForwardedProto, .xRealIP] {
                #expect(try await client.execute(uri: "/metrics", method: .get, headers: [header: "https"]).status == .notFound, "\(header)")
            }
        }
    }

    /// Browsers ask for /favicon.ico; pages link the same icon.
    @Test func theIconIsServedAndLinked() async throws {
        try await withApp { _, client in
            let icon = try await client.execute(uri: "/favicon.ico", method: .get)
            #expect(icon.status == .ok)
            #expect(icon.headers[.contentType] == "image/svg+xml")
            #expect(icon.text.hasPrefix("<svg"))
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.text.contains(#"<link rel="icon" href="/static/"#))
        }
    }

    @Test func pagesEscapeWhatPeopleWrote() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            try await b.signIn("worker1@demo.invalid")
            #expect(
                try await b.post("/profile", [("workName", #"<script>alert(1)</script>"#), ("workingHours", #""><img src=x onerror=alert(1)>"#)])
                    .status == .seeOther)
            let page = try await b.get("/profile").text
            #expect(!page.contains("<script>alert"))
            #expect(!page.contains("<img src=x"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            _ = app
        }
    }
}
