import KohtaamoBase

import struct Foundation.Date
import struct Foundation.UUID

package struct Organisation: Sendable, Equatable {
    package var id: UUID
    package var networkID: UUID
    package var names: LocalizedText
}

/// A service as pages and rules need it.
package struct ServiceRecord: Sendable {
    package var id: UUID
    package var organisationID: UUID
    package var slug: String
    package var kind: ServiceKind
    package var names: LocalizedText
    package var descriptions: LocalizedText
    package var languages: [String]
    package var isPublic: Bool
    /// Other organisations of the network that share this service.
    package var sharedWith: [UUID]
    /// Only staff may see it: never listed, never public (the service form keeps it as it is).
    package var staffOnly: Bool = false

    package init(
        id: UUID, organisationID: UUID, slug: String, kind: ServiceKind, names: LocalizedText, descriptions: LocalizedText,
        languages: [String], isPublic: Bool, sharedWith: [UUID], staffOnly: Bool = false
    ) {
        (self.id, self.organisationID, self.slug, self.kind, self.names) = (id, organisationID, slug, kind, names)
        (self.descriptions, self.languages, self.isPublic, self.sharedWith, self.staffOnly) = (
            descriptions, languages, isPublic, sharedWith, staffOnly
        )
    }
}

/// Storage of networks, organisations, services and opening hours.
package protocol NetworkRepository: Sendable {
    func networks() async throws -> [(id: UUID, names: LocalizedText)]
    func createNetwork(slug: String, names: LocalizedText, at: Date) async throws -> UUID
    func organisations(network: UUID) async throws -> [Organisation]
    func organisation(id: UUID) async throws -> Organisation?
    func createOrganisation(network: UUID, names: LocalizedText, at: Date) async throws -> Organisation
    func renameOrganisation(id: UUID, names: LocalizedText) async throws

    func services(network: UUID) async throws -> [ServiceRecord]
    func service(slug: String) async throws -> ServiceRecord?
    func service(id: UUID) async throws -> ServiceRecord?
    /// Fails with `NetworkError.slugTaken` if the slug is in use.
    func saveService(_ service: ServiceRecord, at: Date) async throws -> ServiceRecord
    /// Marks a service staff-only (and so not public), or no longer.
    func setStaffOnly(service: UUID, _ staffOnly: Bool) async throws

    func schedule(service: UUID) async throws -> Schedule
    func replaceWeeklyHours(service: UUID, _ intervals: [WeeklyInterval]) async throws
    /// Adds or replaces the exception of that day.
    func saveException(service: UUID, _ exception: DayException) async throws
    func deleteException(service: UUID, day: LocalDay) async throws
}

package enum NetworkError: Error, Sendable {
    case slugTaken
}
