import Foundation
import KohtaamoBase

/// The progress chart: each theme's score (0–3) at each mapping, as an SVG
/// drawn on the server (a line a theme, each with its own colour and dash,
/// so colour is not the only difference), and the same figures as a table
/// for screen readers and anyone who prefers numbers.
struct MappingChart {
    static let width = 640, height = 300
    static let left = 40, right = 20, top = 20, bottom = 40
    /// Colours with at least 3:1 contrast on white; dashes tell them apart without colour.
    static let colours = ["#0b5cab", "#b3261e", "#1b7a3a", "#6f42a8", "#8a4b00", "#333333"]
    static let dashes = ["", "8 4", "2 3", "10 3 2 3", "4 4", "6 2 1 2"]

    let title: String
    let titleID: String
    let width = MappingChart.width
    let height = MappingChart.height
    let lines: [Line]
    let gridLines: [Grid]
    let xLabels: [Label]
    /// The table: a row a mapping, a column a theme.
    let columns: [String]
    let rows: [Row]

    struct Line {
        let name: String
        let colour: String
        let dash: String
        let points: String
        let dots: [Dot]
    }

    struct Dot {
        let x: Int
        let y: Int
    }

    struct Grid {
        let y: Int
        let label: String
        let x1: Int
        let x2: Int
        let labelY: Int
    }

    struct Label {
        let x: Int
        let y: Int
        let text: String
    }

    struct Row {
        let date: String
        let profile: String
        let scores: [String]
    }

    /// Mappings oldest first; `day` says a mapping's date, `profile` its profile's name.
    init(
        title: String, mappings: [Mapping], language: Language, theme: (DigitalTheme) -> String, day: (Mapping) -> String,
        profile: (Mapping) -> String
    ) {
        (self.title, titleID) = (title, "progress-chart-title")
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let n = mappings.count
        func x(_ i: Int) -> Int { n <= 1 ? Self.left + plotWidth / 2 : Self.left + i * plotWidth / (n - 1) }
        func y(_ score: Double) -> Int { Self.top + Int(((3 - score) / 3 * Double(plotHeight)).rounded()) }
        lines = DigitalTheme.allCases.enumerated().compactMap { (k, t) in
            let dots = mappings.enumerated().compactMap { (i, m) in m.scores[t].map { Dot(x: x(i), y: y($0)) } }
            guard !dots.isEmpty else { return nil }
            return Line(
                name: theme(t), colour: Self.colours[k], dash: Self.dashes[k], points: dots.map { "\($0.x),\($0.y)" }.joined(separator: " "),
                dots: dots)
        }
        gridLines = (0...3).map { v in Grid(y: y(Double(v)), label: String(v), x1: Self.left, x2: Self.width - Self.right, labelY: y(Double(v)) + 5) }
        xLabels = mappings.enumerated().map { (i, m) in Label(x: x(i), y: Self.height - 12, text: day(m)) }
        columns = DigitalTheme.allCases.map(theme)
        rows = mappings.map { m in
            Row(date: day(m), profile: profile(m), scores: DigitalTheme.allCases.map { t in m.scores[t].map { Self.figure($0, language) } ?? "–" })
        }
    }

    /// "2,5" (en: "2.5"); whole numbers without decimals.
    static func figure(_ x: Double, _ language: Language) -> String {
        let text = MappingRules.number((x * 10).rounded() / 10)
        return language == .en ? text : text.replacingOccurrences(of: ".", with: ",")
    }
}
