import Foundation

/// What one retention run erased in groups: counts only, for the log.
package struct GroupRetentionCounts: Sendable, Equatable {
    package var messages = 0
    package var questions = 0
    package var applications = 0
    package var reports = 0
    package var banReasons = 0

    package var total: Int { messages + questions + applications + reports + banReasons }
}

/// Retention of groups, run by the same service and interval as the support
/// chat's. Two clocks:
/// - what people write in a group (room messages, Q&A) goes after the days
///   the coordinator set for that group; by default it stays while the group
///   exists (a peer group's history is the group's own, and deleting the
///   service deletes it all);
/// - what staff decided about a person (applications with their answers and
///   the worker's message, handled reports, the reason of an ended ban) goes
///   `decidedRetentionDays` after the decision.
extension GroupService {
    /// 90 days after a decision: the same as a support chat's default, long
    /// enough for the person to ask about it or complain and for a moderator
    /// to see a pattern (a report handled, then the same again), short enough
    /// that a decided matter does not follow anyone. The audit log keeps that
    /// the act happened.
    package static let decidedRetentionDays = 90

    /// Erases what is due at `now` (from the application's clock).
    package func expire(now: Date) async throws -> GroupRetentionCounts {
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        var counts = GroupRetentionCounts()
        for group in try await repository.allSettings() {
            guard let days = group.retentionDays else { continue }
            let cutoff = nowMs - Int64(days) * 86_400_000
            // The room: emptied and marked removed, never deleted (see `SQLMessageStore.expire`).
            let seqs = try await realtime.expireMessages(in: group.conversation, before: cutoff)
            // A report of an erased message has nothing left to judge: handled now, it goes with the others later.
            try await repository.handleReports(service: group.service, seqs: seqs, at: nowMs)
            counts.messages += seqs.count
            // Q&A: a question asked before the cutoff goes with its answers (they make no sense without it).
            counts.questions += try await repository.deleteQuestions(service: group.service, askedBefore: cutoff)
        }
        let decided = nowMs - Int64(Self.decidedRetentionDays) * 86_400_000
        counts.applications = try await repository.deleteApplications(decidedBefore: decided)
        counts.reports = try await repository.deleteReports(handledBefore: decided)
        counts.banReasons = try await repository.eraseBanReasons(endedBefore: decided)
        return counts
    }
}
