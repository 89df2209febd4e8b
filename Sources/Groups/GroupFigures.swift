import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// Groups' part of the statistics, per group service: members who wrote
/// (each once a cell), messages, the programme's scheduled times held, and
/// attendance of them. Nothing records who came to a scheduled time, so a
/// member who wrote in the group's room during one counts as having come
/// (once a time): a lower bound, as a member who only read is not seen.
package struct GroupFigures: FigureSource {
    let groups: GroupService
    package init(groups: GroupService) { self.groups = groups }

    package var section: String { "groups" }
    package var measures: [FigureMeasure] {
        [
            FigureMeasure("groups.members", .distinct), FigureMeasure("groups.messages", .count), FigureMeasure("groups.sessions", .count),
            FigureMeasure("groups.attendance", .count),
        ]
    }

    /// A group service's room and programme.
    struct Room {
        var organisation: UUID
        var service: UUID
        var conversation: UUID
        var events: [ProgrammeEvent]
    }

    /// The query's organisations' groups that have a room.
    func rooms(_ organisations: [UUID]) async throws -> [Room] {
        var out: [Room] = []
        for organisation in organisations {
            for info in try await groups.services.services(organisation: organisation) where info.kind == .group {
                guard let settings = try await groups.repository.settings(service: info.id) else { continue }
                out.append(
                    Room(
                        organisation: organisation, service: info.id, conversation: settings.conversation,
                        events: try await groups.repository.events(service: info.id)))
            }
        }
        return out
    }

    /// The scheduled times of a programme held in the query's periods before `nowMs`, by start.
    static func times(_ events: [ProgrammeEvent], _ query: FigureQuery, nowMs: Int64) -> [(start: Int64, end: Int64, period: Int)] {
        guard let first = query.periods.first?.first, let last = query.periods.last?.last else { return [] }
        var out: [(start: Int64, end: Int64, period: Int)] = []
        var day = first
        while day <= last {
            for e in events where e.weekday == day.weekday {
                let start = day.ms(minute: e.startMinute)
                if start < nowMs, let period = query.period(day: day) {
                    out.append((start, start + Int64(e.durationMinutes) * 60_000, period))
                }
            }
            day = day.adding(days: 1)
        }
        return out.sorted { $0.start < $1.start }
    }

    package func leaves(_ query: FigureQuery) async throws -> [FigureLeaf] {
        let rooms = try await rooms(query.organisations)
        let figures = try groups.realtime.messageFigures
        let written = try await figures.counts(conversations: rooms.map(\.conversation), ranges: query.periods.map { ($0.startMs, $0.endMs) })
        var counts = FigureCounts()
        for room in rooms {
            let times = Self.times(room.events, query, nowMs: groups.clock.nowMs)
            let came = try await figures.counts(conversations: [room.conversation], ranges: times.map { ($0.start, $0.end) })
            Self.add(room, written: written, times: times, came: came, to: &counts)
        }
        return counts.leaves
    }

    /// One room's counts into leaves: `written` by period, `came` by
    /// scheduled time (the sampler gives its own the same way).
    static func add(
        _ room: Room, written: [MessageFigures.Count], times: [(start: Int64, end: Int64, period: Int)], came: [MessageFigures.Count],
        to counts: inout FigureCounts
    ) {
        let (o, s) = (room.organisation, room.service)
        for c in written where c.conversation == room.conversation {
            counts.add("groups.messages", organisation: o, service: s, period: c.range, c.count)
            if case .client(let member) = c.sender { counts.subject("groups.members", organisation: o, service: s, period: c.range, member.text()) }
        }
        for t in times { counts.add("groups.sessions", organisation: o, service: s, period: t.period) }
        for c in came where c.conversation == room.conversation {
            if case .client = c.sender { counts.add("groups.attendance", organisation: o, service: s, period: times[c.range].period) }
        }
    }

    package func partNames(measure: String, parts: [String], language: Language) async throws -> [String: String] { [:] }
}
