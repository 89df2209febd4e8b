import Accounts
import DigitalSupport
import Foundation
import KohtaamoBase

extension Kohtaamo {
    /// The demo's needs mapping: the demo's registered client mapped with
    /// worker1 a month ago (a beginner), and again by themselves today (a
    /// practical user), so the progress chart has two points; one goal picked.
    func fillDemoMapping(organisation: UUID, network: UUID, now: Date) async throws {
        let members = digital.service.members
        var found = try await members.member(nickname: "valmennettava")
        if found == nil { found = try await members.member(nickname: "yhteydenpito") }
        guard let member = found else { return }
        let repository = digital.service.repository
        let worker = try await accounts.service.repository.staff(email: "worker1@demo.invalid")?.id
        let questions = MappingDefaults.questions
        let rules = MappingDefaults.rules
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        for (daysAgo, answer, by) in [(31, { (q: MappingQuestion) in q.theme == .deviceBasics ? 1 : 0 }, worker), (0, { _ in 2 }, nil)] {
            var answers: [String: Int?] = [:]
            for q in questions { answers[q.id] = q.theme == .jobSearch ? .some(nil) : answer(q) }
            let scores = MappingRules.scores(answers, questions: questions)
            try await repository.addMapping(
                Mapping(
                    member: member.id, organisation: organisation, network: network, version: 0, answers: answers, scores: scores,
                    profile: MappingRules.profile(scores, rules: rules), filledBy: by, createdMs: nowMs - Int64(daysAgo) * 86_400_000))
        }
        try await repository.addGoal(
            MappingGoal(
                member: member.id, organisation: organisation, theme: .messaging, text: "Opin soittamaan ja lähettämään viestin.", addedBy: worker,
                createdMs: nowMs - 31 * 86_400_000))
    }
}
