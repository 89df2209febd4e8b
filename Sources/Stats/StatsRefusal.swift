import Hummingbird
import KohtaamoBase

/// Why the statistics refuse a request: the raw value is the API's stable
/// code; the message is `stats_error_<code without stats_>` in the catalogues.
package enum StatsRefusal: String, Error, CaseIterable, Sendable {
    /// `length` is not `week` or `month`.
    case badLength = "stats_bad_length"
    /// `from` or `until` is not a day written YYYY-MM-DD.
    case badDay = "stats_bad_day"
    /// `from` after `until`, or more than two years between them.
    case badRange = "stats_bad_range"
    /// Not an organisation the asker may see.
    case organisationNotFound = "stats_organisation_not_found"

    package var messageKey: String { "stats_error_" + rawValue.dropFirst("stats_".count) }

    package var appError: AppError {
        AppError(self == .organisationNotFound ? .notFound : .badRequest, code: rawValue, messageKey: messageKey)
    }
}
