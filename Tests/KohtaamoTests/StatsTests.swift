import Foundation
import HummingbirdTesting
import SQLKit
import Testing

@testable import Chat
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Stats

/// The statistics: the chat's figures counted right (a hand-made set with
/// exact answers, and a generated one held against its writer), the
/// suppression that keeps clients from being told apart, the CSV and the
/// JSON, and who may see what.
@Suite struct StatsTests {
    /// Two weeks of March 2025, before anything the demo writes.
    static let twoWeeks = "length=week&from=2025-03-03&until=2025-03-16"

    static func ms(_ day: String, _ minute: Int) -> Int64 { HelsinkiDay(day)!.ms(minute: minute) }

    /// One chat straight into the tables (as the chat would leave it).
    static func chat(
        _ app: Kohtaamo, service: UUID, client: UUID, arrive: Int64, wait: Int64?, handling: Int64?, topics: [String] = [],
        nickname: String = ""
    ) async throws {
        let id = UUID()
        let taken = wait.map { arrive + $0 * 1000 }
        let closed = taken.map { t in handling.map { t + $0 * 1000 } ?? t } ?? arrive + 60_000
        let status = taken == nil ? "deleted" : handling == nil ? "active" : "closed"
        try await app.storage.writeSQL { sql in
            try await sql.insert(into: "conversations").columns("id", "kind", "last_seq", "open", "created_ms")
                .values(SQLBind(id), SQLBind("support_chat"), SQLBind(Int64(0)), SQLBind(false), SQLBind(arrive)).run()
            try await sql.insert(into: "support_chats")
                .columns(
                    "conversation_id", "service_id", "client_id", "nickname", "status", "waiting_since_ms", "taken_ms", "closed_ms", "topics",
                    "feedback_given"
                )
                .values(
                    SQLBind(id), SQLBind(service), SQLBind(client), SQLBind(nickname), SQLBind(status), SQLBind(arrive), SQLBind(taken),
                    SQLBind(status == "active" ? nil : closed), SQLBind(topics.joined(separator: ",")), SQLBind(false)
                ).run()
        }
    }

    static func answer(_ app: Kohtaamo, service: UUID, score: Int, day: String, comment: String = "") async throws {
        try await app.storage.writeSQL { sql in
            try await sql.insert(into: "chat_feedback").columns("id", "service_id", "score", "comment", "day")
                .values(SQLBind(UUID()), SQLBind(service), SQLBind(score), SQLBind(comment), SQLBind(day)).run()
        }
    }

    /// The demo's support chat, its owner and its topic ids.
    static func tukichat(_ app: Kohtaamo) async throws -> (service: UUID, organisation: UUID, topics: [ChatTopic]) {
        let info = try #require(try await app.network.directory.service(slug: "tukichat"))
        return (info.id, info.organisations[0], try await app.chat.service.toolkit.topics(service: info.id))
    }

    /// Week 1: six chats of five clients (A twice), waits 1–5 and 10 min,
    /// talks 5–30 min; week 2: five chats, A again and four new, one left
    /// before anyone took it. "Did this help?" 5, 4, 4, 5, 3 in week 1, one 2 in week 2.
    static func handMade(_ app: Kohtaamo) async throws -> (service: UUID, organisation: UUID, topics: [ChatTopic]) {
        let t = try await Self.tukichat(app)
        // March 2025 is past the default 90 days: kept, or retention would forget the clients.
        try await app.chat.service.setRetentionDays(service: t.service, 3650)
        let clients = (0..<9).map { _ in UUID() }
        let (a, b) = (t.topics[0].id.uuidString.lowercased(), t.topics[1].id.uuidString.lowercased())
        let week1: [(Int, Int64, Int64, [String])] = [
            (0, 60, 300, [a]), (0, 120, 600, [a, b]), (1, 180, 900, [a]), (2, 240, 1200, [a]), (3, 300, 1500, [a]), (4, 600, 1800, [b]),
        ]
        for (i, (c, wait, handling, topics)) in week1.enumerated() {
            try await chat(
                app, service: t.service, client: clients[c], arrive: ms("2025-03-0\(3 + i)", 10 * 60), wait: wait, handling: handling, topics: topics,
                nickname: "Salainen\(i)")
        }
        for (i, c) in [0, 5, 6, 7].enumerated() {
            try await chat(app, service: t.service, client: clients[c], arrive: ms("2025-03-1\(i)", 12 * 60), wait: 30, handling: 120, topics: [a])
        }
        try await chat(app, service: t.service, client: clients[8], arrive: ms("2025-03-14", 12 * 60), wait: nil, handling: nil)
        for (i, score) in [5, 4, 4, 5, 3].enumerated() {
            try await answer(app, service: t.service, score: score, day: "2025-03-0\(3 + i)", comment: "Kiitos Salainen")
        }
        try await answer(app, service: t.service, score: 2, day: "2025-03-12")
        return t
    }

