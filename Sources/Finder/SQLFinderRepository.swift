import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `FinderRepository` in SQL (SQLKit), the same statements on SQLite and PostgreSQL.
package struct SQLFinderRepository: FinderRepository {
    package let storage: Storage

    package init(storage: Storage) { self.storage = storage }

    private var sql: any SQLDatabase { storage.sql }

    // MARK: visits

    package func addVisits(_ visits: [FinderVisitKey: Int]) async throws {
        guard !visits.isEmpty else { return }
        let rows = visits.map { key, n in [SQLBind(key.day.description), SQLBind(key.organisation), SQLBind(Int64(n))] }
        try await storage.writeSQL { sql in
            // A day and organisation already counted adds up (both databases know ON CONFLICT … DO UPDATE).
            for part in stride(from: 0, to: rows.count, by: 1000).map({ Array(rows[$0..<min($0 + 1000, rows.count)]) }) {
                let values = SQLList(part.map { SQLGroupExpression($0) })
                try await sql.raw(
                    """
                    INSERT INTO finder_visits (day, organisation_id, visits) VALUES \(values)
                    ON CONFLICT (day, organisation_id) DO UPDATE SET visits = finder_visits.visits + excluded.visits
                    """
                ).run()
            }
        }
    }

    package func visits(organisations: [UUID], from: HelsinkiDay, to: HelsinkiDay) async throws -> [FinderVisitKey: Int] {
        guard !organisations.isEmpty else { return [:] }
        var out: [FinderVisitKey: Int] = [:]
        for row in try await sql.select().columns("day", "organisation_id", "visits").from("finder_visits")
            .where("organisation_id", .in, organisations).where("day", .greaterThanOrEqual, from.description)
            .where("day", .lessThanOrEqual, to.description).all()
        {
            guard let day = HelsinkiDay(try row.decode(column: "day", as: String.self)) else { continue }
            out[FinderVisitKey(day: day, organisation: try row.decode(column: "organisation_id", as: UUID.self))] = Int(
                try row.decode(column: "visits", as: Int64.self))
        }
        return out
    }

    private static let pointColumns = [
        "id", "organisation_id", "municipality", "name", "description", "place", "address", "postal_code", "city", "themes", "languages",
        "access", "phone", "email", "url", "chat_service", "updated_ms",
    ]

    private static func municipality(_ row: any SQLRow) throws -> Municipality {
        Municipality(
            slug: try row.decode(column: "slug", as: String.self),
            names: LocalizedText(
                fi: try row.decode(column: "name_fi", as: String.self), sv: try row.decode(column: "name_sv", as: String.self),
                en: try row.decode(column: "name_en", as: String.self)))
    }

    private static func point(_ row: any SQLRow) throws -> HelpPoint {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        return HelpPoint(
            id: try row.decode(column: "id", as: UUID.self), organisation: try row.decode(column: "organisation_id", as: UUID.self),
            municipality: try text("municipality"), name: try text("name"), description: try text("description"),
            place: PlaceKind(rawValue: try text("place")) ?? .other, address: try text("address"), postalCode: try text("postal_code"),
            city: try text("city"), themes: DigitalTheme.list(try text("themes")).themes,
            languages: try text("languages").split(separator: ",").map(String.init), access: Access(rawValue: try text("access")) ?? .dropIn,
            phone: try text("phone"), email: try text("email"), url: try text("url"),
            chatService: try row.decode(column: "chat_service", as: String?.self), updatedMs: try row.decode(column: "updated_ms", as: Int64.self))
    }

    /// The points of `rows` with their hours and exceptions (two more queries, not two per point).
    private func withSchedules(_ rows: [any SQLRow]) async throws -> [HelpPoint] {
        var points = try rows.map(Self.point)
        guard !points.isEmpty else { return [] }
        let ids = points.map(\.id)
        var hours: [UUID: [WeeklyInterval]] = [:], exceptions: [UUID: [DayException]] = [:]
        // Chunks keep the bind count under SQLite's limit whatever the number of points.
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for row in try await sql.select().columns("point_id", "weekday", "opens", "closes").from("finder_hours")
                .where("point_id", .in, chunk).orderBy("weekday").orderBy("opens").all()
            {
                hours[try row.decode(column: "point_id", as: UUID.self), default: []].append(
                    WeeklyInterval(
                        weekday: try row.decode(column: "weekday", as: Int.self), opens: try row.decode(column: "opens", as: Int.self),
                        closes: try row.decode(column: "closes", as: Int.self)))
            }
            for row in try await sql.select().columns("point_id", "day", "opens", "closes", "note").from("finder_exceptions")
                .where("point_id", .in, chunk).orderBy("day").all()
            {
                guard let day = LocalDay(try row.decode(column: "day", as: String.self)) else { continue }
                let opens = try row.decode(column: "opens", as: Int?.self), closes = try row.decode(column: "closes", as: Int?.self)
                exceptions[try row.decode(column: "point_id", as: UUID.self), default: []].append(
                    DayException(
                        day: day, hours: opens.flatMap { o in closes.map { (o, $0) } }, note: try row.decode(column: "note", as: String.self)))
            }
        }
        for i in points.indices {
            points[i].hours = hours[points[i].id] ?? []
            points[i].exceptions = exceptions[points[i].id] ?? []
        }
        return points
    }

    package func municipalities() async throws -> [Municipality] {
        try await sql.raw(
            """
            SELECT slug, name_fi, name_sv, name_en FROM finder_municipalities m
            WHERE EXISTS (SELECT 1 FROM finder_points p WHERE p.municipality = m.slug) ORDER BY name_fi
            """
        ).all().map(Self.municipality)
    }

    package func municipality(slug: String) async throws -> Municipality? {
        try await sql.select().columns("slug", "name_fi", "name_sv", "name_en").from("finder_municipalities").where("slug", .equal, slug)
            .first().map(Self.municipality)
    }

    package func points(municipality: String) async throws -> [HelpPoint] {
        try await withSchedules(
            sql.select().columns(Self.pointColumns).from("finder_points").where("municipality", .equal, municipality).orderBy("name").all())
    }

    package func points(organisations: [UUID]) async throws -> [HelpPoint] {
        guard !organisations.isEmpty else { return [] }
        return try await withSchedules(
            sql.select().columns(Self.pointColumns).from("finder_points").where("organisation_id", .in, organisations)
                .orderBy("municipality").orderBy("name").all())
    }

    package func allPoints() async throws -> [HelpPoint] {
        try await withSchedules(sql.select().columns(Self.pointColumns).from("finder_points").orderBy("id").all())
    }

    package func point(id: UUID) async throws -> HelpPoint? {
        try await withSchedules(sql.select().columns(Self.pointColumns).from("finder_points").where("id", .equal, id).all()).first
    }

    package func save(_ points: [HelpPoint], municipalities: [Municipality]) async throws {
        try await storage.writeSQL { sql in
            for m in municipalities {
                try await sql.insert(into: "finder_municipalities").columns("slug", "name_fi", "name_sv", "name_en")
                    .values(SQLBind(m.slug), SQLBind(m.names.fi), SQLBind(m.names.sv), SQLBind(m.names.en))
                    .ignoringConflicts(with: "slug").run()
            }
            for p in points {
                try await Self.remove(p.id, sql)
                try await sql.insert(into: "finder_points").columns(Self.pointColumns)
                    .values(
                        SQLBind(p.id), SQLBind(p.organisation), SQLBind(p.municipality), SQLBind(p.name), SQLBind(p.description),
                        SQLBind(p.place.rawValue), SQLBind(p.address), SQLBind(p.postalCode), SQLBind(p.city),
                        SQLBind(p.themes.map(\.rawValue).joined(separator: ",")), SQLBind(p.languages.joined(separator: ",")),
                        SQLBind(p.access.rawValue), SQLBind(p.phone), SQLBind(p.email), SQLBind(p.url), SQLBind(p.chatService),
                        SQLBind(p.updatedMs)
                    ).run()
                for h in p.hours {
                    try await sql.insert(into: "finder_hours").columns("point_id", "weekday", "opens", "closes")
                        .values(SQLBind(p.id), SQLBind(h.weekday), SQLBind(h.opens), SQLBind(h.closes)).run()
                }
                for e in p.exceptions {
                    try await sql.insert(into: "finder_exceptions").columns("point_id", "day", "opens", "closes", "note")
                        .values(SQLBind(p.id), SQLBind(e.day.description), SQLBind(e.hours?.opens), SQLBind(e.hours?.closes), SQLBind(e.note))
                        .run()
                }
            }
        }
    }

    package func delete(point: UUID) async throws {
        try await storage.writeSQL { sql in try await Self.remove(point, sql) }
    }

    package func setException(point: UUID, day: LocalDay, _ exception: DayException?, updatedMs: Int64) async throws {
        try await storage.writeSQL { sql in
            // Inside the transaction: a point deleted meanwhile gets no orphan exception.
            guard try await sql.select().column("id").from("finder_points").where("id", .equal, point).first() != nil else { return }
            try await sql.delete(from: "finder_exceptions").where("point_id", .equal, point).where("day", .equal, day.description).run()
            if let e = exception {
                try await sql.insert(into: "finder_exceptions").columns("point_id", "day", "opens", "closes", "note")
                    .values(SQLBind(point), SQLBind(day.description), SQLBind(e.hours?.opens), SQLBind(e.hours?.closes), SQLBind(e.note)).run()
            }
            try await sql.update("finder_points").set("updated_ms", to: SQLBind(updatedMs)).where("id", .equal, point).run()
        }
    }

    /// A point with its hours and exceptions, named one by one: SQLite keeps the cascade only with foreign keys on.
    private static func remove(_ point: UUID, _ sql: any SQLDatabase) async throws {
        try await sql.delete(from: "finder_hours").where("point_id", .equal, point).run()
        try await sql.delete(from: "finder_exceptions").where("point_id", .equal, point).run()
        try await sql.delete(from: "finder_points").where("id", .equal, point).run()
    }
}
