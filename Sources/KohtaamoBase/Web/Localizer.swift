import Foundation

/// The text catalogues (`Resources/locales/{fi,sv,en}.json`): every string a
/// person reads comes from here. A test fails when a key is missing anywhere.
package struct Localizer: Sendable {
    package let catalogues: [Language: [String: String]]

    package init(directory: URL) throws {
        var catalogues: [Language: [String: String]] = [:]
        for lang in Language.allCases {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(lang.rawValue).json"))
            catalogues[lang] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.catalogues = catalogues
    }

    package func catalogue(_ lang: Language) -> [String: String] { catalogues[lang] ?? [:] }

    /// The text for `key`; `{name}` placeholders are filled from `args`.
    package func t(_ key: String, _ lang: Language, _ args: [String: String] = [:]) -> String {
        var text = catalogues[lang]?[key] ?? catalogues[.fi]?[key] ?? key
        for (name, value) in args { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}
