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

/// Adding people, one-time password links, roles and the work profile.
@Suite struct StaffAdminTests {
    /// The one-time link shown on the page, as a path.
    func linkPath(_ page: String) -> String? {
        guard let range = page.range(of: #"/reset/[A-Za-z0-9_-]{43}"#, options: .regularExpression) else { return nil }
        return String(page[range])
    }

    @Test func newStaffSetsPasswordFromLinkOnceAndSignsIn() async throws {
        try await withApp { app, client in
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let org = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            let created = try await coordinator.post(
                "/admin/staff/new",
                [("email", "Uusi.Tyontekija@demo.invalid"), ("workName", "Sanna"), ("role", "worker"), ("organisation", org.uuidString)])
            #expect(created.status == .created)
            let link = try #require(linkPath(created.text))
            // Before the password is set, nobody can sign in with any password.
            #expect(
                try await Browser(client).post("/signin", [("email", "uusi.tyontekija@demo.invalid"), ("password", "anything-at-all")]).status
                    == .unauthorized)
            let person = Browser(client)
            #expect(try await person.get(link).status == .ok)
            let short = try await person.post(link, [("new", "short"), ("repeat", "short")])
            #expect(short.status == .badRequest)
            #expect(try await person.post(link, [("new", "kaksi pitkää sanaa"), ("repeat", "kaksi pitkää sanaa")]).location == "/signin?reset=1")
            #expect(try await person.get(link).status == .notFound)  // used once
            #expect(try await person.post(link, [("new", "kolmas pitkä sana"), ("repeat", "kolmas pitkä sana")]).status == .notFound)
            try await person.signIn("uusi.tyontekija@demo.invalid", password: "kaksi pitkää sanaa")
            #expect(try await person.get("/profile").text.contains("Sanna"))
        }
    }

    @Test func aLinkUsedTwiceAtOnceSetsOnePassword() async throws {
        try await withApp { app, _ in
            let worker = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            let token = try await app.accounts.service.makeResetToken(staffID: worker.id, createdBy: nil)
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for n in 0..<4 { group.addTask { try await app.accounts.service.completeReset(token: token, newPassword: "salasana numero \(n)") } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
        }
    }

    @Test func linkExpiresAfterThreeDays() async throws {
        try await withApp { app, client in
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let worker = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            let page = try await coordinator.post("/admin/staff/\(worker.id)/link")
            let link = try #require(linkPath(page.text))
            app.clock.advance(by: 72 * 3600 + 1)
            #expect(try await Browser(client).get(link).status == .notFound)
        }
    }

    @Test func resetLinkLiftsLockOutAndEndsOldSessions() async throws {
        try await withApp { app, client in
            let old = Browser(client)
            try await old.signIn("worker1@demo.invalid")
            for _ in 1...5 { try await Browser(client).post("/signin", [("email", "worker1@demo.invalid"), ("password", "wrong-wrong")]) }
            let token = try await app.accounts.service.makeResetToken(
                staffID: app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id, createdBy: nil)
            #expect(
                try await Browser(client).post("/reset/\(token)", [("new", "uusi salasana tässä"), ("repeat", "uusi salasana tässä")]).status
                    == .seeOther)
            #expect(try await old.get("/profile").status == .seeOther)  // old session ended
            try await Browser(client).signIn("worker1@demo.invalid", password: "uusi salasana tässä")
        }
    }

    @Test func duplicateEmailIsRefused() async throws {
        try await withApp { app, client in
            let b = Browser(client, language: "en")
            try await b.signIn("coordinator@demo.invalid")
            let org = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            let r = try await b.post(
                "/admin/staff/new", [("email", "WORKER1@demo.invalid"), ("workName", "Kopio"), ("role", "worker"), ("organisation", org.uuidString)])
            #expect(r.status == .conflict)
            #expect(r.text.contains("An account with this email already exists."))
        }
    }

    @Test func deactivatingEndsSessionsAndRoleChangesTakeEffect() async throws {
        try await withApp { app, client in
            let worker = Browser(client)
            try await worker.signIn("worker1@demo.invalid")
            #expect(try await worker.get("/admin").status == .forbidden)
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let w = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            #expect(
                try await coordinator.post(
                    "/admin/staff/\(w.id)", [("role", "coordinator"), ("organisation", w.organisationID.uuidString), ("active", "1")]
                ).status == .seeOther)
            #expect(try await worker.get("/admin").status == .ok)
            #expect(
                try await coordinator.post("/admin/staff/\(w.id)", [("role", "worker"), ("organisation", w.organisationID.uuidString)]).status
                    == .seeOther)
            #expect(try await worker.get("/profile").status == .seeOther)
        }
    }

    @Test func workProfileAndPasswordChange() async throws {
        try await withApp { _, client in
            let b = Browser(client, language: "en")
            try await b.signIn("worker1@demo.invalid")
            #expect(
                try await b.post("/profile", [("workName", "Tuija, Aalto ry"), ("workingHours", "ma–to 12–20")]).location == "/profile?saved=profile")
            let page = try await b.get("/profile?saved=profile")
            #expect(page.text.contains("Tuija, Aalto ry"))
            #expect(page.text.contains("The work profile is saved."))
            let bad = try await b.post("/profile", [("workName", "T"), ("workingHours", "")])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("The work name must have 2–40 characters."))
            let wrongCurrent = try await b.post(
                "/profile/password", [("current", "nope"), ("new", "uusi pitkä salasana"), ("repeat", "uusi pitkä salasana")])
            #expect(wrongCurrent.status == .badRequest)
            #expect(
                try await b.post("/profile/password", [("current", demoPassword), ("new", "uusi pitkä salasana"), ("repeat", "uusi pitkä salasana")])
                    .status == .seeOther)
            try await Browser(client).signIn("worker1@demo.invalid", password: "uusi pitkä salasana")
        }
    }
}
