import FluentKit
import Foundation
import KohtaamoBase

/// `NetworkRepository` on Fluent: the same code for SQLite and PostgreSQL.
package struct FluentNetworkRepository: NetworkRepository {
    package let storage: Storage
    package func db() -> any Database { storage.database }
    /// Transactions run through `Storage.write`: on SQLite one at a time, so
    /// a read-then-write never meets another writer's commit (busy snapshot).
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T { try await storage.write(body) }

    package init(storage: Storage) { self.storage = storage }

    package func networks() async throws -> [(id: UUID, names: LocalizedText)] {
        try await NetworkModel.query(on: db()).sort(\.$createdAt).all().map { ($0.id!, $0.names) }
    }

    package func createNetwork(slug: String, names: LocalizedText, at: Date) async throws -> UUID {
        let n = NetworkModel(slug: slug, names: names, createdAt: at)
        try await n.create(on: db())
        return n.id!
    }

    private func organisation(_ m: OrganisationModel) -> Organisation {
        Organisation(id: m.id!, networkID: m.networkID, names: m.names)
    }

    package func organisations(network: UUID) async throws -> [Organisation] {
        try await OrganisationModel.query(on: db()).filter(\.$networkID == network).sort(\.$nameFi).all().map(organisation)
    }

    package func organisation(id: UUID) async throws -> Organisation? {
        try await OrganisationModel.find(id, on: db()).map(organisation)
    }

    package func createOrganisation(network: UUID, names: LocalizedText, at: Date) async throws -> Organisation {
        let m = OrganisationModel(networkID: network, names: names, createdAt: at)
        try await m.create(on: db())
        return organisation(m)
    }

    package func renameOrganisation(id: UUID, names: LocalizedText) async throws {
        try await OrganisationModel.query(on: db()).filter(\.$id == id)
            .set(\.$nameFi, to: names.fi).set(\.$nameSv, to: names.sv).set(\.$nameEn, to: names.en).update()
    }

    private func records(_ models: [ServiceModel]) async throws -> [ServiceRecord] {
        let ids = models.compactMap(\.id)
        let shares = ids.isEmpty ? [] : try await ServiceShareModel.query(on: db()).filter(\.$serviceID ~~ ids).all()
        let byService = Dictionary(grouping: shares, by: \.serviceID)
        return models.map { m in
            ServiceRecord(
                id: m.id!, organisationID: m.organisationID, slug: m.slug, kind: ServiceKind(rawValue: m.kind) ?? .other,
                names: m.names, descriptions: m.descriptions, languages: m.languageCodes, isPublic: m.isPublic,
                sharedWith: (byService[m.id!] ?? []).map(\.organisationID), staffOnly: m.staffOnly)
        }
    }

    package func services(network: UUID) async throws -> [ServiceRecord] {
        let orgs = try await OrganisationModel.query(on: db()).filter(\.$networkID == network).all().compactMap(\.id)
        guard !orgs.isEmpty else { return [] }
        return try await records(ServiceModel.query(on: db()).filter(\.$organisationID ~~ orgs).sort(\.$nameFi).all())
    }

    package func service(slug: String) async throws -> ServiceRecord? {
        try await records(ServiceModel.query(on: db()).filter(\.$slug == slug).all()).first
    }

    package func service(id: UUID) async throws -> ServiceRecord? {
        try await records(ServiceModel.query(on: db()).filter(\.$id == id).all()).first
    }

    package func saveService(_ s: ServiceRecord, at: Date) async throws -> ServiceRecord {
        try await write { tx in
            if try await ServiceModel.query(on: tx).filter(\.$slug == s.slug).filter(\.$id != s.id).count() > 0 {
                throw NetworkError.slugTaken
            }
            let existing = try await ServiceModel.find(s.id, on: tx)
            let m = existing ?? ServiceModel()
            m.id = s.id
            m.organisationID = s.organisationID
            m.slug = s.slug
            m.kind = s.kind.rawValue
            (m.nameFi, m.nameSv, m.nameEn) = (s.names.fi, s.names.sv, s.names.en)
            (m.descriptionFi, m.descriptionSv, m.descriptionEn) = (s.descriptions.fi, s.descriptions.sv, s.descriptions.en)
            m.languages = s.languages.joined(separator: ",")
            // A staff-only service stays out of public view whatever the record says.
            m.isPublic = s.isPublic && !(existing?.staffOnly ?? false)
            if existing == nil {
                m.staffOnly = false
                m.createdAt = at
                try await m.create(on: tx)
            } else {
                try await m.update(on: tx)
            }
            try await ServiceShareModel.query(on: tx).filter(\.$serviceID == s.id).delete()
            for org in Set(s.sharedWith) where org != s.organisationID {
                try await ServiceShareModel(serviceID: s.id, organisationID: org).create(on: tx)
            }
            return s
        }
    }

    package func setStaffOnly(service: UUID, _ staffOnly: Bool) async throws {
        try await write { tx in
            let q = ServiceModel.query(on: tx).filter(\.$id == service).set(\.$staffOnly, to: staffOnly)
            if staffOnly { q.set(\.$isPublic, to: false) }
            try await q.update()
        }
    }

    package func schedule(service: UUID) async throws -> Schedule {
        let weekly = try await OpeningHoursModel.query(on: db()).filter(\.$serviceID == service).all()
            .map { WeeklyInterval(weekday: $0.weekday, opens: $0.opens, closes: $0.closes) }
        let exceptions = try await OpeningExceptionModel.query(on: db()).filter(\.$serviceID == service).all()
            .compactMap { e -> DayException? in
                guard let day = LocalDay(e.day) else { return nil }
                let hours = e.opens.flatMap { o in e.closes.map { (opens: o, closes: $0) } }
                return DayException(day: day, hours: hours, note: e.note)
            }
        return Schedule(weekly: weekly, exceptions: exceptions)
    }

    package func replaceWeeklyHours(service: UUID, _ intervals: [WeeklyInterval]) async throws {
        try await write { tx in
            try await OpeningHoursModel.query(on: tx).filter(\.$serviceID == service).delete()
            for i in intervals { try await OpeningHoursModel(serviceID: service, interval: i).create(on: tx) }
        }
    }

    package func saveException(service: UUID, _ e: DayException) async throws {
        try await write { tx in
            try await OpeningExceptionModel.query(on: tx).filter(\.$serviceID == service).filter(\.$day == e.day.description).delete()
            let m = OpeningExceptionModel()
            m.serviceID = service
            m.day = e.day.description
            m.opens = e.hours?.opens
            m.closes = e.hours?.closes
            m.note = e.note
            try await m.create(on: tx)
        }
    }

    package func deleteException(service: UUID, day: LocalDay) async throws {
        try await OpeningExceptionModel.query(on: db()).filter(\.$serviceID == service).filter(\.$day == day.description).delete()
    }
}
