import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// What groups keep of a registered client, for their download and their
/// erasure (GDPR): memberships, their messages' text and their reports.
struct GroupMemberData: MemberDataHolder {
    let groups: GroupService
    var dataName: String { "groups" }

    func export(member: UUID, language: Language) async throws -> Data {
        var out: [[String: Any]] = []
        for m in try await groups.repository.memberships(member: member) {
            guard let info = try await groups.services.service(id: m.service),
                let settings = try await groups.repository.settings(service: m.service)
            else { continue }
            var messages: [[String: Any]] = []
            var after: Int64 = 0
            while true {
                let page = try await groups.realtime.messages(conversation: settings.conversation, after: after, limit: 1000)
                guard let last = page.last else { break }
                for msg in page where msg.senderIdentity == .client(member) && !msg.removed {
                    messages.append(["seq": msg.seq, "at": ServerFrame.timestamp(msg.atMs), "text": msg.body])
                }
                after = last.seq
            }
            let reports = try await groups.repository.reports(reporter: member).filter { $0.service == m.service }
                .map { ["seq": $0.seq, "reason": $0.reason, "at": ServerFrame.timestamp($0.atMs)] as [String: Any] }
            out.append([
                "group": info.names.in(language), "nickname": m.nickname, "joined": ServerFrame.timestamp(m.joinedMs),
                "status": m.status.rawValue, "rulesVersionAccepted": m.rulesVersion, "messages": messages, "reports": reports,
            ])
        }
        var applications: [[String: Any]] = []
        for a in try await groups.repository.applications(member: member) {
            let name = try await groups.services.service(id: a.service)?.names.in(language) ?? ""
            applications.append([
                "group": name, "nickname": a.nickname, "status": a.status.rawValue, "sent": ServerFrame.timestamp(a.createdMs),
                "answers": a.answers.map { ["question": $0.question, "answer": $0.answer] }, "messageFromWorker": a.message,
            ])
        }
        var questions: [[String: Any]] = []
        for q in try await groups.repository.questions(member: member) where !q.removed {
            let name = try await groups.services.service(id: q.service)?.names.in(language) ?? ""
            questions.append([
                "group": name, "asked": ServerFrame.timestamp(q.createdMs), "anonymous": q.anonymous, "question": q.body,
                "answers": q.answers.map { ["from": $0.from.name, "answer": $0.body, "at": ServerFrame.timestamp($0.createdMs)] },
            ])
        }
        return try JSONSerialization.data(withJSONObject: ["memberships": out, "applications": applications, "questions": questions])
    }

    /// Their messages become "removed" without a name for the others; the
    /// membership and reports go. A ban goes with the account: the next
    /// account is a new person to the product, as it cannot tell otherwise.
    func erase(member: UUID) async throws {
        for m in try await groups.repository.memberships(member: member) {
            guard let settings = try await groups.repository.settings(service: m.service) else { continue }
            try await groups.realtime.removeMessages(of: .client(member), in: settings.conversation)
        }
        try await groups.repository.deleteReports(reporter: member)
        try await groups.repository.deleteApplications(member: member)
        try await groups.repository.deleteQuestions(member: member)
        try await groups.repository.deleteMember(member: member)
    }
}
