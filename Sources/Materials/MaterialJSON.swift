import Foundation
import KohtaamoBase

/// A material as the API answers it (snake_case field names).
struct MaterialJSON: Encodable {
    struct FileJSON: Encodable {
        let id: String
        let version: Int
        let name: String
        let type: String
        let size: Int
        let uploadedAt: String
        /// Where staff download this version.
        let path: String
        init(_ f: MaterialFile) {
            (id, version, name, type, size) = (f.id.text(), f.number, f.name, f.kind.mime, f.size)
            uploadedAt = MaterialPageText.isoTime(f.atMs)
            path = "/api/materials/\(f.material.text())/versions/\(f.id.text())"
        }
    }

    let id: String
    let organisation: String
    let title: String
    let description: String
    let url: String?
    let themes: [String]
    let audiences: [String]
    let languages: [String]
    let plainLanguage: Bool
    let visibility: String
    let updatedAt: String
    let file: FileJSON?
    /// Whether the asker may edit, replace and remove it.
    let mayEdit: Bool
    /// The client's page, for material written for clients.
    let clientPath: String?
    /// In search results: the passage that matched, as text and as HTML
    /// (escaped, the matched words in `<mark>`), and the matched words.
    let snippet: String?
    let snippetHTML: String?
    let matches: [String]?

    init(_ m: Material, viewer: StaffPrincipal, snippet: String? = nil) {
        (id, organisation, title, description, url) = (m.id.text(), m.organisation.text(), m.title, m.description, m.url)
        themes = m.themes.map(\.rawValue)
        audiences = m.audiences.map(\.rawValue)
        languages = m.languages.map(\.rawValue)
        (plainLanguage, visibility) = (m.plainLanguage, m.visibility.rawValue)
        updatedAt = MaterialPageText.isoTime(m.updatedMs)
        file = m.file.map(FileJSON.init)
        mayEdit = MaterialService.mayKeep(viewer, m)
        clientPath = m.forClients ? "/materials/\(m.id.text())" : nil
        self.snippet = snippet.map(MaterialSearch.plain)
        snippetHTML = snippet.map(MaterialSearch.html)
        matches = snippet.map(MaterialSearch.marked)
    }
}

/// A material's fields in a request.
struct MaterialInput: Decodable {
    var title: String?
    var description: String?
    var url: String?
    var themes: [String]?
    var audiences: [String]?
    var languages: [String]?
    var plainLanguage: Bool?
    var visibility: String?

    enum CodingKeys: String, CodingKey {
        case title, description, url, themes, audiences, languages, visibility
        case plainLanguage = "plain_language"
    }

    var draft: MaterialDraft {
        var d = MaterialDraft()
        d.title = title ?? ""
        d.description = description ?? ""
        d.url = url ?? ""
        d.themes = themes ?? []
        d.audiences = audiences ?? []
        d.languages = languages ?? []
        d.plainLanguage = plainLanguage ?? false
        d.visibility = visibility ?? ""
        return d
    }
}
