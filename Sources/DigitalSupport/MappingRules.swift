import Foundation
import KohtaamoBase

/// Profiles from answers: each theme's score is the mean of its answers on
/// the 0–3 scale ("not needed" left out); the first rule whose every range
/// holds gives the profile, and the last rule, with no ranges, catches the rest.
/// Coordinators write rules one a line, e.g. `beginner: device_basics 0-1.5`;
/// `practical: *` is the fallback.
package enum MappingRules {
    package static let maxRules = 20

    /// A rule set's fault, on a line (1 = first) of the text, or in the nth rule of the API's list.
    package struct Fault: Error, Sendable, Equatable {
        package var line: Int
        package var refusal: MappingRefusal
    }

    package static func scores(_ answers: [String: Int?], questions: [MappingQuestion]) -> [DigitalTheme: Double] {
        var sums: [DigitalTheme: (sum: Int, n: Int)] = [:]
        for q in questions {
            guard case .some(.some(let value)) = answers[q.id] else { continue }
            let old = sums[q.theme] ?? (0, 0)
            sums[q.theme] = (old.sum + value, old.n + 1)
        }
        return sums.mapValues { Double($0.sum) / Double($0.n) }
    }

    /// The first matching rule's profile. A theme with no score (no question,
    /// or all "not needed") fails any range named for it.
    package static func profile(_ scores: [DigitalTheme: Double], rules: [ProfileRule]) -> MappingProfileKey {
        for rule in rules where rule.ranges.allSatisfy({ r in scores[r.theme].map { r.range.contains($0) } ?? false }) {
            return rule.profile
        }
        return rules.last?.profile ?? .practical
    }

    /// Rules in order, each with its ranges; the whole set is checked by `check`.
    package static func parse(_ text: String) -> Result<[ProfileRule], Fault> {
        var rules: [ProfileRule] = []
        var lines: [Int] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else { return .failure(Fault(line: n + 1, refusal: .rulesSyntax)) }
            guard let profile = MappingProfileKey(rawValue: parts[0].lowercased()) else {
                return .failure(Fault(line: n + 1, refusal: .rulesProfile))
            }
            var ranges: [(theme: DigitalTheme, range: ClosedRange<Double>)] = []
            if parts[1] != "*" {
                for condition in parts[1].split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    let words = condition.split(separator: " ", omittingEmptySubsequences: true)
                    guard words.count == 2 else { return .failure(Fault(line: n + 1, refusal: .rulesSyntax)) }
                    guard let theme = DigitalTheme(rawValue: words[0].lowercased()) else { return .failure(Fault(line: n + 1, refusal: .rulesTheme)) }
                    let ends = words[1].split(separator: "-", omittingEmptySubsequences: false).map {
                        Double($0.replacingOccurrences(of: ",", with: "."))
                    }
                    // Checked before the range is made: "nan" is a Double, and a range needs its ends in order.
                    guard ends.count == 2, let low = ends[0], let high = ends[1], low.isFinite, high.isFinite, low <= high else {
                        return .failure(Fault(line: n + 1, refusal: .rulesRange))
                    }
                    ranges.append((theme, low...high))
                }
            }
            rules.append(ProfileRule(profile: profile, ranges: ranges))
            lines.append(n + 1)
        }
        if let fault = check(rules) { return .failure(Fault(line: fault.line == 0 ? 0 : lines[fault.line - 1], refusal: fault.refusal)) }
        return .success(rules)
    }

    /// What is wrong with a rule set, by rule number (1 = first; 0 = the set
    /// as a whole): ranges inside 0–3, a theme once a rule, a fallback last and only there.
    package static func check(_ rules: [ProfileRule]) -> Fault? {
        guard !rules.isEmpty, rules.count <= maxRules else { return Fault(line: 0, refusal: .rulesFallback) }
        for (n, rule) in rules.enumerated() {
            let themes = rule.ranges.map(\.theme)
            if Set(themes).count != themes.count { return Fault(line: n + 1, refusal: .rulesTheme) }
            if rule.ranges.contains(where: { $0.range.lowerBound < 0 || $0.range.upperBound > 3 || !$0.range.lowerBound.isFinite }) {
                return Fault(line: n + 1, refusal: .rulesRange)
            }
            if rule.ranges.isEmpty != (n == rules.count - 1) { return Fault(line: n + 1, refusal: .rulesFallback) }
        }
        return nil
    }

    /// The rules as a coordinator edits them ("1.5", not "1.50").
    package static func text(_ rules: [ProfileRule]) -> String {
        rules.map { rule in
            let conditions = rule.ranges.map { "\($0.theme.rawValue) \(number($0.range.lowerBound))-\(number($0.range.upperBound))" }
            return "\(rule.profile.rawValue): " + (conditions.isEmpty ? "*" : conditions.joined(separator: ", "))
        }.joined(separator: "\n")
    }

    package static func number(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
