import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// Files in coaching: kept in the thread they were sent in (sealed with the
/// thread's key, erased with it), under the service's limits. A coachee's
/// answer file goes to their own thread, so only they and their coach read it.
extension CoachingService {
    /// The service's limits as a policy.
    package func policy(_ s: CoachingSettings) -> FilePolicy {
        FilePolicy(maxBytes: s.fileMaxBytes, groups: Set(s.fileGroups.compactMap(FileKind.Group.init(rawValue:))))
    }

    /// A coaching thread the person takes part in, with its service's set-up.
    package func thread(_ conversation: UUID, viewer: Identity) async throws -> CoachingSettings {
        guard let service = try await repository.service(ofThread: conversation),
            try await realtime.participant(viewer, in: conversation) != nil
        else { throw Refusal.notFound }
        return try await settings(try await self.service(service))
    }

    /// Keeps a file in the thread: its type is read from its bytes, and the
    /// service's limits hold. With `share`, a line in the thread names it for
    /// the others (a message with everything the chat guarantees).
    package func upload(_ conversation: UUID, name: String, bytes: Data, viewer: Identity, sender: Sender, share: Bool) async throws -> StoredFile {
        let s = try await thread(conversation, viewer: viewer)
        guard try await realtime.participant(viewer, in: conversation)?.canSend == true else { throw Refusal.notFound }
        let kind = try policy(s).check(name: name, bytes: bytes).get()
        let file = try await realtime.files.save(conversation: conversation, name: name, kind: kind, bytes: bytes, uploader: viewer)
        if share {
            _ = try await realtime.post(
                conversation: conversation, clientID: file.id, sender: viewer, from: sender,
                body: "📎 \(file.name)\n\(Self.filePath(file))")
        }
        return file
    }

    /// Where the file is downloaded (the thread's participants only).
    package static func filePath(_ file: StoredFile) -> String {
        "/api/coaching/files/\(file.id.text())?c=\(file.conversation.text())"
    }

    package func files(_ conversation: UUID, viewer: Identity) async throws -> [StoredFile] {
        _ = try await thread(conversation, viewer: viewer)
        return try await realtime.files.list(conversation: conversation)
    }

    package func download(_ id: UUID, conversation: UUID, viewer: Identity) async throws -> (StoredFile, Data) {
        _ = try await thread(conversation, viewer: viewer)
        guard let found = try await realtime.files.file(id: id, conversation: conversation) else { throw Refusal.notFound }
        return found
    }

    /// The coachee sends a file as the answer of a file task: kept in their thread, then the answer.
    package func answer(_ member: MemberPrincipal, task id: UUID, fileName: String, bytes: Data, text: String) async throws -> CoachingTask {
        let t = try await task(id, viewer: .client(member.memberID))
        guard t.content.answerKind == .file, let c = try await repository.coachee(service: t.service, member: member.memberID) else {
            throw Refusal.badAnswer
        }
        let file = try await upload(
            c.conversation, name: fileName, bytes: bytes, viewer: .client(member.memberID), sender: Sender(name: c.nickname, role: .client),
            share: false)
        return try await answer(member.memberID, task: id, TaskAnswer(text: text, file: file.id))
    }
}
