import Foundation
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// `Template` names exactly the page templates: every case has its file, and
/// every other template file is a partial that some template includes.
@Suite struct TemplateTests {
    var templates: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Kohtaamo/Resources/templates")
    }

    func files() throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: templates.path) where name.hasSuffix(".mustache") {
            files[String(name.dropLast(".mustache".count))] = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    @Test func everyTemplateCaseHasItsFile() throws {
        let files = try files()
        for template in Template.allCases {
            #expect(files[template.rawValue] != nil, "\(template) has no \(template.rawValue).mustache")
        }
    }

    @Test func everyTemplateFileIsAPageOrAPartial() throws {
        let files = try files()
        let pages = Set(Template.allCases.map(\.rawValue))
        let regex = try NSRegularExpression(pattern: #"\{\{[<>]\s*([a-z0-9_]+)\s*\}\}"#)
        var partials: Set<String> = []
        for text in files.values {
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                partials.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        for name in files.keys.sorted() {
            #expect(pages.contains(name) || partials.contains(name), "\(name).mustache is neither a Template case nor included by a template")
            #expect(!(pages.contains(name) && partials.contains(name)), "\(name).mustache is both a page and a partial")
        }
        #expect(partials.contains("layout"))
    }
}
