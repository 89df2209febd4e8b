import KohtaamoBase

/// The coordinators' view of the chats (`supervisor.mustache`): per service
/// the queue, the workers on shift and the active chats; and each worker's
/// limit of chats at once.
struct SupervisorPage: PageModel {
    let services: [Service]
    let hasServices: Bool
    let limits: [Limit]

    struct Service {
        let name: String
        let waiting: Int
        /// Minutes the longest-waiting client has waited.
        let longest: Int
        let workers: [Worker]
        let hasWorkers: Bool
        let chats: [Chat]
        let hasChats: Bool
    }

    struct Worker {
        let name: String
        let count: Int
    }

    struct Chat {
        let id: String
        let nickname: String
        let worker: String
        let minutes: Int
    }

    struct Limit {
        let id: String
        let name: String
        let max: Int
    }
}

/// The reason asked before a transcript is opened (`transcript_form.mustache`).
struct TranscriptFormPage: PageModel {
    let id: String
    let nickname: String
    /// The reason written, sent back with an error.
    var reason: String?
}

/// A chat's transcript (`transcript.mustache`).
struct TranscriptPage: PageModel {
    let nickname: String
    let messages: [Message]
    let hasMessages: Bool

    struct Message {
        let from: String
        let role: String
        let body: String
        let at: String
    }
}
