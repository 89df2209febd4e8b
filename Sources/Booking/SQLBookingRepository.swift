import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `BookingRepository` in SQL (SQLKit): the same statements on SQLite and
/// PostgreSQL. On SQLite writes already run one at a time (`Storage.write`);
/// on PostgreSQL a write that checks before it changes takes a lock first —
/// the host's (slots may not overlap) or the slot's row (one booking per slot;
/// the unique index holds that even without the lock).
package struct SQLBookingRepository: BookingRepository {
    package let storage: Storage

    package init(storage: Storage) { self.storage = storage }

    private var sql: any SQLDatabase { storage.sql }
    private var postgres: Bool { storage.kind == .postgres }

    // MARK: slots

    private static let slotColumns = ["id", "scope_id", "host_id", "start_ms", "minutes", "place", "pattern_id", "created_ms"]

    private static func slot(_ row: any SQLRow) throws -> Slot {
        Slot(
            id: try row.decode(column: "id", as: UUID.self), scope: try row.decode(column: "scope_id", as: UUID.self),
            host: try row.decode(column: "host_id", as: UUID.self), startMs: try row.decode(column: "start_ms", as: Int64.self),
            minutes: try row.decode(column: "minutes", as: Int.self), place: try row.decode(column: "place", as: String.self),
            pattern: try row.decode(column: "pattern_id", as: UUID?.self), createdMs: try row.decode(column: "created_ms", as: Int64.self))
    }

    /// Slots longer than this never exist, so a slot that overlaps a window
    /// starts at most this long before it (keeps the overlap query on the index).
    private static let longestMs = Int64(Booking.maxMinutes) * 60_000

    /// PostgreSQL: one writer per host until commit, so two overlapping
    /// slots cannot both pass the check. The lock's key is the host id's first 8 bytes.
    private static func lockHost(_ host: UUID, _ sql: any SQLDatabase, postgres: Bool) async throws {
        guard postgres else { return }
        let key = withUnsafeBytes(of: host.uuid) { $0.loadUnaligned(as: Int64.self) }
        _ = try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: key))").all()
    }

    private static func overlapping(host: UUID, startMs: Int64, endMs: Int64, _ sql: any SQLDatabase) async throws -> [Slot] {
        try await sql.select().columns(slotColumns).from("booking_slots").where("host_id", .equal, host)
            .where("start_ms", .lessThan, endMs).where("start_ms", .greaterThan, startMs - longestMs)
            .all().map(slot).filter { $0.overlaps(startMs: startMs, endMs: endMs) }
    }

    private static func insert(_ s: Slot, _ sql: any SQLDatabase) async throws {
        try await sql.insert(into: "booking_slots").columns(slotColumns)
            .values(
                SQLBind(s.id), SQLBind(s.scope), SQLBind(s.host), SQLBind(s.startMs), SQLBind(s.minutes), SQLBind(s.place),
                SQLBind(s.pattern), SQLBind(s.createdMs)
            )
            .run()
    }

    package func addSlot(_ slot: Slot) async throws {
        let postgres = postgres
        try await storage.writeSQL { sql in
            try await Self.lockHost(slot.host, sql, postgres: postgres)
            guard try await Self.overlapping(host: slot.host, startMs: slot.startMs, endMs: slot.endMs, sql).isEmpty else {
                throw BookingRefusal.slotOverlaps
            }
            try await Self.insert(slot, sql)
        }
    }

    package func addMissingSlots(_ slots: [Slot]) async throws -> Int {
        guard !slots.isEmpty else { return 0 }
        let postgres = postgres
        return try await storage.writeSQL { sql in
            var added = 0
            // Always in the same order, so two refreshes never wait for each other's second lock.
            for host in Set(slots.map(\.host)).sorted(by: { $0.uuidString < $1.uuidString }) {
                try await Self.lockHost(host, sql, postgres: postgres)
            }
            for s in slots {
                guard try await Self.overlapping(host: s.host, startMs: s.startMs, endMs: s.endMs, sql).isEmpty else { continue }
                try await Self.insert(s, sql)
                added += 1
            }
            return added
        }
    }

    package func slot(id: UUID) async throws -> Slot? {
        try await sql.select().columns(Self.slotColumns).from("booking_slots").where("id", .equal, id).first().map(Self.slot)
    }

    package func slots(host: UUID, fromMs: Int64, toMs: Int64) async throws -> [Slot] {
        try await sql.select().columns(Self.slotColumns).from("booking_slots").where("host_id", .equal, host)
            .where("start_ms", .greaterThan, fromMs - Self.longestMs).where("start_ms", .lessThan, toMs)
            .orderBy("start_ms").all().map(Self.slot).filter { $0.endMs > fromMs }
    }

    package func slots(scope: UUID, fromMs: Int64, toMs: Int64) async throws -> [Slot] {
        try await sql.select().columns(Self.slotColumns).from("booking_slots").where("scope_id", .equal, scope)
            .where("start_ms", .greaterThan, fromMs - Self.longestMs).where("start_ms", .lessThan, toMs)
            .orderBy("start_ms").all().map(Self.slot).filter { $0.endMs > fromMs }
    }

    package func deleteFreeSlot(id: UUID, host: UUID) async throws {
        let postgres = postgres
        try await storage.writeSQL { sql in
            guard try await Self.lockedSlot(id, sql, postgres: postgres)?.host == host else { throw BookingRefusal.slotNotFound }
            if try await Self.booked(slot: id, sql) != nil { throw BookingRefusal.slotBooked }
            try await sql.delete(from: "booking_slots").where("id", .equal, id).run()
        }
    }

    /// The slot, its row locked until commit on PostgreSQL: a booking, a move
    /// onto it and its deletion wait for each other.
    private static func lockedSlot(_ id: UUID, _ sql: any SQLDatabase, postgres: Bool) async throws -> Slot? {
        if postgres {
            let columns = slotColumns.joined(separator: ", ")
            return try await sql.raw("SELECT \(unsafeRaw: columns) FROM booking_slots WHERE id = \(bind: id) FOR UPDATE").first().map(slot)
        }
        return try await sql.select().columns(slotColumns).from("booking_slots").where("id", .equal, id).first().map(slot)
    }

    // MARK: patterns

    private static let patternColumns = [
        "id", "scope_id", "host_id", "weekday", "start_minute", "minutes", "place", "from_day", "until_day", "skipping", "created_ms",
    ]

    private static func pattern(_ row: any SQLRow) throws -> WeeklyPattern {
        let from = try row.decode(column: "from_day", as: String.self)
        let skipping = try row.decode(column: "skipping", as: String.self).split(separator: ",").compactMap { BookingDay(String($0)) }
        return WeeklyPattern(
            id: try row.decode(column: "id", as: UUID.self), scope: try row.decode(column: "scope_id", as: UUID.self),
            host: try row.decode(column: "host_id", as: UUID.self), weekday: try row.decode(column: "weekday", as: Int.self),
            startMinute: try row.decode(column: "start_minute", as: Int.self), minutes: try row.decode(column: "minutes", as: Int.self),
            place: try row.decode(column: "place", as: String.self), from: BookingDay(from) ?? BookingDay(year: 1970, month: 1, day: 1),
            until: try row.decode(column: "until_day", as: String?.self).flatMap { BookingDay($0) }, skipping: Set(skipping),
            createdMs: try row.decode(column: "created_ms", as: Int64.self))
    }

    private static func clearFree(pattern: UUID, fromMs: Int64, _ sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            DELETE FROM booking_slots WHERE pattern_id = \(bind: pattern) AND start_ms >= \(bind: fromMs)
            AND NOT EXISTS (SELECT 1 FROM booking_appointments a WHERE a.slot_id = booking_slots.id AND a.status = 'booked')
            """
        ).run()
    }

    package func savePattern(_ p: WeeklyPattern, clearingFreeFromMs fromMs: Int64) async throws {
        let skipping = p.skipping.sorted().map(\.description).joined(separator: ",")
        try await storage.writeSQL { sql in
            try await sql.delete(from: "booking_patterns").where("id", .equal, p.id).run()
            try await sql.insert(into: "booking_patterns").columns(Self.patternColumns)
                .values(
                    SQLBind(p.id), SQLBind(p.scope), SQLBind(p.host), SQLBind(p.weekday), SQLBind(p.startMinute), SQLBind(p.minutes),
                    SQLBind(p.place), SQLBind(p.from.description), SQLBind(p.until?.description), SQLBind(skipping), SQLBind(p.createdMs)
                )
                .run()
            try await Self.clearFree(pattern: p.id, fromMs: fromMs, sql)
        }
    }

    package func pattern(id: UUID) async throws -> WeeklyPattern? {
        try await sql.select().columns(Self.patternColumns).from("booking_patterns").where("id", .equal, id).first().map(Self.pattern)
    }

    package func patterns(host: UUID) async throws -> [WeeklyPattern] {
        try await sql.select().columns(Self.patternColumns).from("booking_patterns").where("host_id", .equal, host)
            .orderBy("weekday").orderBy("start_minute").all().map(Self.pattern)
    }

    package func allPatterns() async throws -> [WeeklyPattern] {
        try await sql.select().columns(Self.patternColumns).from("booking_patterns").all().map(Self.pattern)
    }

    package func deletePattern(id: UUID, clearingFreeFromMs fromMs: Int64) async throws -> Bool {
        try await storage.writeSQL { sql in
            guard try await sql.select().column("id").from("booking_patterns").where("id", .equal, id).first() != nil else { return false }
            try await Self.clearFree(pattern: id, fromMs: fromMs, sql)
            try await sql.delete(from: "booking_patterns").where("id", .equal, id).run()
            return true
        }
    }

    // MARK: appointments

    private static let appointmentColumns = [
        "id", "scope_id", "host_id", "guest_id", "slot_id", "start_ms", "minutes", "place", "status", "sequence", "created_ms", "changed_ms",
    ]

    private static func appointment(_ row: any SQLRow) throws -> Appointment {
        Appointment(
            id: try row.decode(column: "id", as: UUID.self), scope: try row.decode(column: "scope_id", as: UUID.self),
            host: try row.decode(column: "host_id", as: UUID.self), guest: try row.decode(column: "guest_id", as: UUID.self),
            slot: try row.decode(column: "slot_id", as: UUID.self), startMs: try row.decode(column: "start_ms", as: Int64.self),
            minutes: try row.decode(column: "minutes", as: Int.self), place: try row.decode(column: "place", as: String.self),
            status: Appointment.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .cancelled,
            sequence: try row.decode(column: "sequence", as: Int.self), createdMs: try row.decode(column: "created_ms", as: Int64.self),
            changedMs: try row.decode(column: "changed_ms", as: Int64.self))
    }

    package func appointmentCounts(scopes: [UUID], ranges: [(start: Int64, end: Int64)]) async throws -> [AppointmentCount] {
        guard !scopes.isEmpty else { return [] }
        let rows = try await sql.rangeCounts(
            from: "booking_appointments", at: "start_ms", ranges: ranges, by: ["scope_id", "status"], where: "scope_id IN (\(binds: scopes))")
        return try rows.compactMap { row in
            guard let status = Appointment.Status(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
            return AppointmentCount(
                scope: try row.decode(column: "scope_id", as: UUID.self), range: try row.decode(column: "r", as: Int.self), status: status,
                count: try row.decode(column: "n", as: Int.self))
        }
    }

    /// Writes sampled slots and appointments in batches, leaving out a slot
    /// whose host already has one at that start (a person hosts one thing
    /// at a time: the demo's own times, or coaching's and digital support's
    /// samplers sharing a worker) and its appointments. Returns what it kept.
    @discardableResult
    package func addSampled(slots: [Slot], appointments: [Appointment]) async throws -> [Appointment] {
        try await storage.writeSQL { sql in
            var taken = Set<String>()
            let hosts = Array(Set(slots.map(\.host)))
            for first in stride(from: 0, to: hosts.count, by: 200) {
                let chunk = Array(hosts[first..<min(first + 200, hosts.count)])
                for row in try await sql.select().column("host_id").column("start_ms").from("booking_slots").where("host_id", .in, chunk).all() {
                    taken.insert("\(try row.decode(column: "host_id", as: UUID.self)) \(try row.decode(column: "start_ms", as: Int64.self))")
                }
            }
            let kept = slots.filter { !taken.contains("\($0.host) \($0.startMs)") }
            let keptIDs = Set(kept.map(\.id))
            let keptAppointments = appointments.filter { keptIDs.contains($0.slot) }
            let slotRows = kept.map { s in
                [
                    SQLBind(s.id), SQLBind(s.scope), SQLBind(s.host), SQLBind(s.startMs), SQLBind(s.minutes), SQLBind(s.place), SQLBind(s.pattern),
                    SQLBind(s.createdMs),
                ]
            }
            let appointmentRows = keptAppointments.map { a in
                [
                    SQLBind(a.id), SQLBind(a.scope), SQLBind(a.host), SQLBind(a.guest), SQLBind(a.slot), SQLBind(a.startMs), SQLBind(a.minutes),
                    SQLBind(a.place), SQLBind(a.status.rawValue), SQLBind(a.sequence), SQLBind(a.createdMs), SQLBind(a.changedMs),
                ]
            }
            try await sql.insertRows(into: "booking_slots", columns: Self.slotColumns, rows: slotRows)
            try await sql.insertRows(into: "booking_appointments", columns: Self.appointmentColumns, rows: appointmentRows)
            return keptAppointments
        }
    }

    private static func booked(slot: UUID, _ sql: any SQLDatabase) async throws -> Appointment? {
        try await sql.select().columns(appointmentColumns).from("booking_appointments").where("slot_id", .equal, slot)
            .where("status", .equal, Appointment.Status.booked.rawValue).first().map(appointment)
    }

    private static func appointment(id: UUID, _ sql: any SQLDatabase) async throws -> Appointment? {
        try await sql.select().columns(appointmentColumns).from("booking_appointments").where("id", .equal, id).first().map(appointment)
    }

    package func book(_ a: Appointment) async throws -> Appointment {
        let postgres = postgres
        return try await storage.writeSQL { sql in
            guard try await Self.lockedSlot(a.slot, sql, postgres: postgres) != nil else { throw BookingRefusal.slotNotFound }
            // The unique index on booked rows decides: a second booking of
            // the slot inserts nothing and returns no row.
            let inserted = try await sql.insert(into: "booking_appointments").columns(Self.appointmentColumns)
                .values(
                    SQLBind(a.id), SQLBind(a.scope), SQLBind(a.host), SQLBind(a.guest), SQLBind(a.slot), SQLBind(a.startMs),
                    SQLBind(a.minutes), SQLBind(a.place), SQLBind(a.status.rawValue), SQLBind(a.sequence), SQLBind(a.createdMs),
                    SQLBind(a.changedMs)
                )
                .ignoringConflicts()
                .returning("id")
                .all()
            guard !inserted.isEmpty else { throw BookingRefusal.taken }
            return a
        }
    }

    package func move(appointment id: UUID, to slot: Slot, changedMs: Int64) async throws -> Appointment {
        let postgres = postgres
        return try await storage.writeSQL { sql in
            guard let current = try await Self.appointment(id: id, sql) else { throw BookingRefusal.appointmentNotFound }
            guard current.status == .booked else { throw BookingRefusal.notBooked }
            guard let target = try await Self.lockedSlot(slot.id, sql, postgres: postgres) else { throw BookingRefusal.slotNotFound }
            if try await Self.booked(slot: target.id, sql) != nil { throw BookingRefusal.taken }
            // Conditional on the status read above: a cancel that committed
            // in between leaves nothing to move.
            let moved = try await sql.update("booking_appointments")
                .set("slot_id", to: target.id).set("start_ms", to: target.startMs).set("minutes", to: target.minutes)
                .set("place", to: target.place).set("sequence", to: current.sequence + 1).set("changed_ms", to: changedMs)
                .where("id", .equal, id).where("status", .equal, Appointment.Status.booked.rawValue)
                .where("sequence", .equal, current.sequence)
                .returning("id").all()
            guard !moved.isEmpty else { throw BookingRefusal.notBooked }
            var a = current
            (a.slot, a.startMs, a.minutes, a.place) = (target.id, target.startMs, target.minutes, target.place)
            (a.sequence, a.changedMs) = (current.sequence + 1, changedMs)
            return a
        }
    }

    package func setStatus(appointment id: UUID, to status: Appointment.Status, changedMs: Int64) async throws -> Appointment {
        try await storage.writeSQL { sql in
            guard let current = try await Self.appointment(id: id, sql) else { throw BookingRefusal.appointmentNotFound }
            guard current.status == .booked else { throw BookingRefusal.notBooked }
            let changed = try await sql.update("booking_appointments")
                .set("status", to: status.rawValue).set("sequence", to: current.sequence + 1).set("changed_ms", to: changedMs)
                .where("id", .equal, id).where("status", .equal, Appointment.Status.booked.rawValue)
                .where("sequence", .equal, current.sequence)
                .returning("id").all()
            guard !changed.isEmpty else { throw BookingRefusal.notBooked }
            var a = current
            (a.status, a.sequence, a.changedMs) = (status, current.sequence + 1, changedMs)
            return a
        }
    }

    package func appointment(id: UUID) async throws -> Appointment? { try await Self.appointment(id: id, sql) }

    package func booked(slot: UUID) async throws -> Appointment? { try await Self.booked(slot: slot, sql) }

    package func appointments(guest: UUID) async throws -> [Appointment] {
        try await sql.select().columns(Self.appointmentColumns).from("booking_appointments").where("guest_id", .equal, guest)
            .orderBy("start_ms", .descending).all().map(Self.appointment)
    }

    package func appointments(host: UUID, fromMs: Int64, toMs: Int64) async throws -> [Appointment] {
        try await sql.select().columns(Self.appointmentColumns).from("booking_appointments").where("host_id", .equal, host)
            .where("start_ms", .greaterThanOrEqual, fromMs).where("start_ms", .lessThan, toMs)
            .orderBy("start_ms").all().map(Self.appointment)
    }

    package func appointments(scope: UUID, fromMs: Int64, toMs: Int64) async throws -> [Appointment] {
        try await sql.select().columns(Self.appointmentColumns).from("booking_appointments").where("scope_id", .equal, scope)
            .where("start_ms", .greaterThanOrEqual, fromMs).where("start_ms", .lessThan, toMs)
            .orderBy("start_ms").all().map(Self.appointment)
    }

    package func deleteAppointments(guest: UUID) async throws -> Int {
        try await storage.writeSQL { sql in
            let gone = try await sql.delete(from: "booking_appointments").where("guest_id", .equal, guest).returning("id").all()
            return gone.count
        }
    }
}
