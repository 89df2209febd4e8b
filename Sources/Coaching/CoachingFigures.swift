import Booking
import Foundation
import KohtaamoBase

/// Tasks of a coaching service in one range: given (by when given), done
/// (accepted by the coach, by when), missed (past due and still waiting
/// for the coachee, `CoachingTask.isLate`, by the due time).
package struct TaskCount: Sendable, Hashable {
    package enum Kind: String, Sendable, CaseIterable { case given, done, missed }
    package var service: UUID
    package var range: Int
    package var kind: Kind
    package var count: Int
    package init(service: UUID, range: Int, kind: Kind, count: Int) {
        (self.service, self.range, self.kind, self.count) = (service, range, kind, count)
    }

    /// What the database would count in these tasks (a sampler's own account).
    package static func counts(of tasks: [CoachingTask], ranges: [(start: Int64, end: Int64)], nowMs: Int64) -> [TaskCount] {
        var found: [TaskCount: Int] = [:]
        func add(_ t: CoachingTask, _ kind: Kind, _ ms: Int64) {
            guard let r = ranges.firstIndex(where: { ms >= $0.start && ms < $0.end }) else { return }
            found[TaskCount(service: t.service, range: r, kind: kind, count: 0), default: 0] += 1
        }
        for t in tasks {
            add(t, .given, t.createdMs)
            if t.status == .done { add(t, .done, t.changedMs) }
            if let due = t.dueMs, t.isLate(at: nowMs) { add(t, .missed, due) }
        }
        return found.map { key, n in TaskCount(service: key.service, range: key.range, kind: key.kind, count: n) }
    }
}

/// Coaching's part of the statistics, per coaching service: tasks given,
/// done and missed, and appointments (Booking's, the service is the scope)
/// booked, attended and missed.
package struct CoachingFigures: FigureSource {
    let coaching: CoachingService
    package init(coaching: CoachingService) { self.coaching = coaching }

    package var section: String { "coaching" }
    package var measures: [FigureMeasure] {
        TaskCount.Kind.allCases.map { FigureMeasure("coaching.tasks_\($0.rawValue)", .count) } + AppointmentCount.measures(section: "coaching")
    }

    /// The query's organisations' coaching services, each with its organisation.
    func services(_ organisations: [UUID]) async throws -> [UUID: UUID] {
        var out: [UUID: UUID] = [:]
        for organisation in organisations {
            for info in try await coaching.services.services(organisation: organisation) where info.kind == .coaching { out[info.id] = organisation }
        }
        return out
    }

    package func leaves(_ query: FigureQuery) async throws -> [FigureLeaf] {
        let owners = try await services(query.organisations)
        let ranges = query.periods.map { ($0.startMs, $0.endMs) }
        var counts = FigureCounts()
        Self.add(
            tasks: try await coaching.repository.taskCounts(services: Array(owners.keys), ranges: ranges, nowMs: coaching.clock.nowMs),
            appointments: try await coaching.booking.repository.appointmentCounts(scopes: Array(owners.keys), ranges: ranges), owners: owners,
            to: &counts)
        return counts.leaves
    }

    /// Counts into leaves (the sampler gives its own the same way).
    static func add(tasks: [TaskCount], appointments: [AppointmentCount], owners: [UUID: UUID], to counts: inout FigureCounts) {
        for t in tasks {
            guard let organisation = owners[t.service] else { continue }
            counts.add("coaching.tasks_\(t.kind.rawValue)", organisation: organisation, service: t.service, period: t.range, t.count)
        }
        AppointmentCount.add(appointments, section: "coaching", where: { scope in owners[scope].map { ($0, scope) } }, to: &counts)
    }

    package func partNames(measure: String, parts: [String], language: Language) async throws -> [String: String] { [:] }
}
