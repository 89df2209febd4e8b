import Foundation
import KohtaamoBase

/// Whose figures a page shows, and what its rows stand for.
package struct StatsScope: Sendable {
    package enum Units: Sendable, Equatable {
        /// One organisation: a row per service (and its own work, if any).
        case services(organisation: UUID)
        /// A network: a row per organisation.
        case organisations
    }
    package var organisations: [UUID]
    package var units: Units
    /// Each unit's name in the reader's language (services or organisations).
    package var names: [UUID: String]
}

/// One section of the page (`stats_section_<name>`): its tables, the chart
/// of its first measure, all suppressed.
package struct StatsSection: Sendable {
    package var name: String
    package var title: String
    package var tables: [StatsTable]
}

/// From sources to suppressed tables: the one model the page, the CSV and
/// the JSON render.
package struct StatsReport: Sendable {
    package var query: FigureQuery
    package var length: FigurePeriodLength
    package var sections: [StatsSection]

    package static func make(
        sources: [any FigureSource], query: FigureQuery, length: FigurePeriodLength, scope: StatsScope, language: Language,
        text: @escaping (String) -> String
    ) async throws -> StatsReport {
        var sections: [StatsSection] = []
        for source in sources {
            var leaves = try await source.leaves(query)
            // An organisation's own work (not a service's) is a row of its own in a per-service table;
            // a network's tables show no service, so its cells are not made at all.
            for i in leaves.indices {
                leaves[i].service = scope.units == .organisations ? nil : leaves[i].service ?? leaves[i].organisation
            }
            let figures = FigureRollup.figures(leaves, measures: source.measures)
            var tables = try await Self.tables(
                source: source, figures: figures, query: query, length: length, scope: scope, language: language, text: text)
            let rests = Dictionary(source.measures.compactMap { m in m.restsOn.map { (m.key, $0) } }, uniquingKeysWith: { a, _ in a })
            StatsSuppression.apply(&tables, restsOn: rests)
            sections.append(StatsSection(name: source.section, title: text("stats_section_\(source.section)"), tables: tables))
        }
        return StatsReport(query: query, length: length, sections: sections)
    }

    static func tables(
        source: any FigureSource, figures: [Figure], query: FigureQuery, length: FigurePeriodLength, scope: StatsScope, language: Language,
        text: @escaping (String) -> String
    ) async throws -> [StatsTable] {
        var index: [FigureKey: Figure] = [:]
        for f in figures {
            index[FigureKey(measure: f.measure, part: f.part, organisation: f.organisation, service: f.service, period: f.period)] = f
        }
        let kinds = Dictionary(source.measures.map { ($0.key, $0.kind) }, uniquingKeysWith: { a, _ in a })
        func cell(_ key: FigureKey) -> StatsCell {
            let f = index[key]
            return StatsCell(key: key, kind: kinds[key.measure] ?? .count, value: f?.value ?? 0, observations: f?.observations ?? 0)
        }
        // The whole scope: one organisation, or every organisation of the query.
        let whole: (organisation: UUID?, service: UUID?)
        switch scope.units {
        case .services(let organisation): whole = (organisation, nil)
        case .organisations: whole = (nil, nil)
        }
        let periodColumns = query.periods.enumerated().map { (i, p) in
            StatsColumn(key: p.first.description, label: StatsText.period(p, length, language), first: p.first, last: p.last)
        }
        let totalColumn = StatsColumn(key: "total", label: text("stats_total"), first: query.periods.first?.first, last: query.periods.last?.last)
        let plain = source.measures.filter { !$0.hasParts }
        let additive = { (kind: FigureKind) in kind == .count || kind == .distinct }
        let section = source.section
        let scopeText = text(scope.units == .organisations ? "stats_scope_network" : "stats_scope_organisation")
        let lengthText = text("stats_per_\(length.rawValue)")

        // 1. The measures over the periods, for the whole scope.
        var tables: [StatsTable] = []
        var rows: [StatsRow] = []
        var sums: [StatsSum] = []
        for m in plain {
            let keys = (query.periods.indices.map { Optional($0) } + [nil]).map {
                FigureKey(measure: m.key, organisation: whole.organisation, service: whole.service, period: $0)
            }
            rows.append(StatsRow(key: m.key, label: StatsText.measure(m.key, text), isTotal: false, cells: keys.map(cell)))
            if additive(m.kind) { sums.append(StatsSum(parts: Array(keys.dropLast()), total: keys.last!)) }
        }
        tables.append(
            StatsTable(
                id: "\(section)-periods", caption: "\(text("stats_section_\(section)")): \(lengthText), \(scopeText)", rowKind: "measure",
                rowHeader: text("stats_measure"), columns: periodColumns + [totalColumn], rows: rows, sums: sums))

        // 2. Per service or organisation, over the whole range.
        let units: [(id: UUID, key: (UUID?, UUID?))]
        switch scope.units {
        case .services(let organisation):
            let seen = Set(figures.compactMap { $0.organisation == organisation ? $0.service : nil })
            units = seen.map { ($0, (organisation, $0)) }
        case .organisations:
            units = scope.organisations.map { ($0, ($0, nil)) }
        }
        let unitName = { (id: UUID) -> String in scope.names[id] ?? text("stats_own_work") }
        let sortedUnits = units.sorted { (unitName($0.id), $0.id.uuidString) < (unitName($1.id), $1.id.uuidString) }
        rows = sortedUnits.map { u in
            StatsRow(
                key: u.id.uuidString.lowercased(), label: unitName(u.id), isTotal: false,
                cells: plain.map { cell(FigureKey(measure: $0.key, organisation: u.key.0, service: u.key.1, period: nil)) })
        }
        rows.append(
            StatsRow(
                key: "total", label: text("stats_total"), isTotal: true,
                cells: plain.map { cell(FigureKey(measure: $0.key, organisation: whole.organisation, service: whole.service, period: nil)) }))
        sums = plain.enumerated().filter { additive($0.element.kind) }.map { (c, _) in
            StatsSum(parts: rows.dropLast().map { $0.cells[c].key }, total: rows.last!.cells[c].key)
        }
        let unitKind = scope.units == .organisations ? "organisation" : "service"
        tables.append(
            StatsTable(
                id: "\(section)-units",
                caption: "\(text("stats_section_\(section)")): \(text("stats_per_\(unitKind)")), \(text("stats_whole_range"))",
                rowKind: unitKind, rowHeader: text("stats_\(unitKind)"),
                columns: plain.map { StatsColumn(key: $0.key, label: StatsText.measure($0.key, text)) }, rows: rows, sums: sums))

        // 3. Each measure with parts: a row a part, over the periods, with totals both ways.
        for m in source.measures where m.hasParts {
            let parts = Set(figures.compactMap { $0.measure == m.key ? $0.part : nil })
            let names = try await source.partNames(measure: m.key, parts: Array(parts), language: language)
            let sortedParts = parts.sorted { (names[$0] ?? $0, $0) < (names[$1] ?? $1, $1) }
            let columns = query.periods.indices.map { Optional($0) } + [nil]
            rows = sortedParts.map { part in
                StatsRow(
                    key: part, label: names[part] ?? part, isTotal: false,
                    cells: columns.map {
                        cell(FigureKey(measure: m.key, part: part, organisation: whole.organisation, service: whole.service, period: $0))
                    })
            }
            // The total of the parts is the sum of the part cells (a chat with two topics counts in both).
            var totalCells = columns.map {
                cell(FigureKey(measure: m.key, part: "", organisation: whole.organisation, service: whole.service, period: $0))
            }
            for c in columns.indices {
                totalCells[c].value = rows.reduce(0) { $0 + $1.cells[c].value }
                totalCells[c].observations = Int(totalCells[c].value)
            }
            rows.append(StatsRow(key: "total", label: text("stats_total"), isTotal: true, cells: totalCells))
            sums = rows.map { StatsSum(parts: Array($0.cells.dropLast().map(\.key)), total: $0.cells.last!.key) }
            sums += columns.indices.map { c in StatsSum(parts: rows.dropLast().map { $0.cells[c].key }, total: rows.last!.cells[c].key) }
            tables.append(
                StatsTable(
                    id: "\(section)-\(m.key.split(separator: ".").last ?? "")",
                    caption: "\(StatsText.measure(m.key, text)): \(lengthText), \(scopeText)", rowKind: "part",
                    rowHeader: StatsText.measure(m.key, text),
                    columns: periodColumns + [totalColumn], rows: rows, sums: sums))
        }
        return tables
    }
}
