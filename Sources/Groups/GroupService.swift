import Crypto
import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// The rules of groups: who may enter, under which name, what the rules
/// ask, when a themed group is open, and what moderators may do.
package struct GroupService: Sendable {
    package let repository: any GroupRepository
    package let realtime: Realtime
    package let services: any ServiceDirectory
    package let staff: any StaffDirectory
    package let audit: AuditLog
    package let clock: AppClock
    /// Rooms' openings and closings on this node, one at a time: rare (a
    /// themed group's times, a coordinator's change), each a short transaction and a frame.
    let roomTurns = WriteGate()
    static let invitationLifetimeMs: Int64 = 14 * 24 * 3600 * 1000

    package init(
        repository: any GroupRepository, realtime: Realtime, services: any ServiceDirectory, staff: any StaffDirectory,
        audit: AuditLog, clock: AppClock
    ) {
        self.repository = repository
        self.realtime = realtime
        self.services = services
        self.staff = staff
        self.audit = audit
        self.clock = clock
    }

    /// A group service's settings; a group without any gets the defaults
    /// (a peer group, closed, no rules text yet) and its room.
    package func settings(for service: ServiceInfo) async throws -> GroupSettings {
        if let s = try await repository.settings(service: service.id) { return s }
        let made = try await creatingRoom(service)
        try await applySchedule(made, service)
        return made
    }

    private func creatingRoom(_ service: ServiceInfo) async throws -> GroupSettings {
        let room = try await realtime.createConversation(kind: .group, participants: [])
        let s = GroupSettings(
            service: service.id, conversation: room, style: .peer, access: .closed, volunteersModerate: false,
            rules: LocalizedText(fi: "", sv: "", en: ""), rulesVersion: 1)
        do {
            // Two first readers at once: the first row wins, the other room is left empty.
            return try await repository.createSettings(s)
        } catch {
            if let other = try await repository.settings(service: service.id) { return other }
            throw error
        }
    }

    /// A group by its slug: the service must be a group.
    package func group(slug: String) async throws -> (ServiceInfo, GroupSettings)? {
        guard let info = try await services.service(slug: slug), info.kind == .group else { return nil }
        return (info, try await settings(for: info))
    }

    /// A new rules text is a new version: every member must accept it
    /// again, and until they do they are out of the room.
    package func saveSettings(_ new: GroupSettings, by coordinator: StaffPrincipal, service: ServiceInfo) async throws {
        guard let old = try await repository.settings(service: new.service) else { return }
        var s = new
        s.conversation = old.conversation
        s.rulesVersion = old.rules == new.rules ? old.rulesVersion : old.rulesVersion + 1
        try await repository.saveSettings(s)
        // Network keeps a working group out of every public list and refuses to make it public.
        if (old.access == .staff) != (s.access == .staff) { try await services.setStaffOnly(service: s.service, s.access == .staff) }
        if s.rulesVersion != old.rulesVersion {
            for m in try await repository.members(service: s.service) where m.status == .active {
                try await realtime.removeParticipant(.client(m.member), from: s.conversation)
                await realtime.tell(.client(m.member), Self.moderation(s.conversation, "rules_changed"))
            }
        }
        // Always decided in the lock, on what was just stored: a tick that read the old settings waits, or is undone here.
        try await applyStoredSchedule(service)
        try await record(coordinator, service, "group.settings", target: service.names.fi)
    }

    // MARK: schedule

    /// A themed group's room is open only at its scheduled times (the
    /// service's hours); other groups are always open.
    static func roomOpen(_ s: GroupSettings, _ service: ServiceInfo) -> Bool { s.scheduled ? service.openNow : true }

    /// Opens or closes the room if `s` says it should change; returns whether
    /// it is open now. Most calls (a room page, the half-minute tick) change
    /// nothing and only read. A change is decided again from the settings
    /// stored when the room's lock is held (`applyStoredSchedule`), as `s`
    /// may be older than a coordinator's change made since.
    @discardableResult
    package func applySchedule(_ s: GroupSettings, _ service: ServiceInfo) async throws -> Bool {
        let open = Self.roomOpen(s, service)
        if try await realtime.isOpen(conversation: s.conversation) == open { return open }
        return try await applyStoredSchedule(service) ?? open
    }

    /// Decides and applies the room's state in one transaction, from the
    /// settings stored then (every node: `SQLGroupRepository.applyRoom`).
    /// This node's changes take turns from the decision to the "room" frame
    /// (`roomTurns`), so its frames come in the order the states were stored
    /// and the last one tells the room's state. The frame goes out after
    /// the commit: inside it, the read of who is in the room would wait for a
    /// connection the transaction may hold (SQLite's pool).
    @discardableResult
    func applyStoredSchedule(_ service: ServiceInfo) async throws -> Bool? {
        try await roomTurns.holding {
            let room = try await repository.applyRoom(service: service.id) { Self.roomOpen($0, service) }
            var open = room?.open
            if let room, room.changed {
                // Who may send is read again from what is stored, then everyone in the room hears.
                await realtime.participantsChanged(room.conversation)
                await tellRoom(room.conversation, open: room.open)
                // Another node may have changed it since the commit and told it before this frame: tell what is stored now after it.
                if let now = try await realtime.isOpen(conversation: room.conversation), now != room.open {
                    await tellRoom(room.conversation, open: now)
                    open = now
                }
            }
            return open
        }
    }

    private func tellRoom(_ conversation: UUID, open: Bool) async {
        await realtime.announce(.event(type: "room", conversation: conversation, fieldsJSON: #"{"open":\#(open)}"#), in: conversation)
    }

    /// Tests hold the tick here, between its read of a group's settings and
    /// their apply, to put a coordinator's change in between (`GroupScheduleRaceTests`).
    @TaskLocal package static var afterScheduleRead: (@Sendable (UUID) async -> Void)?

    /// Every group, by the clock now (run every half minute by `GroupScheduleService`).
    package func applySchedules() async throws {
        for s in try await repository.allSettings() {
            guard let info = try await services.service(id: s.service) else { continue }
            await Self.afterScheduleRead?(s.service)
            try await applySchedule(s, info)
        }
    }

    // MARK: members

    package enum JoinResult: Sendable, Equatable {
        case joined
        case nicknameTaken
        case badNickname
        /// The rules shown were not the current ones, or not accepted.
        case rulesNotAccepted
        case needsInvitation
        /// A screened group is joined by applying.
        case needsApplication
        case banned(untilMs: Int64?, reason: String)
    }

    /// Joins (or comes back to) a group under a nickname, accepting the rules version shown.
    package func join(_ group: GroupSettings, member: UUID, nickname raw: String, acceptedRules: Int?, invitation: String?) async throws -> JoinResult
    {
        let nickname = raw.trimmingCharacters(in: .whitespaces)
        guard Validate.length(nickname, 2...30), Validate.plainLine(nickname) else { return .badNickname }
        let existing = try await repository.member(service: group.service, member: member)
        if let existing, existing.isBanned(at: clock.nowMs) { return .banned(untilMs: existing.bannedUntilMs, reason: existing.banReason) }
        guard acceptedRules == group.rulesVersion else { return .rulesNotAccepted }
        if group.access == .staff { return .needsInvitation }
        if group.access == .screened, existing?.status != .active { return .needsApplication }
        if group.access == .closed, existing?.status != .active {
            guard try await invitationIsLive(group, code: invitation) else { return .needsInvitation }
        }
        let m = GroupMember(
            service: group.service, member: member, nickname: nickname, rulesVersion: group.rulesVersion, status: .active,
            bannedUntilMs: nil, banReason: "", joinedMs: existing?.joinedMs ?? clock.nowMs)
        guard try await repository.saveMember(m) else { return .nicknameTaken }
        try await enter(m, group)
        return .joined
    }

    /// A live invitation code of this group.
    func invitationIsLive(_ group: GroupSettings, code: String?) async throws -> Bool {
        guard let code, !code.isEmpty, let found = try await repository.invitation(codeHash: Self.codeHash(code), nowMs: clock.nowMs) else {
            return false
        }
        return found.service == group.service
    }

    /// Whether someone outside may see a group that is not listed: a
    /// screened group's application page is shared as a link, a closed
    /// group's page with its invitation code. Open unlisted groups stay hidden.
    package func reachableByLink(_ group: GroupSettings, invitation: String?) async throws -> Bool {
        switch group.access {
        case .screened: return true
        case .closed: return try await invitationIsLive(group, code: invitation)
        case .open, .staff: return false
        }
    }

    /// Accepts the current rules again (after a change) and comes back in.
    package func acceptRules(_ group: GroupSettings, member: UUID, version: Int?) async throws -> Bool {
        guard version == group.rulesVersion, var m = try await repository.member(service: group.service, member: member), m.status == .active else {
            return false
        }
        m.rulesVersion = group.rulesVersion
        _ = try await repository.saveMember(m)
        try await enter(m, group)
        return true
    }

    private func enter(_ m: GroupMember, _ group: GroupSettings) async throws {
        let open = try await realtime.isOpen(conversation: group.conversation) ?? true
        let muted = try await realtime.participant(.client(m.member), in: group.conversation)?.mutedUntilMs
        try await realtime.setParticipant(
            Participant(
                identity: .client(m.member), sender: Sender(name: m.nickname, role: .client),
                canSend: open, mutedUntilMs: muted), in: group.conversation)
    }

    /// What a person may do in a group.
    package enum Standing: Sendable, Equatable {
        /// In the room; `moderator` may remove, mute and ban.
        case staff(moderator: Bool)
        case member(GroupMember)
        /// A member who must accept the changed rules first.
        case rulesChanged(GroupMember)
        case banned(untilMs: Int64?, reason: String)
        case outside
        /// A staff-only group, as far as a client can tell: there is none.
        case hidden
    }

    package func standing(_ group: GroupSettings, _ service: ServiceInfo, staff principal: StaffPrincipal?, member: UUID?) async throws -> Standing {
        if let p = principal {
            let own = service.organisations.contains(p.organisationID)
            // A working group also takes the staff invited from the network's other organisations.
            if !own, group.access == .staff, try await repository.invitedStaff(service: group.service).contains(p.staffID) {
                return .staff(moderator: false)
            }
            guard own else { return .outside }
            // Volunteers moderate when the group lets all of them, or when named its facilitator.
            if p.role != .volunteer || group.volunteersModerate { return .staff(moderator: true) }
            return .staff(moderator: try await repository.facilitators(service: group.service).contains(p.staffID))
        }
        // Clients never see a working group.
        if group.access == .staff { return .hidden }
        return try await Self.clientStanding(member, in: group, members: repository, nowMs: clock.nowMs)
    }

    /// A client's standing, from membership alone: a ban holds until it
    /// ends, then (as after a removal) they are outside and may join again; a
    /// member who has not accepted the current rules must first.
    static func clientStanding(_ member: UUID?, in group: GroupSettings, members: any GroupMembershipRepository, nowMs: Int64) async throws
        -> Standing
    {
        guard let member, let m = try await members.member(service: group.service, member: member) else { return .outside }
        if m.isBanned(at: nowMs) { return .banned(untilMs: m.bannedUntilMs, reason: m.banReason) }
        guard m.status == .active else { return .outside }
        return m.rulesVersion == group.rulesVersion ? .member(m) : .rulesChanged(m)
    }

    /// Staff of the group's organisations take part under their work profile.
    package func enterAsStaff(_ group: GroupSettings, _ p: StaffPrincipal) async throws {
        guard try await realtime.participant(.staff(p.staffID), in: group.conversation) == nil else { return }
        let open = try await realtime.isOpen(conversation: group.conversation) ?? true
        try await realtime.setParticipant(
            Participant(
                identity: .staff(p.staffID), sender: Sender(name: p.workName, role: p.role.publicRole),
                canSend: open), in: group.conversation)
    }

    /// A code for a closed group, shown once to the worker; 14 days.
    package func makeInvitation(_ group: GroupSettings, by p: StaffPrincipal, service: ServiceInfo) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        let code = String((0..<10).map { _ in alphabet.randomElement(using: &generator)! })
        try await repository.addInvitation(
            GroupInvitation(service: group.service, codeHash: Self.codeHash(code), expiresMs: clock.nowMs + Self.invitationLifetimeMs))
        try await record(p, service, "group.invitation", target: service.names.fi)
        return code
    }

    package static func codeHash(_ code: String) -> String {
        Tokens.hash("group-invitation:" + code.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    // MARK: questions (Q&A groups)

    /// A member's question: 1–2,000 characters; `anonymous` hides their nickname from the other members.
    package func ask(_ group: GroupSettings, member: GroupMember, body: String, anonymous: Bool) async throws {
        try await repository.addQuestion(
            GroupQuestion(
                id: UUID(), service: group.service, member: member.member, nickname: member.nickname,
                anonymous: anonymous, body: body, removed: false, createdMs: clock.nowMs, answers: []))
        // The group's staff in the room hear of it at once.
        for p in try await realtime.participants(group.conversation) where p.identity.kind == .staff {
            await realtime.tell(p.identity, .event(type: "question", conversation: group.conversation, fieldsJSON: "{}"))
        }
    }

    package func answer(_ group: GroupSettings, question: UUID, body: String, by p: StaffPrincipal) async throws -> Bool {
        try await repository.addAnswer(
            GroupQuestion.Answer(
                id: UUID(), staff: p.staffID, from: Sender(name: p.workName, role: p.role.publicRole),
                body: body, createdMs: clock.nowMs), question: question, service: group.service)
    }

    package func removeQuestion(_ group: GroupSettings, id: UUID, by p: StaffPrincipal, service: ServiceInfo) async throws -> Bool {
        guard try await repository.removeQuestion(id: id, service: group.service) else { return false }
        try await record(p, service, "group.question_removed", target: service.names.fi)
        return true
    }

    // MARK: programme

    package func addEvent(_ event: ProgrammeEvent, by p: StaffPrincipal, service: ServiceInfo) async throws {
        try await repository.addEvent(event)
        try await record(p, service, "group.programme", target: "\(service.names.fi): \(event.title.fi)")
    }

    package func deleteEvent(_ id: UUID, by p: StaffPrincipal, service: ServiceInfo) async throws -> Bool {
        guard try await repository.deleteEvent(id: id, service: service.id) else { return false }
        try await record(p, service, "group.programme", target: service.names.fi)
        return true
    }

    // MARK: applications (screened groups)

    package enum ApplyResult: Sendable, Equatable {
        case applied, badNickname, nicknameTaken, rulesNotAccepted, alreadyWaiting, notScreened
        /// Answer `index` is empty or too long (at most 2,000 characters).
        case badAnswer(index: Int)
        case banned
    }

    /// Applies to a screened group: a nickname, an answer to each of the
    /// coordinator's questions (as shown in the applicant's language), and
    /// the rules accepted. A worker reads it and decides.
    package func apply(
        _ group: GroupSettings, member: UUID, nickname raw: String, answers: [String], language: Language,
        acceptedRules: Int?
    ) async throws -> ApplyResult {
        guard group.access == .screened else { return .notScreened }
        let nickname = raw.trimmingCharacters(in: .whitespaces)
        guard Validate.length(nickname, 2...30), Validate.plainLine(nickname) else { return .badNickname }
        if let m = try await repository.member(service: group.service, member: member), m.isBanned(at: clock.nowMs) { return .banned }
        let questions = group.questionList(language)
        for (i, _) in questions.enumerated() {
            let answer = i < answers.count ? answers[i].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            guard Validate.length(answer, 1...2000), Validate.plainText(answer) else { return .badAnswer(index: i) }
        }
        guard acceptedRules == group.rulesVersion else { return .rulesNotAccepted }
        let mine = try await repository.applications(member: member).filter { $0.service == group.service }
        if mine.contains(where: { $0.status == .waiting || $0.status == .interview }) { return .alreadyWaiting }
        let key = nickname.lowercased()
        if try await repository.members(service: group.service).contains(where: { $0.nickname.lowercased() == key && $0.member != member }) {
            return .nicknameTaken
        }
        let qa = questions.enumerated().map {
            GroupApplication.QA(question: $0.element, answer: answers[$0.offset].trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try await repository.saveApplication(
            GroupApplication(
                id: UUID(), service: group.service, member: member, nickname: nickname, answers: qa,
                status: .waiting, message: "", rulesVersion: group.rulesVersion,
                createdMs: clock.nowMs, decidedMs: nil))
        return .applied
    }

    package enum Decision: String, Sendable { case interview, accept, decline }
    package enum DecisionError: Error, Sendable { case notOpen, nicknameTaken }

    /// The coordinator's choice of facilitators, staff of the group's own organisations.
    package func setFacilitators(_ group: GroupSettings, _ staff: Set<UUID>, by p: StaffPrincipal, service: ServiceInfo) async throws {
        guard try await repository.facilitators(service: group.service) != staff else { return }
        try await repository.setFacilitators(service: group.service, staff)
        try await record(p, service, "group.facilitators", target: "\(service.names.fi): \(staff.count)")
    }

    /// The facilitators' work names, as members see them.
    package func facilitatorNames(_ group: GroupSettings) async throws -> [String] {
        var names: [String] = []
        for id in try await repository.facilitators(service: group.service) {
            if let s = try await staff.member(id: id) { names.append(s.workName) }
        }
        return names.sorted()
    }

    /// Who is invited to a working group; those taken off leave its room at once.
    package func setInvitedStaff(_ group: GroupSettings, _ staff: Set<UUID>, by p: StaffPrincipal, service: ServiceInfo) async throws {
        let before = try await repository.invitedStaff(service: group.service)
        try await repository.setInvitedStaff(service: group.service, staff)
        for gone in before.subtracting(staff) { try await realtime.removeParticipant(.staff(gone), from: group.conversation) }
        try await record(p, service, "group.staff_invited", target: "\(service.names.fi): \(staff.count)")
    }

    /// A worker's answer to an application: an interview (the message says
    /// when and where), acceptance (the applicant becomes a member at once)
    /// or a refusal; the applicant sees the message on the group's page.
    package func decide(
        _ group: GroupSettings, application id: UUID, _ decision: Decision, message: String, by p: StaffPrincipal,
        service: ServiceInfo
    ) async throws {
        guard var a = try await repository.application(id: id), a.service == group.service,
            a.status == .waiting || a.status == .interview
        else { throw DecisionError.notOpen }
        a.message = message
        switch decision {
        case .interview:
            a.status = .interview
        case .accept:
            let m = GroupMember(
                service: group.service, member: a.member, nickname: a.nickname, rulesVersion: a.rulesVersion, status: .active,
                bannedUntilMs: nil, banReason: "", joinedMs: clock.nowMs)
            guard try await repository.saveMember(m) else { throw DecisionError.nicknameTaken }
            a.status = .accepted
            a.decidedMs = clock.nowMs
            // In the room at once unless the rules changed since they applied.
            if m.rulesVersion == group.rulesVersion { try await enter(m, group) }
        case .decline:
            a.status = .declined
            a.decidedMs = clock.nowMs
        }
        try await repository.saveApplication(a)
        try await record(
            p, service, "group.application_\(decision.rawValue)",
            target: "\(service.names.fi): \(Self.memberRef(service: service.id, member: a.member))")
    }

    /// How the audit log names a member: never the nickname (the log cannot
    /// be edited, and an erased account must leave no personal data), but a
    /// short reference the moderation page shows beside the nickname. Once the
    /// account is erased nothing links the reference to anyone.
    static func memberRef(service: UUID, member: UUID) -> String {
        var bytes = [UInt8]()
        withUnsafeBytes(of: service.uuid) { bytes += $0 }
        withUnsafeBytes(of: member.uuid) { bytes += $0 }
        return "#" + SHA256.hash(data: bytes).prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// Every moderation act goes to the coordinator's log of the group's organisation.
    package func record(_ p: StaffPrincipal, _ service: ServiceInfo, _ action: String, target: String, reason: String = "") async throws {
        try await audit.record(
            .init(
                at: clock.now, staffID: p.staffID, staffName: p.workName, organisationID: service.organisations.first ?? p.organisationID,
                action: action, target: target, reason: reason))
    }
}

// What the pages read besides the rules above: each asks the repository as
// it is, so controllers need nothing but the service.
extension GroupService {
    /// The weekly programme, by weekday and time.
    package func events(service: UUID) async throws -> [ProgrammeEvent] { try await repository.events(service: service) }
    package func members(service: UUID) async throws -> [GroupMember] { try await repository.members(service: service) }
    /// A group's applications, newest first; `open`: waiting or in interview.
    package func applications(service: UUID, open: Bool) async throws -> [GroupApplication] {
        try await repository.applications(service: service, open: open)
    }
    package func applications(member: UUID) async throws -> [GroupApplication] { try await repository.applications(member: member) }
    package func reports(service: UUID, open: Bool) async throws -> [GroupReport] { try await repository.reports(service: service, open: open) }
    /// A Q&A group's questions with their answers, newest first (opened).
    package func questions(service: UUID) async throws -> [GroupQuestion] { try await repository.questions(service: service) }
    /// Staff invited to a working group.
    package func invitedStaff(service: UUID) async throws -> Set<UUID> { try await repository.invitedStaff(service: service) }
    /// A group's facilitators (staff ids): they moderate it, volunteers too.
    package func facilitators(service: UUID) async throws -> Set<UUID> { try await repository.facilitators(service: service) }
}
