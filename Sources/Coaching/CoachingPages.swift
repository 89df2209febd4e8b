import KohtaamoBase

/// The coach's list of the services they coach in (`coaching_services.mustache`).
struct CoachingServicesPage: PageModel {
    let services: [ServiceLink]
    let hasServices: Bool

    struct ServiceLink {
        let slug: String
        let name: String
    }
}

/// A coach's service page (`coaching_service.mustache`): coachees with
/// their counts, inviting a person, groups and templates.
struct CoachingServicePage: PageModel {
    let slug: String
    let name: String
    let coachees: [CoacheeRow]
    let hasCoachees: Bool
    let groups: [GroupRow]
    let hasGroups: Bool
    let templates: [TemplateRow]
    let hasTemplates: Bool
    /// The new code and its link, shown once after the coach asked for one.
    let invitation: Invitation?
    let groupName: String
    let groupNameError: String?
    let templateForm: TaskForm

    struct CoacheeRow {
        let member: String
        let nickname: String
        let ended: Bool
        let open: Int
        let late: Int
        let answered: Int
        let done: Int
    }

    struct GroupRow {
        let id: String
        let name: String
        /// The group's own page.
        let link: String
        let members: String?
        /// Coachees not in the group yet.
        let candidates: [FieldOption]
        let hasCandidates: Bool
    }

    struct TemplateRow {
        let id: String
        let title: String
        let kind: String
    }

    struct Invitation {
        let code: String
        let link: String
        let group: String?
        let expires: String
    }
}

/// The fields of a task (giving one, or keeping a template): the coach's
/// input comes back as it was typed when the service refuses it.
struct TaskForm {
    /// Prefix of the fields' ids, so two forms on one page have their own.
    let prefix: String
    let title: String
    let instructions: String
    let checklist: String
    let material: String
    let kinds: [FieldOption]
    /// The bank's client material to pick from, "no material" first.
    let banks: [FieldOption]
    let errTitle: String?
    let errInstructions: String?
    let errChecklist: String?
    let errMaterial: String?
    let errBank: String?
    let errKind: String?
}

/// The coach's page of one coachee (`coaching_coachee.mustache`): the
/// thread, the tasks by status, giving a task, feedback, progress.
struct CoachingCoacheePage: PageModel {
    /// Where the page's forms post (`…/tasks`, `…/tasks/{task}/feedback`).
    let base: String
    let slug: String
    let serviceName: String
    let member: String
    let nickname: String
    let ended: Bool
    let thread: ThreadView
    let sections: [TaskSection]
    let hasTasks: Bool
    let giveForm: TaskForm
    let templates: [FieldOption]
    let hasTemplates: Bool
    let dueDate: String
    let dueTime: String
    let errDue: String?
    let errTemplate: String?
    let progress: ProgressTable
    let script: String
}

/// The live thread of a coachee and their coach (`coaching_thread.mustache`).
struct ThreadView {
    let conversation: String
    let canSend: Bool
    /// The call's kind: `pair` or `group`.
    let callKind: String
    /// The page the file form comes back to.
    let next: String
    /// A file the form refused, in the reader's language.
    let fileError: String?
    /// From `Views.scriptTexts` (`name`, `text`).
    let texts: [[String: String]]
}

/// Tasks of one status, with a heading.
struct TaskSection {
    let key: String
    let heading: String
    let count: Int
    let tasks: [TaskView]
}

/// One task as either side sees it.
struct TaskView {
    let id: String
    let title: String
    let kind: String
    let status: String
    let late: Bool
    let due: String?
    let given: String
    let instructions: [TextLine]
    let hasInstructions: Bool
    /// The material's address, and the link's text: a bank material's title, else the address.
    let material: String?
    let materialText: String?
    let steps: [Step]
    let hasSteps: Bool
    /// The latest answer, as text lines, with the ticked steps.
    let answer: AnswerView?
    let lastFeedback: [TextLine]
    let hasFeedback: Bool
    let history: [HistoryRow]
    let hasHistory: Bool
    // What the reader may do with it.
    var feedbackForm: FeedbackForm?
    var answerForm: AnswerForm?

    struct Step {
        let index: Int
        let text: String
        let checked: Bool
    }

    struct AnswerView {
        let text: [TextLine]
        let hasText: Bool
        let ticked: [String]
        let hasTicked: Bool
        let fileName: String?
        /// Where the answer's file downloads (`CoachingService.filePath`).
        let fileLink: String?
    }

    struct HistoryRow {
        let at: String
        let what: String
        let text: [TextLine]
        let hasText: Bool
    }
}

/// The coach's feedback on an answer, with what they typed when refused.
struct FeedbackForm {
    let text: String
    let error: String?
}

/// The coachee's answer, by the task's kind.
struct AnswerForm {
    let text: String
    let error: String?
    let isText: Bool
    let isChecklist: Bool
    let isDone: Bool
    let isFile: Bool
    let steps: [TaskView.Step]
}

/// A line of user text: plain parts and links (only addresses
/// `Validate.webAddress` accepts). Mustache escapes every part.
struct TextLine {
    let parts: [Part]
    struct Part {
        let text: String
        let link: String?
    }
}

/// The progress view: totals and a row per week.
struct ProgressTable {
    let open: Int
    let late: Int
    let answered: Int
    let done: Int
    let weeks: [Week]
    let hasWeeks: Bool
    struct Week {
        let week: String
        let given: Int
        let answered: Int
        let done: Int
    }
}

/// A member's coachings (`my_coachings.mustache`).
struct MyCoachingsPage: PageModel {
    let coachings: [Row]
    let hasCoachings: Bool
    struct Row {
        let slug: String
        let name: String
        let coach: String
        let ended: Bool
    }
}

/// A coachee's own coaching (`my_coaching.mustache`): the thread, the tasks
/// with their answer forms, the coach's feedback and the history.
struct MyCoachingPage: PageModel {
    /// Where the answer forms post (`…/tasks/{task}/answer`).
    let base: String
    let slug: String
    let name: String
    let coach: String
    let ended: Bool
    let thread: ThreadView
    let sections: [TaskSection]
    let hasTasks: Bool
    let groups: [GroupLink]
    let hasGroups: Bool
    let script: String

    struct GroupLink {
        let name: String
        let link: String
    }
}

/// Taking up an invitation code (`coaching_join.mustache`).
struct CoachingJoinPage: PageModel {
    let code: String
    /// The service the code is for, when the code is live.
    let serviceName: String?
    let signedIn: Bool
    let isStaff: Bool
    /// `next=…` for the sign-up and sign-in links, back here with the code.
    let next: String
    let codeError: String?
}
