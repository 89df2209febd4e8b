import Foundation
import KohtaamoBase

/// A material suggested with a mapping's profile: a title and where it opens.
package struct SuggestedMaterial: Sendable, Equatable {
    package var title: String
    package var url: String
}

extension DigitalService {
    /// What the client may read next, as the progress page and the mapping
    /// JSON both give it (one list, so they never differ): the bank's client
    /// material on the profile's themes in the reader's language (at most
    /// three, plain language first, through `MaterialDirectory`), then the
    /// profile's built-in links.
    package func suggestedMaterial(_ m: Mapping, language: Language) async throws -> [SuggestedMaterial] {
        let profile = MappingDefaults.profile(m.profile)
        let builtIn = profile.material.map { SuggestedMaterial(title: $0.title.text(language), url: $0.url) }
        guard let materials, let network = m.network else { return builtIn }
        let bank = try await materials.clientMaterials(
            network: network, organisation: m.organisation, themes: profile.goals.map(\.theme), language: language, limit: 3)
        return bank.map { SuggestedMaterial(title: $0.title, url: $0.path) } + builtIn
    }
}
