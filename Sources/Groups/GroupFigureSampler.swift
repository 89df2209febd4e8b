import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// Writes plausible group activity into the organisations' group services:
/// members under sample nicknames, about `perDay` messages a day from
/// morning to evening (mostly members, some staff), a weekly meeting when
/// the group has no programme, and members writing during its times.
package struct GroupFigureSampler: FigureSampler {
    let groups: GroupService
    package init(groups: GroupService) { self.groups = groups }

    static let bodies = ["Hei kaikille!", "Kiitos, tämä auttoi.", "Miten teillä menee?", "Nähdään tiistaina.", "Hyvä kysymys.", "Samaa mieltä."]

    package func sample(_ plan: FigurePlan) async throws -> [FigureLeaf] {
        guard let from = plan.query.periods.first?.first, let to = plan.query.periods.last?.last else { return [] }
        var rng = SplitMix64(seed: plan.seed &+ 0x6A0_0905)
        var counts = FigureCounts()
        for organisation in plan.query.organisations {
            var staff = try await groups.staff.members(organisations: [organisation]).map(\.id)
            if staff.isEmpty { staff = [UUID()] }
            for info in try await groups.services.services(organisation: organisation) where info.kind == .group {
                let settings = try await groups.settings(for: info)
                if try await groups.repository.events(service: info.id).isEmpty {
                    try await groups.repository.addEvent(
                        ProgrammeEvent(
                            id: UUID(), service: info.id, weekday: 2, startMinute: 18 * 60, durationMinutes: 90,
                            title: LocalizedText(fi: "Ryhmätapaaminen", sv: "Gruppträff", en: "Group meeting"), link: ""))
                }
                var members: [(id: UUID, name: String)] = []
                for i in 0..<max(4, Int(plan.perDay * 2)) {
                    let m = GroupMember(
                        service: info.id, member: UUID(), nickname: "Otos \(i + 1)-\(rng.next() % 10_000)", rulesVersion: settings.rulesVersion,
                        status: .active, bannedUntilMs: nil, banReason: "", joinedMs: from.ms(minute: 0))
                    if try await groups.repository.saveMember(m) { members.append((m.member, m.nickname)) }
                }
                guard !members.isEmpty else { continue }
                let room = GroupFigures.Room(
                    organisation: organisation, service: info.id, conversation: settings.conversation,
                    events: try await groups.repository.events(service: info.id))
                let times = GroupFigures.times(room.events, plan.query, nowMs: plan.nowMs)
                var messages: [MessageFigures.Sampled] = []
                func message(_ atMs: Int64, _ rng: inout SplitMix64) -> MessageFigures.Sampled {
                    if rng.chance(0.15) {
                        return MessageFigures.Sampled(
                            conversation: room.conversation, sender: .staff(rng.pick(staff)), from: Sender(name: "Ohjaaja", role: .worker),
                            body: rng.pick(Self.bodies), atMs: atMs)
                    }
                    let m = rng.pick(members)
                    return MessageFigures.Sampled(
                        conversation: room.conversation, sender: .client(m.id), from: Sender(name: m.name, role: .client),
                        body: rng.pick(Self.bodies),
                        atMs: atMs)
                }
                var day = from
                while day <= to {
                    for _ in 0..<rng.count(mean: plan.perDay) {
                        let at = day.ms(minute: 8 * 60) + Int64(rng.unit() * 14 * 3_600_000)
                        if at < plan.nowMs { messages.append(message(at, &rng)) }
                    }
                    day = day.adding(days: 1)
                }
                for t in times {
                    for _ in 0..<rng.count(mean: min(Double(members.count), 3 + plan.perDay / 4)) {
                        let at = t.start + Int64(rng.unit() * Double(t.end - t.start))
                        if at < plan.nowMs { messages.append(message(at, &rng)) }
                    }
                }
                messages.sort { $0.atMs < $1.atMs }
                try await groups.realtime.messageFigures.add(messages)
                GroupFigures.add(
                    room, written: MessageFigures.counts(of: messages, ranges: plan.query.periods.map { ($0.startMs, $0.endMs) }), times: times,
                    came: MessageFigures.counts(of: messages, ranges: times.map { ($0.start, $0.end) }), to: &counts)
            }
        }
        return counts.leaves
    }
}
