import KohtaamoBase

/// A questions-style group's questions and answers (`group_questions.mustache`).
struct GroupQuestionsPage: PageModel {
    let slug: String
    let name: String
    let questions: [Question]
    let hasQuestions: Bool
    let isStaff: Bool
    let moderator: Bool
    let isMember: Bool
    /// The reader's question sent back with an error.
    let draft: String

    struct Question {
        let id: String
        /// The asker's nickname, or "anonymous" to other members.
        let who: String
        let at: String
        let body: String
        let answered: Bool
        let answers: [Answer]
    }

    struct Answer {
        let from: String
        let body: String
        let at: String
    }
}
