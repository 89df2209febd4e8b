import KohtaamoBase

/// The audit log of the coordinator's organisations, newest first (`audit.mustache`).
struct AuditPage: PageModel {
    let entries: [Entry]
    let hasEntries: Bool
    let showOrganisation: Bool
    /// The link to the next (older) page, when there may be one.
    let older: String?

    struct Entry {
        let at: String
        let who: String
        let organisation: String
        let action: String
        let target: String
        let reason: String?
    }
}
