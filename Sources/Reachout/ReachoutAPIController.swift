import Foundation
import Hummingbird
import KohtaamoBase

/// The JSON entry points of reach-out (docs/openapi.yaml, tag Reachout):
/// workers under `/api/reachout`, coordinators' escalations and figures,
/// and a registered client's own plans under `/api/my/reachout`. The
/// today page's buttons post here. The rules are in `ReachoutService`.
struct ReachoutAPIController {
    let reachout: ReachoutService

    func addRoutes(to router: Router<AppRequestContext>) {
        let coordinators = router.group("/api/reachout", context: CoordinatorContext.self)
        coordinators.get("escalations", use: escalations)
        coordinators.post("escalations/{escalation}/close", use: close)
        coordinators.get("figures", use: figures)
        let staff = router.group("/api/reachout", context: StaffContext.self)
        staff.get("today", use: today)
        staff.get("plans", use: plans)
        staff.post("plans", use: makePlan)
        staff.get("plans/{plan}", use: plan)
        staff.put("plans/{plan}", use: editPlan)
        staff.post("plans/{plan}/end", use: endPlan)
        staff.post("plans/{plan}/outcomes", use: log)
        staff.post("plans/{plan}/chat", use: chat)
        staff.get("team", use: team)
        staff.get("referrals", use: referrals)
        staff.get("absences", use: absences)
        staff.post("absences", use: addAbsence)
        staff.delete("absences/{absence}", use: deleteAbsence)
        staff.get("calendar", use: calendar)
        let member = router.group("/api/my/reachout", context: MemberContext.self)
        member.get(use: mine)
        member.post("{plan}/decline", use: decline)
    }

    // MARK: errors and parameters

