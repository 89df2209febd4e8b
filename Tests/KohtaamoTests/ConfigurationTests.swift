import Foundation
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Settings: flags win over the environment, which wins over defaults; a bad
/// setting is refused with its name.
@Suite struct ConfigurationTests {
    @Test func defaults() throws {
        let c = try Configuration.resolve(flags: .init(), environment: [:])
        #expect(c.host == "127.0.0.1")
        #expect(c.port == 8080)
        #expect(c.databaseURL == nil)
        #expect(!c.secureCookies)
        #expect(c.commitDelay == .milliseconds(2))
    }

    @Test func theCommitDelayIsGivenInMillisecondsAndZeroTurnsItOff() throws {
        #expect(try Configuration.resolve(flags: .init(), environment: ["KOHTAAMO_COMMIT_DELAY_MS": "0.5"]).commitDelay == .microseconds(500))
        #expect(try Configuration.resolve(flags: .init(), environment: ["KOHTAAMO_COMMIT_DELAY_MS": "0"]).commitDelay == .zero)
    }

    @Test func flagBeatsEnvironmentBeatsDefault() throws {
        var flags = Configuration.Flags()
        flags.port = 9001
        let env = ["KOHTAAMO_PORT": "9002", "KOHTAAMO_HOST": "127.0.0.2", "DATABASE_URL": "postgres://u@127.0.0.1:5432/k"]
        let c = try Configuration.resolve(flags: flags, environment: env)
        #expect(c.port == 9001)
        #expect(c.host == "127.0.0.2")
        #expect(c.databaseURL == "postgres://u@127.0.0.1:5432/k")
    }

    @Test func httpsPublicURLMakesCookiesSecure() throws {
        let c = try Configuration.resolve(flags: .init(), environment: ["KOHTAAMO_PUBLIC_URL": "https://tuki.example.fi/"])
        #expect(c.secureCookies)
        #expect(c.ownOrigins.contains("https://tuki.example.fi"))
    }

    @Test(arguments: [
        (["KOHTAAMO_PORT": "abc"], "KOHTAAMO_PORT"),
        (["KOHTAAMO_PORT": "70000"], "KOHTAAMO_PORT"),
        (["DATABASE_URL": "mysql://x"], "DATABASE_URL"),
        (["KOHTAAMO_PUBLIC_URL": "tuki.example.fi"], "KOHTAAMO_PUBLIC_URL"),
        (["KOHTAAMO_LOG_LEVEL": "loud"], "KOHTAAMO_LOG_LEVEL"),
        (["KOHTAAMO_COMMIT_DELAY_MS": "-1"], "KOHTAAMO_COMMIT_DELAY_MS"),
        (["KOHTAAMO_COMMIT_DELAY_MS": "51"], "KOHTAAMO_COMMIT_DELAY_MS"),
        (["KOHTAAMO_COMMIT_DELAY_MS": "soon"], "KOHTAAMO_COMMIT_DELAY_MS"),
    ])
    func badSettingIsNamed(env: [String: String], name: String) {
        do {
            _ = try Configuration.resolve(flags: .init(), environment: env)
            Issue.record("accepted \(env)")
        } catch let error as SettingError {
            #expect(error.name == name)
            #expect(error.description.hasPrefix(name + ":"))
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func badFlagIsNamedAsFlag() {
        var flags = Configuration.Flags()
        flags.port = 0
        #expect(throws: SettingError.self) { try Configuration.resolve(flags: flags, environment: [:]) }
    }
}
