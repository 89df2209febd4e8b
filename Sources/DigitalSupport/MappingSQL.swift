import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `MappingRepository` in SQL, the same statements on SQLite and PostgreSQL.
/// A questionnaire's version is the next number in the save's own
/// transaction; the unique (network, version) holds it if two saves race.
extension SQLDigitalRepository {
    /// A questionnaire's questions and rules as stored (the rules as their text).
    struct QuestionnaireBody: Codable {
        var questions: [MappingQuestion]
        var rules: String
    }

    private static func questionnaire(_ row: any SQLRow) throws -> Questionnaire {
        let network = try row.decode(column: "network_id", as: UUID.self)
        let body = try JSONDecoder().decode(QuestionnaireBody.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
        guard case .success(let rules) = MappingRules.parse(body.rules) else {
            throw UnreadableDigitalRow(what: "questionnaire of network \(network) has unreadable rules")
        }
        return Questionnaire(
            network: network, version: try row.decode(column: "version", as: Int.self), questions: body.questions, rules: rules,
            savedMs: try row.decode(column: "saved_ms", as: Int64.self))
    }

    package func questionnaire(network: UUID) async throws -> Questionnaire? {
        try await storage.sql.select().columns("network_id", "version", "body", "saved_ms").from("digital_questionnaires")
            .where("network_id", .equal, network).orderBy("version", .descending).limit(1).first().map(Self.questionnaire)
    }

    package func questionnaire(network: UUID, version: Int) async throws -> Questionnaire? {
        try await storage.sql.select().columns("network_id", "version", "body", "saved_ms").from("digital_questionnaires")
            .where("network_id", .equal, network).where("version", .equal, version).first().map(Self.questionnaire)
    }

    package func saveQuestionnaire(network: UUID, questions: [MappingQuestion], rules: [ProfileRule], savedBy: UUID, nowMs: Int64) async throws
        -> Questionnaire
    {
        let body = String(decoding: try JSONEncoder().encode(QuestionnaireBody(questions: questions, rules: MappingRules.text(rules))), as: UTF8.self)
        return try await storage.writeSQL { sql in
            let newest =
                try await sql.raw("SELECT COALESCE(MAX(version), 0) AS n FROM digital_questionnaires WHERE network_id = \(bind: network)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            try await sql.insert(into: "digital_questionnaires").columns("network_id", "version", "body", "saved_by", "saved_ms")
                .values(SQLBind(network), SQLBind(newest + 1), SQLBind(body), SQLBind(savedBy), SQLBind(nowMs)).run()
            return Questionnaire(network: network, version: newest + 1, questions: questions, rules: rules, savedMs: nowMs)
        }
    }

    // MARK: mappings

    private static let mappingColumns = [
        "id", "member_id", "organisation_id", "network_id", "version", "answers", "scores", "profile", "filled_by", "created_ms",
    ]

    private static func mapping(_ row: any SQLRow) throws -> Mapping {
        let id = try row.decode(column: "id", as: UUID.self)
        let answers = try JSONDecoder().decode([String: Int?].self, from: Data(try row.decode(column: "answers", as: String.self).utf8))
        let scores = try JSONDecoder().decode([String: Double].self, from: Data(try row.decode(column: "scores", as: String.self).utf8))
        guard let profile = MappingProfileKey(rawValue: try row.decode(column: "profile", as: String.self)) else {
            throw UnreadableDigitalRow(what: "mapping \(id) is unreadable")
        }
        return Mapping(
            id: id, member: try row.decode(column: "member_id", as: UUID.self),
            organisation: try row.decode(column: "organisation_id", as: UUID?.self),
            network: try row.decode(column: "network_id", as: UUID?.self), version: try row.decode(column: "version", as: Int.self),
            answers: answers,
            scores: Dictionary(uniqueKeysWithValues: scores.compactMap { k, v in DigitalTheme(rawValue: k).map { ($0, v) } }),
            profile: profile, filledBy: try row.decode(column: "filled_by", as: UUID?.self),
            createdMs: try row.decode(column: "created_ms", as: Int64.self))
    }

    private static func binds(_ m: Mapping) throws -> [SQLBind] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let answers = String(decoding: try encoder.encode(m.answers), as: UTF8.self)
        let scores = String(
            decoding: try encoder.encode(Dictionary(uniqueKeysWithValues: m.scores.map { ($0.key.rawValue, $0.value) })), as: UTF8.self)
        return [
            SQLBind(m.id), SQLBind(m.member), SQLBind(m.organisation), SQLBind(m.network), SQLBind(m.version), SQLBind(answers), SQLBind(scores),
            SQLBind(m.profile.rawValue), SQLBind(m.filledBy), SQLBind(m.createdMs),
        ]
    }

    package func addMapping(_ m: Mapping) async throws {
        let row = try Self.binds(m)
        try await storage.writeSQL { sql in try await sql.insert(into: "digital_mappings").columns(Self.mappingColumns).values(row).run() }
    }

    package func addMappings(_ mappings: [Mapping]) async throws {
        let rows = try mappings.map { try Self.binds($0) }
        try await storage.writeSQL { sql in try await sql.insertRows(into: "digital_mappings", columns: Self.mappingColumns, rows: rows) }
    }

    package func mappingCounts(organisations: [UUID], ranges: [(start: Int64, end: Int64)]) async throws -> [MappingCount] {
        guard !organisations.isEmpty else { return [] }
        let rows = try await storage.sql.rangeCounts(
            from: "digital_mappings", at: "created_ms", ranges: ranges, by: ["organisation_id", "member_id"],
            where: "organisation_id IN (\(binds: organisations))")
        return try rows.map { row in
            MappingCount(
                organisation: try row.decode(column: "organisation_id", as: UUID.self), range: try row.decode(column: "r", as: Int.self),
                member: try row.decode(column: "member_id", as: UUID.self), count: try row.decode(column: "n", as: Int.self))
        }
    }

    package func mappings(member: UUID) async throws -> [Mapping] {
        try await storage.sql.select().columns(Self.mappingColumns).from("digital_mappings").where("member_id", .equal, member)
            .orderBy("created_ms").all().map(Self.mapping)
    }

    package func mappings(organisation: UUID) async throws -> [Mapping] {
        try await storage.sql.select().columns(Self.mappingColumns).from("digital_mappings").where("organisation_id", .equal, organisation)
            .orderBy("created_ms").all().map(Self.mapping)
    }

    // MARK: goals

    private static let goalColumns = [
        "id", "member_id", "organisation_id", "theme", "done", "added_by", "created_ms", "done_ms", "text_sealed", "wrapped_key", "master_key_id",
        "material_id",
    ]

    private func goal(_ row: any SQLRow) throws -> MappingGoal {
        let id = try row.decode(column: "id", as: UUID.self)
        let key = try sealer.unwrap(try row.decode(column: "wrapped_key", as: Data.self))
        let text = try sealer.open(try row.decode(column: "text_sealed", as: Data.self), key: key, conversation: id, seq: 0)
        guard let theme = DigitalTheme(rawValue: try row.decode(column: "theme", as: String.self)) else {
            throw UnreadableDigitalRow(what: "goal \(id) is unreadable")
        }
        return MappingGoal(
            id: id, member: try row.decode(column: "member_id", as: UUID.self),
            organisation: try row.decode(column: "organisation_id", as: UUID?.self),
            theme: theme, text: text, done: try row.decode(column: "done", as: Bool.self),
            addedBy: try row.decode(column: "added_by", as: UUID?.self),
            createdMs: try row.decode(column: "created_ms", as: Int64.self), doneMs: try row.decode(column: "done_ms", as: Int64?.self),
            material: try row.decode(column: "material_id", as: UUID?.self))
    }

    package func addGoal(_ g: MappingGoal) async throws {
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        let sealed = try sealer.seal(g.text, key: key, conversation: g.id, seq: 0)
        let row: [SQLBind] = [
            SQLBind(g.id), SQLBind(g.member), SQLBind(g.organisation), SQLBind(g.theme.rawValue), SQLBind(g.done), SQLBind(g.addedBy),
            SQLBind(g.createdMs), SQLBind(g.doneMs), SQLBind(sealed), SQLBind(wrapped), SQLBind(masterKeyID), SQLBind(g.material),
        ]
        try await storage.writeSQL { sql in try await sql.insert(into: "digital_goals").columns(Self.goalColumns).values(row).run() }
    }

    package func goals(member: UUID) async throws -> [MappingGoal] {
        try await storage.sql.select().columns(Self.goalColumns).from("digital_goals").where("member_id", .equal, member).orderBy("created_ms")
            .all().map(goal)
    }

    package func setGoal(id: UUID, member: UUID, done: Bool, nowMs: Int64) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.update("digital_goals").set("done", to: done).set("done_ms", to: done ? nowMs : nil).where("id", .equal, id)
                .where("member_id", .equal, member).returning("id").all().count == 1
        }
    }

    package func eraseMappings(member: UUID) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "digital_goals").where("member_id", .equal, member).run()
            try await sql.delete(from: "digital_mappings").where("member_id", .equal, member).run()
        }
    }
}
