import Foundation
import KohtaamoBase

/// Figures as the page, the CSV and the JSON write them.
package enum StatsText {
    /// `chat.wait_p50` → the text `stats_measure_chat_wait_p50`.
    package static func measure(_ key: String, _ text: (String) -> String) -> String {
        text("stats_measure_" + key.replacingOccurrences(of: ".", with: "_"))
    }

    /// A week by its first day ("30.11.2026"), a month as "11/2026"; English as ISO days.
    package static func period(_ p: FigurePeriod, _ length: FigurePeriodLength, _ language: Language) -> String {
        switch length {
        case .week: language == .en ? p.first.description : "\(p.first.day).\(p.first.month).\(p.first.year)"
        case .month: language == .en ? String(p.first.description.prefix(7)) : "\(p.first.month)/\(p.first.year)"
        }
    }

    /// The page's text of a cell: "< 5", "–" when hidden; times in minutes.
    package static func page(_ cell: StatsCell, _ language: Language) -> String {
        switch cell.shown {
        case .fewerThanFive: return "< 5"
        case .hidden: return "–"
        case .shown:
            let text: String
            switch cell.kind {
            case .count, .distinct: return String(Int(cell.value))
            case .mean: text = String(format: "%.1f", cell.value)
            case .percentile: text = String(format: "%.1f min", cell.value / 60)
            }
            return language == .en ? text : text.replacingOccurrences(of: ".", with: ",")
        }
    }

    /// The CSV's and the JSON's number: counts whole, means to one decimal, times in whole seconds.
    package static func number(_ cell: StatsCell) -> Double? {
        guard cell.shown == .shown else { return nil }
        switch cell.kind {
        case .count, .distinct, .percentile: return cell.value.rounded()
        case .mean: return (cell.value * 10).rounded() / 10
        }
    }

    package static func csv(_ cell: StatsCell) -> String {
        switch cell.shown {
        case .fewerThanFive: return "< 5"
        case .hidden: return "hidden"
        case .shown:
            let x = number(cell) ?? 0
            return x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
        }
    }

    /// One table as CSV (RFC 4180, CRLF): a header row of stable keys (periods
    /// by their first day, YYYY-MM-DD), then a row a measure, unit or part.
    /// Names a spreadsheet would run as a formula get a leading apostrophe.
    package static func csv(_ table: StatsTable) -> String {
        var lines = [([table.rowKind] + table.columns.map(\.key)).map(field).joined(separator: ",")]
        for row in table.rows {
            let label = table.rowKind == "measure" || row.isTotal ? row.key : row.label
            lines.append(([label] + row.cells.map(csv)).map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ text: String) -> String {
        var t = text
        if let first = t.first, "=+-@\t\r".contains(first), t != "< 5" { t = "'" + t }
        return t.contains(where: { ",\"\r\n".contains($0) }) ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
    }
}
