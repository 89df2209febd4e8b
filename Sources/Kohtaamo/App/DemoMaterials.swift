import Foundation
import KohtaamoBase
import Materials

extension Kohtaamo {
    /// The demo's material bank (`/bank`): a plain-language guide for
    /// clients (a text file), a PDF for staff and a link for clients, added
    /// by the coordinator for the whole network.
    func fillDemoMaterials(coordinator: UUID, organisation: UUID, network: UUID) async throws {
        let p = StaffPrincipal(
            staffID: coordinator, sessionID: UUID(), email: "coordinator@demo.invalid", role: .coordinator, organisationID: organisation,
            networkID: network, workName: "Koordinaattori Anni")
        let bank = materials.service
        var plain = MaterialDraft()
        plain.title = "Pankkitunnukset puhelimessa – selkoopas"
        plain.description = "Lyhyt opas. Näin kirjaudut pankkitunnuksilla verkkopalveluun."
        (plain.themes, plain.audiences, plain.languages, plain.plainLanguage, plain.visibility) =
            (["online_services", "safety"], ["clients", "staff"], ["fi"], true, "network")
        let guide = """
            Tarvitset puhelimen ja pankkitunnukset.
            Avaa pankin sovellus. Kirjoita tunnusluku.
            Älä kerro tunnuslukua kenellekään. Pankki ei koskaan kysy sitä viestillä.
            """
        _ = try await bank.add(plain, file: ("pankkitunnukset-selko.txt", Data(guide.utf8)), by: p)

        var pdf = MaterialDraft()
        pdf.title = "Digitukijan muistilista"
        pdf.description = "Tarkistuslista digitukitilanteisiin kirjastossa ja kotikäynneillä."
        (pdf.themes, pdf.audiences, pdf.languages, pdf.visibility) = (["device_basics", "safety"], ["staff"], ["fi"], "network")
        let lines = [
            "Digitukijan muistilista", "1. Kysy, mitä asiakas haluaa oppia.", "2. Asiakas tekee itse, sinä neuvot.",
            "3. Älä koskaan kirjoita asiakkaan tunnuslukuja.", "4. Kirjastossa voit varata asiakkaalle ajan uudelleen.",
        ]
        _ = try await bank.add(pdf, file: ("digitukijan-muistilista.pdf", MiniPDF.make(lines)), by: p)

        var link = MaterialDraft()
        link.title = "Suomi.fi – tunnistautuminen"
        link.description = "Ohjeet vahvaan sähköiseen tunnistautumiseen julkisissa palveluissa."
        link.url = "https://www.suomi.fi/ohjeet-ja-tuki/tunnistus"
        (link.themes, link.audiences, link.languages, link.visibility) = (["online_services"], ["clients"], ["fi", "sv", "en"], "public")
        _ = try await bank.add(link, file: nil, by: p)
    }
}
