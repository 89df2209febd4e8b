/// A rhythm as one word in the database and the API: `daily`,
/// `weekdays:1,3,5` (1 = Monday), `every:3`.
extension Rhythm {
    package var text: String {
        switch self {
        case .daily: "daily"
        case .weekdays(let days): "weekdays:" + days.sorted().map(String.init).joined(separator: ",")
        case .everyDays(let n): "every:\(n)"
        }
    }

    /// Nil for anything but a rhythm the rules accept.
    package init?(text: String) {
        if text == "daily" {
            self = .daily
        } else if text.hasPrefix("weekdays:") {
            let parts = text.dropFirst(9).split(separator: ",", omittingEmptySubsequences: false)
            let days = parts.compactMap { Int($0) }
            guard !parts.isEmpty, days.count == parts.count, days.allSatisfy((1...7).contains), Set(days).count == days.count else { return nil }
            self = .weekdays(Set(days))
        } else if text.hasPrefix("every:"), let n = Int(text.dropFirst(6)), (2...Reachout.maxEveryDays).contains(n) {
            self = .everyDays(n)
        } else {
            return nil
        }
    }
}
