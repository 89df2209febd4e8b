import KohtaamoBase

/// The front page (`home.mustache`): each network with its public services.
struct HomePage: PageModel {
    let networks: [NetworkSection]

    struct NetworkSection {
        let anchor: String
        let name: String
        let services: [ServiceCard]
        let hasServices: Bool

        init(anchor: String, name: String, services: [ServiceCard]) {
            self.anchor = anchor
            self.name = name
            self.services = services
            hasServices = !services.isEmpty
        }
    }

    struct ServiceCard {
        let slug: String
        let name: String
        let description: String?
        let kind: String
        let open: Bool
        let status: String
    }
}
