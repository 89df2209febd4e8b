import Foundation
import Testing

@testable import KohtaamoRealtime

/// The announcement of a group commit to the other nodes: every
/// conversation and seq of the commit comes back out, however many, each
/// notification within PostgreSQL's 8,000-byte limit; a malformed one is dropped whole.
@Suite struct NodeAnnouncementTests {
    @Test func aCommitsConversationsComeBackOutInFewNotifications() throws {
        let node = UUID()
        for count in [1, 119, 120, 121, 1_000] {
            let moved: [(UUID, Int64)] = (0..<count).map { i in
                let seq: Int64 = i % 2 == 0 ? Int64.max - Int64(i) : Int64(i + 1)
                return (UUID(), seq)
            }
            let payloads = PostgresBroadcaster.messagePayloads(node: node, moved)
            #expect(payloads.count == (count + 119) / 120)
            var back: [(UUID, Int64)] = []
            for p in payloads {
                #expect(p.utf8.count < 8_000)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(p.utf8)) as? [String: String])
                #expect(object["k"] == "m" && object["n"] == node.uuidString)
                back += try #require(PostgresBroadcaster.announcedMessages(object["m"] ?? ""))
            }
            let ids: [UUID] = back.map { $0.0 }, seqs: [Int64] = back.map { $0.1 }
            #expect(ids == moved.map { $0.0 } && seqs == moved.map { $0.1 })
        }
    }

    @Test func aMalformedAnnouncementIsDroppedWhole() {
        let good = "\(UUID().uuidString):4"
        for bad in ["\(good) x:5", "\(good) \(UUID().uuidString)", "\(good) \(UUID().uuidString):", "\(good) \(UUID().uuidString):1:2"] {
            #expect(PostgresBroadcaster.announcedMessages(bad) == nil, "\(bad)")
        }
        #expect(PostgresBroadcaster.announcedMessages(good)?.count == 1)
    }
}
