import Foundation
import KohtaamoBase

/// A section's chart: its first measure per period as bars, drawn on the
/// server as SVG in the house style (`role="img"`, a title). Each bar
/// carries its figure as text above it, and a hidden figure draws no bar
/// but its "< 5" or "–", so nothing is told by colour or height alone; the
/// table below holds the same figures.
package struct StatsChart: Sendable {
    static let width = 640, height = 260
    static let left = 48, right = 16, top = 24, bottom = 48

    package let title: String
    package let titleID: String
    package let width = StatsChart.width
    package let height = StatsChart.height
    package let bars: [Bar]
    package let gridLines: [Grid]
    package let baseline: Int

    package struct Bar: Sendable {
        package let x: Int
        package let y: Int
        package let width: Int
        package let height: Int
        package let labelX: Int
        package let labelY: Int
        package let value: String
        package let period: String
        package let periodY: Int
        /// Every other period label when there are many, so they do not overlap.
        package let showPeriod: Bool
    }

    package struct Grid: Sendable {
        package let y: Int
        package let label: String
        package let x1: Int
        package let x2: Int
        package let labelY: Int
    }

    /// The bars of `row` (its period cells, without the total) under `columns`.
    package init(title: String, id: String, row: StatsRow, columns: [StatsColumn], language: Language) {
        (self.title, titleID) = (title, "chart-\(id)")
        let cells = Array(row.cells.dropLast())
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let shown = cells.map { $0.shown == .shown ? $0.value : 0 }
        let top = Self.niceTop(shown.max() ?? 0)
        let slot = cells.isEmpty ? plotWidth : plotWidth / cells.count
        let barWidth = max(2, slot * 2 / 3)
        let step = max(1, cells.count / 12 + (cells.count % 12 == 0 ? 0 : 1))
        baseline = Self.top + plotHeight
        bars = cells.enumerated().map { (i, c) in
            let h = Int((shown[i] / top * Double(plotHeight)).rounded())
            let x = Self.left + i * slot + (slot - barWidth) / 2
            return Bar(
                x: x, y: Self.top + plotHeight - h, width: barWidth, height: h, labelX: x + barWidth / 2, labelY: Self.top + plotHeight - h - 4,
                value: StatsText.page(c, language), period: i < columns.count ? columns[i].label : "", periodY: Self.height - 20,
                showPeriod: i % step == 0)
        }
        gridLines = [0, 0.5, 1].map { f in
            let y = Self.top + Int(((1 - f) * Double(plotHeight)).rounded())
            return Grid(y: y, label: String(Int(top * f)), x1: Self.left, x2: Self.width - Self.right, labelY: y + 5)
        }
    }

    /// A round top for the scale: 10, 20, 50, 100, …
    static func niceTop(_ x: Double) -> Double {
        var top = 10.0
        while top < x { top *= top.description.hasPrefix("1") ? 2 : top.description.hasPrefix("2") ? 2.5 : 2 }
        return top
    }
}
