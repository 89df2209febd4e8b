import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// Hands this node's committed messages to the broadcaster in commit order
/// per conversation (PROTOCOL.md guarantee 3 for every socket, synced or not).
///
/// Why: the batcher answers a batch's senders one after another, but each
/// answered sender then runs on its own, so seq 10 could reach the sockets
/// before seq 8 (seen with eight tabs of one client writing at once). The
/// batcher's hook (`AppendTicket.Hook`) runs in commit order and only adds
/// the message here; a lane then publishes its messages one at a time.
/// Conversations are spread over a few lanes so that one slow participant
/// read (a cache miss) holds up only the conversations of its lane.
final class OrderedPublisher: Sendable {
    private struct Item {
        var message: StoredMessage
        var broadcaster: any Broadcaster
        var then: (@Sendable () -> Void)?
    }

    private struct Lane {
        var waiting: [Item] = []
        var running = false
    }

    static let laneCount = 8
    private let lanes: [NIOLockedValueBox<Lane>]

    init() {
        lanes = (0..<Self.laneCount).map { _ in NIOLockedValueBox(Lane()) }
    }

    /// Called in commit order; never waits. `then` runs once the message is published.
    func add(_ message: StoredMessage, to broadcaster: any Broadcaster, then: (@Sendable () -> Void)? = nil) {
        let index = Self.lane(of: message.conversation)
        let start = lanes[index].withLockedValue { lane -> Bool in
            lane.waiting.append(Item(message: message, broadcaster: broadcaster, then: then))
            if lane.running { return false }
            lane.running = true
            return true
        }
        guard start else { return }
        // On the loop that committed (the hook runs there), as the batcher does: no hop to the global threads.
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop {
            Task(executorPreference: EventLoopExecutor(loop)) { await self.drain(index) }
        } else {
            Task { await self.drain(index) }
        }
    }

    private func drain(_ index: Int) async {
        while true {
            let batch = lanes[index].withLockedValue { lane -> [Item] in
                defer { lane.waiting = [] }
                if lane.waiting.isEmpty { lane.running = false }
                return lane.waiting
            }
            if batch.isEmpty { return }
            for item in batch {
                await item.broadcaster.publish(.message(item.message))
                item.then?()
            }
        }
    }

    /// A conversation always goes to the same lane (the UUID's random bits pick it).
    static func lane(of conversation: UUID) -> Int {
        Int(conversation.uuid.15 % UInt8(laneCount))
    }
}
