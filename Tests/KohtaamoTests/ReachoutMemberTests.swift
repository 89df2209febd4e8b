import Foundation
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Reachout

/// A registered client and their reach-out plan: the plan made by their
/// nickname, the chat with the workers, their download, and erasure that
/// keeps only the counts.
@Suite struct ReachoutMemberTests {
    static func principal(_ app: Kohtaamo, _ email: String) async throws -> StaffPrincipal {
        let s = try #require(try await app.accounts.service.repository.staff(email: email))
        return StaffPrincipal(
            staffID: s.id, sessionID: UUID(), email: email, role: s.role, organisationID: s.organisationID, networkID: UUID(), workName: s.workName)
    }

    @Test func theClientsDownloadHasTheirPlanAndChatAndErasureKeepsOnlyCounts() async throws {
        try await withApp { app, client in
            let reachout = app.reachout.service
            let person = try await CoachingTests.member(client, "Yhteys")
            let worker = try await Self.principal(app, "worker1@demo.invalid")
            var input = ReachoutService.PlanInput()
            (input.nickname, input.note, input.rhythm, input.time, input.channel) = (
                "yhteys", "Toivoo viestiä iltapäivisin.", "weekdays:2,4", "14.30", "chat"
            )
            let plan = try await reachout.makePlan(worker, input)
            #expect(plan.member != nil && plan.label.isEmpty && plan.minute == 14 * 60 + 30)
            #expect(try await reachout.name(plan) == "Yhteys")
            // A nickname no one has, and chat for a person known by label only, are refused.
            input.nickname = "ei-ole-tällaista"
            await #expect(throws: ReachoutRefusal.memberNotFound) { try await reachout.makePlan(worker, input) }
            (input.nickname, input.label) = ("", "Pekka")
            await #expect(throws: ReachoutRefusal.badChannel) { try await reachout.makePlan(worker, input) }
            // The chat: the client is in it with the owner (and the backup).
            let conversation = try await reachout.openChat(worker, plan: plan.id)
            #expect(try await reachout.openChat(worker, plan: plan.id) == conversation)
            let people = try await app.realtime.participants(conversation).map(\.identity)
            #expect(people.contains(.client(plan.member!)) && people.contains(.staff(worker.staffID)))
            _ = try await app.realtime.post(
                conversation: conversation, clientID: UUID(), sender: .client(plan.member!), from: Sender(name: "Yhteys", role: .client),
                body: "Kiitos soitosta, voin hyvin.")
            _ = try await reachout.log(worker, plan: plan.id, .init(kind: "reached", note: "Kuulumiset kysytty chatissa."))
            // What the client sees of their plans: the worker, never the workers' label.
            #expect(try await reachout.mine(member: plan.member!).map(\.id) == [plan.id])
            let download = try await person.get("/account/data")
            #expect(download.status == .ok)
            for text in ["Kiitos soitosta, voin hyvin.", "Kuulumiset kysytty chatissa.", "Työntekijä 1", "weekdays:2,4", "14:30"] {
                #expect(download.text.contains(text), "\(text)")
            }
            // Erasure: the chat goes whole, the plan ends and forgets them; the day still counts.
            let erased = try await person.post("/account/erase", [("confirm", "1"), ("password", "salasana-123")])
            #expect(erased.status == .seeOther || erased.status == .ok)
            #expect(try await app.realtime.participants(conversation).isEmpty)
            let after = try #require(try await reachout.repository.plan(id: plan.id))
            #expect(after.member == nil && after.label.isEmpty && after.note.isEmpty && after.conversation == nil)
            #expect(after.endedOn == reachout.today)
            #expect(try await reachout.repository.history(plan: plan.id, limit: 10).map(\.note) == [""])
            let figures = try await reachout.figures(organisation: worker.organisationID, weeks: 1)
            // Tuesday is a planned day, and the only contact reached this week in the demo organisation.
            #expect(figures.last?.reached == 1)
        }
    }
}
