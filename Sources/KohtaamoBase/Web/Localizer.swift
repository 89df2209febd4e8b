import Foundation
import Logging
import NIOConcurrencyHelpers

/// The text catalogues (`Resources/locales/{fi,sv,en}.json`): every string a
/// person reads comes from here. A test fails when a key is missing anywhere.
package struct Localizer: Sendable {
    package let catalogues: [Language: [String: String]]
    private let missing = MissingKeys()
    private let logger: Logger

    package init(directory: URL, logger: Logger = Logger(label: "kohtaamo.localizer")) throws {
        var catalogues: [Language: [String: String]] = [:]
        for lang in Language.allCases {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(lang.rawValue).json"))
            catalogues[lang] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.init(catalogues: catalogues, logger: logger)
    }

    package init(catalogues: [Language: [String: String]], logger: Logger = Logger(label: "kohtaamo.localizer")) {
        self.catalogues = catalogues
        self.logger = logger
    }

    package func catalogue(_ lang: Language) -> [String: String] { catalogues[lang] ?? [:] }

    /// The text for `key` in `lang`, else in Finnish, else the key itself (a
    /// missing text never stops a page); `{name}` placeholders are filled
    /// from `args`. A missing key is logged once per language and key.
    package func t(_ key: String, _ lang: Language, _ args: [String: String] = [:]) -> String {
        var text: String
        if let found = catalogues[lang]?[key] {
            text = found
        } else {
            let finnish = catalogues[.fi]?[key]
            if missing.firstTime("\(lang.rawValue).\(key)") {
                logger.error(
                    "Missing text", metadata: ["key": "\(key)", "language": "\(lang.rawValue)", "shown": "\(finnish == nil ? "key" : "fi")"])
            }
            text = finnish ?? key
        }
        for (name, value) in args { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Keys already reported missing (as `<language>.<key>`).
    var reportedMissing: Set<String> { missing.keys.withLockedValue { $0 } }
}

/// The missing keys logged so far, shared by every copy of a `Localizer`.
private final class MissingKeys: Sendable {
    let keys = NIOLockedValueBox<Set<String>>([])

    /// Whether `key` is reported for the first time (and remembers it).
    func firstTime(_ key: String) -> Bool {
        keys.withLockedValue { $0.insert(key).inserted }
    }
}
