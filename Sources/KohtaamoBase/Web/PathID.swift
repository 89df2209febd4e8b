import Foundation
import Hummingbird

extension RequestContext {
    /// The UUID in the route's `{name}`; anything else names nothing, so 404 (never a 400 that tells ids apart).
    package func pathID(_ name: String) throws -> UUID {
        guard let id = parameters.get(name).flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        return id
    }
}
