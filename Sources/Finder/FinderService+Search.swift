import Foundation
import KohtaamoBase

extension FinderService {
    /// A municipality by its slug; nil if no help point names it.
    package func municipality(slug: String) async throws -> Municipality? { try await repository.municipality(slug: slug) }

    /// What a municipality's search offers: the themes (in `DigitalTheme`'s
    /// order) and the language codes of its points, so no choice leads to nothing.
    package func choices(municipality slug: String) async throws -> (themes: [DigitalTheme], languages: Set<String>) {
        let all = try await repository.points(municipality: slug)
        return (DigitalTheme.allCases.filter { theme in all.contains { $0.themes.contains(theme) } }, Set(all.flatMap(\.languages)))
    }
}
