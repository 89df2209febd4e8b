import Foundation
import KohtaamoBase

/// Who a material is written for.
package enum MaterialAudience: String, Sendable, CaseIterable, Codable {
    case staff, clients
}

/// Which organisations' staff find a material: its own organisation's, the
/// whole network's, or everyone's (a public guide other networks may use too).
package enum MaterialVisibility: String, Sendable, CaseIterable, Codable {
    case organisation, network, `public`
}

/// The languages a material is written in. The first one listed chooses the
/// search configuration on PostgreSQL (see `MaterialSearch`).
package enum MaterialLanguage: String, Sendable, CaseIterable, Codable {
    case fi, sv, en
}

/// A piece of material in the network's bank: a file (with its versions)
/// or a link. Themes are the platform's `DigitalTheme`s: the same words the
/// needs mapping and the finder use, so a client's goal and a help point's
/// theme lead to material on the same theme.
package struct Material: Sendable, Equatable {
    package var id: UUID
    package var organisation: UUID
    package var network: UUID
    package var title: String
    package var description: String
    /// A link's address; nil for a file.
    package var url: String?
    package var themes: [DigitalTheme]
    package var audiences: [MaterialAudience]
    package var languages: [MaterialLanguage]
    package var plainLanguage: Bool
    package var visibility: MaterialVisibility
    package var createdBy: UUID
    package var createdMs: Int64
    package var updatedMs: Int64
    /// The file's current version (nil for a link).
    package var file: MaterialFile?

    package var isFile: Bool { url == nil }
    package var forClients: Bool { audiences.contains(.clients) }
}

/// One version of a material's file, without its bytes.
package struct MaterialFile: Sendable, Equatable {
    package var id: UUID
    package var material: UUID
    /// 1 for the first file, one more for each replacement.
    package var number: Int
    package var name: String
    package var kind: FileKind
    package var size: Int
    package var uploadedBy: UUID
    package var atMs: Int64
}

/// What a form or a JSON body gives of a material (the file comes apart).
package struct MaterialDraft: Sendable, Equatable {
    package var title = ""
    package var description = ""
    package var url = ""
    package var themes: [String] = []
    package var audiences: [String] = []
    package var languages: [String] = []
    package var plainLanguage = false
    package var visibility = ""
    package init() {}
}

/// One search hit: the material, its rank (higher is better) and the
/// passage that matched, with the matching words between `Snippet.open`
/// and `Snippet.close`.
package struct MaterialHit: Sendable {
    package var material: Material
    package var rank: Double
    package var snippet: String
}

/// A search: words (maybe none) and filters.
package struct MaterialQuery: Sendable, Equatable {
    package var words = ""
    package var theme: DigitalTheme?
    package var audience: MaterialAudience?
    package var language: MaterialLanguage?
    package init(words: String = "", theme: DigitalTheme? = nil, audience: MaterialAudience? = nil, language: MaterialLanguage? = nil) {
        (self.words, self.theme, self.audience, self.language) = (words, theme, audience, language)
    }
}
