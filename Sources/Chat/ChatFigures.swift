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

    package func leaves(_ query: FigureQuery) async throws -> [FigureLeaf] {
        var ids: [UUID] = []
        var owners: [UUID] = []
        for organisation in query.organisations {
            for service in try await services.services(organisation: organisation) where service.organisations.first == organisation {
                ids.append(service.id)
                owners.append(organisation)
            }
        }
        guard !ids.isEmpty, !query.periods.isEmpty else { return [] }
        // The database puts each chat into its period and gathers a cell's
        // waits, talks and clients into one text each: a year comes back
        // as a thousand rows, not seventy thousand.
        let period = query.periodCase(ms: "waiting_since_ms")
        let inRange: SQLQueryString = """
            service_id IN (\(binds: ids)) AND waiting_since_ms >= \(bind: query.startMs) AND waiting_since_ms < \(bind: query.endMs)
            """
        // A chat past its service's retention has forgotten its client (the
        // zero id): still a contact, no longer a client. A chat's topics
        // are a text of ids ("a,b"), so a cell's topics are one long list.
        let chats = try await storage.sql.raw(
            """
            SELECT service_id, p, COUNT(*) AS n, SUM(u) AS u, \(storage.integerList("w")) AS w, \(storage.integerList("h")) AS h,
            \(storage.textList("c")) AS c, \(storage.textList("t")) AS t FROM (
            SELECT service_id, \(period) AS p,
            CASE WHEN taken_ms IS NULL THEN NULL ELSE taken_ms - waiting_since_ms END AS w,
            CASE WHEN taken_ms IS NOT NULL AND closed_ms IS NOT NULL AND status <> 'active' THEN closed_ms - taken_ms ELSE NULL END AS h,
            CASE WHEN taken_ms IS NULL AND status <> 'waiting' AND status <> 'active' THEN 1 ELSE 0 END AS u,
            CASE WHEN client_id <> \(bind: Self.forgotten) THEN client_id ELSE NULL END AS c,
            CASE WHEN topics <> '' THEN topics ELSE NULL END AS t
            FROM support_chats WHERE \(inRange)) t
            WHERE p IS NOT NULL GROUP BY service_id, p
            """
        ).all()
        let answers = try await storage.sql.raw(
            """
            SELECT service_id, p, score, COUNT(*) AS n FROM (
            SELECT service_id, \(query.periodCase(day: "day")) AS p, score FROM chat_feedback WHERE service_id IN (\(binds: ids))
            AND day >= \(bind: query.periods[0].first.description) AND day <= \(bind: query.periods[query.periods.count - 1].last.description)) t
            WHERE p IS NOT NULL AND score >= 1 AND score <= 5 GROUP BY service_id, p, score
            """
        ).all()
        let width = query.periods.count
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        /// A row's service and period as one number (service index × periods + period).
        func cell(_ row: any SQLRow) throws -> Int? {
            guard let s = index[try row.decode(column: "service_id", as: UUID.self)] else { return nil }
            return s * width + (try row.decode(column: "p", as: Int.self))
        }
        var leaves: [FigureLeaf] = []
        func leaf(_ measure: String, part: String? = nil, _ cell: Int, _ input: FigureLeaf.Input) {
            leaves.append(
                FigureLeaf(measure, part: part, organisation: owners[cell / width], service: ids[cell / width], period: cell % width, input))
        }
        var subjects = FigureSubjects()
        var topicCounts: [Key: Int] = [:]
        for row in chats {
            guard let cell = try cell(row) else { continue }
            let clients = FigureID.list(try row.decode(column: "c", as: String?.self))
            if !clients.isEmpty { leaf("chat.clients", cell, .subjects(clients.map { subjects.number($0) })) }
            for topic in FigureID.list(try row.decode(column: "t", as: String?.self)) { topicCounts[Key(id: topic, cell: cell), default: 0] += 1 }
            leaf("chat.contacts", cell, .count(try row.decode(column: "n", as: Int.self)))
            let unanswered = try row.decode(column: "u", as: Int.self)
            if unanswered > 0 { leaf("chat.unanswered", cell, .count(unanswered)) }
            let waits = integers(inList: try row.decode(column: "w", as: String?.self)).map { Double(max(0, $0)) / 1000 }
            if !waits.isEmpty {
                leaf("chat.wait_p50", cell, .samples(waits))
                leaf("chat.wait_p90", cell, .samples(waits))
            }
            // Closed, and also expired or erased by the client since: the talk's length is kept.
            let handling = integers(inList: try row.decode(column: "h", as: String?.self)).map { Double(max(0, $0)) / 1000 }
            if !handling.isEmpty {
                leaf("chat.handling_p50", cell, .samples(handling))
                leaf("chat.handling_p90", cell, .samples(handling))
            }
        }
        for (key, n) in topicCounts { leaf("chat.topics", part: key.id.text, key.cell, .count(n)) }
        var scores = [[Double]](repeating: [], count: ids.count * width)
        for row in answers {
            guard let cell = try cell(row) else { continue }
            let score = try row.decode(column: "score", as: Int.self), n = try row.decode(column: "n", as: Int.self)
            leaf("chat.scores", part: String(score), cell, .count(n))
            scores[cell].append(contentsOf: repeatElement(Double(score), count: n))
        }
        for cell in scores.indices where !scores[cell].isEmpty { leaf("chat.score", cell, .samples(scores[cell])) }
        return leaves
    }

    /// A topic in a service's period (`cell`: service index × periods + period).
    struct Key: Hashable {
        var id: FigureID
        var cell: Int
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
