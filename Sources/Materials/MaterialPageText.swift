import Foundation
import KohtaamoBase

/// Words of the bank's pages and answers in the reader's language.
struct MaterialPageText {
    let t: [String: String]

    func s(_ key: String) -> String { t[key] ?? key }

    func theme(_ theme: DigitalTheme) -> String { s("digital_theme_" + theme.rawValue) }
    func audience(_ a: MaterialAudience) -> String { s("materials_audience_" + a.rawValue) }
    func language(_ l: MaterialLanguage) -> String { s("materials_language_" + l.rawValue) }
    func visibility(_ v: MaterialVisibility) -> String { s("materials_visibility_" + v.rawValue) }

    /// ISO 8601 in UTC, as the API gives times.
    static func isoTime(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: Double(ms) / 1000).formatted(.iso8601)
    }

    /// "1,2 Mt" / "1.2 MB": a size a person reads.
    func size(_ bytes: Int) -> String {
        let mb = Double(bytes) / 1_048_576
        if mb >= 0.1 { return String(format: "%.1f", mb).replacingOccurrences(of: ".", with: s("materials_decimal")) + " " + s("materials_mb") }
        return "\(max(1, bytes / 1024)) " + s("materials_kb")
    }
}
