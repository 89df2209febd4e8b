import Foundation
import KohtaamoBase

/// Which figure a cell shows: the same figure may stand in several tables
/// (a measure's total over the range is both the periods table's last
/// column and the units table's total row), and is hidden in all or none.
package struct FigureKey: Hashable, Sendable {
    package var measure: String
    package var part: String?
    package var organisation: UUID?
    package var service: UUID?
    package var period: Int?
}

/// How a cell is shown: its figure, "< 5", or not at all ("–").
package enum StatsShown: String, Sendable, Codable {
    case shown
    case fewerThanFive = "fewer_than_five"
    case hidden
}

package struct StatsCell: Sendable {
    package var key: FigureKey
    package var kind: FigureKind
    /// The count, mean or percentile (0 when nothing was counted).
    package var value: Double
    package var observations: Int
    package var shown: StatsShown = .shown
}

/// A column: a period (its first and last day) or the total of them all.
package struct StatsColumn: Sendable {
    /// The CSV's header and the JSON's key: the period's first day (ISO), a measure's key, or `total`.
    package var key: String
    package var label: String
    package var first: HelsinkiDay?
    package var last: HelsinkiDay?
}

package struct StatsRow: Sendable {
    /// A measure's key, a part's key, a unit's id, or `total`.
    package var key: String
    package var label: String
    package var isTotal: Bool
    package var cells: [StatsCell]
}

/// A total shown beside its parts: what secondary hiding looks at.
package struct StatsSum: Sendable {
    package var parts: [FigureKey]
    package var total: FigureKey
}

/// One table of a section; the page, the CSV and the JSON show the same.
package struct StatsTable: Sendable {
    /// `<section>-periods`, `<section>-units`, `<section>-<measure>` (a measure with parts).
    package var id: String
    package var caption: String
    /// What the rows are (`measure`, `service`, `organisation`, `part`) and its text.
    package var rowKind: String
    package var rowHeader: String
    package var columns: [StatsColumn]
    package var rows: [StatsRow]
    package var sums: [StatsSum]
}

/// The privacy core. A count or a count of different people from 1 to 4
/// is "< 5"; a mean or a percentile of fewer than 5 samples is hidden.
/// Then, wherever a total stands beside its parts (a row's total over the
/// periods, a column's total over services, organisations or parts) and
/// exactly one of them is hidden, it could be computed back (the total
/// minus the others): one more is hidden, the smallest visible part above
/// zero, else the total, until no sum has exactly one hidden. Counts of
/// different people are not sums (one client in two weeks is one client
/// in the month), yet a total still bounds a hidden part from below, so
/// they are protected the same way. A figure hidden in one table is hidden
/// in every table that shows it.
package enum StatsSuppression {
    package static let threshold = 5

    package static func primary(_ cell: StatsCell) -> StatsShown {
        switch cell.kind {
        case .count, .distinct: cell.value >= 1 && cell.value < Double(threshold) ? .fewerThanFive : .shown
        case .mean, .percentile: cell.observations < threshold ? .hidden : .shown
        }
    }

    /// Marks every cell of `tables`; `restsOn` names, for a mean, the
    /// counts with parts it is taken over (`FigureMeasure.restsOn`).
    package static func apply(_ tables: inout [StatsTable], restsOn: [String: String] = [:]) {
        var hidden: Set<FigureKey> = []
        var values: [FigureKey: Double] = [:]
        var fewer: Set<FigureKey> = []
        for table in tables {
            for row in table.rows {
                for cell in row.cells {
                    values[cell.key] = cell.value
                    switch primary(cell) {
                    case .shown: break
                    case .fewerThanFive:
                        fewer.insert(cell.key)
                        hidden.insert(cell.key)
                    case .hidden: hidden.insert(cell.key)
                    }
                }
            }
        }
        let sums = tables.flatMap(\.sums)
        var changed = true
        while changed {
            changed = false
            for sum in sums {
                let all = sum.parts + [sum.total]
                let hiddenHere = all.filter { hidden.contains($0) }
                guard hiddenHere.count == 1 else { continue }
                let others = sum.parts.filter { !hidden.contains($0) && (values[$0] ?? 0) > 0 }
                // The smallest, and of equals the first: the same choice every time.
                let smallest = others.enumerated().min { ($0.element.value(values), $0.offset) < ($1.element.value(values), $1.offset) }?.element
                let next = hiddenHere[0] == sum.total ? smallest : (smallest ?? sum.total)
                if let next, hidden.insert(next).inserted { changed = true }
            }
        }
        // A mean hides where a count it rests on hides (same place, same period).
        for (mean, counts) in restsOn {
            for table in tables {
                for row in table.rows {
                    for cell in row.cells where cell.key.measure == mean {
                        let k = cell.key
                        if hidden.contains(where: {
                            $0.measure == counts && $0.organisation == k.organisation && $0.service == k.service && $0.period == k.period
                        }) {
                            hidden.insert(k)
                        }
                    }
                }
            }
        }
        for t in tables.indices {
            for r in tables[t].rows.indices {
                for c in tables[t].rows[r].cells.indices {
                    let key = tables[t].rows[r].cells[c].key
                    tables[t].rows[r].cells[c].shown = fewer.contains(key) ? .fewerThanFive : hidden.contains(key) ? .hidden : .shown
                }
            }
        }
    }
}

extension FigureKey {
    func value(_ values: [FigureKey: Double]) -> Double { values[self] ?? 0 }
}
