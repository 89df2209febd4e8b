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

/// The audit log: sign-ins, failed ones and role changes are recorded
/// without addresses; a coordinator reads their organisations' entries; the
/// database itself refuses to change or delete one.
@Suite struct AuditTests {
    func orgOf(_ app: Kohtaamo, _ email: String) async throws -> UUID {
        try await app.accounts.service.repository.staff(email: email)!.organisationID
    }

    @Test func signInsFailuresAndLockOutsAreRecordedWithoutAddresses() async throws {
        try await withApp { app, client in
            let org = try await orgOf(app, "worker1@demo.invalid")
            for _ in 0..<AccountService.maxFailures {
                _ = try await Browser(client).json(.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"wrong-password-1"}"#)
            }
            _ = try await Browser(client).json(.post, "/api/session", #"{"email":"nobody@demo.invalid","password":"wrong-password-1"}"#)
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let actions = try await app.audit.entries(organisations: [org]).map(\.action)
            #expect(actions.filter { $0 == "signin.failed" }.count == AccountService.maxFailures - 1)
            #expect(actions.filter { $0 == "signin.locked" }.count == 1)
            #expect(actions.filter { $0 == "signin" }.count == 1)
            let rows = try await app.storage.sql.raw("SELECT * FROM audit_log").all()
            let everything = try rows.map { row in
                try row.allColumns.map { (try? row.decode(column: $0, as: String.self)) ?? "" }.joined(separator: " ")
            }
            #expect(!everything.contains { $0.contains("127.0.0.1") || $0.contains("nobody@") })
            // The page names them in the reader's language.
            let page = try await coordinator.get("/admin/audit")
            #expect(page.status == .ok)
            #expect(page.text.contains("wrong password") && page.text.contains("account locked for a while"))
        }
    }

    @Test func roleChangesShowToTheOrganisationsCoordinatorOnly() async throws {
        try await withApp { app, client in
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let worker = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            let changed = try await coordinator.post(
                "/admin/staff/\(worker.id.uuidString)",
                [("role", "coordinator"), ("organisation", worker.organisationID.uuidString), ("active", "1")])
            #expect(changed.status == .seeOther)
            let entry = try await app.audit.entries(organisations: [worker.organisationID]).first { $0.action == "staff.change" }
            #expect(entry?.target == "Työntekijä 1 (worker → coordinator)")
            #expect(entry?.staffName == "Koordinaattori Anni")
            #expect(try await coordinator.get("/admin/audit").text.contains("Työntekijä 1 (worker → coordinator)"))
            // Lähde's volunteer signs in: not in Aalto's coordinator's log.
            let volunteer = Browser(client, language: "en")
            try await volunteer.signIn("volunteer1@demo.invalid")
            #expect(!(try await coordinator.get("/admin/audit").text.contains("Vapaaehtoinen Ville")))
            #expect(try await volunteer.get("/admin/audit").status == .forbidden)
            #expect(try await coordinator.get("/admin/audit?before=yesterday").status == .badRequest)
        }
    }

    @Test func theDatabaseRefusesToChangeOrDeleteAnEntry() async throws {
        try await withApp { app, client in
            try await Browser(client).signIn("coordinator@demo.invalid")
            let before = try await app.storage.sql.raw("SELECT COUNT(*) AS n FROM audit_log").first()!.decode(column: "n", as: Int.self)
            #expect(before >= 1)
            await #expect(throws: (any Error).self) { try await app.storage.sql.raw("UPDATE audit_log SET reason = 'x'").run() }
            await #expect(throws: (any Error).self) { try await app.storage.sql.raw("DELETE FROM audit_log").run() }
            #expect(try await app.storage.sql.raw("SELECT COUNT(*) AS n FROM audit_log").first()!.decode(column: "n", as: Int.self) == before)
        }
    }
}
