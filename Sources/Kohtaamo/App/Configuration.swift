import Calls
import Foundation
import Logging

/// Every setting of a running server. Built by `Configuration.resolve`: a flag
/// wins over the environment (`KOHTAAMO_…`, `DATABASE_URL`), which wins over the default.
package struct Configuration: Sendable {
    package var host: String = "127.0.0.1"
    package var port: Int = 8080
    /// Where the SQLite file (and later keys) live.
    package var dataDirectory: String = "."
    /// `postgres://…` selects PostgreSQL; nil means the embedded SQLite file.
    package var databaseURL: String? = nil
    /// The address people use, e.g. `https://tuki.example.fi`. Decides the
    /// `Secure` cookie flag and the accepted `Origin`.
    package var publicURL: String? = nil
    package var logLevel: Logger.Level = .info
    package var sessionHours: Int = 12
    /// Messages per second one sender may post, sustained (bursts of 4×).
    package var sendRate: Double = 5
    /// How long, at most, the first message of a group commit on SQLite may
    /// wait for others to share its disk flush; only while messages come
    /// faster than this (`AppendBatcher`). Zero turns the wait off.
    /// 2 ms keeps a message's p99 at 1,000 msg/s within 5 ms (issue 6's
    /// target); 10 ms takes about 40 % off the server's CPU per message at
    /// that rate, for a p99 of about 12 ms (docs/benchmarks.md has the curve).
    package var commitDelay: Duration = .milliseconds(2)
    /// The master key that wraps every conversation's data key. Default:
    /// `master.key` in the data directory, made on first start.
    package var masterKeyFile: String? = nil
    /// PostgreSQL connections per event loop (per core).
    package var databasePoolSize: Int = 4
    /// Where "leave quickly" goes: a neutral page outside the service.
    package var quickExitURL: String = "https://www.google.com/"
    /// This node's name, shown by PostgreSQL as the `application_name` of its
    /// connections (`pg_stat_activity`): tells the nodes apart there.
    package var nodeName: String = "kohtaamo"
    /// `/metrics` asks for this as a bearer token when set; when not set, it
    /// answers only a request made on this machine and not through a proxy.
    package var metricsToken: String? = nil
    /// A TURN server (coturn) for calls between people behind different
    /// firewalls: `KOHTAAMO_TURN_URLS` and `KOHTAAMO_TURN_SECRET`, both or neither.
    package var turn: TurnSettings? = nil
    /// An existing Jitsi Meet for rooms' large meetings: `KOHTAAMO_JITSI_URL`,
    /// `KOHTAAMO_JITSI_APP_ID`, `KOHTAAMO_JITSI_SECRET`, all or none.
    package var meeting: MeetingSettings? = nil

    package init() {}

    package var sqlitePath: String {
        (dataDirectory as NSString).appendingPathComponent("kohtaamo.sqlite")
    }

    package var masterKeyPath: String {
        masterKeyFile ?? (dataDirectory as NSString).appendingPathComponent("master.key")
    }

    package var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }

    /// `Origin` values that count as "this server" for JSON requests and forms.
    package var ownOrigins: Set<String> {
        var origins: Set<String> = ["http://\(host):\(port)", "http://localhost:\(port)", "http://127.0.0.1:\(port)"]
        if let publicURL, let url = URL(string: publicURL), let scheme = url.scheme, let h = url.host {
            origins.insert(url.port.map { "\(scheme)://\(h):\($0)" } ?? "\(scheme)://\(h)")
        }
        return origins
    }
}

/// A bad setting stops start-up with one line that names it.
package struct SettingError: Error, CustomStringConvertible, Sendable {
    package let name: String
    package let problem: String
    package var description: String { "\(name): \(problem)" }
}

extension Configuration {
    /// Values given on the command line; nil means "not given".
    package struct Flags: Sendable {
        package var host: String?
        package var port: Int?
        package var dataDirectory: String?
        package var databaseURL: String?
        package var publicURL: String?
        package var logLevel: String?
        package init() {}
    }

