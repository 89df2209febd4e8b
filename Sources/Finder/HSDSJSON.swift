import Foundation

/// The objects of the Open Referral HSDS 3.0 API as this server sends them,
/// with the specification's field names (snake_case). Absent optional
/// fields are left out; arrays of a full object are always there, maybe
/// empty. `tests/hsds/schema/` holds the published schemas they must meet.
enum HSDS {
    struct Page<Item: Encodable>: Encodable {
        let total_items: Int
        let total_pages: Int
        let page_number: Int
        let size: Int
        let first_page: Bool
        let last_page: Bool
        let empty: Bool
        let contents: [Item]
    }

    struct About: Encodable {
        let version: String
        let openapi_url: String
    }

    struct Organization: Encodable {
        let id: String
        let name: String
        let description: String
        /// Only in the full form: the organisation's services (each in the list form, or whole with `full_service`).
        var services: [Service]?
    }

    struct Service: Encodable {
        let id: String
        let organization_id: String
        let name: String
        let description: String?
        let url: String?
        let email: String?
        let status: String
        let application_process: String
        let last_modified: String
        // The full form.
        var organization: Organization?
        var phones: [Phone]?
        var languages: [LanguageItem]?
        var attributes: [Attribute]?
        var service_at_locations: [ServiceAtLocation]?
    }

    struct ServiceAtLocation: Encodable {
        let id: String
        let service_id: String
        let location_id: String
        let description: String?
        var location: Location?
        var schedules: [Schedule]?
        var service: Service?
    }

    struct Location: Encodable {
        let id: String
        let location_type: String
        let organization_id: String
        let name: String
        let description: String
        let url: String?
        var addresses: [Address]?
    }

    struct Address: Encodable {
        let id: String
        let location_id: String
        let address_1: String
        let city: String
        let state_province: String
        let postal_code: String
        let country: String
        let address_type: String
    }

    struct Phone: Encodable {
        let id: String
        let service_id: String
        let number: String
    }

    struct LanguageItem: Encodable {
        let id: String
        let service_id: String
        let name: String
        let code: String
    }

    /// A weekly pattern (freq, wkst, byday), or one day's exception
    /// (valid_from = valid_to = the day; no hours when closed all day).
    struct Schedule: Encodable {
        let id: String
        let service_at_location_id: String
        var valid_from: String? = nil
        var valid_to: String? = nil
        var freq: String? = nil
        var wkst: String? = nil
        var byday: String? = nil
        var opens_at: String? = nil
        var closes_at: String? = nil
        let timezone: Int
        let description: String
        var notes: String? = nil
    }

    struct Attribute: Encodable {
        let id: String
        let link_id: String
        let link_type: String
        let link_entity: String
        let taxonomy_term_id: String
        let taxonomy_term: TaxonomyTerm
    }

    struct Taxonomy: Encodable {
        let id: String
        let name: String
        let description: String
        let version: String
    }

    struct TaxonomyTerm: Encodable {
        let id: String
        let code: String
        let name: String
        let description: String
        let taxonomy: String
        let taxonomy_id: String
        let language: String
    }
}
