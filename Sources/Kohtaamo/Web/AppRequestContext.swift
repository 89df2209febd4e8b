import Hummingbird
import HTTPTypes
import NIOCore
import NIOConcurrencyHelpers

/// What every handler knows about its request: the reader's language, the
/// signed-in staff member (if any) and the form-protection token.
public struct AppRequestContext: PageContext {
    public var coreContext: CoreRequestContextStorage
    public var language: Language = .fi
    public var principal: StaffPrincipal?
    /// A signed-in registered client (never at the same time as staff in the same request's checks).
    public var member: MemberPrincipal?
    /// Shared with the middleware that sets the CSRF cookie once a page used it.
    public let csrf = CSRFToken()
    /// The connection, only to tell whether the request came from this
    /// machine (`/metrics`); its address is never stored or logged.
    private let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Whether the peer is on this machine (127.0.0.0/8 or ::1).
    public var peerIsLoopback: Bool {
        guard let ip = channel.remoteAddress?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

    public var maxUploadSize: Int { 64 * 1024 }

    /// The signed-in staff member, or 401/redirect handled by the caller.
    public func requirePrincipal() throws -> StaffPrincipal {
        guard let principal else { throw AppError.unauthorized }
        return principal
    }

    /// Pages of a registered client; 401 (the sign-in page) otherwise.
    public func requireMember() throws -> MemberPrincipal {
        guard let member else { throw AppError.memberUnauthorized }
        return member
    }

    /// Coordinator pages: coordinators and network coordinators only.
    public func requireAdministrator() throws -> StaffPrincipal {
        let p = try requirePrincipal()
        guard p.role.canAdminister else { throw AppError.forbidden }
        return p
    }
}

/// Double-submit CSRF token: a random value in a cookie that every form
/// repeats in a hidden field. The cookie is issued only when a form needs it.
public final class CSRFToken: Sendable {
    private let state = NIOLockedValueBox<(value: String?, issued: Bool)>((nil, false))

    /// The value from the request's cookie.
    public func load(fromCookie value: String?) {
        state.withLockedValue { $0.value = value }
    }

    /// The token for a form; makes one (and marks the cookie to be set) if needed.
    public var value: String {
        state.withLockedValue { s in
            if let v = s.value { return v }
            let v = Tokens.random()
            s = (v, true)
            return v
        }
    }

    public var cookieValue: String? { state.withLockedValue { $0.value } }
    public var needsCookie: Bool { state.withLockedValue { $0.issued } }
}

extension HTTPField.Name {
    /// Headers a reverse proxy adds when it forwards a request (`/metrics` then is not local).
    static let forwarded = Self("Forwarded")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xRealIP = Self("X-Real-IP")!
}
