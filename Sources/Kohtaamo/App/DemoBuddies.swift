import Accounts
import DigitalSupport
import Foundation
import KohtaamoBase

extension Kohtaamo {
    /// The demo network's buddy course in plain Finnish: "Näin autat
    /// toista" and "Turvallisuus ja huijaukset", two questions each. The
    /// demo volunteer (`volunteer1@demo.invalid`) has passed the first only,
    /// so a reviewer can take the second and become a buddy.
    func fillDemoBuddies(network: UUID, now: Date) async throws {
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let repository = digital.buddies.repository
        let helping = BuddyModule(
            network: network, position: 0, title: "Näin autat toista",
            text: """
                Digikaveri auttaa asiakasta käyttämään puhelinta, tablettia tai tietokonetta. Sinä et tee asioita asiakkaan puolesta. \
                Näytät, miten asia tehdään. Asiakas tekee itse.

                Kysy ensin, mitä asiakas haluaa oppia. Etene rauhassa. Yksi asia kerrallaan riittää. Kirjoita ohje paperille, jos asiakas haluaa.

                Älä koskaan kysy asiakkaan salasanaa tai pankkitunnuksia. Jos asiakas tarvitsee apua pankkiasioissa, ohjaa hänet työntekijälle.
                """,
            links: [BuddyLink(title: "Digi- ja väestötietovirasto: digituki", url: "https://dvv.fi/digituki")],
            quiz: [
                BuddyQuestion(text: "Kuka painaa nappeja, kun opetat?", options: ["Asiakas itse", "Sinä asiakkaan puolesta"], right: 0),
                BuddyQuestion(
                    text: "Asiakas antaa sinulle pankkitunnuksensa. Mitä teet?",
                    options: ["Kirjaudun hänen puolestaan", "En ota tunnuksia. Ohjaan hänet työntekijälle."], right: 1),
            ], updatedMs: nowMs)
        let safety = BuddyModule(
            network: network, position: 1, title: "Turvallisuus ja huijaukset",
            text: """
                Huijarit lähettävät viestejä, jotka näyttävät oikeilta. Viestissä on usein kiire tai uhkaus. \
                Siinä pyydetään avaamaan linkki tai kertomaan tunnukset.

                Pankki tai poliisi ei koskaan kysy tunnuksia viestillä tai puhelimessa. Jos viesti epäilyttää, älä avaa linkkiä. \
                Soita itse pankkiin tai kysy työntekijältä.

                Jos asiakas on jo antanut tunnukset, hänen pitää soittaa heti pankkiin. Pankki sulkee tunnukset.
                """,
            links: [BuddyLink(title: "Kyberturvallisuuskeskus", url: "https://www.kyberturvallisuuskeskus.fi")],
            quiz: [
                BuddyQuestion(
                    text: "Viestissä pyydetään pankkitunnuksia. Kuka sen todennäköisesti lähetti?", options: ["Pankki", "Huijari"], right: 1),
                BuddyQuestion(
                    text: "Asiakas antoi tunnukset huijarille. Mitä hänen pitää tehdä?",
                    options: ["Odottaa ja katsoa, mitä tapahtuu", "Soittaa heti pankkiin"], right: 1),
            ], updatedMs: nowMs)
        try await repository.saveCourse(network: network, [helping, safety])
        guard let volunteer = try await accounts.service.repository.staff(email: "volunteer1@demo.invalid") else { return }
        try await repository.recordAttempt(staff: volunteer.id, module: helping.id, passed: true, version: helping.version, nowMs: nowMs)
    }
}
