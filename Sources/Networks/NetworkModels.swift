import FluentKit
import KohtaamoBase

import struct Foundation.Date
import struct Foundation.UUID

/// A network of organisations, e.g. a regional digital-support network.
package final class NetworkModel: Model, @unchecked Sendable {
    package static let schema = "networks"
    @ID(key: .id) package var id: UUID?
    @Field(key: "slug") package var slug: String
    @Field(key: "name_fi") package var nameFi: String
    @Field(key: "name_sv") package var nameSv: String
    @Field(key: "name_en") package var nameEn: String
    @Field(key: "created_at") package var createdAt: Date
    package init() {}
    package init(slug: String, names: LocalizedText, createdAt: Date) {
        self.slug = slug
        (nameFi, nameSv, nameEn) = (names.fi, names.sv, names.en)
        self.createdAt = createdAt
    }
    package var names: LocalizedText { .init(fi: nameFi, sv: nameSv, en: nameEn) }
}

/// A member organisation (association, municipal unit, library…).
package final class OrganisationModel: Model, @unchecked Sendable {
    package static let schema = "organisations"
    @ID(key: .id) package var id: UUID?
    @Field(key: "network_id") package var networkID: UUID
    @Field(key: "name_fi") package var nameFi: String
    @Field(key: "name_sv") package var nameSv: String
    @Field(key: "name_en") package var nameEn: String
    @Field(key: "created_at") package var createdAt: Date
    package init() {}
    package init(networkID: UUID, names: LocalizedText, createdAt: Date) {
        self.networkID = networkID
        (nameFi, nameSv, nameEn) = (names.fi, names.sv, names.en)
        self.createdAt = createdAt
    }
    package var names: LocalizedText { .init(fi: nameFi, sv: nameSv, en: nameEn) }
}

/// Something people can use: a support chat, a group, a digital-help desk…
package final class ServiceModel: Model, @unchecked Sendable {
    package static let schema = "services"
    @ID(key: .id) package var id: UUID?
    @Field(key: "organisation_id") package var organisationID: UUID
    @Field(key: "slug") package var slug: String
    @Field(key: "kind") package var kind: String
    @Field(key: "name_fi") package var nameFi: String
    @Field(key: "name_sv") package var nameSv: String
    @Field(key: "name_en") package var nameEn: String
    @Field(key: "description_fi") package var descriptionFi: String
    @Field(key: "description_sv") package var descriptionSv: String
    @Field(key: "description_en") package var descriptionEn: String
    /// Languages served, as codes joined by commas ("fi,sv").
    @Field(key: "languages") package var languages: String
    @Field(key: "is_public") package var isPublic: Bool
    /// Set by the feature that uses the service (a staff-only working group); it can never be public.
    @Field(key: "only_for_staff") package var staffOnly: Bool
    @Field(key: "created_at") package var createdAt: Date
    package init() {}
    package var names: LocalizedText { .init(fi: nameFi, sv: nameSv, en: nameEn) }
    package var descriptions: LocalizedText { .init(fi: descriptionFi, sv: descriptionSv, en: descriptionEn) }
    package var languageCodes: [String] { languages.split(separator: ",").map(String.init) }
}

/// A service shared with another organisation of the network: that
/// organisation's staff may work in it too.
package final class ServiceShareModel: Model, @unchecked Sendable {
    package static let schema = "service_shares"
    @ID(key: .id) package var id: UUID?
    @Field(key: "service_id") package var serviceID: UUID
    @Field(key: "organisation_id") package var organisationID: UUID
    package init() {}
    package init(serviceID: UUID, organisationID: UUID) {
        self.serviceID = serviceID
        self.organisationID = organisationID
    }
}

/// One weekly opening interval, in Europe/Helsinki wall-clock time.
package final class OpeningHoursModel: Model, @unchecked Sendable {
    package static let schema = "opening_hours"
    @ID(key: .id) package var id: UUID?
    @Field(key: "service_id") package var serviceID: UUID
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    @Field(key: "weekday") package var weekday: Int
    /// Minutes after local midnight; `closes` may be 1440 (24.00).
    @Field(key: "opens") package var opens: Int
    @Field(key: "closes") package var closes: Int
    package init() {}
    package init(serviceID: UUID, interval: WeeklyInterval) {
        self.serviceID = serviceID
        (weekday, opens, closes) = (interval.weekday, interval.opens, interval.closes)
    }
}

/// A day that differs from the week's pattern: a holiday, or special hours.
package final class OpeningExceptionModel: Model, @unchecked Sendable {
    package static let schema = "opening_exceptions"
    @ID(key: .id) package var id: UUID?
    @Field(key: "service_id") package var serviceID: UUID
    /// Local date as YYYY-MM-DD.
    @Field(key: "day") package var day: String
    /// nil/nil means closed all day.
    @OptionalField(key: "opens") package var opens: Int?
    @OptionalField(key: "closes") package var closes: Int?
    @Field(key: "note") package var note: String
    package init() {}
}
