import KohtaamoBase

/// The coordinators' front page (`admin_home.mustache`).
struct AdminHomePage: PageModel {
    let isNetworkCoordinator: Bool
}
