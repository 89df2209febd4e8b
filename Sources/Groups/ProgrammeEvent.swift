import Foundation
import KohtaamoBase

/// One recurring event of a group's weekly programme (a clubhouse's
/// morning coffee, house meeting, exercise…): a weekday, a time, how long,
/// a title in each language and where it happens (the room, or a call link).
package struct ProgrammeEvent: Sendable, Equatable {
    package var id: UUID
    package var service: UUID
    package var weekday: Int  // 1 = Monday … 7 = Sunday
    package var startMinute: Int
    package var durationMinutes: Int
    package var title: LocalizedText
    /// Empty: in the group's room. Otherwise an https address (e.g. a Jitsi call).
    package var link: String
}
