import Foundation
import KohtaamoBase

/// What a buddy sees of an assigned client besides their group sessions:
/// their goals (from the needs mapping) and their digital appointments.
/// The composition root passes `DigitalBuddyFacts` in; a test may pass
/// its own, to see what the page and the API make of given facts.
package protocol BuddyClientFacts: Sendable {
    /// The client's goals that the organisation keeps, in order.
    func goals(of member: UUID, organisation: UUID) async throws -> [BuddyGoal]
    /// The client's coming appointments with the organisation, soonest first.
    func appointments(of member: UUID, organisation: UUID) async throws -> [BuddyAppointment]
}

/// A goal in the client's words or the worker's: "Osaan maksaa laskut verkkopankissa".
package struct BuddyGoal: Sendable, Equatable {
    package var text: String
    package var theme: DigitalTheme?
    /// The bank's client material given with the goal, while the bank still gives it to clients.
    package var material: MaterialLink?
    package init(text: String, theme: DigitalTheme?, material: MaterialLink? = nil) {
        (self.text, self.theme, self.material) = (text, theme, material)
    }
}

/// An appointment: when, and where or how ("Kirjasto, 2. kerros", "Puhelu").
package struct BuddyAppointment: Sendable, Equatable {
    package var startMs: Int64
    package var endMs: Int64
    package var place: String
    package init(startMs: Int64, endMs: Int64, place: String) { (self.startMs, self.endMs, self.place) = (startMs, endMs, place) }
}

/// The facts from digital support itself: the client's open goals that the
/// organisation keeps (done ones are left out: a buddy helps with what is
/// still ahead) and their coming booked appointments with it.
package struct DigitalBuddyFacts: BuddyClientFacts {
    let digital: DigitalService
    package init(digital: DigitalService) { self.digital = digital }

    package func goals(of member: UUID, organisation: UUID) async throws -> [BuddyGoal] {
        let open = try await digital.goals(of: member, organisation: organisation).filter { !$0.done }
        let links = try await digital.goalMaterialLinks(open)
        return open.map { BuddyGoal(text: $0.text, theme: $0.theme, material: $0.material.flatMap { links[$0] }) }
    }

    package func appointments(of member: UUID, organisation: UUID) async throws -> [BuddyAppointment] {
        try await digital.appointments(of: member, organisation: organisation).sorted { $0.startMs < $1.startMs }
            .map { BuddyAppointment(startMs: $0.startMs, endMs: $0.endMs, place: $0.place) }
    }
}
