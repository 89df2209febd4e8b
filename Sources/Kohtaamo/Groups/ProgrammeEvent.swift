import Foundation

/// One recurring event of a group's weekly programme (a clubhouse's
/// morning coffee, house meeting, exercise…): a weekday, a time, how long,
/// a title in each language and where it happens (the room, or a call link).
public struct ProgrammeEvent: Sendable, Equatable {
    public var id: UUID
    public var service: UUID
    public var weekday: Int  // 1 = Monday … 7 = Sunday
    public var startMinute: Int
    public var durationMinutes: Int
    public var title: LocalizedText
    /// Empty: in the group's room. Otherwise an https address (e.g. a Jitsi call).
    public var link: String
}
