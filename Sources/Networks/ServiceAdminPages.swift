import KohtaamoBase

/// The services of the organisations a coordinator manages (`admin_services.mustache`).
struct ServicesAdminPage: PageModel {
    let services: [Service]
    let hasServices: Bool

    struct Service {
        let id: String
        let slug: String
        let name: String
        let organisation: String
        let kind: String
        let isPublic: Bool
        let status: String
    }
}

/// A choice of a select on the service form.
struct ServiceFormOption {
    let value: String
    let label: String
    let selected: Bool
}

/// A checkbox of the service form.
struct ServiceFormBox {
    let value: String
    let label: String
    let checked: Bool
}

/// A new or existing service's form (`service_form.mustache`).
struct ServiceFormPage: PageModel {
    let hasShares: Bool
    let isNew: Bool
    let id: String
    let action: String
    let slug: String
    let nameFi: String
    let nameSv: String
    let nameEn: String
    let descriptionFi: String
    let descriptionSv: String
    let descriptionEn: String
    let isPublic: Bool
    let kinds: [ServiceFormOption]
    let languages: [ServiceFormBox]
    let organisations: [ServiceFormOption]
    let shares: [ServiceFormBox]
}

/// A service's opening hours: the week and the exceptions (`hours_form.mustache`).
struct HoursPage: PageModel {
    let id: String
    let name: String
    let slug: String
    let days: [Day]
    let exceptions: [Exception]
    let hasExceptions: Bool
    let status: String
    /// A new exception as sent, when the form comes back with an error.
    let exDay: String
    let exOpens: String
    let exCloses: String
    let exNote: String
    let exClosed: Bool
    let saved: Bool

    struct Day {
        let weekday: Int
        let label: String
        let opens: String
        let closes: String
        let errOpens: String?
    }

    struct Exception {
        let day: String
        let hours: String
        let note: String?
    }
}
