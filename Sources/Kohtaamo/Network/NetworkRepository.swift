import struct Foundation.Date
import struct Foundation.UUID

public struct Organisation: Sendable, Equatable {
    public var id: UUID
    public var networkID: UUID
    public var names: LocalizedText
}

/// A service as pages and rules need it.
public struct ServiceRecord: Sendable {
    public var id: UUID
    public var organisationID: UUID
    public var slug: String
    public var kind: ServiceKind
    public var names: LocalizedText
    public var descriptions: LocalizedText
    public var languages: [String]
    public var isPublic: Bool
    /// Other organisations of the network that share this service.
    public var sharedWith: [UUID]
    /// Only staff may see it: never listed, never public (the service form keeps it as it is).
    public var staffOnly: Bool = false
}

/// Storage of networks, organisations, services and opening hours.
public protocol NetworkRepository: Sendable {
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

public enum NetworkError: Error, Sendable {
    case slugTaken
}
