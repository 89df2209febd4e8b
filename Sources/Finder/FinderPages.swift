import Foundation
import KohtaamoBase

/// `/finder` (`finder.mustache`): the municipalities with digital help. Also
/// the friendly answer to an unknown municipality (404), with the list to pick from.
struct FinderIndexPage: PageModel {
    struct Item { let name: String; let href: String }
    let municipalities: [Item]
    let hasMunicipalities: Bool
    /// The slug asked for had no help: say so above the list.
    let notFound: Bool
}

/// `/finder/{slug}` (`finder_municipality.mustache`): the search form, the
/// help points that match it and the coming happenings. Everything is
/// already in words; the page needs no script.
struct FinderMunicipalityPage: PageModel {
    struct Option { let value: String; let label: String; let selected: Bool }

    struct PointView {
        let anchor: String
        let name: String
        let organisation: String?
        let description: String?
        let place: String
        /// "Kaarlenväylä 3, 90100 Oulu"; nil online.
        let address: String?
        let access: String
        /// By appointment (or either): the organisation's page where a registered client books a time of digital support.
        let book: String?
        /// Opening hours, for a point that has them.
        let hours: Hours?
        let themes: String
        let languages: String
        let phone: String?
        let phoneHref: String?
        let email: String?
        let url: String?
        let chat: Chat?
    }

    struct Hours {
        let open: Bool
        let status: String
        let weekly: [ScheduleText.WeekRow]
        let exceptions: [ScheduleText.ExceptionRow]
        let hasExceptions: Bool
    }

    struct Chat { let open: Bool; let href: String }

    struct HappeningView {
        let title: String
        let kind: String
        let when: String
        let place: String
        let description: String?
        /// "No registration needed." or the seats left.
        let note: String
        let link: String?
        let cancelled: Bool
    }

    /// "Digituki: Oulu".
    let heading: String
    let slug: String
    let themes: [Option]
    let languages: [Option]
    /// "3 of 5 places match" (or "Places: 5" without a search); nil when the search was refused.
    let count: String?
    let searched: Bool
    let points: [PointView]
    let noResults: Bool
    let happenings: [HappeningView]
    let hasHappenings: Bool
    /// The happenings are listed (not when the search was refused).
    let showHappenings: Bool
}
