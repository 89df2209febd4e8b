import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `DigitalRepository` in SQL (SQLKit): the same statements on SQLite and
/// PostgreSQL. A change of a session's people runs in one transaction: on
/// SQLite writes run one at a time (`Storage.write`); on PostgreSQL it first
/// takes an advisory lock of the session, so two sign-ups for the last seat
/// cannot both count it free.
package struct SQLDigitalRepository: DigitalRepository {
    package let storage: Storage
    package let sealer: Sealer
    /// This node's changes of a session's people, one at a time.
    let queue = SessionQueue()

    package init(storage: Storage, sealer: Sealer) { (self.storage, self.sealer) = (storage, sealer) }

    /// Data keys `kohtaamo rotate-key` re-wraps.
    package static let wrappedKeys = [
        WrappedKeyTable(table: "digital_seats", wrappedColumn: "wrapped_key", idColumns: ["id"]),
        WrappedKeyTable(table: "digital_goals", wrappedColumn: "wrapped_key", idColumns: ["id"]),
    ]

    private var sql: any SQLDatabase { storage.sql }
    private var postgres: Bool { storage.kind == .postgres }

    private static func list(_ themes: [DigitalTheme]) -> String { themes.map(\.rawValue).joined(separator: ",") }
    private static func languages(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }

    // MARK: events

    private static let eventColumns = [
        "id", "organisation_id", "title", "description", "municipality_name", "municipality", "place", "address", "day", "start_minute",
        "end_minute", "themes", "languages", "is_public", "cancelled", "sequence", "created_ms", "updated_ms",
    ]

    private static func binds(_ e: PopupEvent) -> [SQLBind] {
        [
            SQLBind(e.id), SQLBind(e.organisation), SQLBind(e.title), SQLBind(e.description), SQLBind(e.municipalityName),
            SQLBind(e.municipality), SQLBind(e.place), SQLBind(e.address), SQLBind(e.day.description), SQLBind(e.startMinute),
            SQLBind(e.endMinute), SQLBind(list(e.themes)), SQLBind(e.languages.joined(separator: ",")), SQLBind(e.isPublic),
            SQLBind(e.cancelled), SQLBind(e.sequence), SQLBind(e.createdMs), SQLBind(e.updatedMs),
        ]
    }

    private static func event(_ row: any SQLRow) throws -> PopupEvent {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        let id = try row.decode(column: "id", as: UUID.self)
        guard let day = HelsinkiDay(try text("day")) else { throw UnreadableDigitalRow(what: "digital event \(id) is unreadable") }
        return PopupEvent(
            id: id, organisation: try row.decode(column: "organisation_id", as: UUID.self), title: try text("title"),
            description: try text("description"), municipalityName: try text("municipality_name"), municipality: try text("municipality"),
            place: try text("place"), address: try text("address"), day: day, startMinute: try row.decode(column: "start_minute", as: Int.self),
            endMinute: try row.decode(column: "end_minute", as: Int.self), themes: DigitalTheme.list(try text("themes")).themes,
            languages: languages(try text("languages")), isPublic: try row.decode(column: "is_public", as: Bool.self),
            cancelled: try row.decode(column: "cancelled", as: Bool.self), sequence: try row.decode(column: "sequence", as: Int.self),
            createdMs: try row.decode(column: "created_ms", as: Int64.self), updatedMs: try row.decode(column: "updated_ms", as: Int64.self))
    }

    package func event(id: UUID) async throws -> PopupEvent? {
        try await sql.select().columns(Self.eventColumns).from("digital_events").where("id", .equal, id).first().map(Self.event)
    }

    package func events(organisation: UUID) async throws -> [PopupEvent] {
        try await sql.select().columns(Self.eventColumns).from("digital_events").where("organisation_id", .equal, organisation)
            .orderBy("day").orderBy("start_minute").all().map(Self.event)
    }

    package func publicEvents(municipality: String?, from: HelsinkiDay, to: HelsinkiDay) async throws -> [PopupEvent] {
        var query = sql.select().columns(Self.eventColumns).from("digital_events").where("is_public", .equal, true)
            .where("day", .greaterThanOrEqual, from.description).where("day", .lessThanOrEqual, to.description)
        if let municipality { query = query.where("municipality", .equal, municipality) }
        return try await query.orderBy("day").orderBy("start_minute").all().map(Self.event)
    }

    package func addEvent(_ e: PopupEvent) async throws {
        let row = Self.binds(e)
        try await storage.writeSQL { sql in try await sql.insert(into: "digital_events").columns(Self.eventColumns).values(row).run() }
    }

    package func saveEvent(_ e: PopupEvent) async throws -> PopupEvent {
        try await storage.writeSQL { sql in
            // The sequence is read and raised in the transaction, so two edits at once give two numbers.
            guard let old = try await sql.select().column("sequence").from("digital_events").where("id", .equal, e.id).first() else {
                throw DigitalRefusal.notFound
            }
            var saved = e
            saved.sequence = try old.decode(column: "sequence", as: Int.self) + 1
            var update = sql.update("digital_events")
            for (column, value) in zip(Self.eventColumns, Self.binds(saved)).dropFirst() { update = update.set(SQLIdentifier(column), to: value) }
            try await update.where("id", .equal, e.id).run()
            return saved
        }
    }

    // MARK: sessions

    private static let sessionColumns = [
        "id", "organisation_id", "title", "description", "municipality_name", "municipality", "place", "address", "online", "seats", "themes",
        "languages", "is_public", "cancelled", "sequence", "created_ms", "updated_ms",
    ]

    private static func binds(_ s: GroupSession) -> [SQLBind] {
        [
            SQLBind(s.id), SQLBind(s.organisation), SQLBind(s.title), SQLBind(s.description), SQLBind(s.municipalityName),
            SQLBind(s.municipality), SQLBind(s.place), SQLBind(s.address), SQLBind(s.online), SQLBind(s.seats), SQLBind(list(s.themes)),
            SQLBind(s.languages.joined(separator: ",")), SQLBind(s.isPublic), SQLBind(s.cancelled), SQLBind(s.sequence),
            SQLBind(s.createdMs), SQLBind(s.updatedMs),
        ]
    }

    private static func session(_ row: any SQLRow) throws -> GroupSession {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        return GroupSession(
            id: try row.decode(column: "id", as: UUID.self), organisation: try row.decode(column: "organisation_id", as: UUID.self),
            title: try text("title"), description: try text("description"), municipalityName: try text("municipality_name"),
            municipality: try text("municipality"), place: try text("place"), address: try text("address"),
            online: try row.decode(column: "online", as: Bool.self), seats: try row.decode(column: "seats", as: Int.self),
            themes: DigitalTheme.list(try text("themes")).themes, languages: languages(try text("languages")),
            isPublic: try row.decode(column: "is_public", as: Bool.self), cancelled: try row.decode(column: "cancelled", as: Bool.self),
            sequence: try row.decode(column: "sequence", as: Int.self), createdMs: try row.decode(column: "created_ms", as: Int64.self),
            updatedMs: try row.decode(column: "updated_ms", as: Int64.self))
    }

    package func session(id: UUID) async throws -> GroupSession? {
        try await sql.select().columns(Self.sessionColumns).from("digital_sessions").where("id", .equal, id).first().map(Self.session)
    }

    package func sessions(organisation: UUID) async throws -> [GroupSession] {
        try await sql.select().columns(Self.sessionColumns).from("digital_sessions").where("organisation_id", .equal, organisation)
            .orderBy("created_ms").all().map(Self.session)
    }

    package func publicMeetings(municipality: String?, from: HelsinkiDay, to: HelsinkiDay) async throws -> [(GroupSession, SessionMeeting)] {
        let columns = Self.sessionColumns.map { "s." + $0 }.joined(separator: ", ")
        let place: SQLQueryString = municipality.map { "AND s.municipality = \(bind: $0)" } ?? ""
        let query: SQLQueryString = """
            SELECT \(unsafeRaw: columns), m.id AS meeting_id, m.day AS meeting_day, m.start_minute AS meeting_start,
            m.end_minute AS meeting_end FROM digital_meetings m JOIN digital_sessions s ON s.id = m.session_id
            WHERE s.is_public = \(bind: true) AND m.day >= \(bind: from.description) AND m.day <= \(bind: to.description) \(place)
            ORDER BY m.day, m.start_minute
            """
        return try await sql.raw(query).all().compactMap { row in
            let session = try Self.session(row)
            guard let day = HelsinkiDay(try row.decode(column: "meeting_day", as: String.self)) else { return nil }
            return (
                session,
                SessionMeeting(
                    id: try row.decode(column: "meeting_id", as: UUID.self), session: session.id, day: day,
                    startMinute: try row.decode(column: "meeting_start", as: Int.self), endMinute: try row.decode(column: "meeting_end", as: Int.self)
                )
            )
        }
    }

    package func addSession(_ s: GroupSession) async throws {
        let row = Self.binds(s)
        try await storage.writeSQL { sql in try await sql.insert(into: "digital_sessions").columns(Self.sessionColumns).values(row).run() }
    }

    package func saveSession(_ s: GroupSession, nowMs: Int64) async throws -> GroupSession {
        let (postgres, storage) = (postgres, storage)
        return try await queue.run(s.id) {
            try await storage.writeSQL { sql in
                try await Self.lock(s.id, sql, postgres: postgres)
                guard let old = try await sql.select().column("sequence").from("digital_sessions").where("id", .equal, s.id).first() else {
                    throw DigitalRefusal.notFound
                }
                var saved = s
                saved.sequence = try old.decode(column: "sequence", as: Int.self) + 1
                var update = sql.update("digital_sessions")
                for (column, value) in zip(Self.sessionColumns, Self.binds(saved)).dropFirst() {
                    update = update.set(SQLIdentifier(column), to: value)
                }
                try await update.where("id", .equal, s.id).run()
                // A larger limit seats those waiting; a smaller one takes no seat back.
                try await Self.moveUp(session: s.id, seats: saved.seats, sql, nowMs: nowMs)
                return saved
            }
        }
    }

    private static func raiseSequence(_ session: UUID, _ sql: any SQLDatabase, nowMs: Int64) async throws {
        try await sql.raw("UPDATE digital_sessions SET sequence = sequence + 1, updated_ms = \(bind: nowMs) WHERE id = \(bind: session)").run()
    }

    package func meetings(session: UUID) async throws -> [SessionMeeting] {
        try await sql.select().columns("id", "session_id", "day", "start_minute", "end_minute").from("digital_meetings")
            .where("session_id", .equal, session).orderBy("day").orderBy("start_minute").all()
            .compactMap { row in
                guard let day = HelsinkiDay(try row.decode(column: "day", as: String.self)) else { return nil }
                return SessionMeeting(
                    id: try row.decode(column: "id", as: UUID.self), session: session, day: day,
                    startMinute: try row.decode(column: "start_minute", as: Int.self), endMinute: try row.decode(column: "end_minute", as: Int.self))
            }
    }

    package func addMeeting(_ m: SessionMeeting, max: Int, nowMs: Int64) async throws -> Bool {
        let postgres = postgres
        return try await storage.writeSQL { sql in
            try await Self.lock(m.session, sql, postgres: postgres)
            let count =
                try await sql.raw("SELECT COUNT(*) AS n FROM digital_meetings WHERE session_id = \(bind: m.session)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            guard count < max else { return false }
            try await sql.insert(into: "digital_meetings").columns("id", "session_id", "day", "start_minute", "end_minute")
                .values(SQLBind(m.id), SQLBind(m.session), SQLBind(m.day.description), SQLBind(m.startMinute), SQLBind(m.endMinute)).run()
            try await Self.raiseSequence(m.session, sql, nowMs: nowMs)
            return true
        }
    }

    package func deleteMeeting(id: UUID, session: UUID, nowMs: Int64) async throws -> Bool {
        try await storage.writeSQL { sql in
            let gone =
                try await sql.delete(from: "digital_meetings").where("id", .equal, id).where("session_id", .equal, session)
                .returning("id").all().count == 1
            if gone { try await Self.raiseSequence(session, sql, nowMs: nowMs) }
            return gone
        }
    }

    // MARK: seats

    /// PostgreSQL: one change of a session's people at a time until commit.
    /// The lock's key is the session id's first 8 bytes.
    private static func lock(_ session: UUID, _ sql: any SQLDatabase, postgres: Bool) async throws {
        guard postgres else { return }
        let key = withUnsafeBytes(of: session.uuid) { $0.loadUnaligned(as: Int64.self) }
        _ = try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: key))").all()
    }

    private static let seatColumns = [
        "id", "session_id", "member_id", "status", "rank", "added_by", "created_ms", "promoted_ms", "label_sealed", "wrapped_key", "master_key_id",
    ]

    private func seat(_ row: any SQLRow) throws -> SessionSeat {
        let id = try row.decode(column: "id", as: UUID.self)
        let key = try sealer.unwrap(try row.decode(column: "wrapped_key", as: Data.self))
        let label = try sealer.open(try row.decode(column: "label_sealed", as: Data.self), key: key, conversation: id, seq: 0)
        guard let status = SessionSeat.Status(rawValue: try row.decode(column: "status", as: String.self)) else {
            throw UnreadableDigitalRow(what: "digital seat \(id) is unreadable")
        }
        return SessionSeat(
            id: id, session: try row.decode(column: "session_id", as: UUID.self), member: try row.decode(column: "member_id", as: UUID?.self),
            label: label, status: status, rank: try row.decode(column: "rank", as: Int.self),
            addedBy: try row.decode(column: "added_by", as: UUID?.self), createdMs: try row.decode(column: "created_ms", as: Int64.self),
            promotedMs: try row.decode(column: "promoted_ms", as: Int64?.self))
    }

    private static func seated(_ session: UUID, _ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM digital_seats WHERE session_id = \(bind: session) AND status = 'seated'").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    package func signUp(_ seat: SessionSeat) async throws -> SessionSeat {
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        let sealed = try sealer.seal(seat.label, key: key, conversation: seat.id, seq: 0)
        let (postgres, storage) = (postgres, storage)
        let outcome: (stored: SessionSeat?, existing: UUID?) = try await queue.run(seat.session) {
            try await storage.writeSQL { sql in
                try await Self.lock(seat.session, sql, postgres: postgres)
                guard
                    let row = try await sql.select().columns("seats", "cancelled").from("digital_sessions").where("id", .equal, seat.session).first()
                else { throw DigitalRefusal.notFound }
                guard try !row.decode(column: "cancelled", as: Bool.self) else { throw DigitalRefusal.sessionCancelled }
                if let member = seat.member,
                    let existing = try await sql.select().column("id").from("digital_seats").where("session_id", .equal, seat.session)
                        .where("member_id", .equal, member).first()
                {
                    return (nil, try existing.decode(column: "id", as: UUID.self))
                }
                let seats = try row.decode(column: "seats", as: Int.self)
                let rank =
                    try await sql.raw("SELECT COALESCE(MAX(rank), 0) AS n FROM digital_seats WHERE session_id = \(bind: seat.session)").first()?
                    .decode(column: "n", as: Int.self) ?? 0
                let status: SessionSeat.Status = try await Self.seated(seat.session, sql) < seats ? .seated : .waiting
                try await sql.insert(into: "digital_seats").columns(Self.seatColumns)
                    .values(
                        SQLBind(seat.id), SQLBind(seat.session), SQLBind(seat.member), SQLBind(status.rawValue), SQLBind(rank + 1),
                        SQLBind(seat.addedBy), SQLBind(seat.createdMs), SQLBind(seat.promotedMs), SQLBind(sealed), SQLBind(wrapped),
                        SQLBind(masterKeyID)
                    ).run()
                var stored = seat
                (stored.status, stored.rank) = (status, rank + 1)
                return (stored, nil)
            }
        }
        if let stored = outcome.stored { return stored }
        // A registered client already there: their place as it stands.
        guard let id = outcome.existing, let stored = try await seats(session: seat.session).first(where: { $0.id == id }) else {
            throw UnreadableDigitalRow(what: "digital seat was not stored")
        }
        return stored
    }

    package func remove(seat id: UUID, session: UUID, nowMs: Int64) async throws -> Bool {
        let (postgres, storage) = (postgres, storage)
        return try await queue.run(session) {
            try await storage.writeSQL { sql in
                try await Self.lock(session, sql, postgres: postgres)
                let gone =
                    try await sql.delete(from: "digital_seats").where("id", .equal, id).where("session_id", .equal, session)
                    .returning("id").all().count == 1
                guard gone else { return false }
                if let row = try await sql.select().column("seats").from("digital_sessions").where("id", .equal, session).first() {
                    try await Self.moveUp(session: session, seats: try row.decode(column: "seats", as: Int.self), sql, nowMs: nowMs)
                }
                return true
            }
        }
    }

    /// The first waiting, in order of arrival, into the free seats.
    private static func moveUp(session: UUID, seats: Int, _ sql: any SQLDatabase, nowMs: Int64) async throws {
        let free = seats - (try await seated(session, sql))
        guard free > 0 else { return }
        let first = try await sql.select().column("id").from("digital_seats").where("session_id", .equal, session)
            .where("status", .equal, SessionSeat.Status.waiting.rawValue).orderBy("rank").limit(free).all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        for id in first {
            try await sql.update("digital_seats").set("status", to: SessionSeat.Status.seated.rawValue).set("promoted_ms", to: nowMs)
                .where("id", .equal, id).run()
        }
    }

    package func seats(session: UUID) async throws -> [SessionSeat] {
        try await sql.select().columns(Self.seatColumns).from("digital_seats").where("session_id", .equal, session).orderBy("rank").all()
            .map(seat).sorted { ($0.status == .seated ? 0 : 1, $0.rank) < ($1.status == .seated ? 0 : 1, $1.rank) }
    }

    package func seats(member: UUID) async throws -> [SessionSeat] {
        try await sql.select().columns(Self.seatColumns).from("digital_seats").where("member_id", .equal, member).orderBy("created_ms").all()
            .map(seat)
    }

    package func seatedCounts(sessions: [UUID]) async throws -> [UUID: Int] {
        guard !sessions.isEmpty else { return [:] }
        var out: [UUID: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT session_id, COUNT(*) AS n FROM digital_seats WHERE status = 'seated' AND session_id IN (\(binds: sessions))
            GROUP BY session_id
            """
        ).all() {
            out[try row.decode(column: "session_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }
}

/// A stored row the code cannot read back (a day or a status it does not know).
struct UnreadableDigitalRow: Error, CustomStringConvertible {
    let what: String
    var description: String { what }
}
