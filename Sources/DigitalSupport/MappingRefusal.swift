/// Why the needs mapping refuses something: the raw value is the stable
/// code of the API; the message is `messageKey` in the catalogues
/// (the rules' messages name the line: `{line}`).
package enum MappingRefusal: String, CodedRefusal, CaseIterable {
    /// No such client, mapping or goal for the asker.
    case notFound = "not_found"
    /// Volunteers do not map clients; only coordinators edit the questionnaire.
    case notAllowed = "mapping_not_allowed"
    /// No registered client has that nickname.
    case memberNotFound = "mapping_member_not_found"
    /// A question was left unanswered.
    case missingAnswer = "mapping_missing_answer"
    /// An answer not on the scale, or to a question the questionnaire does not have.
    case badAnswer = "mapping_bad_answer"
    /// A question's text is empty, too long or not plain text.
    case badQuestion = "mapping_bad_question"
    /// A theme has no question, or more than three.
    case questionCount = "mapping_question_count"
    case rulesSyntax = "mapping_rules_syntax"
    case rulesProfile = "mapping_rules_profile"
    case rulesTheme = "mapping_rules_theme"
    /// Not two numbers from 0 to 3, the smaller first.
    case rulesRange = "mapping_rules_range"
    /// The last rule must have no conditions, and only the last.
    case rulesFallback = "mapping_rules_fallback"
    case badGoal = "mapping_bad_goal"
    case badTheme = "mapping_bad_theme"
    case badStatus = "mapping_bad_status"
    /// Not client material the worker's organisation may see (the code coaching tasks answer too).
    case badMaterial = "bad_material"

    package var httpStatus: Int {
        switch self {
        case .notFound, .memberNotFound: 404
        case .notAllowed: 403
        default: 400
        }
    }

    /// Every key starts `error_mapping_` (the codes of the mapping already say `mapping_`).
    package var messageKey: String {
        if self == .badMaterial { return "materials_attach_error_bad_material" }
        return rawValue.hasPrefix("mapping_") ? "error_" + rawValue : "error_mapping_" + rawValue
    }
    package var code: String { rawValue }
}

/// Every refused field of one form, together (the API answers with the first).
package struct MappingRefusedFields: Error, Sendable {
    package var problems: [(field: String, refusal: MappingRefusal, line: Int)]
    package init(_ problems: [(field: String, refusal: MappingRefusal, line: Int)]) { self.problems = problems }
    package var first: MappingRefusal { problems.first?.refusal ?? .badAnswer }
}
