/// Why the buddy course or buddies refuse something: the raw value is the
/// stable code of the API; the message is `error_buddy_<code>`.
package enum BuddyRefusal: String, Error, Sendable, CaseIterable {
    /// No such module or assignment in the asker's network or organisation.
    case notFound = "not_found"
    /// Only coordinators write the course.
    case courseNotAllowed = "course_not_allowed"
    /// Volunteers do not assign clients (the lists hold clients' nicknames).
    case notAllowed = "buddy_not_allowed"
    /// The asker has not completed the course: no buddy right yet.
    case courseNotDone = "buddy_course_not_done"
    /// The chosen buddy has not completed the course.
    case notTrained = "buddy_not_trained"
    /// Not an active staff member of the asker's organisation.
    case badBuddy = "bad_buddy"
    /// No registered client with that nickname.
    case memberNotFound = "member_not_found"
    /// Too many modules, or a module id the course does not have.
    case badCourse = "bad_course"
    case badTitle = "bad_title"
    case badText = "bad_text"
    case badLink = "bad_link"
    case badQuiz = "bad_quiz"
    /// Not one answer, of an option the question has, for each question.
    case badAnswer = "bad_answer"

    package var httpStatus: Int {
        switch self {
        case .notFound, .memberNotFound: 404
        case .courseNotAllowed, .notAllowed, .courseNotDone: 403
        case .notTrained: 409
        default: 400
        }
    }

    package var messageKey: String { "error_buddy_" + rawValue }
}

/// Every refused field of a module, together (the form shows them all; the API answers with the first).
package struct BuddyRefusedFields: Error, Sendable {
    package var problems: [(field: String, refusal: BuddyRefusal)]
    package init(_ problems: [(field: String, refusal: BuddyRefusal)]) { self.problems = problems }
    package var first: BuddyRefusal { problems.first?.refusal ?? .badCourse }
}
