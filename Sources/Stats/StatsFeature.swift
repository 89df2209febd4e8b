import Foundation
import Hummingbird
import KohtaamoBase

/// Statistics for coordinators and funders: every feature's figures
/// (`FigureSource`, listed by the composition root), rolled up per
/// service or organisation and per week or month, suppressed so that no
/// client can be told apart, as a page with charts and tables, CSV and JSON.
package struct StatsFeature: Sendable {
    package let sources: [any FigureSource]
    package let services: any ServiceDirectory
    package let views: Views
    package let clock: AppClock

    package init(sources: [any FigureSource], services: any ServiceDirectory, views: Views, clock: AppClock) {
        (self.sources, self.services, self.views, self.clock) = (sources, services, views, clock)
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        StatsPagesController(stats: self).addRoutes(to: router)
        StatsAPIController(stats: self).addRoutes(to: router)
    }

    /// The request read and the suppressed report made, or the refusal as an `AppError`.
    package func report(_ request: Request, staff: StaffPrincipal, language: Language) async throws -> (StatsRequest, StatsReport) {
        let asked: StatsRequest
        do {
            asked = try await StatsRequest.read(request, staff: staff, services: services, today: HelsinkiDay(clock.now), language: language)
        } catch let r as StatsRefusal {
            throw r.appError
        }
        let text = { (key: String) in views.localizer.t(key, language) }
        let report = try await StatsReport.make(
            sources: sources, query: asked.query, length: asked.length, scope: asked.scope, language: language, text: text)
        return (asked, report)
    }
}
