import Hummingbird
import struct Foundation.UUID

/// What features may ask about organisations without reaching into the
/// Network feature: the composition root provides it.
public protocol OrganisationDirectory: Sendable {
    /// Organisations this person may manage, with their names in `language`.
    func manageable(by principal: StaffPrincipal, language: Language) async throws -> [(id: UUID, name: String)]
}

/// Cookies the product sets, with one set of attributes.
public enum Cookies {
    /// HttpOnly, SameSite=Lax, Secure when the public address is https. No
    /// expiry: the browser forgets it when closed (shared computers).
    public static func make(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    public static func expire(_ name: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// A `next=` target that stays on this site.
    public static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 500 else { return nil }
        return next
    }
}
