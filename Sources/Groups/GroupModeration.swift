import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// Moderation: reports reach the group's moderators; a moderator removes a
/// message, mutes its writer, removes or bans a member (from a message or
/// the member list) and lifts a ban. Each act goes to the audit log.
extension GroupService {
    package enum ModerationError: Error, Sendable { case noSuchMessage, notAMember }

    /// The member who wrote message `seq` (a staff message has none).
    func author(_ group: GroupSettings, seq: Int64) async throws -> GroupMember {
        guard seq > 0, let message = try await realtime.messages(conversation: group.conversation, after: seq - 1, limit: 1).first,
            message.seq == seq
        else { throw ModerationError.noSuchMessage }
        guard case .client(let id) = message.senderIdentity, let m = try await repository.member(service: group.service, member: id) else {
            throw ModerationError.notAMember
        }
        return m
    }

    package func report(_ group: GroupSettings, _ service: ServiceInfo, seq: Int64, by member: UUID, reason: String) async throws {
        guard seq > 0, let message = try await realtime.messages(conversation: group.conversation, after: seq - 1, limit: 1).first,
            message.seq == seq, !message.removed
        else { throw ModerationError.noSuchMessage }
        try await repository.addReport(
            GroupReport(
                id: UUID(), service: group.service, seq: seq, reporter: member, reason: reason,
                atMs: clock.nowMs, handled: false))
        // Moderators on duty hear of it at once; other staff and members never see reports.
        for p in try await realtime.participants(group.conversation) {
            guard case .staff(let id) = p.identity, try await isModerator(id, group, service) else { continue }
            await realtime.tell(p.identity, .event(type: "report", conversation: group.conversation, fieldsJSON: #"{"seq":\#(seq)}"#))
        }
    }

    /// The same rule as `standing` for a staff member not signed in here:
    /// own organisation's staff but volunteers, who moderate when the group
    /// lets them all or names them facilitators.
    func isModerator(_ staffID: UUID, _ group: GroupSettings, _ service: ServiceInfo) async throws -> Bool {
        guard let s = try await staff.member(id: staffID), service.organisations.contains(s.organisationID) else { return false }
        if s.role != .volunteer || group.volunteersModerate { return true }
        return try await repository.facilitators(service: group.service).contains(staffID)
    }

    package func removeMessage(_ group: GroupSettings, seq: Int64, by p: StaffPrincipal, service: ServiceInfo, reason: String) async throws {
        guard seq > 0, let message = try await realtime.removeMessage(group.conversation, seq: seq) else { throw ModerationError.noSuchMessage }
        try await repository.handleReports(service: group.service, seqs: [seq], at: clock.nowMs)
        try await record(
            p, service, "group.message_removed",
            target: "\(service.names.fi): \(Self.memberRef(service: service.id, member: message.senderIdentity.id))", reason: reason)
    }

    package func mute(_ group: GroupSettings, seq: Int64, minutes: Int, by p: StaffPrincipal, service: ServiceInfo, reason: String) async throws {
        let m = try await author(group, seq: seq)
        let until = clock.nowMs + Int64(minutes) * 60_000
        guard var participant = try await realtime.participant(.client(m.member), in: group.conversation) else { throw ModerationError.notAMember }
        participant.mutedUntilMs = until
        try await realtime.setParticipant(participant, in: group.conversation)
        await realtime.tell(.client(m.member), Self.moderation(group.conversation, "muted", untilMs: until, reason: reason))
        try await record(
            p, service, "group.member_muted",
            target: "\(service.names.fi): \(Self.memberRef(service: service.id, member: m.member)) (\(minutes) min)", reason: reason)
    }

    /// Out of the group at once, on every open socket; `days` nil with
    /// `ban` is for good. A removed member may join again, a banned one not
    /// until the ban ends.
    package func exclude(_ group: GroupSettings, seq: Int64, ban: Bool, days: Int?, by p: StaffPrincipal, service: ServiceInfo, reason: String)
        async throws
    {
        try await exclude(group, try await author(group, seq: seq), ban: ban, days: days, by: p, service: service, reason: reason)
    }

    /// The same from the member list, for a member who may never have written.
    package func exclude(_ group: GroupSettings, member: UUID, ban: Bool, days: Int?, by p: StaffPrincipal, service: ServiceInfo, reason: String)
        async throws
    {
        guard let m = try await repository.member(service: group.service, member: member) else { throw ModerationError.notAMember }
        try await exclude(group, m, ban: ban, days: days, by: p, service: service, reason: reason)
    }

    private func exclude(
        _ group: GroupSettings, _ member: GroupMember, ban: Bool, days: Int?, by p: StaffPrincipal, service: ServiceInfo,
        reason: String
    ) async throws {
        var m = member
        m.status = ban ? .banned : .removed
        m.bannedUntilMs = ban ? days.map { clock.nowMs + Int64($0) * 86_400_000 } : nil
        m.banReason = ban ? reason : ""
        _ = try await repository.saveMember(m)
        await realtime.tell(
            .client(m.member), Self.moderation(group.conversation, ban ? "banned" : "removed", untilMs: m.bannedUntilMs, reason: reason))
        try await realtime.removeParticipant(.client(m.member), from: group.conversation)
        let detail = ban ? (days.map { "\($0) d" } ?? "∞") : ""
        try await record(
            p, service, ban ? "group.member_banned" : "group.member_removed",
            target: "\(service.names.fi): \(Self.memberRef(service: service.id, member: m.member))\(detail.isEmpty ? "" : " (\(detail))")",
            reason: reason)
    }

    /// Ends a ban early: the member may join again (accepting the rules anew), as after a removal.
    package func liftBan(_ group: GroupSettings, member: UUID, by p: StaffPrincipal, service: ServiceInfo) async throws {
        guard var m = try await repository.member(service: group.service, member: member), m.status == .banned else {
            throw ModerationError.notAMember
        }
        m.status = .removed
        m.bannedUntilMs = nil
        m.banReason = ""
        _ = try await repository.saveMember(m)
        try await record(p, service, "group.ban_lifted", target: "\(service.names.fi): \(Self.memberRef(service: service.id, member: m.member))")
    }

    /// `{"t":"moderation","c","action","until"?,"reason"?}` to the person concerned.
    static func moderation(_ c: UUID, _ action: String, untilMs: Int64? = nil, reason: String = "") -> ServerFrame {
        var fields = #"{"action":"\#(action)""#
        if let untilMs { fields += #","until":"\#(ServerFrame.timestamp(untilMs))""# }
        if !reason.isEmpty { fields += #","reason":\#(ServerFrame.string(reason))"# }
        return .event(type: "moderation", conversation: c, fieldsJSON: fields + "}")
    }
}
