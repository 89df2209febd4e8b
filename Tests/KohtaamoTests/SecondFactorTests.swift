import Foundation
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// The staff second factor: set up from the profile with the secret the
/// page shows, codes asked at sign-in (form and JSON), each code once,
/// recovery codes, the lock-out, and an organisation's rule.
@Suite struct SecondFactorTests {
    /// What an authenticator app does with the typed key: base32 back to the secret.
    static func secret(fromPage html: String) throws -> String {
        let typed = try #require(html.firstMatch(of: /id="secret">([A-Z2-7 ]+)</)?.1).filter { $0 != " " }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0, value = 0
        var bytes: [UInt8] = []
        for c in typed {
            value = (value << 5) | alphabet.firstIndex(of: c)!
            bits += 5
            if bits >= 8 { bytes.append(UInt8((value >> (bits - 8)) & 0xFF)); bits -= 8 }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func code(_ secret: String, _ app: Kohtaamo) -> String {
        String(format: "%06d", TOTP(secret: secret).compute(date: app.clock.now))
    }

    static func recoveryCodes(_ html: String) -> [String] {
        html.matches(of: /<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/).map { String($0.1) }
    }

    static func challenge(_ html: String) throws -> String {
        String(try #require(html.firstMatch(of: /name="challenge" value="([^"]+)"/)?.1))
    }

    /// Sets up the factor for a signed-in browser; returns the secret and the recovery codes.
    static func setUp(_ browser: Browser, _ app: Kohtaamo) async throws -> (secret: String, codes: [String]) {
        let page = try await browser.get("/profile/second-factor")
        #expect(page.status == .ok)
        #expect(page.text.contains("<svg") && page.text.contains("role=\"img\""))
        let secret = try secret(fromPage: page.text)
        let confirmed = try await browser.post("/profile/second-factor", [("code", code(secret, app))])
        #expect(confirmed.status == .ok)
        let codes = recoveryCodes(confirmed.text)
        #expect(codes.count == AccountService.recoveryCodeCount)
        return (secret, codes)
    }

    @Test func theLibraryComputesRFC6238sOwnExample() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082, of which six digits.
        #expect(TOTP(secret: "12345678901234567890").compute(date: Date(timeIntervalSince1970: 59)) == 287082)
    }

    @Test func setUpFromTheProfileThenTheFormSignInAsksForTheCode() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let page = try await worker.get("/profile/second-factor")
            let secret = try Self.secret(fromPage: page.text)
            // Reloading keeps the secret already scanned.
            #expect(try Self.secret(fromPage: try await worker.get("/profile/second-factor").text) == secret)
            let wrong = try await worker.post("/profile/second-factor", [("code", "000000")])
            #expect(wrong.status == .badRequest && wrong.text.contains("The code is wrong"))
            #expect(
                try await app.accounts.service.repository.secondFactor(
                    staffID: app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id)?.confirmed == false)
            let done = try await worker.post("/profile/second-factor", [("code", Self.code(secret, app))])
            #expect(Self.recoveryCodes(done.text).count == 10)
            #expect(try await worker.get("/profile").text.contains("The second factor is on"))

            // A new sign-in: the password alone gives no session.
            let again = Browser(client, language: "en")
            let first = try await again.post("/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)])
            #expect(first.status == .ok && again.cookies["k_session"] == nil)
            let challenge = try Self.challenge(first.text)
            let bad = try await again.post("/signin/code", [("challenge", challenge), ("code", "123456")])
            #expect(bad.status == .unauthorized && again.cookies["k_session"] == nil)
            // The code used to turn it on does not work again; the next one does.
            let replay = try await again.post("/signin/code", [("challenge", challenge), ("code", Self.code(secret, app))])
            #expect(replay.status == .unauthorized)
            app.clock.advance(by: 30)
            let good = try await again.post("/signin/code", [("challenge", challenge), ("code", Self.code(secret, app))])
            #expect(good.status == .seeOther && again.cookies["k_session"] != nil)
            #expect(try await again.get("/profile").status == .ok)
            // The challenge is used up.
            let reused = try await Browser(client, language: "en").post("/signin/code", [("challenge", challenge), ("code", "123456")])
            #expect(reused.text.contains("The sign-in ran out"))
            let org = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.organisationID
            let actions = try await app.audit.entries(organisations: [org]).map(\.action)
            #expect(actions.contains("second_factor.on") && actions.contains("signin.code_failed"))
        }
    }

