import KohtaamoBase

/// A worker's console (`console.mustache`): the services to take a shift
/// in; the script builds the chats from `active` and the toolkit `kit`.
struct ConsolePage: PageModel {
    let services: [ShiftService]
    let hasServices: Bool
    /// The worker's active chats as JSON, for the script.
    let active: String
    let kit: String
    /// From `Views.scriptTexts` (`name`, `text`).
    let texts: [[String: String]]
    let script: String

    struct ShiftService {
        let slug: String
        let name: String
        /// On shift now (or the only service, ticked).
        let on: Bool
    }
}
