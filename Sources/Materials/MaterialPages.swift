import KohtaamoBase

/// One choice of a filter or a checkbox group.
struct MaterialChoice {
    let value: String
    let label: String
    let selected: Bool
}

/// The staff's bank: the search form and its results (`materials`).
struct MaterialListPage: PageModel {
    struct Row {
        let id: String
        let title: String
        let description: String?
        /// Escaped HTML with `<mark>` around matched words (`MaterialSearch.html`).
        let snippetHTML: String?
        let facts: String
        let plainLanguage: Bool
        let isLink: Bool
    }
    let words: String
    let themes: [MaterialChoice]
    let audiences: [MaterialChoice]
    let languages: [MaterialChoice]
    let rows: [Row]
    let searched: Bool
    let count: String
    let mayAdd: Bool
    let deleted: Bool
}

/// The form of new material or of its fields (`materials_form`).
struct MaterialFormPage: PageModel {
    let isNew: Bool
    let action: String
    let form: Bool
    /// Not `title`: the layout's page title has that name.
    let titleValue: String
    let description: String
    let url: String
    let themes: [MaterialChoice]
    let audiences: [MaterialChoice]
    let languages: [MaterialChoice]
    let visibilities: [MaterialChoice]
    let plainLanguage: Bool
}

/// One material for staff (`materials_item`): facts, the file's versions,
/// and for those who keep it the forms to edit, replace and remove it.
struct MaterialItemPage: PageModel {
    struct Version {
        let number: Int
        let name: String
        let size: String
        let at: String
        let path: String
        let current: Bool
    }
    let id: String
    /// Not `title`: the layout's page title has that name.
    let heading: String
    let description: String?
    let url: String?
    let facts: [String]
    let plainLanguage: Bool
    let clientPath: String?
    let versions: [Version]
    let isFile: Bool
    let mayEdit: Bool
    let saved: Bool
    let edit: MaterialFormPage?
    let form: Bool
}

/// A material as a client sees it (`material`).
struct MaterialClientPage: PageModel {
    let heading: String
    let description: String?
    let url: String?
    let download: String?
    let fileFacts: String?
    let plainLanguage: Bool
}
