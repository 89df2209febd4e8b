/// Why the finder refuses a help point or a request: the raw value is the
/// stable code of the API (and of an import's row errors); the message is
/// `error_finder_<code>` in the catalogues.
package enum FinderRefusal: String, Error, Sendable, CaseIterable {
    case notFound = "not_found"
    /// Only coordinators keep their organisation's help points (network coordinators their network's).
    case notAllowed = "finder_not_allowed"
    case required
    case tooLong = "too_long"
    case badMunicipality = "bad_municipality"
    case badOrganisation = "bad_organisation"
    case badPlace = "bad_place"
    case badPostalCode = "bad_postal_code"
    case badTheme = "bad_theme"
    case badLanguage = "bad_language"
    case badAccess = "bad_access"
    case badPhone = "bad_phone"
    case badEmail = "bad_email"
    case badURL = "bad_url"
    /// Not a support chat of the network.
    case badChat = "bad_chat"
    /// Not "MO,TU 09:00-16:00; WE 12:00-18:00", or an interval that ends before it starts.
    case badHours = "bad_hours"
    /// An import file that is not CSV with the columns in its header.
    case badFile = "bad_file"
    /// An exception's day that is not a date, is in the past or over two years ahead.
    case badDay = "bad_day"
    /// An exception's time that is not a time of day, or closes before it opens.
    case badTime = "bad_time"
    /// An exception's note with control or invisible characters.
    case badNote = "bad_note"
    /// An import's header names a column that is not a field (the problem's column names it).
    case unknownColumn = "unknown_column"
    /// An import's header lacks a required column, or names one twice.
    case missingColumn = "missing_column"
    case duplicateColumn = "duplicate_column"
    /// A row with more cells than the header has columns.
    case extraCells = "extra_cells"
    /// The same organisation, municipality and name on two rows of one import.
    case duplicateRow = "duplicate_row"
    /// A header and nothing else.
    case noRows = "no_rows"
    /// More than `FinderImport.maxRows` rows.
    case tooManyRows = "too_many_rows"
    /// More than `FinderImport.maxBytes`.
    case importTooLarge = "import_too_large"

    package var httpStatus: Int {
        switch self {
        case .notFound: 404
        case .notAllowed: 403
        case .importTooLarge: 413
        default: 400
        }
    }

    package var messageKey: String { "error_finder_" + rawValue }
}

/// One refused field: its name (as in the form, the JSON and the CSV header) and why.
package struct FieldProblem: Sendable, Equatable {
    package var field: String
    package var refusal: FinderRefusal
    package init(_ field: String, _ refusal: FinderRefusal) { (self.field, self.refusal) = (field, refusal) }
}

/// Every refused field of one draft, together (a form shows them all at once; an import reports them by column).
package struct RefusedFields: Error, Sendable, Equatable {
    package var problems: [FieldProblem]
    package init(_ problems: [FieldProblem]) { self.problems = problems }
}
