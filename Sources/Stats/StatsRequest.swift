import Foundation
import Hummingbird
import KohtaamoBase

/// What a statistics request asks, read from its query (`length`, `from`,
/// `until`, `organisation`) and checked against who asks: a coordinator
/// sees their organisation per service; a network coordinator the network
/// per organisation, or one organisation of it per service.
package struct StatsRequest: Sendable {
    package var length: FigurePeriodLength
    package var from: HelsinkiDay
    package var until: HelsinkiDay
    /// The organisation a network coordinator picked (nil: the whole network).
    package var organisation: UUID?
    package var query: FigureQuery
    package var scope: StatsScope
    /// The organisations the asker may pick, with their names (a network coordinator's).
    package var choices: [(id: UUID, name: String)]

    /// At most two years (and a leap day).
    package static let maxDays = 731

    package static func read(
        _ request: Request, staff: StaffPrincipal, services: any ServiceDirectory, today: HelsinkiDay, language: Language
    ) async throws -> StatsRequest {
        let q = request.uri.queryParameters
        let value = { (name: String) -> String? in q[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        guard let length = FigurePeriodLength(rawValue: value("length") ?? "week") else { throw StatsRefusal.badLength }
        // The default: the last 12 weeks, this one included.
        let until = try day(value("until")) ?? today
        let from = try day(value("from")) ?? until.monday.adding(days: -77)
        guard from <= until, until.days(since: from) <= maxDays else { throw StatsRefusal.badRange }
        var organisation: UUID?
        if let text = value("organisation") {
            guard let id = UUID(uuidString: text) else { throw StatsRefusal.organisationNotFound }
            organisation = id
        }
        var choices: [(id: UUID, name: String)] = []
        let organisations: [UUID]
        let units: StatsScope.Units
        var names: [UUID: String] = [:]
        switch staff.role {
        case .networkCoordinator:
            choices = try await services.organisations(network: staff.networkID, language: language)
            if let organisation {
                guard choices.contains(where: { $0.id == organisation }) else { throw StatsRefusal.organisationNotFound }
                (organisations, units) = ([organisation], .services(organisation: organisation))
            } else {
                (organisations, units) = (choices.map(\.id), .organisations)
                for c in choices { names[c.id] = c.name }
            }
        case .coordinator:
            guard organisation == nil || organisation == staff.organisationID else { throw StatsRefusal.organisationNotFound }
            (organisations, units) = ([staff.organisationID], .services(organisation: staff.organisationID))
        case .worker, .volunteer: throw StatsRefusal.organisationNotFound
        }
        if case .services(let owner) = units {
            for s in try await services.services(organisation: owner) { names[s.id] = s.names.in(language) }
        }
        let query = FigureQuery(organisations: organisations, from: from, until: until, length: length)
        return StatsRequest(
            length: length, from: from, until: until, organisation: organisation, query: query,
            scope: StatsScope(organisations: organisations, units: units, names: names), choices: choices)
    }

    static func day(_ text: String?) throws(StatsRefusal) -> HelsinkiDay? {
        guard let text else { return nil }
        guard let day = HelsinkiDay(text), (2000...2100).contains(day.year) else { throw .badDay }
        return day
    }

    /// The query part that asks the same again (for the CSV links).
    package var queryText: String {
        var parts = ["length=\(length.rawValue)", "from=\(from)", "until=\(until)"]
        if let organisation { parts.append("organisation=\(organisation.text())") }
        return parts.joined(separator: "&")
    }
}
