import Crypto
import Foundation
import KohtaamoBase

/// An existing Jitsi Meet for large meetings: `KOHTAAMO_JITSI_URL`,
/// `KOHTAAMO_JITSI_APP_ID`, `KOHTAAMO_JITSI_SECRET` (its token
/// authentication: prosody's `app_id` and `app_secret`).
package struct MeetingSettings: Sendable {
    /// `https://meet.example.fi` (no trailing slash needed).
    package var url: URL
    package var appID: String
    package var secret: String
    /// A token is for joining: a person who leaves and comes back gets a new one.
    package var ttlSeconds: Int = 4 * 3600

    package init(url: URL, appID: String, secret: String, ttlSeconds: Int = 4 * 3600) {
        (self.url, self.appID, self.secret, self.ttlSeconds) = (url, appID, secret, ttlSeconds)
    }

    /// The room's name on the meeting server: derived from the conversation
    /// with the secret, so it is stable and cannot be guessed from outside.
    package func room(for conversation: UUID) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("room:\(conversation.text())".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "kohtaamo" + Data(mac).prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}

/// A Jitsi room token: a JWT signed with HS256 (the shared secret).
/// Written here with swift-crypto's HMAC: `vapor/jwt-kit` 5 needs
/// swift-crypto 4, and moving every target to it is a larger change than
/// these 40 lines (see docs/architecture.md, Calls).
package enum MeetingToken {
    package struct User: Codable, Sendable, Equatable {
        package var name: String
        package var moderator: Bool
    }
    package struct Context: Codable, Sendable, Equatable { package var user: User }
    /// The claims Jitsi's token authentication reads.
    package struct Claims: Codable, Sendable, Equatable {
        package var aud: String
        package var iss: String
        package var sub: String
        package var room: String
        package var iat: Int
        package var nbf: Int
        package var exp: Int
        package var context: Context
        package var moderator: Bool
    }

    package static func claims(_ settings: MeetingSettings, room: String, name: String, moderator: Bool, nowSeconds: Int) -> Claims {
        Claims(
            aud: "jitsi", iss: settings.appID, sub: settings.url.host ?? "*", room: room, iat: nowSeconds, nbf: nowSeconds - 10,
            exp: nowSeconds + settings.ttlSeconds, context: Context(user: User(name: name, moderator: moderator)), moderator: moderator)
    }

    package static func sign(_ claims: Claims, secret: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return signed(payload: try encoder.encode(claims), secret: secret)
    }

    /// header.payload.signature (RFC 7519 with RFC 7515's HS256).
    static func signed(payload: Data, secret: String) -> String {
        let header = Tokens.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let input = header + "." + Tokens.base64URL(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return input + "." + Tokens.base64URL(Data(mac))
    }

    /// The claims of a token signed with `secret` and not expired at `nowSeconds`; nil otherwise.
    package static func verify(_ token: String, secret: String, nowSeconds: Int) -> Claims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let headerData = Self.data(base64URL: parts[0]),
            let header = try? JSONDecoder().decode([String: String].self, from: headerData), header["alg"] == "HS256",
            let signature = Self.data(base64URL: parts[2]), let payload = Self.data(base64URL: parts[1])
        else { return nil }
        let key = SymmetricKey(data: Data(secret.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data((parts[0] + "." + parts[1]).utf8), using: key),
            let claims = try? JSONDecoder().decode(Claims.self, from: payload), claims.exp > nowSeconds, claims.nbf <= nowSeconds
        else { return nil }
        return claims
    }

    static func data(base64URL text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