    @Test func theJSONSignInTakesTheCodeOnceAndRecoveryCodesOnce() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let (secret, codes) = try await Self.setUp(worker, app)
            app.clock.advance(by: 30)
            func signIn(_ code: String?) async throws -> TestResponse {
                let field = code.map { #","code":"\#($0)""# } ?? ""
                return try await Browser(client, language: "en").json(
                    .post, "/api/session",
                    #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"\#(field)}"#)
            }
            let missing = try await signIn(nil)
            #expect(missing.status == .unauthorized && errorCode(missing) == "code_required")
            #expect(missing.text.contains("Also give the code"))
            let wrong = try await signIn("000000")
            #expect(wrong.status == .unauthorized && errorCode(wrong) == "invalid_code")
            let code = Self.code(secret, app)
            #expect(try await signIn(code).status == .noContent)
            #expect(errorCode(try await signIn(code)) == "invalid_code", "a code works once")
            // A recovery code, with or without its dash and in capitals, works once.
            let recovery = codes[3].uppercased().replacingOccurrences(of: "-", with: " ")
            #expect(try await signIn(recovery).status == .noContent)
            #expect(errorCode(try await signIn(codes[3])) == "invalid_code")
            #expect(
                try await app.accounts.service.repository.unusedRecoveryCodes(
                    staffID: app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id) == 9)
            // Wrong codes count with wrong passwords: the fifth failure locks.
            #expect(errorCode(try await signIn("111111")) == "invalid_code")
            #expect(errorCode(try await signIn("222222")) == "invalid_code")
            #expect(errorCode(try await signIn("333333")) == "invalid_code")
            let locked = try await signIn("444444")
            #expect(locked.status == .tooManyRequests && locked.headers[.retryAfter] != nil)
            app.clock.advance(by: 30)
            #expect(try await signIn(Self.code(secret, app)).status == .tooManyRequests, "locked even with the right code")
            #expect(errorCode(try await signIn(String(repeating: "9", count: 41))) == "bad_code")
        }
    }

    @Test func newRecoveryCodesReplaceTheOldAndTurningOffNeedsThePassword() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let (_, old) = try await Self.setUp(worker, app)
            #expect(try await worker.post("/profile/second-factor/recovery", [("password", "wrong-password-1")]).status == .badRequest)
            let fresh = Self.recoveryCodes(try await worker.post("/profile/second-factor/recovery", [("password", demoPassword)]).text)
            #expect(fresh.count == 10 && Set(fresh).isDisjoint(with: old))
            let json = { (code: String) in
                try await Browser(client).json(
                    .post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)","code":"\#(code)"}"#)
            }
            #expect(errorCode(try await json(old[0])) == "invalid_code")
            #expect(try await json(fresh[0]).status == .noContent)
            #expect(try await worker.post("/profile/second-factor/off", [("password", "wrong-password-1")]).status == .badRequest)
            #expect(try await worker.post("/profile/second-factor/off", [("password", demoPassword)]).status == .seeOther)
            #expect(
                try await Browser(client).json(.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#).status
                    == .noContent)
        }
    }

    @Test func anOrganisationsRuleLeadsEveryoneThroughSettingItUp() async throws {
        try await withApp { app, client in
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let aalto = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            // The coordinator must have it first, so the rule cannot lock them out.
            let first = try await coordinator.post("/admin/staff/second-factor", [("organisation", aalto.uuidString), ("required", "1")])
            #expect(first.status == .conflict && first.text.contains("Turn on your own second factor first"))
            _ = try await Self.setUp(coordinator, app)
            #expect(
                try await coordinator.post("/admin/staff/second-factor", [("organisation", aalto.uuidString), ("required", "1")]).status == .seeOther)
            // The worker without one is signed out at once; the coordinator is not.
            #expect(try await worker.get("/profile").status == .seeOther)
            #expect(try await coordinator.get("/admin/staff").status == .ok)
            // Another organisation's staff are not touched.
            let volunteer = Browser(client, language: "en")
            try await volunteer.signIn("volunteer1@demo.invalid")
            // The JSON sign-in cannot show a QR code: it says where to go.
            let json = try await Browser(client, language: "en").json(
                .post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#)
            #expect(json.status == .forbidden && errorCode(json) == "second_factor_setup_required")
            // The form sign-in leads through setting it up, then signs in.
            let again = Browser(client, language: "en")
            let setup = try await again.post("/signin", [("email", "worker1@demo.invalid"), ("password", demoPassword)])
            #expect(setup.status == .ok && setup.text.contains("Your organisation requires a second factor") && again.cookies["k_session"] == nil)
            let secret = try Self.secret(fromPage: setup.text)
            let challenge = try Self.challenge(setup.text)
            let wrong = try await again.post("/signin/setup", [("challenge", challenge), ("code", "000000")])
            #expect(wrong.status == .badRequest && again.cookies["k_session"] == nil)
            #expect(try Self.secret(fromPage: wrong.text) == secret)
            let done = try await again.post("/signin/setup", [("challenge", challenge), ("code", Self.code(secret, app))])
            #expect(done.status == .ok && Self.recoveryCodes(done.text).count == 10 && again.cookies["k_session"] != nil)
            // Required: it cannot be turned off.
            #expect(try await again.post("/profile/second-factor/off", [("password", demoPassword)]).status == .conflict)
            let actions = try await app.audit.entries(organisations: [aalto]).map(\.action)
            #expect(actions.contains("second_factor.required"))
            #expect(try await coordinator.get("/admin/audit").text.contains("required a second factor for everyone"))
        }
    }

    @Test func aCoordinatorRemovesALostFactorAndTheSignInsEnd() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            _ = try await Self.setUp(worker, app)
            let id = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id
            // Another organisation's coordinator cannot; a worker cannot.
            let other = Browser(client)
            try await other.signIn("volunteer1@demo.invalid")
            #expect(try await other.post("/admin/staff/\(id.uuidString)/second-factor/remove").status == .forbidden)
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get("/admin/staff").text.contains(">on<"))
            #expect(try await coordinator.post("/admin/staff/\(id.uuidString)/second-factor/remove").status == .seeOther)
            #expect(try await worker.get("/profile").status == .seeOther, "the worker's sign-in ended")
            #expect(
                try await Browser(client).json(.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#).status
                    == .noContent)
            let entry = try await app.audit.entries(organisations: [app.accounts.service.repository.staff(id: id)!.organisationID]).first {
                $0.action == "second_factor.removed"
            }
            #expect(entry?.staffName == "Koordinaattori Anni" && entry?.target == "Työntekijä 1")
        }
    }

    @Test func theSecretAndTheRecoveryCodesAreNotReadableInTheDatabase() async throws {
        try await withApp { app, client in
            let worker = Browser(client)
            try await worker.signIn("worker1@demo.invalid")
            let (secret, codes) = try await Self.setUp(worker, app)
            let raw = try rawDatabase(app.configuration)
            #expect(raw.range(of: Data(secret.utf8)) == nil)
            #expect(raw.range(of: Data(codes[0].replacingOccurrences(of: "-", with: "").utf8)) == nil)
            #expect(raw.range(of: Data("worker1@demo.invalid".utf8)) != nil, "control: the search finds what is stored in the clear")
        }
    }

    @Test func theQRCodeHasItsFinderPatterns() throws {
        let qr = try #require(QRCode("otpauth://totp/Kohtaamo:a@b.invalid?secret=ABCDEFGH&issuer=Kohtaamo"))
        #expect(qr.width >= 21 && (qr.width - 17) % 4 == 0)
        // The three 7×7 corner squares: dark ring, light ring, dark 3×3 centre.
        for (ox, oy) in [(0, 0), (qr.width - 7, 0), (0, qr.width - 7)] {
            #expect((0..<7).allSatisfy { qr.isDark(x: ox + $0, y: oy) && qr.isDark(x: ox, y: oy + $0) })
            #expect(!qr.isDark(x: ox + 1, y: oy + 1) && qr.isDark(x: ox + 3, y: oy + 3))
        }
        #expect(qr.svg(label: "a \"b\" <c>").contains(#"aria-label="a &quot;b&quot; &lt;c>""#))
    }
}
