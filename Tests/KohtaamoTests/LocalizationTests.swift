import Foundation
import Testing

@testable import Accounts
@testable import Chat
@testable import Finder
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks
@testable import Reachout

/// Every text a person reads exists in Finnish, Swedish and English.
@Suite struct LocalizationTests {
    var sourceResources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Kohtaamo/Resources")
    }

    @Test func everyLanguageHasEveryKeyAndNoEmptyText() throws {
        let localizer = try Localizer(directory: sourceResources.appendingPathComponent("locales"))
        let fi = Set(localizer.catalogue(.fi).keys)
        for lang in Language.allCases {
            let keys = Set(localizer.catalogue(lang).keys)
            #expect(keys == fi, "\(lang): missing \(fi.subtracting(keys).sorted()), extra \(keys.subtracting(fi).sorted())")
            for (key, value) in localizer.catalogue(lang) {
                #expect(!value.trimmingCharacters(in: .whitespaces).isEmpty, "\(lang).\(key) is empty")
            }
        }
    }

    @Test func everyKeyTheTemplatesUseExists() throws {
        let localizer = try Localizer(directory: sourceResources.appendingPathComponent("locales"))
        let keys = Set(localizer.catalogue(.fi).keys)
        let dir = sourceResources.appendingPathComponent("templates")
        let regex = try NSRegularExpression(pattern: #"\{\{[#^/]?t\.([a-z0-9_]+)\}\}"#)
        var used = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                used += 1
                #expect(keys.contains(key), "\(name) uses missing key \(key)")
            }
        }
        #expect(used > 100)
    }

    @Test func everyKeyTheCodeBuildsExists() throws {
        let localizer = try Localizer(directory: sourceResources.appendingPathComponent("locales"))
        let keys = Set(localizer.catalogue(.fi).keys)
        var needed = Role.allCases.map { "role_\($0.rawValue)" }
        needed += ServiceKind.allCases.map { "kind_\($0.rawValue)" }
        needed += ServiceAdminController.languageOptions.map { "language_\($0)" }
        needed += (1...7).map { "weekday_\($0)" }
        // Reach-out's plan pages: holidays, channels, outcomes and rhythms by name.
        needed += Set(FinnishHolidays.all(year: 2026).values).map { "holiday_\($0)" }
        needed += ContactChannel.allCases.map { "reachout_plans_channel_\($0.rawValue)" }
        needed += OutcomeKind.allCases.map { "reachout_plans_outcome_\($0.rawValue)" }
        needed += ["daily", "weekdays", "every"].flatMap { ["reachout_plans_rhythm_\($0)", "reachout_plans_rhythm_\($0)_text"] }
        needed += ReachoutPlanPagesController.fieldNames.filter { $0 != "rhythm" && $0 != "every" }.map { "reachout_plans_field_\($0)" }
        // The finder's upkeep pages: places, access, themes, fields and refusals by name.
        needed += PlaceKind.allCases.map { "finder_upkeep_place_\($0.rawValue)" }
        needed += Finder.Access.allCases.map { "finder_upkeep_access_\($0.rawValue)" }
        needed += DigitalTheme.allCases.map { "finder_upkeep_theme_\($0.rawValue)" }
        needed += HelpPointDraft.fields.map { "finder_upkeep_field_\($0)" }
        needed += FinderRefusal.allCases.map(\.messageKey)
        needed += [
            AppError.notFound, .badRequest, .forbidden, .unauthorized, .csrf, .badOrigin, .unsupportedMediaType, .tooLarge,
            .unavailable, .tooMany(retryAfterSeconds: 1),
        ].map(\.messageKey)
        needed += [400, 401, 403, 404, 405, 409, 413, 415, 426, 429, 500, 503].map { "error_heading_\($0)" }
        needed += FrameError.allCodes.map { "socket_\($0)" }
        needed.append("chat_anonymous_name")
        needed += ChatToolkit.defaultTopics.map { "topic_\($0)" }
        // Keys written as string literals in the Swift sources.
        let sources = sourceResources.deletingLastPathComponent().deletingLastPathComponent()
        let regex = try NSRegularExpression(
            pattern:
                #""((?:error|status|day|hours|profile|signin|reset|staff|services?|organisations?|home|admin|emergency|socket|referrals|replies|topics|cards)_[a-z0-9_]+)""#
        )
        // Storage/ holds tables and columns, never texts.
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        where url.pathExtension == "swift" && !url.path.contains("/Storage/") {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                needed.append(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        // Every `AppError(…, code: "x")` shows the text `error_x`.
        let codes = try NSRegularExpression(pattern: #"AppError\([^)]*code: "([a-z_]+)""#)
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in codes.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                needed.append("error_" + String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        // Template names, column names and HSDS's object names look like keys; they are not texts.
        let templates = sourceResources.appendingPathComponent("templates")
        let notTexts = { (key: String) in
            key.hasSuffix("_id") || key == "service_shares" || key == NetworkFeature.referralTable || key.hasPrefix("service_at_location")
                || FileManager.default.fileExists(atPath: templates.appendingPathComponent(key + ".mustache").path)
        }
        for key in Set(needed) where !key.hasSuffix("_") && !notTexts(key) {
            let present = keys.contains(key)
            #expect(present, "missing key \(key)")
        }
    }

    /// A text missing in a language falls back to Finnish, then to the key
    /// itself; the page is still made and the gap is logged once.
    @Test func aMissingTextFallsBackInsteadOfCrashing() {
        let localizer = Localizer(catalogues: [
            .fi: ["greeting": "Hei {name}", "only_fi": "Vain suomeksi"],
            .sv: ["greeting": "Hej {name}"],
        ])
        #expect(localizer.t("greeting", .sv, ["name": "Aino"]) == "Hej Aino")
        #expect(localizer.t("only_fi", .sv) == "Vain suomeksi")
        #expect(localizer.t("only_fi", .en) == "Vain suomeksi")
        #expect(localizer.t("nowhere", .en) == "nowhere")
        #expect(localizer.t("nowhere", .en) == "nowhere")
        #expect(localizer.reportedMissing == ["sv.only_fi", "en.only_fi", "en.nowhere"])
        #expect(localizer.t("greeting", .fi, ["name": "Aino"]) == "Hei Aino")
        #expect(localizer.reportedMissing.count == 3)
    }

    @Test func languageNegotiation() {
        #expect(Language.negotiate(cookie: nil, acceptLanguage: nil) == .fi)
        #expect(Language.negotiate(cookie: nil, acceptLanguage: "sv-FI,sv;q=0.9,en;q=0.8") == .sv)
        #expect(Language.negotiate(cookie: nil, acceptLanguage: "de-DE,en;q=0.5") == .en)
        #expect(Language.negotiate(cookie: nil, acceptLanguage: "de, fr;q=0.9") == .fi)
        #expect(Language.negotiate(cookie: "en", acceptLanguage: "sv") == .en)
        #expect(Language.negotiate(cookie: "xx", acceptLanguage: "sv") == .sv)
        #expect(Language.negotiate(cookie: nil, acceptLanguage: ";;q=,,,") == .fi)
    }
}
