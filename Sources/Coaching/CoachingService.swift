import Booking
import Crypto
import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// The rules of coaching: who coaches in a service, how a person becomes a
/// coachee, the threads and groups. Tasks are in `CoachingService+Tasks`.
package struct CoachingService: Sendable {
    package let repository: any CoachingRepository
    package let realtime: Realtime
    package let services: any ServiceDirectory
    package let staff: any StaffDirectory
    package let audit: AuditLog
    package let clock: AppClock
    /// Appointments (the shared Booking layer).
    package let booking: BookingService
    /// The network's material bank (client material a task may link to); nil in a build without it.
    package let materials: (any MaterialDirectory)?
    static let invitationLifetimeMs: Int64 = 14 * 24 * 3600 * 1000

    package init(
        repository: any CoachingRepository, realtime: Realtime, services: any ServiceDirectory, staff: any StaffDirectory, audit: AuditLog,
        clock: AppClock, booking: BookingService, materials: (any MaterialDirectory)? = nil
    ) {
        (self.repository, self.realtime, self.services, self.staff, self.audit, self.clock) = (repository, realtime, services, staff, audit, clock)
        self.booking = booking
        self.materials = materials
    }

    /// Why something is refused; each has a stable code (`CoachingAPI.appError`).
    package enum Refusal: Error, Equatable, Sendable {
        /// No such coaching service, coachee, group or task — or not one the asker may see.
        case notFound
        /// Staff who are not a coach of the service.
        case notCoach
        case notCoordinator
        case invitationInvalid
        /// A coach named who is not active staff of the service's organisations.
        case badCoach
        case badSettings
        case badGroupName
        /// The person is not the coach's coachee in this service.
        case notCoachee
        case badTitle, badInstructions, badChecklist, badMaterial, badDue
        case badAnswer
        /// The task is not waiting for this (answered twice, feedback on an open task).
        case wrongState
        case badFeedback
    }

    // MARK: services and their set-up

    /// A coaching service by id.
    package func service(_ id: UUID) async throws -> ServiceInfo {
        guard let info = try await services.service(id: id), info.kind == .coaching else { throw Refusal.notFound }
        return info
    }

    package func settings(_ service: ServiceInfo) async throws -> CoachingSettings {
        try await repository.settings(service: service.id) ?? .defaults(service: service.id)
    }

    /// The coordinator of the service's organisation sets it up (or a
    /// coordinator of the network it belongs to).
    package func requireCoordinator(_ p: StaffPrincipal, _ service: ServiceInfo) async throws {
        guard let owner = service.organisations.first else { throw Refusal.notCoordinator }
        switch p.role {
        case .coordinator where owner == p.organisationID: return
        case .networkCoordinator where try await services.organisations(network: p.networkID, language: .fi).contains { $0.id == owner }: return
        default: throw Refusal.notCoordinator
        }
    }

    /// Staff who may coach: the active staff of the service's organisations.
    package func candidates(_ service: ServiceInfo) async throws -> [(id: UUID, workName: String, role: Role)] {
        try await staff.members(organisations: service.organisations)
    }

    package func saveSettings(_ new: CoachingSettings, by p: StaffPrincipal, service: ServiceInfo) async throws {
        try await requireCoordinator(p, service)
        let allowed = Set(try await candidates(service).map(\.id))
        guard new.coaches.isSubset(of: allowed) else { throw Refusal.badCoach }
        guard (0...336).contains(new.changeLimitHours), (1024...(25 * 1024 * 1024)).contains(new.fileMaxBytes),
            !new.fileGroups.isEmpty, Set(new.fileGroups).isSubset(of: ["image", "pdf", "office", "text"])
        else { throw Refusal.badSettings }
        var s = new
        s.service = service.id
        s.fileGroups = Array(Set(s.fileGroups)).sorted()
        try await repository.saveSettings(s)
        try await record(p, service, "coaching.settings", target: "\(service.names.fi): \(s.coaches.count)")
    }

    /// A coaching service the staff member coaches in, with its set-up.
    package func asCoach(_ p: StaffPrincipal, service id: UUID) async throws -> (ServiceInfo, CoachingSettings) {
        let info = try await service(id)
        let s = try await settings(info)
        guard s.coaches.contains(p.staffID), info.organisations.contains(p.organisationID) else { throw Refusal.notCoach }
        return (info, s)
    }

    /// The services a staff member coaches in.
    package func coached(by p: StaffPrincipal) async throws -> [ServiceInfo] {
        var out: [ServiceInfo] = []
        for id in try await repository.servicesCoached(by: p.staffID) {
            if let info = try await services.service(id: id), info.kind == .coaching, info.organisations.contains(p.organisationID) {
                out.append(info)
            }
        }
        return out
    }

    // MARK: coachees

    /// A one-time code a coach gives a person; 14 days. With `group`, they
    /// also join that coaching group of the coach.
    package func invite(_ p: StaffPrincipal, service id: UUID, group: UUID?) async throws -> (code: String, expiresMs: Int64) {
        let (info, _) = try await asCoach(p, service: id)
        if let group {
            guard let g = try await repository.group(id: group), g.service == info.id, g.coach == p.staffID else { throw Refusal.notFound }
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        let code = String((0..<10).map { _ in alphabet.randomElement(using: &generator)! })
        let expires = clock.nowMs + Self.invitationLifetimeMs
        try await repository.addInvitation(
            CoachingInvitation(codeHash: Self.codeHash(code), service: info.id, coach: p.staffID, group: group, expiresMs: expires, usedMs: nil))
        try await record(p, info, "coaching.invitation", target: info.names.fi)
        return (code, expires)
    }

    /// The service a live, unused code invites to (the join page names it); nil otherwise.
    package func invitedService(code: String) async throws -> ServiceInfo? {
        guard Validate.length(code, 1...40), let i = try await repository.invitation(codeHash: Self.codeHash(code), nowMs: clock.nowMs) else {
            return nil
        }
        return try await services.service(id: i.service)
    }

    package static func codeHash(_ code: String) -> String {
        Tokens.hash("coaching-invitation:" + code.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// A registered client takes up an invitation: they become the coach's
    /// coachee with a thread of their own (kept when they were one before),
    /// and join the group the code names.
    package func join(_ member: MemberPrincipal, code: String) async throws -> Coachee {
        guard Validate.length(code, 1...40), let invitation = try await repository.useInvitation(codeHash: Self.codeHash(code), nowMs: clock.nowMs)
        else { throw Refusal.invitationInvalid }
        let info = try await service(invitation.service)
        guard let coach = try await staff.member(id: invitation.coach) else { throw Refusal.invitationInvalid }
        var coachee: Coachee
        if var existing = try await repository.coachee(service: info.id, member: member.memberID) {
            existing.status = .active
            existing.nickname = member.nickname
            coachee = existing
        } else {
            let thread = try await realtime.createConversation(kind: .coaching, participants: [])
            coachee = Coachee(
                service: info.id, member: member.memberID, nickname: member.nickname, coach: invitation.coach, conversation: thread,
                status: .active, joinedMs: clock.nowMs)
        }
        if coachee.coach != invitation.coach {
            // A new coach takes over: the previous one leaves the thread.
            try await realtime.removeParticipant(.staff(coachee.coach), from: coachee.conversation)
            coachee.coach = invitation.coach
        }
        try await repository.saveCoachee(coachee)
        try await enterThread(coachee, coachName: coach.workName, coachRole: coach.role)
        if let groupID = invitation.group, var g = try await repository.group(id: groupID), g.service == info.id {
            if !g.members.contains(member.memberID) { g.members.append(member.memberID) }
            try await repository.saveGroup(g)
            try await realtime.setParticipant(
                Participant(identity: .client(member.memberID), sender: Sender(name: member.nickname, role: .client), canSend: true),
                in: g.conversation)
        }
        return coachee
    }

    /// Coach and coachee in their thread: the coachee sees the coach's work name only.
    private func enterThread(_ c: Coachee, coachName: String, coachRole: Role) async throws {
        try await realtime.setParticipant(
            Participant(identity: .staff(c.coach), sender: Sender(name: coachName, role: coachRole.publicRole), canSend: true), in: c.conversation)
        try await realtime.setParticipant(
            Participant(identity: .client(c.member), sender: Sender(name: c.nickname, role: .client), canSend: c.status == .active),
            in: c.conversation)
    }

    /// The coach's coachee in the service.
    package func coachee(_ p: StaffPrincipal, service id: UUID, member: UUID) async throws -> (ServiceInfo, Coachee) {
        let (info, _) = try await asCoach(p, service: id)
        guard let c = try await repository.coachee(service: info.id, member: member), c.coach == p.staffID else { throw Refusal.notCoachee }
        return (info, c)
    }

    package func coachees(_ p: StaffPrincipal, service id: UUID) async throws -> [Coachee] {
        let (info, _) = try await asCoach(p, service: id)
        return try await repository.coachees(service: info.id, coach: p.staffID)
    }

    /// The member's own coaching in a service (active or ended: they still read it).
    package func mine(_ member: UUID, service id: UUID) async throws -> (ServiceInfo, Coachee) {
        guard let c = try await repository.coachee(service: id, member: member) else { throw Refusal.notFound }
        return (try await service(id), c)
    }

    /// Every service the member is coached in, with their coach's work name.
    package func coachings(member: UUID) async throws -> [(coachee: Coachee, service: ServiceInfo, coachName: String)] {
        var out: [(Coachee, ServiceInfo, String)] = []
        for c in try await repository.coachings(member: member) {
            guard let info = try await services.service(id: c.service) else { continue }
            out.append((c, info, try await staff.member(id: c.coach)?.workName ?? ""))
        }
        return out
    }

    /// The coach ends the coaching: the coachee keeps reading, no longer writes.
    package func end(_ p: StaffPrincipal, service id: UUID, member: UUID) async throws {
        var (info, c) = try await coachee(p, service: id, member: member)
        c.status = .ended
        try await repository.saveCoachee(c)
        try await enterThread(c, coachName: p.workName, coachRole: p.role)
        try await record(p, info, "coaching.ended", target: info.names.fi)
    }

    // MARK: groups

    package func groups(_ p: StaffPrincipal, service id: UUID) async throws -> [CoachingGroup] {
        let (info, _) = try await asCoach(p, service: id)
        return try await repository.groups(service: info.id, coach: p.staffID)
    }

    package func makeGroup(_ p: StaffPrincipal, service id: UUID, name raw: String) async throws -> CoachingGroup {
        let (info, _) = try await asCoach(p, service: id)
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard Validate.length(name, 1...80), Validate.plainLine(name) else { throw Refusal.badGroupName }
        let thread = try await realtime.createConversation(
            kind: .coachingGroup,
            participants: [Participant(identity: .staff(p.staffID), sender: Sender(name: p.workName, role: p.role.publicRole), canSend: true)])
        let g = CoachingGroup(id: UUID(), service: info.id, coach: p.staffID, name: name, conversation: thread, members: [], createdMs: clock.nowMs)
        try await repository.saveGroup(g)
        return g
    }

    /// The coach's group in the service.
    package func group(_ p: StaffPrincipal, id: UUID) async throws -> CoachingGroup {
        guard let g = try await repository.group(id: id), g.coach == p.staffID else { throw Refusal.notFound }
        _ = try await asCoach(p, service: g.service)
        return g
    }

    /// Adds one of the coach's coachees to the group (and its thread).
    package func addToGroup(_ p: StaffPrincipal, group id: UUID, member: UUID) async throws -> CoachingGroup {
        var g = try await group(p, id: id)
        let (_, c) = try await coachee(p, service: g.service, member: member)
        if !g.members.contains(member) { g.members.append(member) }
        try await repository.saveGroup(g)
        try await realtime.setParticipant(
            Participant(identity: .client(member), sender: Sender(name: c.nickname, role: .client), canSend: c.status == .active), in: g.conversation)
        return g
    }

    package func removeFromGroup(_ p: StaffPrincipal, group id: UUID, member: UUID) async throws -> CoachingGroup {
        var g = try await group(p, id: id)
        g.members.removeAll { $0 == member }
        try await repository.saveGroup(g)
        try await realtime.removeParticipant(.client(member), from: g.conversation)
        return g
    }

    /// The groups a member is in, in a service.
    package func groups(member: UUID, service: UUID) async throws -> [CoachingGroup] {
        try await repository.groups(member: member).filter { $0.service == service }
    }

    package func record(_ p: StaffPrincipal, _ service: ServiceInfo, _ action: String, target: String) async throws {
        try await audit.record(
            .init(
                at: clock.now, staffID: p.staffID, staffName: p.workName, organisationID: service.organisations.first ?? p.organisationID,
                action: action, target: target))
    }
}
