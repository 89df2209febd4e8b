import Foundation
import KohtaamoBase
import SQLKit

/// The support chat's part of the statistics: contacts, different clients,
/// waits and handling times, chats nobody took, topics and "did this
/// help?". Only numbers leave: the client's id is an opaque subject the
/// statistics count once and drop; nicknames, messages and feedback
/// comments are never read. A chat counts in the week or month it came
/// into the queue, for the organisation that owns its service.
package struct ChatFigures: FigureSource {
    package let storage: Storage
    package let services: any ServiceDirectory

    package init(storage: Storage, services: any ServiceDirectory) { (self.storage, self.services) = (storage, services) }

    package var section: String { "chat" }

    /// What `markExpired` leaves as the client of an expired chat.
    static let forgotten = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    package static let measures: [FigureMeasure] = [
        FigureMeasure("chat.contacts", .count),
        FigureMeasure("chat.clients", .distinct),
        FigureMeasure("chat.wait_p50", .percentile(50)),
        FigureMeasure("chat.wait_p90", .percentile(90)),
        FigureMeasure("chat.handling_p50", .percentile(50)),
        FigureMeasure("chat.handling_p90", .percentile(90)),
        FigureMeasure("chat.unanswered", .count),
        FigureMeasure("chat.score", .mean, restsOn: "chat.scores"),
        FigureMeasure("chat.topics", .count, hasParts: true),
        FigureMeasure("chat.scores", .count, hasParts: true),
    ]
    package var measures: [FigureMeasure] { Self.measures }

    struct Row: Decodable {
        var service_id: UUID
        var client_id: UUID
        var status: String
        var waiting_since_ms: Int64
        var taken_ms: Int64?
        var closed_ms: Int64?
        var topics: String
    }

    struct Answer: Decodable {
        var service_id: UUID
        var score: Int
        var day: String
    }

    /// Where counts of a kind go before they become leaves: one leaf per
    /// service, period (and part), not one per chat.
    struct Key: Hashable {
        var measure: String
        var part: String? = nil
        var service: UUID
        var period: Int
    }

    package func leaves(_ query: FigureQuery) async throws -> [FigureLeaf] {
        var owner: [UUID: UUID] = [:]
        for organisation in query.organisations {
            for service in try await services.services(organisation: organisation) where service.organisations.first == organisation {
                owner[service.id] = organisation
            }
        }
        guard !owner.isEmpty, !query.periods.isEmpty else { return [] }
        let ids = Array(owner.keys)
        let rows = try await storage.sql.select()
            .columns("service_id", "client_id", "status", "waiting_since_ms", "taken_ms", "closed_ms", "topics")
            .from("support_chats").where("service_id", .in, ids)
            .where("waiting_since_ms", .greaterThanOrEqual, query.startMs).where("waiting_since_ms", .lessThan, query.endMs)
            .all(decoding: Row.self)
        let answers = try await storage.sql.select().columns("service_id", "score", "day").from("chat_feedback")
            .where("service_id", .in, ids)
            .where("day", .greaterThanOrEqual, query.periods[0].first.description)
            .where("day", .lessThanOrEqual, query.periods[query.periods.count - 1].last.description)
            .all(decoding: Answer.self)
        // The periods' first moments, worked out once (each is a calendar sum).
        let starts = query.periods.map(\.startMs), end = query.endMs
        let period = { (ms: Int64) -> Int? in
            guard ms < end, ms >= starts[0] else { return nil }
            var (low, high) = (0, starts.count - 1)
            while low < high {
                let mid = (low + high + 1) / 2
                if starts[mid] <= ms { low = mid } else { high = mid - 1 }
            }
            return low
        }
        var counts: [Key: Int] = [:]
        var subjects: Set<Key> = []
        var leaves: [FigureLeaf] = []
        for row in rows {
            guard let period = period(row.waiting_since_ms), let organisation = owner[row.service_id] else { continue }
            counts[Key(measure: "chat.contacts", service: row.service_id, period: period), default: 0] += 1
            // A chat past its service's retention has forgotten its client (the zero id): still a contact, no longer a client.
            if row.client_id != Self.forgotten {
                subjects.insert(Key(measure: "chat.clients", part: row.client_id.uuidString.lowercased(), service: row.service_id, period: period))
            }
            if let taken = row.taken_ms {
                let wait = Double(max(0, taken - row.waiting_since_ms)) / 1000
                for m in ["chat.wait_p50", "chat.wait_p90"] {
                    leaves.append(FigureLeaf(m, organisation: organisation, service: row.service_id, period: period, .sample(wait)))
                }
                // Closed, and also expired or erased by the client since: the talk's length is kept.
                if row.status != "active", let closed = row.closed_ms {
                    let handling = Double(max(0, closed - taken)) / 1000
                    for m in ["chat.handling_p50", "chat.handling_p90"] {
                        leaves.append(FigureLeaf(m, organisation: organisation, service: row.service_id, period: period, .sample(handling)))
                    }
                }
            } else if row.status != "waiting" && row.status != "active" {
                counts[Key(measure: "chat.unanswered", service: row.service_id, period: period), default: 0] += 1
            }
            for topic in row.topics.split(separator: ",") where !topic.isEmpty {
                counts[Key(measure: "chat.topics", part: topic.lowercased(), service: row.service_id, period: period), default: 0] += 1
            }
        }
        for answer in answers {
            guard let day = HelsinkiDay(answer.day), let period = query.period(day: day), let organisation = owner[answer.service_id],
                (1...5).contains(answer.score)
            else { continue }
            counts[Key(measure: "chat.scores", part: String(answer.score), service: answer.service_id, period: period), default: 0] += 1
            leaves.append(
                FigureLeaf("chat.score", organisation: organisation, service: answer.service_id, period: period, .sample(Double(answer.score))))
        }
        for (key, n) in counts {
            leaves.append(
                FigureLeaf(key.measure, part: key.part, organisation: owner[key.service]!, service: key.service, period: key.period, .count(n)))
        }
        // The client is a subject, never a part: the part only kept them apart above.
        for key in subjects {
            leaves.append(FigureLeaf(key.measure, organisation: owner[key.service]!, service: key.service, period: key.period, .subject(key.part!)))
        }
        return leaves
    }

    package func partNames(measure: String, parts: [String], language: Language) async throws -> [String: String] {
        switch measure {
        case "chat.scores": return Dictionary(uniqueKeysWithValues: parts.map { ($0, $0) })
        case "chat.topics":
            let ids = parts.compactMap { UUID(uuidString: $0) }
            guard !ids.isEmpty else { return [:] }
            var names: [String: String] = [:]
            for row in try await storage.sql.select().columns("id", "label_fi", "label_sv", "label_en").from("chat_topics").where("id", .in, ids)
                .all()
            {
                let labels = LocalizedText(
                    fi: try row.decode(column: "label_fi", as: String.self), sv: try row.decode(column: "label_sv", as: String.self),
                    en: try row.decode(column: "label_en", as: String.self))
                names[try row.decode(column: "id", as: UUID.self).uuidString.lowercased()] = labels.in(language)
            }
            return names
        default: return [:]
        }
    }
}