    package static func resolve(flags: Flags, environment: [String: String]) throws -> Configuration {
        var c = Configuration()
        func pick(_ flag: String?, _ env: String) -> (value: String, name: String)? {
            if let flag {
                return (flag, "--" + env.lowercased().replacingOccurrences(of: "kohtaamo_", with: "").replacingOccurrences(of: "_", with: "-"))
            }
            if let value = environment[env], !value.isEmpty { return (value, env) }
            return nil
        }
        if let (v, name) = pick(flags.host, "KOHTAAMO_HOST") {
            guard !v.isEmpty, !v.contains(" ") else { throw SettingError(name: name, problem: "not a host name or address: '\(v)'") }
            c.host = v
        }
        if let p = flags.port {
            guard (1...65535).contains(p) else { throw SettingError(name: "--port", problem: "must be 1–65535, got \(p)") }
            c.port = p
        } else if let v = environment["KOHTAAMO_PORT"], !v.isEmpty {
            guard let p = Int(v), (1...65535).contains(p) else {
                throw SettingError(name: "KOHTAAMO_PORT", problem: "must be a number 1–65535, got '\(v)'")
            }
            c.port = p
        }
        if let (v, name) = pick(flags.dataDirectory, "KOHTAAMO_DATA_DIR") {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: v, isDirectory: &isDir) {
                guard isDir.boolValue else { throw SettingError(name: name, problem: "'\(v)' is a file, not a directory") }
            } else {
                do { try FileManager.default.createDirectory(atPath: v, withIntermediateDirectories: true) } catch {
                    throw SettingError(name: name, problem: "cannot create directory '\(v)'")
                }
            }
            c.dataDirectory = v
        }
        if let flag = flags.databaseURL ?? environment["KOHTAAMO_DATABASE_URL"] ?? environment["DATABASE_URL"], !flag.isEmpty {
            let name =
                flags.databaseURL != nil ? "--database-url" : (environment["KOHTAAMO_DATABASE_URL"] != nil ? "KOHTAAMO_DATABASE_URL" : "DATABASE_URL")
            guard let url = URL(string: flag), ["postgres", "postgresql"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw SettingError(name: name, problem: "must look like postgres://user:password@host:5432/database")
            }
            c.databaseURL = flag
        }
        if let (v, name) = pick(flags.publicURL, "KOHTAAMO_PUBLIC_URL") {
            guard let url = URL(string: v), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw SettingError(name: name, problem: "must be an http:// or https:// address, got '\(v)'")
            }
            c.publicURL = v.hasSuffix("/") ? String(v.dropLast()) : v
        }
        if let (v, name) = pick(flags.logLevel, "KOHTAAMO_LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: v.lowercased()) else {
                throw SettingError(name: name, problem: "must be one of trace, debug, info, notice, warning, error, critical")
            }
            c.logLevel = level
        }
        if let v = environment["KOHTAAMO_SESSION_HOURS"], !v.isEmpty {
            guard let h = Int(v), (1...720).contains(h) else { throw SettingError(name: "KOHTAAMO_SESSION_HOURS", problem: "must be 1–720") }
            c.sessionHours = h
        }
        if let v = environment["KOHTAAMO_SEND_RATE"], !v.isEmpty {
            guard let r = Double(v), r > 0, r <= 10_000 else {
                throw SettingError(name: "KOHTAAMO_SEND_RATE", problem: "must be a number of messages per second, 0–10000")
            }
            c.sendRate = r
        }
        if let v = environment["KOHTAAMO_COMMIT_DELAY_MS"], !v.isEmpty {
            guard let ms = Double(v), ms >= 0, ms <= 50 else {
                throw SettingError(name: "KOHTAAMO_COMMIT_DELAY_MS", problem: "must be a number of milliseconds, 0–50")
            }
            c.commitDelay = .microseconds(Int((ms * 1000).rounded()))
        }
        if let v = environment["KOHTAAMO_DB_POOL"], !v.isEmpty {
            guard let n = Int(v), (1...64).contains(n) else {
                throw SettingError(name: "KOHTAAMO_DB_POOL", problem: "must be 1–64 connections per core")
            }
            c.databasePoolSize = n
        }
        if let v = environment["KOHTAAMO_QUICK_EXIT_URL"], !v.isEmpty {
            guard let url = URL(string: v), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw SettingError(name: "KOHTAAMO_QUICK_EXIT_URL", problem: "must be an http:// or https:// address")
            }
            c.quickExitURL = v
        }
        if let v = environment["KOHTAAMO_NODE_NAME"], !v.isEmpty {
            guard v.count <= 63, v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw SettingError(name: "KOHTAAMO_NODE_NAME", problem: "must be 1–63 letters, digits, '-', '_' or '.'")
            }
            c.nodeName = v
        }
        if let v = environment["KOHTAAMO_METRICS_TOKEN"], !v.isEmpty {
            guard v.count >= 16, v.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw SettingError(name: "KOHTAAMO_METRICS_TOKEN", problem: "must be at least 16 characters, no spaces")
            }
            c.metricsToken = v
        }
        c.turn = try turnSettings(environment)
        c.meeting = try meetingSettings(environment)
        if let v = environment["KOHTAAMO_MASTER_KEY_FILE"], !v.isEmpty {
            guard FileManager.default.fileExists(atPath: v) else {
                throw SettingError(name: "KOHTAAMO_MASTER_KEY_FILE", problem: "no file at '\(v)'")
            }
            c.masterKeyFile = v
        }
        return c
    }

    static func turnSettings(_ environment: [String: String]) throws -> TurnSettings? {
        let urls = (environment["KOHTAAMO_TURN_URLS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        let secret = environment["KOHTAAMO_TURN_SECRET"] ?? ""
        if urls.isEmpty, secret.isEmpty { return nil }
        guard !urls.isEmpty, urls.count <= 10, urls.allSatisfy(TurnSettings.isValid(url:)) else {
            throw SettingError(
                name: "KOHTAAMO_TURN_URLS", problem: "must be turn:, turns: or stun: addresses separated by commas (with KOHTAAMO_TURN_SECRET)")
        }
        guard secret.count >= 16, secret.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw SettingError(
                name: "KOHTAAMO_TURN_SECRET", problem: "must be at least 16 characters, no spaces (the static-auth-secret of turnserver.conf)")
        }
        return TurnSettings(urls: urls, secret: secret)
    }

    static func meetingSettings(_ environment: [String: String]) throws -> MeetingSettings? {
        let url = environment["KOHTAAMO_JITSI_URL"] ?? "", appID = environment["KOHTAAMO_JITSI_APP_ID"] ?? ""
        let secret = environment["KOHTAAMO_JITSI_SECRET"] ?? ""
        if url.isEmpty, appID.isEmpty, secret.isEmpty { return nil }
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
            parsed.query == nil
        else {
            throw SettingError(
                name: "KOHTAAMO_JITSI_URL",
                problem: "must be the meeting server's https:// address (with KOHTAAMO_JITSI_APP_ID and KOHTAAMO_JITSI_SECRET)")
        }
        guard (1...100).contains(appID.count), appID.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw SettingError(name: "KOHTAAMO_JITSI_APP_ID", problem: "must be the app_id of the meeting server's token authentication, no spaces")
        }
        guard secret.count >= 16, secret.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw SettingError(
                name: "KOHTAAMO_JITSI_SECRET", problem: "must be at least 16 characters, no spaces (the app_secret of the meeting server)")
        }
        return MeetingSettings(url: parsed, appID: appID, secret: secret)
    }
}
