import Foundation
import KohtaamoBase

/// What a buddy sees of an assigned client besides their group sessions:
/// their goals (from the needs mapping) and their digital appointments.
/// Those parts of digital support are kept elsewhere; the composition root
/// passes the implementation in, and until then `NoBuddyClientFacts`.
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
    package init(text: String, theme: DigitalTheme?) { (self.text, self.theme) = (text, theme) }
}

/// An appointment: when, and where or how ("Kirjasto, 2. kerros", "Puhelu").
package struct BuddyAppointment: Sendable, Equatable {
    package var startMs: Int64
    package var endMs: Int64
    package var place: String
    package init(startMs: Int64, endMs: Int64, place: String) { (self.startMs, self.endMs, self.place) = (startMs, endMs, place) }
}

/// Goals and appointments before their features are wired in: none.
package struct NoBuddyClientFacts: BuddyClientFacts {
    package init() {}
    package func goals(of member: UUID, organisation: UUID) async throws -> [BuddyGoal] { [] }
    package func appointments(of member: UUID, organisation: UUID) async throws -> [BuddyAppointment] { [] }
}
