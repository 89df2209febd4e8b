import Booking
import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// What coaching keeps of a coachee, for their download and their erasure
/// (GDPR): their coachings, their tasks with every answer and feedback,
/// what they wrote in the threads, their appointments.
struct CoachingMemberData: MemberDataHolder {
    let coaching: CoachingService
    var dataName: String { "coaching" }

    func export(member: UUID, language: Language) async throws -> Data {
        var coachings: [[String: Any]] = []
        for (c, info, coach) in try await coaching.coachings(member: member) {
            let tasks = try await coaching.repository.tasks(service: c.service, coachee: member).map { t -> [String: Any] in
                [
                    "title": t.content.title, "instructions": t.content.instructions, "answerKind": t.content.answerKind.rawValue,
                    "checklist": t.content.checklist, "material": t.content.material, "status": t.status.rawValue,
                    "given": ServerFrame.timestamp(t.createdMs), "due": t.dueMs.map(ServerFrame.timestamp) ?? NSNull(),
                    "history": t.history.map { e -> [String: Any] in
                        [
                            "kind": e.kind.rawValue, "at": ServerFrame.timestamp(e.atMs), "feedback": e.feedback,
                            "answer": e.answer.map { ["text": $0.text, "checked": $0.checked, "file": $0.fileName ?? NSNull()] as [String: Any] }
                                ?? NSNull(),
                        ]
                    },
                ]
            }
            var threads = [c.conversation]
            let groups = try await coaching.groups(member: member, service: c.service)
            threads += groups.map(\.conversation)
            var messages: [[String: Any]] = []
            for thread in threads { messages += try await own(messages: thread, member: member) }
            let appointments = try await coaching.booking.appointments(guest: member).filter { $0.scope == c.service }.map { a -> [String: Any] in
                ["start": ServerFrame.timestamp(a.startMs), "minutes": a.minutes, "place": a.place, "status": a.status.rawValue]
            }
            coachings.append([
                "service": info.names.in(language), "coach": coach, "nickname": c.nickname, "status": c.status.rawValue,
                "joined": ServerFrame.timestamp(c.joinedMs), "groups": groups.map(\.name), "tasks": tasks, "messages": messages,
                "appointments": appointments,
            ])
        }
        return try JSONSerialization.data(withJSONObject: ["coachings": coachings])
    }

    /// What the member wrote in a thread.
    private func own(messages conversation: UUID, member: UUID) async throws -> [[String: Any]] {
        try await coaching.realtime.messages(of: .client(member), in: conversation).map {
            ["seq": $0.seq, "at": ServerFrame.timestamp($0.atMs), "text": $0.body]
        }
    }

    /// Their own threads are erased whole (with their files: a 1:1 thread
    /// is about them); in group threads their messages become "removed" and
    /// their files go;
    /// their tasks and coachee rows go.
    func erase(member: UUID) async throws {
        for c in try await coaching.repository.coachings(member: member) {
            try await coaching.realtime.erase(c.conversation)
        }
        for g in try await coaching.repository.groups(member: member) {
            try await coaching.realtime.removeMessages(of: .client(member), in: g.conversation)
            for file in try await coaching.realtime.files.list(conversation: g.conversation) where file.uploader == .client(member) {
                _ = try await coaching.realtime.files.delete(id: file.id, conversation: g.conversation)
            }
            try await coaching.realtime.removeParticipant(.client(member), from: g.conversation)
        }
        try await coaching.repository.deleteTasks(member: member)
        _ = try await coaching.booking.erase(guest: member)
        try await coaching.repository.deleteCoachee(member: member)
    }
}
