import Foundation
import KohtaamoBase

/// A municipality in the finder, known by a slug made of its Finnish name
/// (`oulu`, `mantta-vilppula`) and named in the three languages.
package struct Municipality: Sendable, Equatable {
    package var slug: String
    package var names: LocalizedText

    package init(slug: String, names: LocalizedText) { (self.slug, self.names) = (slug, names) }
}

/// What kind of place gives the help; the finder says it in words and HSDS gets it as a location's description.
package enum PlaceKind: String, Sendable, CaseIterable, Codable {
    case library, clubhouse, mall, office, online, other
}

/// How people get the help.
package enum Access: String, Sendable, CaseIterable, Codable {
    /// Come in during the opening hours.
    case dropIn = "drop_in"
    /// Book a time first.
    case appointment
    /// Either.
    case both
}

/// One place (or online service) where an organisation gives digital help in
/// a municipality: what the finder lists and HSDS exports as a service at a
/// location. Names and descriptions are as the organisation wrote them.
package struct HelpPoint: Sendable, Equatable {
    package var id: UUID
    package var organisation: UUID
    package var municipality: String
    package var name: String
    package var description: String
    package var place: PlaceKind
    /// Street address; empty for online help.
    package var address: String
    package var postalCode: String
    package var city: String
    package var themes: [DigitalTheme]
    /// ISO 639-1 codes, such as `fi`, `sv`, `en`, `ru`, `so`.
    package var languages: [String]
    package var access: Access
    package var phone: String
    package var email: String
    package var url: String
    /// A support chat of the platform (its slug) that gives this help online: the finder says whether it is open now.
    package var chatService: String?
    package var hours: [WeeklyInterval]
    package var exceptions: [DayException]
    package var updatedMs: Int64

    package init(
        id: UUID = UUID(), organisation: UUID, municipality: String, name: String, description: String = "", place: PlaceKind,
        address: String = "", postalCode: String = "", city: String = "", themes: [DigitalTheme], languages: [String], access: Access,
        phone: String = "", email: String = "", url: String = "", chatService: String? = nil, hours: [WeeklyInterval] = [],
        exceptions: [DayException] = [], updatedMs: Int64
    ) {
        (self.id, self.organisation, self.municipality, self.name, self.description, self.place) = (
            id, organisation, municipality, name, description, place
        )
        (self.address, self.postalCode, self.city, self.themes, self.languages, self.access) = (
            address, postalCode, city, themes, languages, access
        )
        (self.phone, self.email, self.url, self.chatService, self.hours, self.exceptions, self.updatedMs) = (
            phone, email, url, chatService, hours, exceptions, updatedMs
        )
    }

    package var online: Bool { place == .online }
    package var schedule: Schedule { Schedule(weekly: hours, exceptions: exceptions) }
}
