import Foundation
import Hummingbird
import KohtaamoBase

/// The JSON entry points of digital buddies (docs/openapi.yaml, tag
/// DigitalBuddies) under `/api/digital/buddy`: the course (anyone on the
/// staff reads and takes it, coordinators write it), a buddy's own clients,
/// and the organisation's assignments (workers and coordinators).
struct BuddyAPIController {
    let buddies: BuddyService

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/api/digital/buddy", context: StaffContext.self)
        staff.get(use: mine)
        staff.get("course", use: course)
        staff.put("course", use: saveCourse)
        staff.post("course/modules/{module}/answers", use: answer)
        staff.get("assignments", use: assignments)
        staff.post("assignments", use: assign)
        staff.delete("assignments/{assignment}", use: unassign)
    }

    static func appError(_ r: BuddyRefusal) -> AppError {
        AppError(HTTPResponse.Status(code: r.httpStatus), code: r.rawValue, messageKey: r.messageKey)
    }

    /// A refusal as the API answers it: refused fields by the first one's code.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as BuddyRefusal { throw appError(r) } catch let r as BuddyRefusedFields {
            throw appError(r.first)
        }
    }

    static func refusingNow(_ body: () throws -> Void) throws {
        do { try body() } catch let r as BuddyRefusal { throw appError(r) }
    }

    func mine(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try JSONResponse.make(BuddyClientsJSON(try await buddies.myClients(context.staff))) }
    }

    func course(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(BuddyCourseJSON(try await buddies.standing(context.staff), canEdit: context.staff.role.canAdminister))
        }
    }

    struct CourseInput: Decodable {
        let modules: [Module]

        struct Module: Decodable {
            let id: String?
            let title: String
            let text: String
            let links: [Link]?
            let quiz: [Question]
        }

        struct Link: Decodable {
            let title: String
            let url: String
        }

        struct Question: Decodable {
            let text: String
            let options: [String]
            let right: Int
        }
    }

    func saveCourse(_ request: Request, context: StaffContext) async throws -> Response {
        // The right first: a worker's body is not read at all.
        try Self.refusingNow { try buddies.requireCoordinator(context.staff) }
        let input = try await JSONBody.require(CourseInput.self, request, context: context)
        return try await Self.refusing {
            var modules: [BuddyService.ModuleInput] = []
            for m in input.modules {
                // An id that is not a UUID names no module of the course.
                let id = try m.id.map { text in
                    guard let id = UUID(uuidString: text) else { throw BuddyRefusal.badCourse }
                    return id
                }
                modules.append(
                    .init(
                        id: id, title: m.title, text: m.text, links: (m.links ?? []).map { BuddyLink(title: $0.title, url: $0.url) },
                        quiz: m.quiz.map { BuddyQuestion(text: $0.text, options: $0.options, right: $0.right) }))
            }
            _ = try await buddies.saveCourse(context.staff, modules)
            return try JSONResponse.make(BuddyCourseJSON(try await buddies.standing(context.staff), canEdit: true))
        }
    }

    struct AnswersInput: Decodable { let answers: [Int] }

    func answer(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try context.pathID("module")
        let input = try await JSONBody.require(AnswersInput.self, request, context: context)
        return try await Self.refusing {
            try JSONResponse.make(BuddyOutcomeJSON(try await buddies.answer(context.staff, module: id, input.answers.map { $0 }, strict: true)))
        }
    }

    func assignments(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let buddyList = try await buddies.buddies(context.staff)
            let list = try await buddies.assignments(context.staff)
            return try JSONResponse.make(
                BuddyAssignmentsJSON(
                    buddies: buddyList.map { .init(id: $0.id.text(), workName: $0.workName, completedMs: $0.completedMs) },
                    assignments: list.map { BuddyAssignmentJSON($0.assignment, nickname: $0.nickname) }))
        }
    }

    struct AssignInput: Decodable {
        let buddy: String
        let nickname: String
    }

    func assign(_ request: Request, context: StaffContext) async throws -> Response {
        try Self.refusingNow { try buddies.requireWorker(context.staff) }
        let input = try await JSONBody.require(AssignInput.self, request, context: context)
        return try await Self.refusing {
            guard let buddy = UUID(uuidString: input.buddy) else { throw BuddyRefusal.badBuddy }
            let (a, created) = try await buddies.assign(context.staff, buddy: buddy, nickname: input.nickname)
            let nickname = try await buddies.digital.members.nickname(member: a.member) ?? ""
            return try JSONResponse.make(BuddyAssignmentJSON(a, nickname: nickname), status: created ? .created : .ok)
        }
    }

    func unassign(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try context.pathID("assignment")
        try await Self.refusing { try await buddies.unassign(context.staff, id: id) }
        return Response(status: .noContent)
    }
}
