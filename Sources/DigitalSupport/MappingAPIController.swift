import Foundation
import Hummingbird
import KohtaamoBase

/// The needs mapping's JSON (docs/openapi.yaml, tag DigitalSupport): the
/// network's questionnaire (`/api/digital/questionnaire`, coordinators save
/// it), a worker's mappings and goals of clients (`/api/digital/mappings`,
/// `/api/digital/clients/{member}/…`), and a registered client's own
/// (`/api/my/digital/…`). A refused field answers 400 with its code.
struct MappingAPIController {
    let digital: DigitalService

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/api/digital", context: StaffContext.self)
        staff.get("questionnaire", use: questionnaire)
        staff.put("questionnaire", use: saveQuestionnaire)
        staff.post("mappings", use: makeMapping)
        staff.get("clients/{member}/mappings", use: clientMappings)
        staff.get("clients/{member}/goals", use: clientGoals)
        staff.post("clients/{member}/goals", use: addClientGoal)
        staff.put("clients/{member}/goals/{goal}", use: setClientGoal)
        let member = router.group("/api/my/digital", context: MemberContext.self)
        member.get("questionnaire", use: myQuestionnaire)
        member.get("mappings", use: myMappings)
        member.post("mappings", use: makeMyMapping)
        member.get("goals", use: myGoals)
        member.post("goals", use: addMyGoal)
        member.put("goals/{goal}", use: setMyGoal)
    }

    static func refusing<T>(_ body: () async throws -> T) async throws -> T { try await DigitalAPIController.refusing(body) }

    func json(_ mappings: [Mapping], _ language: Language) async throws -> [MappingJSON] {
        var out: [MappingJSON] = []
        for m in mappings { out.append(try await MappingJSON.make(m, digital, language: language)) }
        return out
    }

    // MARK: the questionnaire

    func questionnaire(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try JSONResponse.make(QuestionnaireJSON(try await digital.questionnaire(context.staff))) }
    }

    struct QuestionnaireInput: Decodable {
        let questions: [QuestionJSON]
        let rules: [RuleJSON]
    }

    func saveQuestionnaire(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try digital.requireEditor(context.staff) }
        let input = try await JSONBody.require(QuestionnaireInput.self, request, context: context)
        return try await Self.refusing {
            let questions = input.questions.map {
                DigitalService.QuestionInput(theme: $0.theme, text: MappingText(fi: $0.fi, sv: $0.sv ?? "", en: $0.en ?? ""))
            }
            let saved = try await digital.saveQuestionnaire(context.staff, questions: questions, rules: RuleJSON.rules(input.rules))
            return try JSONResponse.make(QuestionnaireJSON(saved))
        }
    }

    // MARK: a worker's clients

    struct MappingInput: Decodable {
        let nickname: String?
        let member: String?
        /// Question id → 0…3, or null for "not needed".
        let answers: [String: Int?]

        var typed: [String: String] { answers.mapValues { $0.map(String.init) ?? MappingAnswer.notNeeded } }
    }

    func makeMapping(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try digital.requireMapper(context.staff) }
        let input = try await JSONBody.require(MappingInput.self, request, context: context)
        return try await Self.refusing {
            let member: UUID
            if let id = input.member.flatMap(UUID.init(uuidString:)) {
                member = id
            } else {
                member = try await digital.client(nickname: input.nickname ?? "")
            }
            let m = try await digital.makeMapping(context.staff, member: member, answers: input.typed)
            return try JSONResponse.make(
                try await MappingJSON.make(m, digital, language: context.language), status: .created)
        }
    }

    func clientMappings(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let mappings = try await digital.clientMappings(context.staff, member: try context.pathID("member"))
            return try JSONResponse.make(try await json(mappings, context.language))
        }
    }

    func clientGoals(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let member = try context.pathID("member")
            _ = try await digital.clientMappings(context.staff, member: member)
            return try JSONResponse.make(
                try await GoalJSON.list(try await digital.goals(of: member, organisation: context.staff.organisationID), digital))
        }
    }

    struct GoalInput: Decodable {
        let theme: String
        let text: String
        /// A client material's id (staff only; a client's own goal ignores it).
        let material: String?
    }

    struct StatusInput: Decodable {
        let status: String

        var done: Bool {
            get throws {
                guard status == "open" || status == "done" else { throw MappingRefusal.badStatus }
                return status == "done"
            }
        }
    }

    func addClientGoal(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try digital.requireMapper(context.staff) }
        let input = try await JSONBody.require(GoalInput.self, request, context: context)
        return try await Self.refusing {
            let goal = try await digital.addGoal(
                context.staff, member: try context.pathID("member"), theme: input.theme, text: input.text, material: input.material ?? "")
            return try JSONResponse.make(try await GoalJSON.one(goal, digital), status: .created)
        }
    }

    func setClientGoal(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try digital.requireMapper(context.staff) }
        let input = try await JSONBody.require(StatusInput.self, request, context: context)
        return try await Self.refusing {
            let member = try context.pathID("member"), id = try context.pathID("goal")
            try await digital.setGoal(context.staff, member: member, goal: id, done: try input.done)
            guard let goal = try await digital.goals(of: member, organisation: context.staff.organisationID).first(where: { $0.id == id }) else {
                throw MappingRefusal.notFound
            }
            return try JSONResponse.make(try await GoalJSON.one(goal, digital))
        }
    }

    // MARK: the registered client

    func myQuestionnaire(_ request: Request, context: MemberContext) async throws -> Response {
        try JSONResponse.make(QuestionnaireJSON(try await digital.myQuestionnaire(member: context.signedInMember.memberID)))
    }

    func myMappings(_ request: Request, context: MemberContext) async throws -> Response {
        try JSONResponse.make(try await json(try await digital.myMappings(member: context.signedInMember.memberID), context.language))
    }

    func makeMyMapping(_ request: Request, context: MemberContext) async throws -> Response {
        let input = try await JSONBody.require(MappingInput.self, request, context: context)
        return try await Self.refusing {
            let m = try await digital.makeMyMapping(member: context.signedInMember.memberID, answers: input.typed)
            return try JSONResponse.make(
                try await MappingJSON.make(m, digital, language: context.language), status: .created)
        }
    }

    func myGoals(_ request: Request, context: MemberContext) async throws -> Response {
        try JSONResponse.make(try await GoalJSON.list(try await digital.myGoals(member: context.signedInMember.memberID), digital))
    }

    func addMyGoal(_ request: Request, context: MemberContext) async throws -> Response {
        let input = try await JSONBody.require(GoalInput.self, request, context: context)
        return try await Self.refusing {
            try JSONResponse.make(
                try await GoalJSON.one(
                    try await digital.addMyGoal(member: context.signedInMember.memberID, theme: input.theme, text: input.text), digital),
                status: .created
            )
        }
    }

    func setMyGoal(_ request: Request, context: MemberContext) async throws -> Response {
        let input = try await JSONBody.require(StatusInput.self, request, context: context)
        return try await Self.refusing {
            let member = context.signedInMember.memberID, id = try context.pathID("goal")
            try await digital.setMyGoal(member: member, goal: id, done: try input.done)
            guard let goal = try await digital.myGoals(member: member).first(where: { $0.id == id }) else { throw MappingRefusal.notFound }
            return try JSONResponse.make(try await GoalJSON.one(goal, digital))
        }
    }
}
