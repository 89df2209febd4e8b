import Foundation
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

    /// The token as a page carries it: under a fresh random mask each time
    /// (`m.` + base64url(mask ‖ mask XOR token)). Pages are sent gzipped,
    /// and a secret that is the same in every response beside text an
    /// attacker can echo into it could be read from the compressed length
    /// (BREACH); masked, it is different in every response.
    package var masked: String {
        let token = Array(value.utf8)
        var generator = SystemRandomNumberGenerator()
        let mask = token.map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "m." + Tokens.base64URL(Data(mask + zip(mask, token).map { $0 ^ $1 }))
    }

    /// Whether a form's token is this browser's: masked (from a page) or
    /// plain (a program that read the cookie).
    package func matches(_ sent: String) -> Bool {
        guard let expected = cookieValue else { return false }
        guard sent.hasPrefix("m.") else { return Tokens.constantTimeEquals(sent, expected) }
        var text = sent.dropFirst(2).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let bytes = Data(base64Encoded: text).map(Array.init), bytes.count % 2 == 0, !bytes.isEmpty else { return false }
        let half = bytes.count / 2
        let token = zip(bytes[..<half], bytes[half...]).map { $0 ^ $1 }
        return Tokens.constantTimeEquals(String(decoding: token, as: UTF8.self), expected)
    }
    package var needsCookie: Bool { state.withLockedValue { $0.issued } }
}

extension HTTPField.Name {
    /// Headers a reverse proxy adds when it forwards a request (`/metrics` then is not local).
    package static let forwarded = Self("Forwarded")!
    package static let xForwardedFor = Self("X-Forwarded-For")!
    package static let xForwardedProto = Self("X-Forwarded-Proto")!
    package static let xRealIP = Self("X-Real-IP")!
}
