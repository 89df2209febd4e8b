import Foundation
import Hummingbird
import KohtaamoBase

/// The console's material picker (`GET /api/support/materials?q=`): client
/// material of the bank the worker may see (through `MaterialDirectory`;
/// chat never reaches into the Materials feature), whose title has the
/// words, each with the link the reply carries: absolute on the site's
/// public address when one is configured (the client may read the reply
/// elsewhere), else the path.
struct ChatMaterialsController: Sendable {
    let materials: (any MaterialDirectory)?
    let publicURL: String?

    static let maxQuery = 200
    static let maxResults = 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/support", context: StaffContext.self).get("materials", use: list)
    }

    struct Item: Encodable {
        let id: String
        let title: String
        let path: String
        let url: String
    }

    /// The link a reply carries to `path`.
    static func url(_ path: String, publicURL: String?) -> String {
        guard let base = publicURL?.trimmingCharacters(in: .whitespaces), !base.isEmpty else { return path }
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }

    func list(_ request: Request, context: StaffContext) async throws -> Response {
        let q = (request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        guard q.unicodeScalars.count <= Self.maxQuery, !q.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw AppError(.badRequest, code: "material_bad_query")
        }
        let words = q.lowercased().split(separator: " ").map(String.init)
        let found = try await materials?.clientMaterials(for: context.staff) ?? []
        let items = found.filter { m in words.allSatisfy { m.title.lowercased().contains($0) } }.prefix(Self.maxResults)
            .map { Item(id: $0.id.uuidString.lowercased(), title: $0.title, path: $0.path, url: Self.url($0.path, publicURL: publicURL)) }
        return try JSONResponse.make(Array(items))
    }
}
