import Foundation
import KohtaamoBase

/// How the bank's words are searched on each database, and how a matched
/// passage is shown.
///
/// Finnish word forms:
/// - PostgreSQL stems each material's words with the Snowball stemmer of
///   its first language (`finnish`, `swedish`, `english`; `simple` for none)
///   and the query with the same one, each query stem asked as a prefix, so
///   "kirjastossa" finds "kirjasto" and the other way round, wherever the
///   stemmer gives both forms one stem (or the one's stem begins the other's).
/// - SQLite's FTS5 has no Finnish (nor Swedish) stemmer. Each query word is
///   asked as a prefix (`"kirjasto"*`), so a base form finds its inflected
///   forms ("kirjasto" finds "kirjastossa"), but an inflected query does not
///   find the base form or another inflection ("kirjastossa" does not find
///   "kirjasto"). `MaterialSearchTests` measures both on a fixed set.
package enum MaterialSearch {
    /// The words of a query: letters and digits, lower-cased; at most 12
    /// words of at most 40 characters (anything else is not searched for).
    package static func words(_ text: String) -> [String] {
        let parts = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map { String($0.prefix(40)) }
        var seen: [String] = []
        for p in parts where !seen.contains(p) { seen.append(p) }
        return Array(seen.prefix(12))
    }

    /// An FTS5 query that needs every word, each as a prefix. The words hold
    /// only letters and digits, so nothing in them is FTS5 syntax.
    package static func fts5(_ words: [String]) -> String {
        words.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    /// A PostgreSQL query that needs every word, each stemmed by the
    /// material's configuration and then asked as a prefix (`'word':*`):
    /// the stem finds the other inflections, the prefix what the stemmer
    /// cut differently (Swedish "bibliotek" and "biblioteket"). The words
    /// hold only letters and digits, so nothing in them is tsquery syntax.
    package static func tsquery(_ words: [String]) -> String {
        words.map { "'\($0)':*" }.joined(separator: " & ")
    }

    /// The PostgreSQL configuration a material's text is stemmed with.
    package static func configuration(_ languages: [MaterialLanguage]) -> String {
        switch languages.first {
        case .fi: "finnish"
        case .sv: "swedish"
        case .en: "english"
        case nil: "simple"
        }
    }

    /// What marks a matched word in a passage from the database: private-use
    /// characters, which the indexed text never holds (`indexable`).
    package static let open: Character = "\u{E000}"
    package static let close: Character = "\u{E001}"

    /// Text as the index gets it: without the marks and control characters.
    package static func indexable(_ text: String) -> String {
        String(
            text.unicodeScalars.map { s -> Character in
                (s.value == 0xE000 || s.value == 0xE001 || (s.properties.generalCategory == .control && s != "\n")) ? " " : Character(s)
            })
    }

    /// A passage as HTML: everything escaped, then each pair of marks made
    /// `<mark>…</mark>`. Nothing from the database is ever HTML; a mark
    /// without its pair is dropped.
    package static func html(_ snippet: String) -> String {
        var out = ""
        var inside = false
        for ch in snippet {
            switch ch {
            case open where !inside:
                out += "<mark>"
                inside = true
            case close where inside:
                out += "</mark>"
                inside = false
            case open, close: continue
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        if inside { out += "</mark>" }
        return out
    }

    /// The matched words of a passage, as a program reads them.
    package static func marked(_ snippet: String) -> [String] {
        var found: [String] = []
        var current: String?
        for ch in snippet {
            if ch == open {
                current = ""
            } else if ch == close {
                if let c = current, !c.isEmpty, !found.contains(c) { found.append(c) }
                current = nil
            } else if current != nil {
                current!.append(ch)
            }
        }
        return found
    }

    /// The passage as plain text (the marks removed).
    package static func plain(_ snippet: String) -> String { snippet.filter { $0 != open && $0 != close } }
}
