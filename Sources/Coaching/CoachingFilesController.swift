import Foundation
import Hummingbird
import KohtaamoBase
import KohtaamoRealtime

/// Files in coaching threads: the JSON API's upload (raw bytes), the list,
/// the download (never shown inline but as a picture), and the coachee's
/// page form that answers a file task (multipart, works without JavaScript).
struct CoachingFilesController {
    let coaching: CoachingService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/coaching/files", use: list)
        router.post("/api/coaching/files", use: upload)
        router.get("/api/coaching/files/{file}", use: download)
        router.group("/my/coaching/tasks", context: MemberContext.self).post("{task}/file", use: answerWithFile)
    }

    /// A refusal of the file (its size, type or name) or of the person.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await CoachingAPIController.refusing(body) } catch let r as FileRefusal { throw r.appError }
    }

    static func conversation(_ request: Request) throws -> UUID {
        guard let c = request.uri.queryParameters["c"].flatMap({ UUID(uuidString: String($0)) }) else {
            throw AppError(.badRequest, code: "bad_conversation")
        }
        return c
    }

    /// Who sends, as the thread shows them.
    static func sender(_ context: AppRequestContext) throws -> (Identity, Sender) {
        if let p = context.principal { return (.staff(p.staffID), Sender(name: p.workName, role: p.role.publicRole)) }
        if let m = context.member { return (.client(m.memberID), Sender(name: m.nickname, role: .client)) }
        throw AppError.unauthorized
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (viewer, _) = try Self.sender(context)
        let c = try Self.conversation(request)
        return try await Self.refusing { try JSONResponse.make(try await coaching.files(c, viewer: viewer).map(FileJSON.init)) }
    }

    func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (viewer, sender) = try Self.sender(context)
        let c = try Self.conversation(request)
        let share = request.uri.queryParameters["share"].map { $0 == "true" || $0 == "1" } ?? false
        return try await Self.refusing {
            let settings = try await coaching.thread(c, viewer: viewer)
            let (name, bytes) = try await RawFileBody.read(request, maxBytes: coaching.policy(settings).maxBytes)
            let file = try await coaching.upload(c, name: name, bytes: bytes, viewer: viewer, sender: sender, share: share)
            return try JSONResponse.make(FileJSON(file), status: .created)
        }
    }

    func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (viewer, _) = try Self.sender(context)
        guard let id = context.parameters.get("file").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        let c = try Self.conversation(request)
        let (file, data) = try await Self.refusing { try await coaching.download(id, conversation: c, viewer: viewer) }
        return FileDownload.response(name: file.name, kind: file.kind, data: data)
    }

    /// The coachee's page: a file task's answer with its file; back to the page.
    func answerWithFile(_ request: Request, context: MemberContext) async throws -> Response {
        guard let id = context.parameters.get("task").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        let task = try await CoachingAPIController.refusing { try await coaching.task(id, viewer: .client(context.signedInMember.memberID)) }
        let settings = try await coaching.settings(try await coaching.service(task.service))
        let form = try await MultipartForm.read(request, context: context, maxFileBytes: coaching.policy(settings).maxBytes)
        guard let file = form.file else { throw FileRefusal.empty.appError }
        _ = try await Self.refusing {
            try await coaching.answer(context.signedInMember, task: id, fileName: file.name, bytes: file.bytes, text: form["text"])
        }
        return Response(status: .seeOther, headers: [.location: "/my/coaching/\(task.service.text())#task-\(id.text())"])
    }
}

struct FileJSON: Encodable {
    let id: String
    let conversation: String
    let name: String
    let type: String
    let size: Int
    let at: String
    /// Where to download it.
    let path: String
    init(_ f: StoredFile) {
        (id, conversation, name, type, size) = (f.id.text(), f.conversation.text(), f.name, f.kind.mime, f.size)
        at = ServerFrame.timestamp(f.atMs)
        path = CoachingService.filePath(f)
    }
}