    @Test func theChatsFiguresAreCountedExactly() async throws {
        try await withApp { app, _ in
            let t = try await Self.handMade(app)
            let query = FigureQuery(
                organisations: [t.organisation], from: HelsinkiDay("2025-03-03")!, until: HelsinkiDay("2025-03-16")!, length: .week)
            #expect(query.periods.count == 2)
            let source = ChatFigures(storage: app.storage, services: app.network.directory)
            let figures = FigureRollup.figures(try await source.leaves(query), measures: source.measures)
            func value(_ m: String, part: String? = nil, _ period: Int?) -> Double? {
                figures.first { $0.measure == m && $0.part == part && $0.organisation == t.organisation && $0.service == nil && $0.period == period }?
                    .value
            }
            #expect(value("chat.contacts", 0) == 6 && value("chat.contacts", 1) == 5 && value("chat.contacts", nil) == 11)
            // A came in both weeks: five and five different clients, nine in the two weeks.
            #expect(value("chat.clients", 0) == 5 && value("chat.clients", 1) == 5 && value("chat.clients", nil) == 9)
            // Nearest rank: of six waits the 3rd (p50) and the 6th (p90).
            #expect(value("chat.wait_p50", 0) == 180 && value("chat.wait_p90", 0) == 600)
            #expect(value("chat.handling_p50", 0) == 900 && value("chat.handling_p90", 0) == 1800)
            // All ten taken: waits 30,30,30,30,60,120,180,240,300,600 → 5th and 9th.
            #expect(value("chat.wait_p50", nil) == 60 && value("chat.wait_p90", nil) == 300)
            #expect(value("chat.unanswered", 0) == nil && value("chat.unanswered", 1) == 1)
            #expect(value("chat.topics", part: t.topics[0].id.uuidString.lowercased(), nil) == 9)
            #expect(value("chat.topics", part: t.topics[1].id.uuidString.lowercased(), nil) == 2)
            #expect(value("chat.score", 0) == 4.2 && value("chat.scores", part: "4", 0) == 2 && value("chat.scores", part: "2", 1) == 1)
        }
    }

