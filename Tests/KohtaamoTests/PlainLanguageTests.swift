import Foundation
import Testing

@testable import DigitalSupport

/// Client-facing Finnish is plain language (selkokieli): short sentences,
/// common and short words, one thing a sentence, the doer named (active
/// voice, "Poistit viestit", not "Viestit on poistettu"). Many of our
/// clients read Finnish as a second language or read with effort; a
/// passive hides who does what, and a long compound word stops a reader.
///
/// The limits, written here so that a change to them is a visible choice:
/// - a sentence has at most 12 words (Selkokeskus advises short sentences;
///   our longest plain ones are 11–12 words, a 13th is a second thought);
/// - a word (each part of a hyphenated word) has at most 16 letters
///   ("tunnistautuminen" is the longest we accept; longer are split or
///   said otherwise);
/// - a sentence has at most 2 commas (three clauses are more than one thing);
/// - no passive: no present or past passive ("poistetaan", "tehdään",
///   "poistettiin") and no perfect or negative passive ("on poistettu",
///   "ei voitu").
///
/// Which strings are client-facing: those of the pages a client sees (the
/// templates below and every partial they include), the texts their
/// scripts show, the names of days and themes, and the refusals (every
/// `error_` text except those only staff forms give).
@Suite struct PlainLanguageTests {
    static let maxWords = 12
    static let maxLetters = 16
    static let maxCommas = 2

    /// Pages a client (anonymous or registered) sees; every `my_*` page is one too.
    static let clientTemplates: Set<String> = [
        "call_panel", "mapping_fill", "mapping_progress", "chat", "chat_delete_form", "chat_deleted", "chat_thanks", "coaching_join",
        "digital_session_public", "error", "finder",
        "finder_municipality", "group", "group_accept", "group_nickname_field", "group_room", "home", "layout", "member_erased", "member_home",
        "member_signin_form", "member_signup_form", "service",
        "material",
    ]
    /// Texts built in code or in scripts that a client reads.
    static let clientPrefixes = ["chat_js_", "group_js_", "digital_theme_", "weekday_", "holiday_", "socket_", "language_"]
    /// Refusals only staff forms and staff APIs give.
    static let staffOnlyErrors = [
        "error_finder_", "error_reachout_", "error_digital_", "error_audit", "error_role", "error_staff", "error_card", "error_programme",
        "error_prefix", "error_slug", "error_kind", "error_organisation", "error_service", "error_self", "error_own", "error_working",
        "error_work_", "error_retention", "error_group_", "error_topic", "error_heading", "error_second", "error_bad_answer_kind",
        "error_bad_checklist", "error_mapping_rules_", "error_buddy_", "error_mapping_bad_question", "error_mapping_question_count",
        "error_material_",
    ]

