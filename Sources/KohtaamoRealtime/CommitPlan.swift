@preconcurrency import Crypto
import Foundation
import KohtaamoBase

/// What one group commit writes and answers, decided from what its
/// transaction read. Both commit paths (SQLKit on PostgreSQL, the
/// `SQLiteWriter` on SQLite) use it, so seqs, retries and refusals follow
/// one set of rules.
struct CommitPlan {
    /// A batch's conversation as its transaction read it.
    struct Conversation {
        var last: Int64
        var open: Bool
        var key: SymmetricKey
    }
    /// A message to insert, with its sealed body.
    struct Row {
        var message: StoredMessage
        var sealed: Data
    }

    /// One per request, in the batch's order.
    private(set) var outcomes: [AppendBatcher.Outcome] = []
    /// In the order of `conversations(of:)`, each conversation's in seq order.
    private(set) var rows: [Row] = []
    /// Each conversation that got messages, with its new last seq.
    private(set) var moved: [(UUID, Int64)] = []

    /// The batch's conversations, each once, in the order they first appear.
    static func conversations(of batch: [AppendBatcher.Request]) -> [UUID] {
        var seen = Set<UUID>()
        return batch.compactMap { seen.insert($0.conversation).inserted ? $0.conversation : nil }
    }

    /// `state`: the conversations found (with their data key); `known`: the
    /// batch's client ids already stored, per conversation.
    init(batch: [AppendBatcher.Request], state: [UUID: Conversation], known stored: [UUID: [UUID: StoredMessage]], sealer: Sealer) throws {
        var outcomes = [AppendBatcher.Outcome?](repeating: nil, count: batch.count)
        var byConversation: [UUID: [Int]] = [:]
        for (i, r) in batch.enumerated() { byConversation[r.conversation, default: []].append(i) }
        var known = stored
        for c in Self.conversations(of: batch) {
            let indices = byConversation[c]!
            guard let conversation = state[c] else {
                for i in indices { outcomes[i] = .failure(StoreError.noSuchConversation) }
                continue
            }
            var last = conversation.last
            for i in indices {
                let r = batch[i]
                // A retry of a stored message, also one repeated within this batch: the same seq.
                if let existing = known[c]?[r.clientID] { outcomes[i] = .success((existing, true)); continue }
                guard conversation.open else { outcomes[i] = .failure(StoreError.closed); continue }
                last += 1
                let m = StoredMessage(
                    conversation: c, seq: last, clientID: r.clientID, senderIdentity: r.sender, from: r.from, body: r.body, atMs: r.at)
                rows.append(Row(message: m, sealed: try sealer.seal(r.body, key: conversation.key, conversation: c, seq: last)))
                known[c, default: [:]][r.clientID] = m
                outcomes[i] = .success((m, false))
            }
            if last != conversation.last { moved.append((c, last)) }
        }
        self.outcomes = outcomes.map { $0 ?? .failure(StoreError.noSuchConversation) }
    }
}
