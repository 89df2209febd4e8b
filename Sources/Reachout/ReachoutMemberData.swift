import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// What reach-out keeps of a registered client, for their download and
/// erasure: the plans about them and what happened, by day.
struct ReachoutMemberData: MemberDataHolder {
    let reachout: ReachoutService
    var dataName: String { "reachout" }

    struct PlanJSON: Encodable {
        let worker: String
        let rhythm: String
        let time: String
        let channel: String
        let starts: HelsinkiDay
        let until: HelsinkiDay?
        let endedOn: HelsinkiDay?
        let note: String
        let outcomes: [OutcomeJSON]
        /// What they wrote in the chat with the workers.
        let messages: [MessageJSON]
    }

    struct MessageJSON: Encodable {
        let at: String
        let text: String
    }

    struct OutcomeJSON: Encodable {
        let day: HelsinkiDay
        let outcome: String
        let note: String
    }

    func export(member: UUID, language: Language) async throws -> Data {
        var out: [PlanJSON] = []
        for plan in try await reachout.repository.plans(member: member) {
            let outcomes = try await reachout.repository.history(plan: plan.id, limit: 10_000).reversed()
            out.append(
                PlanJSON(
                    worker: try await reachout.staff.member(id: plan.owner)?.workName ?? "", rhythm: plan.rhythm.text,
                    time: String(format: "%02d:%02d", plan.minute / 60, plan.minute % 60), channel: plan.channel.rawValue, starts: plan.starts,
                    until: plan.until, endedOn: plan.endedOn, note: plan.note,
                    outcomes: outcomes.map { OutcomeJSON(day: $0.day, outcome: $0.kind.rawValue, note: $0.note) },
                    messages: try await messages(plan, member: member)))
        }
        return try JSONEncoder().encode(out)
    }

    private func messages(_ plan: ContactPlan, member: UUID) async throws -> [MessageJSON] {
        guard let conversation = plan.conversation else { return [] }
        return try await reachout.realtime.messages(of: .client(member), in: conversation).map {
            MessageJSON(at: ServerFrame.timestamp($0.atMs), text: $0.body)
        }
    }

    /// Their chats with the workers are erased whole (they are about them);
    /// the plans end and keep only what the weekly figures count.
    func erase(member: UUID) async throws {
        for plan in try await reachout.repository.plans(member: member) {
            if let conversation = plan.conversation { try await reachout.realtime.erase(conversation) }
        }
        try await reachout.repository.forget(member: member, endedOn: reachout.today)
    }
}
