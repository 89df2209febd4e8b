import FluentKit
import struct Foundation.Date
import struct Foundation.UUID

/// A network of organisations, e.g. a regional digital-support network.
public final class NetworkModel: Model, @unchecked Sendable {
    public static let schema = "networks"
    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "name_fi") public var nameFi: String
    @Field(key: "name_sv") public var nameSv: String
    @Field(key: "name_en") public var nameEn: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
    public init(slug: String, names: LocalizedText, createdAt: Date) {
        self.slug = slug
        (nameFi, nameSv, nameEn) = (names.fi, names.sv, names.en)
        self.createdAt = createdAt
    }
    public var names: LocalizedText { .init(fi: nameFi, sv: nameSv, en: nameEn) }
}

/// A member organisation (association, municipal unit, library…).
public final class OrganisationModel: Model, @unchecked Sendable {
    public static let schema = "organisations"
    @ID(key: .id) public var id: UUID?
    @Field(key: "network_id") public var networkID: UUID
    @Field(key: "name_fi") public var nameFi: String
    @Field(key: "name_sv") public var nameSv: String
    @Field(key: "name_en") public var nameEn: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
    public init(networkID: UUID, names: LocalizedText, createdAt: Date) {
        self.networkID = networkID
        (nameFi, nameSv, nameEn) = (names.fi, names.sv, names.en)
        self.createdAt = createdAt
    }
    public var names: LocalizedText { .init(fi: nameFi, sv: nameSv, en: nameEn) }
}

/// Something people can use: a support chat, a group, a digital-help desk…
public final class ServiceModel: Model, @unchecked Sendable {
    public static let schema = "services"
    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "slug") public var slug: String
    @Field(key: "kind") public var kind: String
    @Field(key: "name_fi") public var nameFi: String
    @Field(key: "name_sv") public var nameSv: String
    @Field(key: "name_en") public var nameEn: String
    @Field(key: "description_fi") public var descriptionFi: String
    @Field(key: "description_sv") public var descriptionSv: String
    @Field(key: "description_en") public var descriptionEn: String
    /// Languages served, as codes joined by commas ("fi,sv").
    @Field(key: "languages") public var languages: String
    @Field(key: "is_public") public var isPublic: Bool
    /// Set by the feature that uses the service (a staff-only working group); it can never be public.
    @Field(key: "only_for_staff") public var staffOnly: Bool
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
    public var names: LocalizedText { .init(fi: nameFi, sv: nameSv, en: nameEn) }
    public var descriptions: LocalizedText { .init(fi: descriptionFi, sv: descriptionSv, en: descriptionEn) }
    public var languageCodes: [String] { languages.split(separator: ",").map(String.init) }
}

/// A service shared with another organisation of the network: that
/// organisation's staff may work in it too.
public final class ServiceShareModel: Model, @unchecked Sendable {
    public static let schema = "service_shares"
    @ID(key: .id) public var id: UUID?
    @Field(key: "service_id") public var serviceID: UUID
    @Field(key: "organisation_id") public var organisationID: UUID
    public init() {}
    public init(serviceID: UUID, organisationID: UUID) {
        self.serviceID = serviceID
        self.organisationID = organisationID
    }
}

/// One weekly opening interval, in Europe/Helsinki wall-clock time.
public final class OpeningHoursModel: Model, @unchecked Sendable {
    public static let schema = "opening_hours"
    @ID(key: .id) public var id: UUID?
    @Field(key: "service_id") public var serviceID: UUID
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    @Field(key: "weekday") public var weekday: Int
    /// Minutes after local midnight; `closes` may be 1440 (24.00).
    @Field(key: "opens") public var opens: Int
    @Field(key: "closes") public var closes: Int
    public init() {}
    public init(serviceID: UUID, interval: WeeklyInterval) {
        self.serviceID = serviceID
        (weekday, opens, closes) = (interval.weekday, interval.opens, interval.closes)
    }
}

/// A day that differs from the week's pattern: a holiday, or special hours.
public final class OpeningExceptionModel: Model, @unchecked Sendable {
    public static let schema = "opening_exceptions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "service_id") public var serviceID: UUID
    /// Local date as YYYY-MM-DD.
    @Field(key: "day") public var day: String
    /// nil/nil means closed all day.
    @OptionalField(key: "opens") public var opens: Int?
    @OptionalField(key: "closes") public var closes: Int?
    @Field(key: "note") public var note: String
    public init() {}
}

