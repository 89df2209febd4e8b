import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

import struct Foundation.UUID

/// What every handler knows about its request: the reader's language, the
/// signed-in staff member (if any) and the form-protection token.
package struct AppRequestContext: PageContext {
    package var coreContext: CoreRequestContextStorage
    package var language: Language = .fi
    package var principal: StaffPrincipal?
    /// A signed-in registered client (never at the same time as staff in the same request's checks).
    package var member: MemberPrincipal?
    /// The anonymous client the request's token cookie names (a support chat's client), if any.
    package var anonymousClient: UUID?
    /// Shared with the middleware that sets the CSRF cookie once a page used it.
    package let csrf = CSRFToken()
    /// The connection, only to tell whether the request came from this
    /// machine (`/metrics`); its address is never stored or logged.
    private let channel: any Channel

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Whether the peer is on this machine (127.0.0.0/8 or ::1).
    package var peerIsLoopback: Bool {
        guard let ip = channel.remoteAddress?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

}

/// Double-submit CSRF token: a random value in a cookie that every form
/// repeats in a hidden field. The cookie is issued only when a form needs it.
package final class CSRFToken: Sendable {
    private let state = NIOLockedValueBox<(value: String?, issued: Bool)>((nil, false))

    /// The value from the request's cookie.
    package func load(fromCookie value: String?) {
        state.withLockedValue { $0.value = value }
    }

    /// The token for a form; makes one (and marks the cookie to be set) if needed.
    package var value: String {
        state.withLockedValue { s in
            if let v = s.value { return v }
            let v = Tokens.random()
            s = (v, true)
            return v
        }
    }

    package var cookieValue: String? { state.withLockedValue { $0.value } }
    package var needsCookie: Bool { state.withLockedValue { $0.issued } }
}

extension HTTPField.Name {
    /// Headers a reverse proxy adds when it forwards a request (`/metrics` then is not local).
    package static let forwarded = Self("Forwarded")!
    package static let xForwardedFor = Self("X-Forwarded-For")!
    package static let xForwardedProto = Self("X-Forwarded-Proto")!
    package static let xRealIP = Self("X-Real-IP")!
}
