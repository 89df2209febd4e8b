import KohtaamoBase

/// The chat services a coordinator manages, with each one's retention time (`chat_settings.mustache`).
struct ChatSettingsPage: PageModel {
    let services: [Service]
    let hasServices: Bool
    let saved: Bool

    struct Service {
        let id: String
        let name: String
        /// The days as kept, or as sent when refused.
        let days: String
        let daysError: String?
    }
}

/// A chat service's topics (`chat_topics_form.mustache`).
struct ChatTopicsPage: PageModel {
    let serviceID: String
    let name: String
    let topics: [Topic]
    let hasTopics: Bool
    let saved: Bool
    /// A new topic's labels as sent, when the form comes back with an error.
    let labelFi: String
    let labelSv: String
    let labelEn: String

    struct Topic {
        let id: String
        let fi: String
        let sv: String
        let en: String
    }
}