    static var resources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Kohtaamo/Resources")
    }

    /// The Finnish catalogue's client-facing keys, with the templates they came from.
    static func clientFacing() throws -> (texts: [String: String], templates: Set<String>) {
        let data = try Data(contentsOf: resources.appendingPathComponent("locales/fi.json"))
        let fi = try JSONDecoder().decode([String: String].self, from: data)
        let dir = resources.appendingPathComponent("templates")
        let all = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(9)) }
        var todo = Array(clientTemplates) + all.filter { $0.hasPrefix("my_") }
        var seen: Set<String> = []
        var keys: Set<String> = []
        let key = try NSRegularExpression(pattern: #"\bt\.([a-z0-9_]+)"#)
        let partial = try NSRegularExpression(pattern: #"\{\{>\s*([a-z0-9_]+)"#)
        while let name = todo.popLast() {
            guard seen.insert(name).inserted else { continue }
            let text = try String(contentsOf: dir.appendingPathComponent("\(name).mustache"), encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            keys.formUnion(key.matches(in: text, range: range).map { String(text[Range($0.range(at: 1), in: text)!]) })
            todo += partial.matches(in: text, range: range).map { String(text[Range($0.range(at: 1), in: text)!]) }
        }
        for k in fi.keys {
            if clientPrefixes.contains(where: k.hasPrefix) { keys.insert(k) }
            if k.hasPrefix("error_"), !staffOnlyErrors.contains(where: k.hasPrefix) { keys.insert(k) }
        }
        return (fi.filter { keys.contains($0.key) }, seen)
    }

    /// Client-facing Finnish written in code: the needs mapping's built-in
    /// questions, profiles, goals and material titles.
    static func builtInTexts() -> [(key: String, value: String)] {
        var texts = MappingDefaults.questions.map { (key: "mapping question \($0.id)", value: $0.text.fi) }
        for key in MappingProfileKey.allCases {
            let p = MappingDefaults.profile(key)
            texts += [("profile \(key)", p.name.fi), ("profile \(key) description", p.description.fi)]
            texts += p.goals.map { ("profile \(key) goal", $0.text.fi) } + p.material.map { ("profile \(key) material", $0.title.fi) }
        }
        return texts
    }

    @Test func everyClientFacingFinnishTextIsPlain() throws {
        let (texts, templates) = try Self.clientFacing()
        // The selection must reach the pages it is for, or the check says nothing.
        #expect(texts.count > 400, "only \(texts.count) client-facing texts found")
        for k in ["finder_intro", "chat_js_sending", "member_erase_intro", "error_bad_message", "digital_theme_safety"] {
            #expect(texts[k] != nil, "\(k) should count as client-facing")
        }
        #expect(templates.contains("my_digital") && templates.contains("finder_municipality"))
        #expect(texts["console_insert"] == nil, "the staff console is not client-facing")
        #expect(Self.builtInTexts().count > 20)
        var findings: [String] = []
        for (k, v) in texts.sorted(by: { $0.key < $1.key }) + Self.builtInTexts() {
            findings += PlainFinnish.problems(in: v).map { "\(k): \($0)" }
        }
        #expect(findings.isEmpty, "\(findings.count) findings:\n\(findings.joined(separator: "\n"))")
    }

    /// The measure itself: it finds what it is for and lets plain text be.
    @Test func theMeasureFindsLongSentencesLongWordsAndPassives() {
        #expect(PlainFinnish.problems(in: "Voit kirjoittaa viestin. Vastaamme pian.").isEmpty)
        #expect(PlainFinnish.problems(in: "Et löytänyt mitään. Kukaan ei näe tätä. Kirjoita enintään 200 merkkiä, vähintään yksi.").isEmpty)
        let long = "Tämä lause on aivan liian pitkä, koska siinä on yksi kaksi kolme neljä viisi sanaa."
        #expect(PlainFinnish.problems(in: long).contains { $0.contains("words") })
        #expect(PlainFinnish.problems(in: "Vahvatunnistautuminen tarvitaan.").contains { $0.contains("Vahvatunnistautuminen") })
        for passive in ["Viestit poistetaan.", "Se tehdään huomenna.", "Viesti lähetettiin.", "Tili on poistettu.", "Viestiä ei voitu tallentaa."] {
            #expect(PlainFinnish.problems(in: passive).contains { $0.contains("passive") }, "\(passive)")
        }
        #expect(PlainFinnish.problems(in: "Yksi, kaksi, kolme, neljä.").contains { $0.contains("commas") })
        // Placeholders are one word, markup is not text.
        #expect(PlainFinnish.problems(in: "Hei {name}, <a href=\"/x/y/z\">avaa</a>.").isEmpty)
    }
}

/// Plain-language measures of one Finnish text, with the limits above.
enum PlainFinnish {
    /// Words that look like a passive and are not one.
    static let notPassive: Set<String> = ["mitään", "ketään", "chattiin"]
    static let auxiliaries: Set<String> = ["ei", "en", "et", "on", "ovat", "oli", "olivat", "ole"]

    static func problems(in text: String) -> [String] {
        var plain = text.replacingOccurrences(of: #"\{\{[^}]*\}\}|\{[a-z_]+\}|%\S+"#, with: "X", options: .regularExpression)
        plain = plain.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        let sentences = plain.replacingOccurrences(of: #"([.!?:…])\s+"#, with: "$1\n", options: .regularExpression)
            .split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var found: [String] = []
        for sentence in sentences {
            let words = sentence.split(whereSeparator: { !($0.isLetter || $0 == "-") }).map(String.init).filter { $0.contains(where: \.isLetter) }
            if words.count > PlainLanguageTests.maxWords { found.append("\(words.count) words > \(PlainLanguageTests.maxWords): \(sentence)") }
            if sentence.filter({ $0 == "," }).count > PlainLanguageTests.maxCommas {
                found.append("commas > \(PlainLanguageTests.maxCommas): \(sentence)")
            }
            for part in words.flatMap({ $0.split(separator: "-") }) where part.count > PlainLanguageTests.maxLetters {
                found.append("\(part) has \(part.count) letters > \(PlainLanguageTests.maxLetters)")
            }
            for (i, word) in words.enumerated() {
                let w = word.lowercased()
                if !notPassive.contains(w), isPassive(w) { found.append("passive '\(word)': \(sentence)") }
                if i > 0, auxiliaries.contains(words[i - 1].lowercased()), isPassiveParticiple(w) {
                    found.append("passive '\(words[i - 1]) \(word)': \(sentence)")
                }
            }
        }
        return found
    }

    /// Present passive (a vowel + t, or d, then -aan/-ään: "poistetaan",
    /// "tehdään"; not "enintään", "vastaan") and past passive ("poistettiin", "tehtiin").
    static func isPassive(_ w: String) -> Bool {
        w.range(of: #"([aeiouyäö]t|d)(aan|ään)$"#, options: .regularExpression) != nil
            || w.range(of: #"(tt|ht|[aeiouyäö]t)iin$"#, options: .regularExpression) != nil
    }

    /// "(on) poistettu", "(ei) voitu", "(ei) hyväksytty".
    static func isPassiveParticiple(_ w: String) -> Bool { w.range(of: #"^\w{2,}(t?tu|t?ty)$"#, options: .regularExpression) != nil }
}
