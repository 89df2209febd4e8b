import ArgumentParser
import Calls
import Foundation
import KohtaamoBase

/// `kohtaamo turn-config`: the lines for coturn's `turnserver.conf` that
/// match this server's TURN settings, so the two share one secret.
struct TurnConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turn-config",
        abstract:
            "Print the lines for coturn's turnserver.conf that match KOHTAAMO_TURN_SECRET (or a new secret, with the settings to give Kohtaamo).")

    @Option(help: "The TURN server's realm (its domain name).") var realm = "kohtaamo"
    @Option(help: "The TURN server's public host name or address, for the KOHTAAMO_TURN_URLS line.") var host = "turn.example.fi"

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let given = environment["KOHTAAMO_TURN_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        if let given, given.count < 16 || given.contains(where: { $0.isWhitespace || !$0.isASCII }) {
            throw ValidationError("KOHTAAMO_TURN_SECRET: must be at least 16 characters, no spaces")
        }
        guard !realm.isEmpty, !host.isEmpty, !(realm + host).contains(where: { $0.isWhitespace || $0 == "," }) else {
            throw ValidationError("--realm and --host: one word each, no spaces or commas")
        }
        let secret = given ?? Tokens.random(bytes: 32)
        print(TurnCredentials.config(secret: secret, realm: realm))
        print("")
        if given == nil {
            print("# A new secret was made. Give Kohtaamo the same settings:")
        } else {
            print("# Kohtaamo's settings that go with these lines:")
        }
        print("#   KOHTAAMO_TURN_URLS=turn:\(host):3478?transport=udp,turn:\(host):3478?transport=tcp")
        if given == nil { print("#   KOHTAAMO_TURN_SECRET=\(secret)") }
    }
}
