import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// The rules of reach-out: who may keep plans, the plans themselves, the
/// 1:1 chat. Today's list and outcomes are in `ReachoutService+Today`,
/// escalation in `+Escalation`, absences and the week in `+Calendar`.
package struct ReachoutService: Sendable {
    package let repository: any ReachoutRepository
    package let realtime: Realtime
    package let services: any ServiceDirectory
    package let staff: any StaffDirectory
    package let members: any MemberDirectory
    package let audit: AuditLog
    package let clock: AppClock

    package init(
        repository: any ReachoutRepository, realtime: Realtime, services: any ServiceDirectory, staff: any StaffDirectory,
        members: any MemberDirectory, audit: AuditLog, clock: AppClock
    ) {
        (self.repository, self.realtime, self.services, self.staff, self.members, self.audit, self.clock) =
            (repository, realtime, services, staff, members, audit, clock)
    }

    /// Today in Helsinki.
    package var today: HelsinkiDay { HelsinkiDay(clock.now) }

    // MARK: who

    /// Workers and coordinators keep plans; volunteers do not (the people
    /// on the lists are often in a fragile place, and their numbers are here).
    package func requireWorker(_ p: StaffPrincipal) throws {
        guard p.role != .volunteer else { throw ReachoutRefusal.notAllowed }
    }

    package func requireCoordinator(_ p: StaffPrincipal) throws {
        guard p.role.canAdminister else { throw ReachoutRefusal.notCoordinator }
    }

    /// The organisation's active staff who may keep plans, by work name.
    package func team(_ p: StaffPrincipal) async throws -> [(id: UUID, workName: String, role: Role)] {
        try requireWorker(p)
        return try await staff.members(organisations: [p.organisationID]).filter { $0.role != .volunteer }.sorted { $0.workName < $1.workName }
    }

    // MARK: plans

    /// What a worker types for a plan (the page's form and the API's JSON).
    package struct PlanInput: Sendable {
        /// A registered client's nickname; empty for a person known by label only.
        package var nickname: String = ""
        package var label: String = ""
        package var note: String = ""
        /// `daily`, `weekdays:1,3`, `every:3`.
        package var rhythm: String = "daily"
        package var starts: String = ""
        package var until: String = ""
        /// `9:00` or `09.00`.
        package var time: String = ""
        package var escalateAt: String = ""
        package var channel: String = ContactChannel.phone.rawValue
        package var owner: UUID?
        package var backup: UUID?
        package var skipHolidays: Bool = false
        package init() {}
    }

    /// The plan a worker's input describes, or the first refusal.
    func plan(from input: PlanInput, base: ContactPlan?, by p: StaffPrincipal) async throws -> ContactPlan {
        let label = input.label.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = input.note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard label.count <= Reachout.maxLabel, Validate.plainText(label), !label.contains(where: \.isNewline) else {
            throw ReachoutRefusal.badLabel
        }
        guard note.count <= Reachout.maxNote, Validate.plainText(note) else { throw ReachoutRefusal.badNote }
        var member: UUID? = base?.member
        let nickname = input.nickname.trimmingCharacters(in: .whitespacesAndNewlines)
        if !nickname.isEmpty {
            guard nickname.count <= 60, let found = try await members.member(nickname: nickname) else { throw ReachoutRefusal.memberNotFound }
            member = found.id
        } else if base == nil || base?.member == nil {
            member = nil
        }
        guard member != nil || !label.isEmpty else { throw ReachoutRefusal.badLabel }
        guard let rhythm = Rhythm(text: input.rhythm.trimmingCharacters(in: .whitespaces)) else { throw ReachoutRefusal.badRhythm }
        let starts: HelsinkiDay
        if input.starts.isEmpty {
            starts = base?.starts ?? today
        } else {
            guard let d = HelsinkiDay(input.starts) else { throw ReachoutRefusal.badDays }
            starts = d
        }
        var until: HelsinkiDay?
        if !input.until.isEmpty {
            guard let d = HelsinkiDay(input.until), d >= starts, d.days(since: starts) <= 3 * 366 else { throw ReachoutRefusal.badDays }
            until = d
        }
        guard base != nil || starts >= today.adding(days: -Reachout.lookBackDays), starts.days(since: today) <= 366 else {
            throw ReachoutRefusal.badDays
        }
        guard let minute = Self.minute(input.time) else { throw ReachoutRefusal.badTime }
        var escalation = Reachout.defaultEscalationMinute
        if !input.escalateAt.isEmpty {
            guard let m = Self.minute(input.escalateAt), m > minute else { throw ReachoutRefusal.badTime }
            escalation = m
        } else if let base, base.escalationMinute > minute {
            escalation = base.escalationMinute
        }
        guard escalation > minute else { throw ReachoutRefusal.badTime }
        guard let channel = ContactChannel(rawValue: input.channel) else { throw ReachoutRefusal.badChannel }
        guard channel == .phone || member != nil else { throw ReachoutRefusal.badChannel }
        let team = Set(try await team(p).map(\.id))
        let owner = input.owner ?? base?.owner ?? p.staffID
        guard team.contains(owner) else { throw ReachoutRefusal.badWorker }
        if let backup = input.backup { guard team.contains(backup), backup != owner else { throw ReachoutRefusal.badWorker } }
        return ContactPlan(
            id: base?.id ?? UUID(), organisation: p.organisationID, member: member, label: label, note: note, rhythm: rhythm, starts: starts,
            until: until, minute: minute, escalationMinute: escalation, channel: channel, owner: owner, backup: input.backup,
            skipHolidays: input.skipHolidays, endedOn: base?.endedOn,
            // Another registered client: the chat with the previous one is not theirs.
            conversation: member == base?.member ? base?.conversation : nil, createdMs: base?.createdMs ?? clock.nowMs)
    }

    /// `9:00`, `09:00` or `9.00` as minutes after midnight.
    package static func minute(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "." })
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return h * 60 + m
    }

    package func makePlan(_ p: StaffPrincipal, _ input: PlanInput) async throws -> ContactPlan {
        try requireWorker(p)
        let plan = try await plan(from: input, base: nil, by: p)
        try await repository.addPlan(plan)
        try await record(p, "reachout.plan", plan)
        return plan
    }

    package func editPlan(_ p: StaffPrincipal, id: UUID, _ input: PlanInput) async throws -> ContactPlan {
        let old = try await plan(p, id: id)
        guard old.isActive else { throw ReachoutRefusal.planEnded }
        let plan = try await plan(from: input, base: old, by: p)
        try await repository.savePlan(plan)
        if let conversation = plan.conversation, old.owner != plan.owner || old.backup != plan.backup {
            try await seatWorkers(plan, conversation)
        }
        try await record(p, "reachout.plan_edit", plan)
        return plan
    }

    /// Ends a plan today: nothing is due after today.
    package func endPlan(_ p: StaffPrincipal, id: UUID) async throws -> ContactPlan {
        var plan = try await plan(p, id: id)
        guard plan.isActive else { throw ReachoutRefusal.planEnded }
        plan.endedOn = today
        try await repository.savePlan(plan)
        try await record(p, "reachout.plan_end", plan)
        return plan
    }

    /// A plan of the asker's organisation.
    package func plan(_ p: StaffPrincipal, id: UUID) async throws -> ContactPlan {
        try requireWorker(p)
        guard let plan = try await repository.plan(id: id), plan.organisation == p.organisationID else { throw ReachoutRefusal.notFound }
        return plan
    }

    /// The organisation's plans, the active ones first, each by name.
    package func plans(_ p: StaffPrincipal) async throws -> [ContactPlan] {
        try requireWorker(p)
        return try await repository.plans(organisation: p.organisationID).sorted {
            ($0.isActive ? 0 : 1, $0.createdMs) < ($1.isActive ? 0 : 1, $1.createdMs)
        }
    }

    /// What the workers call the person: the label, else the registered client's nickname.
    package func name(_ plan: ContactPlan) async throws -> String {
        if !plan.label.isEmpty { return plan.label }
        if let member = plan.member { return try await members.nickname(member: member) ?? "" }
        return ""
    }

    /// Names of several plans at once (a list page), by plan id.
    package func names(_ plans: [ContactPlan]) async throws -> [UUID: String] {
        var out: [UUID: String] = [:]
        for plan in plans { out[plan.id] = try await name(plan) }
        return out
    }

    /// The organisation's staff by id, for work names on pages.
    package func workNames(_ p: StaffPrincipal) async throws -> [UUID: String] {
        Dictionary(try await staff.members(organisations: [p.organisationID]).map { ($0.id, $0.workName) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: the chat with a registered client

    /// The plan's 1:1 conversation with its registered client, made on first
    /// use; the asker joins it by their work name.
    package func openChat(_ p: StaffPrincipal, plan id: UUID) async throws -> UUID {
        var plan = try await plan(p, id: id)
        guard let member = plan.member else { throw ReachoutRefusal.noMember }
        let conversation: UUID
        if let existing = plan.conversation {
            conversation = existing
        } else {
            let nickname = try await members.nickname(member: member) ?? ""
            conversation = try await realtime.createConversation(
                kind: .reachout,
                participants: [Participant(identity: .client(member), sender: Sender(name: nickname, role: .client), canSend: true)])
            plan.conversation = conversation
            try await repository.savePlan(plan)
        }
        try await seatWorkers(plan, conversation)
        try await realtime.setParticipant(
            Participant(identity: .staff(p.staffID), sender: Sender(name: p.workName, role: p.role.publicRole), canSend: true), in: conversation)
        return conversation
    }

    /// The owner and the backup are in the plan's conversation, so that
    /// either may answer the client.
    private func seatWorkers(_ plan: ContactPlan, _ conversation: UUID) async throws {
        for id in [plan.owner] + (plan.backup.map { [$0] } ?? []) {
            guard let s = try await staff.member(id: id) else { continue }
            try await realtime.setParticipant(
                Participant(identity: .staff(id), sender: Sender(name: s.workName, role: s.role.publicRole), canSend: true), in: conversation)
        }
    }

    // MARK: the registered client's own view

    /// The plans about a registered client that have not ended: who contacts
    /// them, how and when (never the workers' label or note).
    package func mine(member: UUID) async throws -> [ContactPlan] {
        try await repository.plans(member: member).filter(\.isActive)
    }

    /// A registered client says no to further contacts: the plan ends today.
    package func decline(member: UUID, plan id: UUID) async throws {
        guard var plan = try await repository.plan(id: id), plan.member == member else { throw ReachoutRefusal.notFound }
        guard plan.isActive else { throw ReachoutRefusal.planEnded }
        plan.endedOn = today
        try await repository.savePlan(plan)
        _ = try await repository.addOutcome(ContactOutcome(plan: plan.id, day: today, kind: .declined, by: plan.owner, atMs: clock.nowMs))
    }

    func record(_ p: StaffPrincipal, _ action: String, _ plan: ContactPlan) async throws {
        // The target names the plan by id only: the audit log holds no label.
        try await audit.record(
            .init(at: clock.now, staffID: p.staffID, staffName: p.workName, organisationID: p.organisationID, action: action, target: plan.id.text()))
    }
}
