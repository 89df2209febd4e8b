import Hummingbird
import KohtaamoBase

/// A refusal with a stable code and an HTTP status: digital support's and
/// the needs mapping's, answered the same way by the API and the pages.
package protocol CodedRefusal: Error, Sendable {
    var code: String { get }
    var httpStatus: Int { get }
    var messageKey: String { get }
}

extension CodedRefusal {
    var appError: AppError { AppError(HTTPResponse.Status(code: httpStatus), code: code, messageKey: messageKey) }
}

/// Why digital support refuses something: the raw value is the stable code
/// of the API; the message is `error_digital_<code>` in the catalogues.
package enum DigitalRefusal: String, CodedRefusal, CaseIterable {
    /// No such event, session, meeting or person in the asker's organisation
    /// (or, for the public, no such public session).
    case notFound = "not_found"
    /// Volunteers do not keep events and sessions.
    case notAllowed = "digital_not_allowed"
    case badTitle = "bad_title"
    case badDescription = "bad_description"
    case badMunicipality = "bad_municipality"
    case badPlace = "bad_place"
    case badAddress = "bad_address"
    /// Not a date, before today, or too far ahead.
    case badDay = "bad_day"
    /// Not a time, or the end is not after the start.
    case badTime = "bad_time"
    case badTheme = "bad_theme"
    case badLanguage = "bad_language"
    case badSeats = "bad_seats"
    case badLabel = "bad_label"
    /// The course has its most meetings already.
    case tooManyMeetings = "too_many_meetings"
    case eventCancelled = "event_cancelled"
    case sessionCancelled = "session_cancelled"
    /// Every meeting of the course is over.
    case sessionOver = "session_over"

    package var httpStatus: Int {
        switch self {
        case .notFound: 404
        case .notAllowed: 403
        case .eventCancelled, .sessionCancelled, .sessionOver, .tooManyMeetings: 409
        default: 400
        }
    }

    package var messageKey: String { "error_digital_" + rawValue }
    package var code: String { rawValue }
}

/// Every refused field of one form or body, together (a form shows them all;
/// the API answers with the first).
package struct DigitalRefusedFields: Error, Sendable {
    package var problems: [(field: String, refusal: DigitalRefusal)]
    package init(_ problems: [(field: String, refusal: DigitalRefusal)]) { self.problems = problems }
    package var first: DigitalRefusal { problems.first?.refusal ?? .badTitle }
}
