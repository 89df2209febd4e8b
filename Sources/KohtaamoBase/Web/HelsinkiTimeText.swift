import Foundation

extension Helsinki {
    /// A moment as people write it in the reader's language, in Helsinki
    /// time: "24.11.2026 klo 10.00", "24.11.2026 kl. 10.00", "24/11/2026 10:00".
    package static func text(_ ms: Int64, in language: Language) -> String {
        let f = DateFormatter()
        f.timeZone = timeZone
        f.locale = Locale(identifier: language == .en ? "en_GB" : language == .sv ? "sv_FI" : "fi_FI")
        switch language {
        case .fi: f.dateFormat = "d.M.yyyy 'klo' HH.mm"
        case .sv: f.dateFormat = "d.M.yyyy 'kl.' HH.mm"
        case .en: f.dateFormat = "d/M/yyyy HH:mm"
        }
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
