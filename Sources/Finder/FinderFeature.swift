import Foundation
import Hummingbird
import KohtaamoBase
import Logging

/// The public finder of digital help (`/finder`), its exports (HSDS 3 under
/// `/api/hsds/`, iCalendar), and the coordinators' upkeep and import of help points.
package struct FinderFeature: Sendable {
    package let service: FinderService
    package let views: Views
    /// The site's public address (`KOHTAAMO_PUBLIC_URL`), for absolute links in calendar feeds.
    package let publicURL: String?

    package init(service: FinderService, views: Views, publicURL: String? = nil) {
        (self.service, self.views, self.publicURL) = (service, views, publicURL)
    }

    /// The finder's part of the statistics, and its writer of sampled visits.
    package var figureSource: any FigureSource { FinderFigures(finder: service) }
    package var figureSampler: any FigureSampler { FinderFigureSampler(finder: service) }
    /// Writes the counted visits every minute and at shutdown (one of the app's services).
    package func visitFlusher(logger: Logger) -> FinderVisitFlusher { FinderVisitFlusher(visits: service.visits, logger: logger) }

    package func addRoutes(to router: Router<AppRequestContext>) {
        FinderPagesController(service: service, views: views, publicURL: publicURL).addRoutes(to: router)
        FinderAPIController(finder: service, views: views).addRoutes(to: router)
        FinderUpkeepPagesController(finder: service, views: views).addRoutes(to: router)
        HSDSController(finder: service, views: views).addRoutes(to: router)
        FinderImportController(importer: FinderImport(finder: service), views: views).addRoutes(to: router)
    }
}
