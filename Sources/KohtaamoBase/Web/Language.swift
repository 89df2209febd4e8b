import Foundation

/// The languages of the product. Finnish is the default.
package enum Language: String, Sendable, CaseIterable {
    case fi, sv, en

    /// Each language's name in itself, for the language switch.
    package var nativeName: String {
        switch self {
        case .fi: "Suomeksi"
        case .sv: "På svenska"
        case .en: "In English"
        }
    }

    /// Picks from a remembered choice, else `Accept-Language` by quality, else Finnish.
    package static func negotiate(cookie: String?, acceptLanguage: String?) -> Language {
        if let cookie, let lang = Language(rawValue: cookie) { return lang }
        guard let header = acceptLanguage else { return .fi }
        let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { return nil }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            return (tag.lowercased(), q)
        }
        for (tag, q) in ranked.sorted(by: { $0.1 > $1.1 }) where q > 0 {
            let primary = String(tag.split(separator: "-").first ?? "")
            if let lang = Language(rawValue: primary) { return lang }
        }
        return .fi
    }
}
