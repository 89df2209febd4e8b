import Foundation
import NIOCore
import Testing

@testable import KohtaamoBase
@testable import KohtaamoRealtime

/// Texts of the send path written by hand for speed (issue 23, target 5)
/// must stay byte for byte what they were: a sealed body opens only with
/// the same place, and a client reads the frames.
@Suite struct HotPathTextTests {
    @Test func aBodysPlaceIsTheUppercaseUUIDAndSeqAsBefore() {
        for _ in 0..<100 {
            let c = UUID()
            let seq = Int64.random(in: 0...Int64.max)
            #expect(Sealer.place(c, seq) == Data("\(c.uuidString):\(seq)".utf8))
        }
    }

    @Test func theSendersOwnCopyIsTheSameFrameWithMine() throws {
        let m = StoredMessage(
            conversation: UUID(), seq: 7, clientID: UUID(), senderIdentity: .client(UUID()), from: Sender(name: "Kettu 🦊", role: .client),
            body: "hei \"sinä\"\nä👍🏽", atMs: 1_764_900_000_123)
        let live = LiveMessage(m)
        let others = String(buffer: live.frame(for: .client(UUID())))
        let mine = String(buffer: live.frame(for: m.senderIdentity))
        #expect(others == ServerFrame.msg(m).json)
        #expect(mine == ServerFrame.msg(m, mine: true).json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(mine.utf8)) as? [String: Any])
        #expect(object["mine"] as? Bool == true && object["body"] as? String == m.body)
    }
}

extension HotPathTextTests {
    /// Ids read by hand: the same UUID as Foundation's reading, and what is
    /// not the canonical form still gets Foundation's answer.
    @Test func idsReadByHandAreFoundationsIDs() {
        var r = SplitMix64(seed: 5)
        for i in 0..<20_000 {
            let id = UUID()
            var text = Array((i % 2 == 0 ? id.uuidString : id.uuidString.lowercased()).utf8)
            if i % 3 == 0 {
                // A mutation: another byte, one dropped, one added.
                let at = Int.random(in: 0..<text.count, using: &r)
                switch Int.random(in: 0..<3, using: &r) {
                case 0: text[at] = UInt8.random(in: 0...127, using: &r)
                case 1: text.remove(at: at)
                default: text.insert(UInt8.random(in: 0...127, using: &r), at: at)
                }
            }
            let s = String(decoding: text, as: UTF8.self)
            #expect(UUID(text: s) == UUID(uuidString: s), "\(s)")
            if i % 3 != 0 { #expect(UUID(text: s) == id) }
        }
    }
}
