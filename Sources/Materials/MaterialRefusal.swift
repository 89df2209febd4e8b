/// Why the bank refuses a material or a request: the raw value is the API's
/// stable code; the message is `error_<code>` in the catalogues.
package enum MaterialRefusal: String, Error, Sendable, CaseIterable {
    case notFound = "not_found"
    /// Volunteers do not keep the bank; only the material's organisation edits it.
    case notAllowed = "material_not_allowed"
    case badTitle = "material_bad_title"
    case badDescription = "material_bad_description"
    case badURL = "material_bad_url"
    case badTheme = "material_bad_theme"
    case badAudience = "material_bad_audience"
    case badLanguage = "material_bad_language"
    case badVisibility = "material_bad_visibility"
    /// Search words over 200 characters or with control characters.
    case badQuery = "material_bad_query"
    /// A file and an address both, or neither.
    case fileOrLink = "material_file_or_link"
    /// A link has no file to replace.
    case notAFile = "material_not_a_file"
    /// Only material written for clients may be given to a client.
    case notForClients = "material_not_for_clients"

    package var httpStatus: Int {
        switch self {
        case .notFound: 404
        case .notAllowed: 403
        default: 400
        }
    }

    package var messageKey: String { "error_" + rawValue }
}
