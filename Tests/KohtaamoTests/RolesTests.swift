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

/// Who may reach which coordinator page, and nobody reaches another
/// organisation's things.
@Suite struct RolesTests {
    static let adminPages = ["/admin", "/admin/services", "/admin/services/new", "/admin/staff", "/admin/staff/new", "/admin/organisations"]

    @Test func anonymousIsSentToSignIn() async throws {
        try await withApp { _, client in
            for page in Self.adminPages + ["/profile"] {
                let r = try await Browser(client).get(page)
                #expect(r.status == .seeOther, "\(page)")
                #expect(r.location?.hasPrefix("/signin?next=") == true, "\(page)")
            }
        }
    }

    @Test(arguments: ["worker1@demo.invalid", "volunteer1@demo.invalid"])
    func workersAndVolunteersCannotReachCoordinatorPages(email: String) async throws {
        try await withApp { app, client in
            let b = Browser(client)
            try await b.signIn(email)
            for page in Self.adminPages {
                #expect(try await b.get(page).status == .forbidden, "\(page)")
            }
            let service = try await app.network.repository.service(slug: "tukichat")!
            #expect(try await b.post("/admin/services/\(service.id)/hours", [("opens_1", "9"), ("closes_1", "10")]).status == .forbidden)
            #expect(try await app.network.repository.schedule(service: service.id).weekly.count == 7)
            #expect(try await b.get("/profile").status == .ok)
        }
    }

    /// A second network with its own organisation, service and coordinator.
    static func otherNetwork(_ app: Kohtaamo) async throws -> (service: ServiceRecord, org: Organisation, staff: StaffRecord) {
        let repo = app.network.repository
        let net = try await repo.createNetwork(slug: "muu", names: .init(fi: "Muu verkosto", sv: "", en: ""), at: app.clock.now)
        let org = try await repo.createOrganisation(network: net, names: .init(fi: "Vieras ry", sv: "", en: ""), at: app.clock.now)
        let service = ServiceRecord(
            id: UUID(), organisationID: org.id, slug: "vieras", kind: .group, names: .init(fi: "Vieras", sv: "", en: ""),
            descriptions: .init(fi: "", sv: "", en: ""), languages: ["fi"], isPublic: true, sharedWith: [])
        _ = try await repo.saveService(service, at: app.clock.now)
        let staff = try await app.accounts.service.repository.createStaff(
            organisationID: org.id, email: "vieras@other.invalid", passwordHash: try await app.accounts.service.hash(demoPassword),
            role: .worker, workName: "Vieras", workingHours: "", at: app.clock.now)
        return (service, org, staff)
    }

    @Test func coordinatorCannotTouchAnotherOrganisation() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            try await b.signIn("coordinator@demo.invalid")  // Aalto ry
            let repo = app.network.repository
            let lahdeDesk = try await repo.service(slug: "digituki-kirjasto")!  // Lähde ry's service, same network
            #expect(try await b.get("/admin/services/\(lahdeDesk.id)").status == .notFound)
            #expect(try await b.get("/admin/services/\(lahdeDesk.id)/hours").status == .notFound)
            #expect(try await b.post("/admin/services/\(lahdeDesk.id)/hours", [("opens_1", "1"), ("closes_1", "2")]).status == .notFound)
            #expect(try await b.post("/admin/services/\(lahdeDesk.id)/exceptions", [("day", "2026-12-01"), ("closed", "1")]).status == .notFound)
            #expect(try await repo.schedule(service: lahdeDesk.id).weekly.first?.opens == 600)
            // Lähde ry's worker is not in the list and cannot be changed.
            let worker2 = try await app.accounts.service.repository.staff(email: "worker2@demo.invalid")!
            #expect(!(try await b.get("/admin/staff").text.contains("worker2@demo.invalid")))
            #expect(try await b.get("/admin/staff/\(worker2.id)").status == .notFound)
            #expect(
                try await b.post(
                    "/admin/staff/\(worker2.id)", [("role", "coordinator"), ("organisation", worker2.organisationID.uuidString), ("active", "1")]
                ).status == .notFound)
            #expect(try await b.post("/admin/staff/\(worker2.id)/link").status == .notFound)
            #expect(try await app.accounts.service.repository.staff(id: worker2.id)?.role == .worker)
            // A coordinator cannot add organisations or move a service to another one.
            #expect(try await b.post("/admin/organisations", [("nameFi", "Uusi ry")]).status == .forbidden)
            let lahde = try await repo.organisation(id: lahdeDesk.organisationID)!
            #expect(try await b.get("/admin/organisations/\(lahde.id)").status == .notFound)
            let chat = try await repo.service(slug: "tukichat")!
            let moved = try await b.post(
                "/admin/services/\(chat.id)",
                [
                    ("slug", "tukichat"), ("kind", "support_chat"), ("nameFi", "Tukichat"),
                    ("languages", "fi"), ("organisation", lahde.id.uuidString),
                ])
            #expect(moved.status == .badRequest)
            #expect(try await repo.service(slug: "tukichat")?.organisationID == chat.organisationID)
        }
    }

    @Test func coordinatorCannotMakeOrChangeNetworkCoordinators() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            try await b.signIn("coordinator@demo.invalid")
            let org = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            let made = try await b.post(
                "/admin/staff/new",
                [("email", "boss@demo.invalid"), ("workName", "Pomo"), ("role", "network_coordinator"), ("organisation", org.uuidString)])
            #expect(made.status == .badRequest)
            #expect(try await app.accounts.service.repository.staff(email: "boss@demo.invalid") == nil)
            let network = try await app.accounts.service.repository.staff(email: "network@demo.invalid")!
            #expect(try await b.get("/admin/staff/\(network.id)").status == .forbidden)
        }
    }

    @Test func networkCoordinatorManagesEveryOrganisationOfTheirNetworkOnly() async throws {
        try await withApp { app, client in
            let other = try await Self.otherNetwork(app)
            let b = Browser(client)
            try await b.signIn("network@demo.invalid")
            let lahdeDesk = try await app.network.repository.service(slug: "digituki-kirjasto")!
            #expect(try await b.get("/admin/services/\(lahdeDesk.id)/hours").status == .ok)
            #expect(try await b.get("/admin/services/\(other.service.id)").status == .notFound)
            #expect(try await b.get("/admin/organisations/\(other.org.id)").status == .notFound)
            #expect(try await b.get("/admin/staff/\(other.staff.id)").status == .notFound)
            #expect(!(try await b.get("/admin/services").text.contains("Vieras")))
            let created = try await b.post("/admin/organisations", [("nameFi", "Kolmas ry"), ("nameSv", "Tredje rf")])
            #expect(created.status == .seeOther)
            #expect(try await b.get("/admin/organisations").text.contains("Kolmas ry"))
        }
    }

    @Test func coordinatorCannotDemoteThemselves() async throws {
        try await withApp { app, client in
            let b = Browser(client, language: "en")
            try await b.signIn("coordinator@demo.invalid")
            let me = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!
            let r = try await b.post("/admin/staff/\(me.id)", [("role", "worker"), ("organisation", me.organisationID.uuidString), ("active", "1")])
            #expect(r.status == .badRequest)
            #expect(r.text.contains("You cannot remove your own administration rights."))
            #expect(try await app.accounts.service.repository.staff(id: me.id)?.role == .coordinator)
        }
    }
}
