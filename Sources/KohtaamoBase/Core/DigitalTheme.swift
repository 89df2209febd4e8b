/// The themes of digital skills, shared by the needs mapping (what a client
/// wants to learn) and the finder (what a help point helps with), so a
/// client's goal leads to a place that helps with it.
package enum DigitalTheme: String, Sendable, CaseIterable, Codable {
    /// Switching on, touch screen, updates, charging, settings.
    case deviceBasics = "device_basics"
    /// Text messages, e-mail, video calls with family.
    case messaging
    /// Online services and strong authentication (bank codes, mobile ID).
    case onlineServices = "online_services"
    /// Scams, passwords, what not to share.
    case safety
    /// Job search, CVs, writing documents.
    case jobSearch = "job_search"
    /// Photos, videos, music, news, games; making one's own content.
    case content

    /// Parses a list such as "messaging,safety" (unknown words are nil, so a form or a CSV row can name them).
    package static func list(_ text: String) -> (themes: [DigitalTheme], unknown: [String]) {
        var themes: [DigitalTheme] = [], unknown: [String] = []
        for word in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map({ $0.lowercased() }) {
            if let t = DigitalTheme(rawValue: word) { if !themes.contains(t) { themes.append(t) } } else { unknown.append(word) }
        }
        return (themes.sorted { $0.order < $1.order }, unknown)
    }

    package var order: Int { Self.allCases.firstIndex(of: self)! }
}
