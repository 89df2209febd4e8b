import Crypto
import Foundation
import KohtaamoBase

/// The TURN server (coturn) and its shared secret: `KOHTAAMO_TURN_URLS`,
/// `KOHTAAMO_TURN_SECRET`.
package struct TurnSettings: Sendable {
    /// `turn:host:3478?transport=udp`, `turns:host:5349?transport=tcp`, `stun:host:3478`.
    package var urls: [String]
    package var secret: String
    /// How long a credential works: a TURN allocation is refreshed with it
    /// during the call, so longer than any call.
    package var ttlSeconds: Int = 12 * 3600

    package init(urls: [String], secret: String, ttlSeconds: Int = 12 * 3600) {
        (self.urls, self.secret, self.ttlSeconds) = (urls, secret, ttlSeconds)
    }

    /// Whether a URL is one a browser's `RTCIceServer` accepts.
    package static func isValid(url: String) -> Bool {
        let lower = url.lowercased()
        return ["turn:", "turns:", "stun:", "stuns:"].contains { lower.hasPrefix($0) } && url.count > 6
            && !url.contains(where: { $0 == " " || $0 == "," })
    }
}

/// coturn's time-limited credentials (`use-auth-secret`, the "TURN REST
/// API"): the username is `<unix expiry>:<tag>`, the password
/// base64(HMAC-SHA1(secret, username)). coturn checks both and the expiry
/// with the same secret; nothing is stored on either side.
package enum TurnCredentials {
    /// The tag is random, not the person: coturn logs usernames, and a
    /// client's identity must not reach a log.
    package static func make(secret: String, nowSeconds: Int, ttlSeconds: Int, tag: String = Tokens.random(bytes: 9)) -> (
        username: String, credential: String
    ) {
        let username = "\(nowSeconds + ttlSeconds):\(tag)"
        return (username, credential(secret: secret, username: username))
    }

    package static func credential(secret: String, username: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// The lines `kohtaamo turn-config` prints for coturn's `turnserver.conf`.
    package static func config(secret: String, realm: String) -> String {
        """
        # turnserver.conf for Kohtaamo (coturn). Kohtaamo hands out time-limited
        # credentials made with the same secret (KOHTAAMO_TURN_SECRET).
        use-auth-secret
        static-auth-secret=\(secret)
        realm=\(realm)
        fingerprint
        # Only relay to the internet, never into the server's own networks.
        no-multicast-peers
        denied-peer-ip=0.0.0.0-0.255.255.255
        denied-peer-ip=10.0.0.0-10.255.255.255
        denied-peer-ip=100.64.0.0-100.127.255.255
        denied-peer-ip=127.0.0.0-127.255.255.255
        denied-peer-ip=169.254.0.0-169.254.255.255
        denied-peer-ip=172.16.0.0-172.31.255.255
        denied-peer-ip=192.168.0.0-192.168.255.255
        denied-peer-ip=::1
        denied-peer-ip=fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
        denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff
        # coturn logs the addresses of those it relays: Kohtaamo stores and
        # logs no IP address, so neither does its TURN server.
        no-stdout-log
        log-file=/dev/null
        no-cli
        """
    }
}
