import Foundation

/// A dated, public happening of digital help that the finder shows and
/// exports as iCalendar: a pop-up event (drop in, no registration) or a
/// meeting of a group session (registration, seats). Digital support owns
/// them; the finder only reads them through `HappeningSource`.
package struct Happening: Sendable, Equatable {
    package enum Kind: String, Sendable { case popup, groupSession = "group_session" }

    /// Stable across edits: the iCalendar UID is made of it.
    package var id: UUID
    package var kind: Kind
    package var organisation: UUID
    /// The municipality's finder slug (`oulu`).
    package var municipality: String
    package var title: String
    package var description: String
    /// A place in words ("Oulun pääkirjasto, Kaarlenväylä 3") or "online".
    package var place: String
    package var online: Bool
    package var startMs: Int64
    package var endMs: Int64
    package var themes: [DigitalTheme]
    package var languages: [String]
    /// Group sessions: seats left (nil for a drop-in event).
    package var seatsLeft: Int?
    /// Where to sign up or read more (a group session's page), if any.
    package var link: String?
    /// Raised on every change, for iCalendar's SEQUENCE.
    package var sequence: Int
    package var updatedMs: Int64
    package var cancelled: Bool

    package init(
        id: UUID, kind: Kind, organisation: UUID, municipality: String, title: String, description: String, place: String, online: Bool,
        startMs: Int64, endMs: Int64, themes: [DigitalTheme], languages: [String], seatsLeft: Int?, link: String?, sequence: Int,
        updatedMs: Int64, cancelled: Bool
    ) {
        (self.id, self.kind, self.organisation, self.municipality, self.title, self.description) = (
            id, kind, organisation, municipality, title, description
        )
        (self.place, self.online, self.startMs, self.endMs, self.themes, self.languages) = (place, online, startMs, endMs, themes, languages)
        (self.seatsLeft, self.link, self.sequence, self.updatedMs, self.cancelled) = (seatsLeft, link, sequence, updatedMs, cancelled)
    }
}

/// Where the finder gets its happenings (digital support implements it).
package protocol HappeningSource: Sendable {
    /// Public happenings in a municipality that end after `fromMs` and start before `toMs`, soonest first.
    func happenings(municipality: String, fromMs: Int64, toMs: Int64) async throws -> [Happening]
    /// The municipalities with a public happening in that window.
    func municipalities(fromMs: Int64, toMs: Int64) async throws -> Set<String>
}
