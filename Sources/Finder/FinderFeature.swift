import Foundation
import Hummingbird
import KohtaamoBase

/// The public finder of digital help (`/finder`), its exports (HSDS 3 under
/// `/api/hsds/`, iCalendar), and the coordinators' upkeep and import of help points.
package struct FinderFeature: Sendable {
    package let service: FinderService
    package let views: Views

    package init(service: FinderService, views: Views) { (self.service, self.views) = (service, views) }

    package func addRoutes(to router: Router<AppRequestContext>) {
        HSDSController(finder: service, views: views).addRoutes(to: router)
        FinderImportController(importer: FinderImport(finder: service), views: views).addRoutes(to: router)
    }
}
