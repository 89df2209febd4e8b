import Foundation
import Hummingbird

/// What features may ask about organisations without reaching into the
/// Network feature: the composition root provides it.
package protocol OrganisationDirectory: Sendable {
    /// Organisations this person may manage, with their names in `language`.
    func manageable(by principal: StaffPrincipal, language: Language) async throws -> [(id: UUID, name: String)]
}

/// What features may ask about services without reaching into the Network
/// feature (which implements it).
package protocol ServiceDirectory: Sendable {
    /// The service's weekly hours (Helsinki time, minutes since midnight; 1 = Monday).
    func weeklyHours(service: UUID) async throws -> [(weekday: Int, opens: Int, closes: Int)]
    /// Every service an organisation owns.
    func services(organisation: UUID) async throws -> [ServiceInfo]
    /// The organisations of a network, with their names in `language`.
    func organisations(network: UUID, language: Language) async throws -> [(id: UUID, name: String)]
    /// The organisation's name in `language`, nil if there is none.
    func organisationName(_ id: UUID, language: Language) async throws -> String?
    /// What the service's own page says of it, in the reader's language.
    func presentation(service: UUID, language: Language) async throws -> ServicePresentation?
    func service(slug: String) async throws -> ServiceInfo?
    func service(id: UUID) async throws -> ServiceInfo?
    /// Every service of a network.
    func services(network: UUID) async throws -> [ServiceInfo]
    /// The service's referral cards (where else to turn), every language.
    func referrals(service: UUID) async throws -> [TextCard]
    /// The feature using a service says only staff may see it (a working
    /// group): it is then never public nor listed.
    func setStaffOnly(service: UUID, _ staffOnly: Bool) async throws
}

/// What a service is; the same strings in the database and in forms.
/// Here beside `ServiceInfo` because several features ask it.
package enum ServiceKind: String, Sendable, CaseIterable {
    case supportChat = "support_chat"
    case group
    case digitalHelp = "digital_help"
    case coaching
    case other
}

package struct ServiceInfo: Sendable {
    package var id: UUID
    package var slug: String
    package var kind: ServiceKind
    package var names: LocalizedText
    /// The owner and the organisations it is shared with: their staff may work in it.
    package var organisations: [UUID]
    package var isPublic: Bool
    package var openNow: Bool
    /// When it opens next, if closed.
    package var opensAt: Date?
    package init(
        id: UUID, slug: String, kind: ServiceKind, names: LocalizedText, organisations: [UUID], isPublic: Bool, openNow: Bool, opensAt: Date?
    ) {
        (self.id, self.slug, self.kind, self.names, self.organisations) = (id, slug, kind, names, organisations)
        (self.isPublic, self.openNow, self.opensAt) = (isPublic, openNow, opensAt)
    }
}

/// What features may ask about staff members without reaching into the
/// Accounts feature (which implements it): only what clients may see.
package protocol StaffDirectory: Sendable {
    /// An active staff member's work name, role and organisation.
    func member(id: UUID) async throws -> (workName: String, role: Role, organisationID: UUID)?
    /// Active staff of these organisations.
    func members(organisations: [UUID]) async throws -> [(id: UUID, workName: String, role: Role)]
}

/// What features may ask about registered clients without reaching into
/// the Accounts feature (which implements it): a nickname, nothing more.
package protocol MemberDirectory: Sendable {
    /// The registered client with this nickname (whatever its case), or nil.
    func member(nickname: String) async throws -> (id: UUID, nickname: String)?
    func nickname(member: UUID) async throws -> String?
}

/// Cookies the product sets, with one set of attributes.
package enum Cookies {
    /// HttpOnly, SameSite=Lax, Secure when the public address is https. No
    /// expiry: the browser forgets it when closed (shared computers).
    package static func make(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    package static func expire(_ name: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// A `next=` target that stays on this site.
    package static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 500 else { return nil }
        return next
    }

    /// A `next` target as a query value: a path with its own query (an
    /// invitation code) must come back whole.
    package static func nextQuery(_ next: String) -> String {
        next.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? ""
    }
}

/// A feature's part of a registered client's data (GDPR): what it gives
/// them in their download, and how it forgets them when they erase their
/// account. Accounts asks every feature that keeps something of members.
package protocol MemberDataHolder: Sendable {
    /// This part's name in the download (e.g. `groups`).
    var dataName: String { get }
    /// Everything the feature keeps of the member, as JSON.
    func export(member: UUID, language: Language) async throws -> Data
    /// Erases what the member wrote (others see it as removed) and every
    /// personal detail; keeps only counts.
    func erase(member: UUID) async throws
}

/// A service in words: its description, "Open now until 19.30" or when it
/// opens next, and the weekly hours (Monday first).
package struct ServicePresentation: Sendable {
    package var description: String
    package var status: String
    package var weekly: [(day: String, hours: String)]
    package init(description: String, status: String, weekly: [(day: String, hours: String)]) {
        (self.description, self.status, self.weekly) = (description, status, weekly)
    }
}

/// What the feature that owns a room says of its moderators (Groups
/// implements it), so that calls in the room need not reach into that feature.
package protocol RoomModerators: Sendable {
    /// Whether this staff member moderates the room; nil when the conversation is not a room.
    func moderates(_ staff: StaffPrincipal, room conversation: UUID) async throws -> Bool?
}

/// What features may ask of the material bank without reaching into the
/// Materials feature (which implements it): material written for clients,
/// which a worker gives a client as a link (a coaching task, a chat reply,
/// a digital-support goal).
package protocol MaterialDirectory: Sendable {
    /// Client material `staff` may find, by title.
    func clientMaterials(for staff: StaffPrincipal) async throws -> [MaterialLink]
    /// Client material by id; nil when there is none or it is not for clients.
    func clientMaterial(id: UUID) async throws -> MaterialLink?
    /// Client material a client of `organisation` in `network` may be
    /// pointed to on any of `themes`, in `language`: plain language first,
    /// at most `limit`.
    func clientMaterials(
        network: UUID, organisation: UUID?, themes: [DigitalTheme], language: Language, limit: Int
    ) async throws -> [MaterialLink]
}

/// Client material as a link: its title and the page a client opens it on.
package struct MaterialLink: Sendable, Equatable {
    package var id: UUID
    package var title: String
    /// A path on this site (`/materials/{id}`), which works without signing in.
    package var path: String
    package init(id: UUID, title: String, path: String) { (self.id, self.title, self.path) = (id, title, path) }

    /// The client page of a material.
    package static func path(_ id: UUID) -> String { "/materials/\(id.uuidString.lowercased())" }

    /// The material a client page's path names (`/materials/{id}`), as a
    /// feature keeps it in place of a web address; nil for anything else.
    package static func id(fromPath path: String) -> UUID? {
        guard path.hasPrefix("/materials/"), path.count == 11 + 36 else { return nil }
        return UUID(uuidString: String(path.dropFirst(11)))
    }
}
