import KohtaamoBase

/// The organisations a coordinator manages, and a new one's form (`admin_organisations.mustache`).
struct OrganisationsAdminPage: PageModel {
    let organisations: [Organisation]
    let canCreate: Bool
    let form = true
    /// A new organisation's names as sent, when the form comes back with an error.
    let nameFi: String
    let nameSv: String
    let nameEn: String

    struct Organisation {
        let id: String
        let name: String
    }
}

/// An organisation's names (`organisation_form.mustache`).
struct OrganisationFormPage: PageModel {
    let id: String
    let name: String
    let nameFi: String
    let nameSv: String
    let nameEn: String
}