    static func appError(_ r: ReachoutRefusal) -> AppError {
        AppError(HTTPResponse.Status(code: r.httpStatus), code: r.rawValue, messageKey: r.messageKey)
    }

    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as ReachoutRefusal { throw appError(r) }
    }

    static func id(_ name: String, _ context: some RequestContext) throws -> UUID { try context.pathID(name) }

    /// An optional id in a body: absent is nil, anything but a UUID is refused with `refusal`.
    static func optionalID(_ text: String?, _ refusal: ReachoutRefusal) throws -> UUID? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else { throw appError(refusal) }
        return id
    }

    /// A `YYYY-MM-DD` query parameter; absent is nil. Digits only, and a
    /// year from 1970 to 9998: a week or the days before it read for "last
    /// time" stay dates of four-digit years after the epoch (year 1 went
    /// back into 1 BC, 9999 on to 10000, and `+202` was read as year 202).
    static func day(_ request: Request, _ name: String) throws -> HelsinkiDay? {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init), !text.isEmpty else { return nil }
        guard text.allSatisfy({ $0 == "-" || ("0"..."9").contains($0) }), let day = HelsinkiDay(text), (1970...9998).contains(day.year) else {
            throw appError(.badDays)
        }
        return day
    }

    // MARK: today and outcomes

    struct TodayJSON: Encodable {
        let day: HelsinkiDay
        let contacts: [ContactJSON]
    }

    func today(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let day = try Self.day(request, "day") ?? reachout.today
            let list = try await reachout.list(context.staff, day: day)
            let names = try await reachout.names(list.map(\.plan))
            return try JSONResponse.make(TodayJSON(day: day, contacts: list.map { ContactJSON($0, name: names[$0.plan.id] ?? "") }))
        }
    }

    struct OutcomeInput: Decodable {
        let id: String?
        let day: String?
        let outcome: String
        let referral: String?
        let note: String?
    }

    func log(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(OutcomeInput.self, request, context: context)
        return try await Self.refusing {
            let outcome = try await reachout.log(
                context.staff, plan: try Self.id("plan", context),
                ReachoutService.OutcomeInput(
                    id: try Self.optionalID(input.id, .badOutcome), day: input.day ?? "", kind: input.outcome,
                    referral: try Self.optionalID(input.referral, .badReferral), note: input.note ?? ""))
            return try JSONResponse.make(OutcomeJSON(outcome), status: .created)
        }
    }

    // MARK: plans

    struct PlanInput: Decodable {
        let nickname: String?
        let label: String?
        let note: String?
        let rhythm: String
        let starts: String?
        let until: String?
        let time: String
        let escalateAt: String?
        let channel: String
        let owner: String?
        let backup: String?
        let skipHolidays: Bool?

        func input() throws -> ReachoutService.PlanInput {
            var i = ReachoutService.PlanInput()
            (i.nickname, i.label, i.note, i.rhythm) = (nickname ?? "", label ?? "", note ?? "", rhythm)
            (i.starts, i.until, i.time, i.escalateAt, i.channel) = (starts ?? "", until ?? "", time, escalateAt ?? "", channel)
            i.owner = try ReachoutAPIController.optionalID(owner, .badWorker)
            i.backup = try ReachoutAPIController.optionalID(backup, .badWorker)
            i.skipHolidays = skipHolidays ?? false
            return i
        }
    }

    struct PlanWithHistoryJSON: Encodable {
        let plan: PlanJSON
        let history: [OutcomeJSON]
    }

    func plans(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let plans = try await reachout.plans(context.staff)
            let names = try await reachout.names(plans)
            return try JSONResponse.make(plans.map { PlanJSON($0, name: names[$0.id] ?? "") })
        }
    }

    func plan(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let plan = try await reachout.plan(context.staff, id: try Self.id("plan", context))
            return try JSONResponse.make(
                PlanWithHistoryJSON(
                    plan: PlanJSON(plan, name: try await reachout.name(plan)),
                    history: try await reachout.history(context.staff, plan: plan.id).map(OutcomeJSON.init)))
        }
    }

    func makePlan(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(PlanInput.self, request, context: context)
        return try await Self.refusing {
            let plan = try await reachout.makePlan(context.staff, try input.input())
            return try JSONResponse.make(PlanJSON(plan, name: try await reachout.name(plan)), status: .created)
        }
    }

    func editPlan(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(PlanInput.self, request, context: context)
        return try await Self.refusing {
            let plan = try await reachout.editPlan(context.staff, id: try Self.id("plan", context), try input.input())
            return try JSONResponse.make(PlanJSON(plan, name: try await reachout.name(plan)))
        }
    }

    func endPlan(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let plan = try await reachout.endPlan(context.staff, id: try Self.id("plan", context))
            return try JSONResponse.make(PlanJSON(plan, name: try await reachout.name(plan)))
        }
    }

    struct ConversationJSON: Encodable { let conversation: String }

    func chat(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(
                ConversationJSON(conversation: try await reachout.openChat(context.staff, plan: try Self.id("plan", context)).text()))
        }
    }

    struct WorkerJSON: Encodable {
        let id: String
        let workName: String
    }

    func team(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(try await reachout.team(context.staff).map { WorkerJSON(id: $0.id.text(), workName: $0.workName) })
        }
    }

    struct ReferralJSON: Encodable {
        let id: String
        let language: String
        let title: String
    }

    func referrals(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(
                try await reachout.referralCards(context.staff).map { ReferralJSON(id: $0.id.text(), language: $0.language, title: $0.title) })
        }
    }

    // MARK: absences and the week

    func absences(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let from = try Self.day(request, "from") ?? reachout.today
            let to = try Self.day(request, "to") ?? from.adding(days: 27)
            guard from <= to, to.days(since: from) <= 366 else { throw ReachoutRefusal.badDays }
            return try JSONResponse.make(try await reachout.absences(context.staff, from: from, to: to).map(AbsenceJSON.init))
        }
    }

    struct AbsenceInput: Decodable {
        let staff: String?
        let from: String
        let to: String?
    }

    func addAbsence(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(AbsenceInput.self, request, context: context)
        return try await Self.refusing {
            let absence = try await reachout.addAbsence(
                context.staff, staff: try Self.optionalID(input.staff, .badWorker), from: input.from, to: input.to ?? "")
            return try JSONResponse.make(AbsenceJSON(absence), status: .created)
        }
    }

    func deleteAbsence(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try await reachout.deleteAbsence(context.staff, id: try Self.id("absence", context)) }
        return Response(status: .noContent)
    }

    struct DayJSON: Encodable {
        let day: HelsinkiDay
        let holiday: String?
        let away: [String]
        let contacts: [ContactJSON]
    }

    /// `worker`: a worker's id, or absent for the whole team.
    func calendar(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let day = try Self.day(request, "day") ?? reachout.today
            let worker = try Self.optionalID(request.uri.queryParameters["worker"].map(String.init), .badWorker)
            let week = try await reachout.week(context.staff, of: day, worker: worker)
            let names = try await reachout.names(week.flatMap { $0.contacts.map(\.plan) })
            return try JSONResponse.make(
                week.map { d in
                    DayJSON(
                        day: d.day, holiday: d.holiday, away: d.away.map { $0.text() },
                        contacts: d.contacts.map { ContactJSON($0, name: names[$0.plan.id] ?? "") })
                })
        }
    }

    // MARK: coordinators

    func escalations(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await Self.refusing { try JSONResponse.make(try await reachout.escalations(context.staff).map(EscalationJSON.init)) }
    }

    struct CloseInput: Decodable { let note: String }

    func close(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let input = try await JSONBody.require(CloseInput.self, request, context: context)
        return try await Self.refusing {
            let id = try Self.id("escalation", context)
            _ = try await reachout.close(context.staff, escalation: id, note: input.note)
            guard let item = try await reachout.escalations(context.staff).first(where: { $0.escalation.id == id }) else {
                throw ReachoutRefusal.notFound
            }
            return try JSONResponse.make(EscalationJSON(item))
        }
    }

    func figures(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await Self.refusing {
            let weeks = request.uri.queryParameters["weeks"].map { Int(String($0)) ?? -1 } ?? 8
            guard (1...53).contains(weeks) else { throw ReachoutRefusal.badDays }
            return try JSONResponse.make(try await reachout.figures(context.staff, weeks: weeks))
        }
    }

    // MARK: the registered client

    struct MyPlanJSON: Encodable {
        let id: String
        let worker: String
        let rhythm: String
        let time: String
        let channel: String
        let conversation: String?
    }

    func mine(_ request: Request, context: MemberContext) async throws -> Response {
        var out: [MyPlanJSON] = []
        for p in try await reachout.mine(member: context.signedInMember.memberID) {
            out.append(
                MyPlanJSON(
                    id: p.id.text(), worker: try await reachout.staff.member(id: p.owner)?.workName ?? "", rhythm: p.rhythm.text,
                    time: Clock24.text(p.minute), channel: p.channel.rawValue, conversation: p.conversation?.text()))
        }
        return try JSONResponse.make(out)
    }

    func decline(_ request: Request, context: MemberContext) async throws -> Response {
        try await Self.refusing { try await reachout.decline(member: context.signedInMember.memberID, plan: try Self.id("plan", context)) }
        return Response(status: .noContent)
    }
}
