import Booking
import Foundation
import KohtaamoBase

/// Writes plausible coaching into the organisations' coaching services: a
/// few coachees each, tasks given with a week to answer (most done, some
/// late), and appointments with their coach (most attended, some missed or
/// cancelled; the coming ones booked).
package struct CoachingFigureSampler: FigureSampler {
    let coaching: CoachingService
    package init(coaching: CoachingService) { self.coaching = coaching }

    package func sample(_ plan: FigurePlan) async throws -> [FigureLeaf] {
        guard let from = plan.query.periods.first?.first, let to = plan.query.periods.last?.last else { return [] }
        var rng = SplitMix64(seed: plan.seed &+ 0xC0AC_4106)
        var (tasks, slots, appointments) = ([CoachingTask](), [Slot](), [Appointment]())
        var owners: [UUID: UUID] = [:]
        let week: Int64 = 7 * 24 * 3_600_000
        for organisation in plan.query.organisations {
            var coaches = try await coaching.staff.members(organisations: [organisation]).filter { $0.role != .volunteer }.map(\.id)
            if coaches.isEmpty { coaches = [UUID()] }
            for info in try await coaching.services.services(organisation: organisation) where info.kind == .coaching {
                owners[info.id] = organisation
                var coachees: [(member: UUID, coach: UUID)] = []
                for i in 0..<max(3, Int(plan.perDay)) {
                    let c = Coachee(
                        service: info.id, member: UUID(), nickname: "Otos \(i + 1)", coach: rng.pick(coaches),
                        conversation: try await coaching.realtime.createConversation(kind: .coaching, participants: []), status: .active,
                        joinedMs: from.ms(minute: 9 * 60))
                    try await coaching.repository.saveCoachee(c)
                    coachees.append((c.member, c.coach))
                }
                var day = from
                while day <= to {
                    for _ in 0..<rng.count(mean: plan.perDay / 3) {
                        let given = day.ms(minute: 9 * 60) + Int64(rng.unit() * 8 * 3_600_000)
                        guard given < plan.nowMs else { continue }
                        let who = rng.pick(coachees)
                        let due = given + week
                        var status = rng.pick([TaskStatus.done, .done, .done, .open, .answered, .returned])
                        if status == .done, given + week / 2 >= plan.nowMs { status = .answered }
                        let changed = status == .done || status == .answered ? given + Int64(rng.unit() * Double(week / 2)) : given
                        tasks.append(
                            CoachingTask(
                                id: UUID(), service: info.id, coach: who.coach, coachee: who.member, groupTask: nil,
                                content: TaskContent(title: "Tehtävä", instructions: "", answerKind: .text, checklist: [], material: ""),
                                dueMs: rng.chance(0.8) ? due : nil, status: status, answer: nil, history: [], createdMs: given, changedMs: changed))
                    }
                    for hour in 0..<min(8, rng.count(mean: plan.perDay / 4)) {
                        let who = rng.pick(coachees)
                        let start = day.ms(minute: (9 + hour) * 60)
                        let slot = Slot(scope: info.id, host: who.coach, startMs: start, minutes: 45, place: "", createdMs: start - week)
                        let past = start < plan.nowMs
                        let status: Appointment.Status =
                            rng.chance(0.15) ? .cancelled : past ? (rng.chance(0.88) ? .attended : .noShow) : .booked
                        slots.append(slot)
                        appointments.append(
                            Appointment(
                                scope: info.id, host: who.coach, guest: who.member, slot: slot.id, startMs: start, minutes: 45, place: "",
                                status: status, createdMs: start - week, changedMs: start - week))
                    }
                    day = day.adding(days: 1)
                }
            }
        }
        (slots, appointments) = AppointmentCount.oneSlotAStart(slots, appointments)
        try await coaching.repository.addTasks(tasks)
        appointments = try await coaching.booking.repository.addSampled(slots: slots, appointments: appointments)
        let ranges = plan.query.periods.map { ($0.startMs, $0.endMs) }
        var counts = FigureCounts()
        CoachingFigures.add(
            tasks: TaskCount.counts(of: tasks, ranges: ranges, nowMs: plan.nowMs),
            appointments: AppointmentCount.counts(of: appointments, ranges: ranges), owners: owners, to: &counts)
        return counts.leaves
    }
}