    @Test func thePageShowsFiguresSuppressedAndNothingPersonal() async throws {
        try await withApp { app, client in
            let t = try await Self.handMade(app)
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let page = try await coordinator.get("/stats?\(Self.twoWeeks)")
            #expect(page.status == .ok)
            let html = page.text
            #expect(!html.contains("Salainen") && !html.contains("Kiitos"))
            #expect(html.contains("A count from 1 to 4 is shown as “&lt; 5”") || html.contains("A count from 1 to 4 is shown as"))
            #expect(html.contains(#"role="img""#) && html.contains("<caption"))
            #expect(html.contains(t.topics[0].labels.en))
            // Group attendance is a lower bound, said under the groups' heading.
            #expect(
                html.contains(
                    "<h2 id=\"stats-groups\">Groups</h2>\n<p class=\"small\">Attendance of scheduled times is at least this. "
                        + "A member is counted when they write in the group during the scheduled time. Someone who only reads is not counted.</p>"))
            // JSON: the periods table's contacts row: 6, 5, total 11; different clients 5, 5, 9.
            let json = try await coordinator.get("/api/stats?\(Self.twoWeeks)")
            #expect(json.status == .ok)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
            let sections = try #require(body["sections"] as? [[String: Any]])
            let tables = try #require(sections.first?["tables"] as? [[String: Any]])
            func row(_ table: String, _ key: String) -> [(Double?, String)] {
                let t = tables.first { $0["id"] as? String == table }
                let r = (t?["rows"] as? [[String: Any]])?.first { $0["key"] as? String == key }
                return ((r?["cells"] as? [[String: Any]]) ?? []).map { ($0["value"] as? Double, $0["status"] as? String ?? "") }
            }
            #expect(row("chat-periods", "chat.contacts").map(\.0) == [6, 5, 11])
            #expect(row("chat-periods", "chat.clients").map(\.0) == [5, 5, 9])
            // One unanswered chat: "< 5", and so is the total.
            #expect(row("chat-periods", "chat.unanswered").map(\.1) == ["shown", "fewer_than_five", "fewer_than_five"])
            // Week 2 has four waits: hidden; week 1 six: shown.
            #expect(row("chat-periods", "chat.wait_p50").map(\.1) == ["shown", "hidden", "shown"])
            // Week 2's mean rests on one answer (hidden); week 1's five answers hold counts under 5, so its mean hides too.
            #expect(row("chat-periods", "chat.score").map(\.1) == ["hidden", "hidden", "hidden"])
            // Topics: the first 5 | 4 | 9, the second 2 | 0 | 2, the total 7 | 4 | 11. The 4 takes the 5 with it
            // (its row), the 2 of the total column takes the 9, the total row's 4 takes the 7.
            let first = row("chat-topics", t.topics[0].id.uuidString.lowercased())
            #expect(first.map(\.1) == ["hidden", "fewer_than_five", "hidden"] && first.allSatisfy { $0.0 == nil })
            #expect(row("chat-topics", t.topics[1].id.uuidString.lowercased()).map(\.1) == ["fewer_than_five", "shown", "fewer_than_five"])
            #expect(row("chat-topics", "total").map(\.1) == ["hidden", "fewer_than_five", "shown"])
            #expect(row("chat-topics", "total").last?.0 == 11)
            // No count or count of people from 1 to 4 is shown anywhere (times and means are other numbers).
            for table in tables {
                for r in (table["rows"] as? [[String: Any]]) ?? [] {
                    let key = r["key"] as? String ?? ""
                    guard !key.hasPrefix("chat.wait") && !key.hasPrefix("chat.handling") && key != "chat.score" else { continue }
                    let columns = (table["columns"] as? [[String: Any]])?.map { $0["key"] as? String ?? "" } ?? []
                    for (c, cell) in ((r["cells"] as? [[String: Any]]) ?? []).enumerated() {
                        guard let v = cell["value"] as? Double,
                            !(c < columns.count
                                && (columns[c].hasPrefix("chat.wait") || columns[c].hasPrefix("chat.handling") || columns[c] == "chat.score"))
                        else { continue }
                        #expect(!(v >= 1 && v <= 4), "\(table["id"] ?? "") \(key) \(c)")
                    }
                }
            }
        }
    }

    @Test func theCSVIsTheSameTableWithISODays() async throws {
        try await withApp { app, client in
            _ = try await Self.handMade(app)
            let coordinator = Browser(client, language: "fi")
            try await coordinator.signIn("coordinator@demo.invalid")
            let r = try await coordinator.get("/stats/chat-periods.csv?\(Self.twoWeeks)")
            #expect(r.status == .ok && r.headers[.contentType] == "text/csv; charset=utf-8")
            let csv = try CSVTable(r.text)
            #expect(csv.rows[0].fields == ["measure", "2025-03-03", "2025-03-10", "total"])
            let rows = Dictionary(csv.rows.dropFirst().map { ($0.fields[0], Array($0.fields.dropFirst())) }, uniquingKeysWith: { a, _ in a })
            #expect(rows["chat.contacts"] == ["6", "5", "11"])
            #expect(rows["chat.unanswered"] == ["0", "< 5", "< 5"])
            #expect(rows["chat.wait_p50"] == ["180", "hidden", "60"])
            #expect(!r.text.contains("Salainen"))
            let units = try CSVTable(try await coordinator.get("/stats/chat-units.csv?\(Self.twoWeeks)").text)
            #expect(units.rows[0].fields.first == "service" && units.rows.map { $0.fields[0] } == ["service", "Tukichat", "total"])
            #expect(try await coordinator.get("/stats/nothing.csv?\(Self.twoWeeks)").status == .notFound)
        }
    }

    /// Rows and columns: a single "< 5" in a row takes the smallest other
    /// part with it; a column the same; a cell hidden in one table is hidden
    /// wherever its figure stands.
    @Test func aHiddenFigureCannotBeComputedBack() {
        func key(_ m: String, _ s: Int?, _ p: Int?) -> FigureKey {
            FigureKey(
                measure: m, organisation: nil, service: s.map { UUID(uuid: (UInt8($0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) }, period: p)
        }
        func table(_ grid: [[Double]]) -> StatsTable {
            // Rows are services 0…n-1 then the total (service nil); columns periods then the total (period nil).
            let rows = grid.enumerated().map { (r, values) in
                StatsRow(
                    key: "\(r)", label: "\(r)", isTotal: r == grid.count - 1,
                    cells: values.enumerated().map { (c, v) in
                        StatsCell(
                            key: key("m", r == grid.count - 1 ? nil : r, c == values.count - 1 ? nil : c), kind: .count, value: v,
                            observations: Int(v))
                    })
            }
            let n = grid[0].count
            var sums = rows.map { StatsSum(parts: Array($0.cells.dropLast().map(\.key)), total: $0.cells.last!.key) }
            sums += (0..<n).map { c in StatsSum(parts: rows.dropLast().map { $0.cells[c].key }, total: rows.last!.cells[c].key) }
            return StatsTable(id: "t", caption: "", rowKind: "service", rowHeader: "", columns: [], rows: rows, sums: sums)
        }
        func shown(_ t: StatsTable) -> [[String]] {
            t.rows.map { $0.cells.map { $0.shown == .shown ? String(Int($0.value)) : $0.shown == .fewerThanFive ? "<5" : "x" } }
        }
        // A row: 3 | 10 | 12 = 25, and a total row that repeats it.
        var tables = [table([[3, 10, 12, 25], [3, 10, 12, 25]])]
        StatsSuppression.apply(&tables)
        #expect(shown(tables[0]) == [["<5", "x", "12", "25"], ["<5", "x", "12", "25"]])
        // Columns: services 7, 2, 9 (total 18) in one period.
        tables = [table([[7, 7], [2, 2], [9, 9], [18, 18]])]
        StatsSuppression.apply(&tables)
        #expect(shown(tables[0]) == [["x", "x"], ["<5", "<5"], ["9", "9"], ["18", "18"]])
        // Both ways at once: the second hidden cell of a row makes its column need one more.
        tables = [table([[2, 20, 30, 52], [8, 6, 40, 54], [10, 26, 70, 106]])]
        StatsSuppression.apply(&tables)
        let grid = shown(tables[0])
        #expect(grid[0][0] == "<5")
        let hiddenIn = { (cells: [String]) -> Int in cells.filter { $0 == "x" || $0 == "<5" }.count }
        for r in grid { #expect(hiddenIn(r) != 1) }
        for c in 0..<4 {
            let column: [String] = grid.map { $0[c] }
            #expect(hiddenIn(column) != 1)
        }
        // The only part: the total hides with it.
        tables = [table([[3, 3], [3, 3]])]
        StatsSuppression.apply(&tables)
        #expect(shown(tables[0]).joined().allSatisfy { $0 == "<5" })
        // A percentile of four samples hides; of five shows.
        #expect(StatsSuppression.primary(StatsCell(key: key("p", nil, nil), kind: .percentile(50), value: 60, observations: 4)) == .hidden)
        #expect(StatsSuppression.primary(StatsCell(key: key("p", nil, nil), kind: .percentile(50), value: 60, observations: 5)) == .shown)
        #expect(StatsSuppression.primary(StatsCell(key: key("d", nil, nil), kind: .distinct, value: 4, observations: 4)) == .fewerThanFive)
        #expect(StatsSuppression.primary(StatsCell(key: key("d", nil, nil), kind: .count, value: 0, observations: 0)) == .shown)
    }

    /// The sampler writes a half year with a fixed seed; the source reads it
    /// back and both roll up to the same figures, cell by cell.
    /// Percentiles are selected, not sorted: the same value as the sorted
    /// list's nearest rank, for lists with runs of equal values too.
    @Test func aSelectedPercentileIsTheSortedOnesNearestRank() {
        var random = SplitMix64(seed: 7)
        var wrong: [String] = []
        for n in [1, 2, 3, 5, 10, 99, 1000, 4097] {
            for spread in [3, 1_000_000] {
                let values = (0..<n).map { _ in Double(random.next() % UInt64(spread)) }
                let sorted = values.sorted()
                for p in [1, 50, 90, 99, 100] {
                    var scratch = values
                    let rank = min(max(Int((Double(p) / 100 * Double(n)).rounded(.up)), 1), n)
                    if FigureRollup.percentile(&scratch, p) != sorted[rank - 1] { wrong.append("n \(n) spread \(spread) p\(p)") }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
    }

    /// The ids the database gathers into one text read back exactly, in
    /// either case, and an item that is not an id is left out.
    @Test func gatheredIDsReadBackExactly() {
        let a = UUID(), b = UUID()
        let ids = FigureID.list("\(a.uuidString),\(b.uuidString.lowercased()),not-an-id,,\(a.uuidString.lowercased())")
        #expect(ids.map(\.text) == [a, b, a].map { $0.uuidString.lowercased() })
        #expect(FigureID.list(nil).isEmpty && FigureID.list("12345").isEmpty)
        var subjects = FigureSubjects()
        #expect(subjects.number(ids[0]) == subjects.number(ids[2]) && subjects.number(ids[0]) != subjects.number(ids[1]))
    }

    @Test func theSourceCountsWhatTheSamplerWrote() async throws {
        try await withApp { app, _ in
            let t = try await Self.tukichat(app)
            try await app.chat.service.setRetentionDays(service: t.service, 3650)
            let query = FigureQuery(
                organisations: [t.organisation], from: HelsinkiDay("2025-01-06")!, until: HelsinkiDay("2025-06-29")!, length: .month)
            let plan = FigurePlan(query: query, perDay: 4, seed: 42, nowMs: app.clock.nowMs)
            let written = try await ChatFigureSampler(storage: app.storage, toolkit: app.chat.service.toolkit).sample(plan)
            #expect(written.count > 1000)
            let source = ChatFigures(storage: app.storage, services: app.network.directory)
            let read = try await source.leaves(query)
            func cells(_ leaves: [FigureLeaf]) -> [String: String] {
                Dictionary(
                    FigureRollup.figures(leaves, measures: source.measures).map {
                        (
                            "\($0.measure) \($0.part ?? "") \($0.organisation?.uuidString ?? "") \($0.service?.uuidString ?? "") \($0.period ?? -1)",
                            String(format: "%.6f/%d", $0.value, $0.observations)
                        )
                    }, uniquingKeysWith: { a, _ in a })
            }
            let (a, b) = (cells(written), cells(read))
            #expect(a.count > 100 && a == b)
            #expect(b.keys.contains { $0.hasPrefix("chat.unanswered") } && b.keys.contains { $0.hasPrefix("chat.topics") })
        }
    }

    @Test func onlyCoordinatorsSeeAndOnlyTheirOwn() async throws {
        try await withApp { app, client in
            let t = try await Self.handMade(app)
            for email in ["worker1@demo.invalid", "volunteer1@demo.invalid"] {
                let b = Browser(client, language: "en")
                try await b.signIn(email)
                #expect(try await b.get("/stats").status == .forbidden, "\(email)")
                #expect(try await b.get("/api/stats").status == .forbidden, "\(email)")
                #expect(try await b.get("/stats/chat-periods.csv").status == .forbidden, "\(email)")
            }
            let anonymous = Browser(client)
            #expect(try await anonymous.get("/api/stats").status == .unauthorized)
            #expect(try await anonymous.get("/stats").status == .seeOther)
            let organisations = try await app.network.directory.organisations(
                network: try #require(try await app.network.repository.organisation(id: t.organisation)).networkID, language: .fi)
            let other = try #require(organisations.first { $0.id != t.organisation }).id
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(errorCode(try await coordinator.get("/api/stats?organisation=\(other.uuidString)")) == "stats_organisation_not_found")
            #expect(try await coordinator.get("/api/stats?organisation=\(t.organisation.uuidString)").status == .ok)
            let network = Browser(client, language: "en")
            try await network.signIn("network@demo.invalid")
            // The network: a row per organisation; one organisation: a row per service.
            let whole = try await network.get("/stats/chat-units.csv?\(Self.twoWeeks)")
            let names = try CSVTable(whole.text).rows.map { $0.fields[0] }
            #expect(names.first == "organisation" && names.last == "total", "\(names)")
            #expect(
                names.contains("Aalto association") && names.contains("Lähde association")
                    && names == names.prefix(1) + names.dropFirst().dropLast().sorted() + ["total"])
            let one = try await network.get("/stats/chat-units.csv?\(Self.twoWeeks)&organisation=\(t.organisation.uuidString)")
            #expect(try CSVTable(one.text).rows.map { $0.fields[0] } == ["service", "Support chat", "total"])
            #expect(errorCode(try await network.get("/api/stats?organisation=\(UUID().uuidString)")) == "stats_organisation_not_found")
            for (query, code) in [
                ("length=year", "stats_bad_length"), ("from=2025-13-01", "stats_bad_day"), ("from=2020-01-01&until=2025-01-01", "stats_bad_range"),
                ("from=2025-02-01&until=2025-01-01", "stats_bad_range"), ("organisation=x", "stats_organisation_not_found"),
            ] {
                #expect(errorCode(try await coordinator.get("/api/stats?\(query)")) == code, "\(query)")
            }
            #expect(try await coordinator.get("/stats?length=year").status == .badRequest)
        }
    }
}
