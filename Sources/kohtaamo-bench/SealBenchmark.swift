import ArgumentParser
import Crypto
import Foundation

/// What sealing costs per message: AES-GCM with a 256-bit data key and the
/// message's place as authenticated data, as `Sealer` does, then opening it
/// again. Compared with the server's CPU per message in the chat benchmark
/// this is the price of encryption at rest (docs/benchmarks.md).
struct SealBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seal", abstract: "Cost of sealing and opening one message body.")

    @Option(help: "Messages to seal and open.") var count = 200_000
    @Option(help: "Body size in bytes.") var size = 200

    func run() throws {
        let key = SymmetricKey(size: .bits256)
        let body = Data(String(repeating: "ä", count: size / 2).utf8)
        let conversation = UUID()
        var sealed: [Data] = []
        sealed.reserveCapacity(count)
        let clock = ContinuousClock()
        let sealTime = try clock.measure {
            for seq in 0..<count {
                let place = Data("\(conversation.uuidString):\(seq)".utf8)
                sealed.append(try AES.GCM.seal(body, using: key, authenticating: place).combined!)
            }
        }
        var opened = 0
        let openTime = try clock.measure {
            for (seq, data) in sealed.enumerated() {
                let place = Data("\(conversation.uuidString):\(seq)".utf8)
                opened += try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key, authenticating: place).count
            }
        }
        precondition(opened == body.count * count)
        func perMessage(_ d: Duration) -> Double {
            Double(d.components.attoseconds / 1_000_000_000 + d.components.seconds * 1_000_000_000) / Double(count)
        }
        print("seal: \(count) bodies of \(body.count) bytes")
        print(String(format: "  seal per message                  %.2f µs", perMessage(sealTime) / 1000))
        print(String(format: "  open per message                  %.2f µs", perMessage(openTime) / 1000))
        print(String(format: "  seal + open, one core             %.0f messages/s", 1e9 / (perMessage(sealTime) + perMessage(openTime))))
    }
}
