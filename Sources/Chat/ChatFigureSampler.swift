import Foundation
import KohtaamoBase
import SQLKit

/// Writes a plan of plausible support chats into the chat's own tables:
/// arrivals through the day (fewer at weekends), some clients coming
/// back, about one in nine leaving before anyone took them, waits of a
/// few minutes, talks of 10–40 minutes with one or two topics, and a
/// "did this help?" answer after about a third. Nothing in them is text a
/// person wrote: nicknames are empty and no message is stored.
/// The leaves it returns are one per chat (not summed as `ChatFigures`
/// sums them), so a test holds two ways of counting against each other.
package struct ChatFigureSampler: FigureSampler {
    package let storage: Storage
    package let toolkit: ChatToolkit

    package init(storage: Storage, toolkit: ChatToolkit) { (self.storage, self.toolkit) = (storage, toolkit) }

    package func sample(_ plan: FigurePlan) async throws -> [FigureLeaf] {
        var random = SplitMix64(seed: plan.seed)
        var leaves: [FigureLeaf] = []
        var subjects = FigureSubjects()
        var chats: [[any SQLExpression]] = []
        var conversations: [[any SQLExpression]] = []
        var answers: [[any SQLExpression]] = []
        guard let first = plan.query.periods.first?.first, let last = plan.query.periods.last?.last else { return [] }
        for organisation in plan.query.organisations {
            for service in try await toolkit.services.services(organisation: organisation) where service.kind == .supportChat {
                let topics = try await toolkit.topics(service: service.id).filter { !$0.archived }.map { $0.id.uuidString.lowercased() }
                // A pool of returning clients: about twenty days' worth of contacts.
                var pool: [UUID] = []
                for _ in 0..<max(5, Int(plan.perDay * 20)) { pool.append(Self.uuid(&random)) }
                var day = first
                while day <= last {
                    let weekend = day.weekday >= 6
                    let expected = plan.perDay * (weekend ? 0.5 : 1.2)
                    let n = Int((expected * (0.5 + random.unit())).rounded())
                    for _ in 0..<n {
                        let arrive = day.ms(minute: 9 * 60) + Int64(random.unit() * 12 * 3_600_000)
                        guard arrive < plan.nowMs - 3_600_000, let period = plan.query.period(ms: arrive) else { continue }
                        let client = random.unit() < 0.4 ? pool[Int(random.next() % UInt64(pool.count))] : Self.uuid(&random)
                        let id = Self.uuid(&random)
                        let wait = Int64(-log(1 - random.unit()) * 180_000)
                        let at = (organisation, service.id, period)
                        leaves.append(Self.leaf("chat.contacts", nil, at, .count(1)))
                        leaves.append(Self.leaf("chat.clients", nil, at, .subjects([subjects.number(client.uuidString)])))
                        conversations.append([SQLBind(id), SQLBind("support_chat"), SQLBind(Int64(0)), SQLBind(false), SQLBind(arrive)])
                        if random.unit() < 0.11 {
                            leaves.append(Self.leaf("chat.unanswered", nil, at, .count(1)))
                            chats.append(Self.chat(id, service.id, client, "deleted", arrive, taken: nil, closed: arrive + wait, topics: ""))
                            continue
                        }
                        let taken = arrive + wait
                        let closed = taken + Int64(600_000 + random.unit() * 1_800_000)
                        var chosen: [String] = []
                        for _ in 0..<(topics.isEmpty ? 0 : random.unit() < 0.3 ? 2 : 1) {
                            let topic = topics[Int(random.next() % UInt64(topics.count))]
                            if !chosen.contains(topic) { chosen.append(topic) }
                        }
                        for (m, x) in [
                            ("chat.wait_p50", wait), ("chat.wait_p90", wait), ("chat.handling_p50", closed - taken),
                            ("chat.handling_p90", closed - taken),
                        ] {
                            leaves.append(Self.leaf(m, nil, at, .samples([Double(x) / 1000])))
                        }
                        for topic in chosen { leaves.append(Self.leaf("chat.topics", topic, at, .count(1))) }
                        chats.append(
                            Self.chat(id, service.id, client, "closed", arrive, taken: taken, closed: closed, topics: chosen.joined(separator: ",")))
                        if random.unit() < 0.35 {
                            let score = [1, 2, 3, 3, 4, 4, 4, 5, 5, 5][Int(random.next() % 10)]
                            let answered = HelsinkiDay(ms: closed)
                            if let p = plan.query.period(day: answered) {
                                leaves.append(Self.leaf("chat.scores", String(score), (organisation, service.id, p), .count(1)))
                                leaves.append(Self.leaf("chat.score", nil, (organisation, service.id, p), .samples([Double(score)])))
                            }
                            answers.append([
                                SQLBind(Self.uuid(&random)), SQLBind(service.id), SQLBind(score), SQLBind(""), SQLBind(answered.description),
                            ])
                        }
                    }
                    day = day.adding(days: 1)
                }
            }
        }
        try await insert(
            "conversations", ["id", "kind", "last_seq", "open", "created_ms"], conversations)
        try await insert(
            "support_chats",
            [
                "conversation_id", "service_id", "client_id", "nickname", "status", "waiting_since_ms", "taken_ms", "closed_ms", "topics",
                "feedback_given", "language",
            ],
            chats)
        try await insert("chat_feedback", ["id", "service_id", "score", "comment", "day"], answers)
        return leaves
    }

    static func leaf(_ measure: String, _ part: String?, _ at: (UUID, UUID, Int), _ input: FigureLeaf.Input) -> FigureLeaf {
        FigureLeaf(measure, part: part, organisation: at.0, service: at.1, period: at.2, input)
    }

    static func chat(
        _ id: UUID, _ service: UUID, _ client: UUID, _ status: String, _ arrive: Int64, taken: Int64?, closed: Int64, topics: String
    ) -> [any SQLExpression] {
        [
            SQLBind(id), SQLBind(service), SQLBind(client), SQLBind(""), SQLBind(status), SQLBind(arrive),
            taken.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null, SQLBind(closed), SQLBind(topics), SQLBind(false), SQLBind("fi"),
        ]
    }

    /// In transactions of 500 rows: a year of chats is tens of thousands.
    func insert(_ table: String, _ columns: [String], _ rows: [[any SQLExpression]]) async throws {
        for start in stride(from: 0, to: rows.count, by: 500) {
            let batch = Array(rows[start..<min(rows.count, start + 500)])
            try await storage.writeSQL { sql in
                var insert = sql.insert(into: table).columns(columns)
                for row in batch { insert = insert.values(row) }
                try await insert.run()
            }
        }
    }

    static func uuid(_ random: inout SplitMix64) -> UUID {
        var bytes = (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11], bytes[12],
                bytes[13], bytes[14], bytes[15]
            ))
    }
}
