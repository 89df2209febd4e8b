import Foundation
import KohtaamoBase

/// The product's own questionnaire and profiles, in plain language
/// (Finnish selkokieli: short sentences, common words, one thing a
/// sentence). A network that has saved no questionnaire of its own uses
/// this one; its rules may be edited, the profiles' texts are these.
package enum MappingDefaults {
    private static func q(_ id: String, _ theme: DigitalTheme, _ fi: String, _ sv: String, _ en: String) -> MappingQuestion {
        MappingQuestion(id: id, theme: theme, text: MappingText(fi: fi, sv: sv, en: en))
    }

    package static let questions: [MappingQuestion] = [
        q(
            "device_basics_1", .deviceBasics, "Osaan avata puhelimen tai tabletin.", "Jag kan öppna telefonen eller surfplattan.",
            "I can switch on and unlock my phone or tablet."),
        q(
            "device_basics_2", .deviceBasics, "Osaan ladata laitteen ja päivittää sen.", "Jag kan ladda och uppdatera enheten.",
            "I can charge my device and update it."),
        q(
            "messaging_1", .messaging, "Osaan lähettää viestin ja sähköpostia.", "Jag kan skicka meddelanden och e-post.",
            "I can send a message and an e-mail."),
        q(
            "online_services_1", .onlineServices, "Osaan kirjautua pankin tunnuksilla.", "Jag kan logga in med bankkoder.",
            "I can sign in with my bank codes."),
        q(
            "online_services_2", .onlineServices, "Osaan hoitaa asioita verkossa. Esimerkiksi Kelan asioita.",
            "Jag kan sköta ärenden på nätet. Till exempel hos FPA.", "I can do my errands online, for example with Kela."),
        q(
            "safety_1", .safety, "Tunnistan huijausviestin.", "Jag känner igen ett bedrägeri.",
            "I can tell when a message is a scam."),
        q(
            "safety_2", .safety, "Osaan tehdä hyvän salasanan.", "Jag kan göra ett bra lösenord.", "I can make a good password."),
        q(
            "job_search_1", .jobSearch, "Osaan hakea työpaikkoja verkosta.", "Jag kan söka jobb på nätet.",
            "I can look for jobs online."),
        q(
            "content_1", .content, "Osaan katsoa videoita ja kuunnella musiikkia.", "Jag kan titta på videor och lyssna på musik.",
            "I can watch videos and listen to music."),
    ]

    /// In order, first match wins: little of the basics is a beginner; much
    /// of the basics, messages, services and safety is advanced; much
    /// entertainment but few services is an entertainment user; anyone else
    /// is a practical user.
    package static let rulesText = """
        beginner: device_basics 0-1.5
        advanced: device_basics 2.5-3, messaging 2.5-3, online_services 2.5-3, safety 2.5-3
        entertainment: content 2-3, online_services 0-1.5
        practical: *
        """

    package static var rules: [ProfileRule] {
        guard case .success(let rules) = MappingRules.parse(rulesText) else { return [ProfileRule(profile: .practical, ranges: [])] }
        return rules
    }

    package static var questionnaire: Questionnaire {
        Questionnaire(network: nil, version: 0, questions: questions, rules: rules, savedMs: 0)
    }

    /// A profile as the client reads it: its name, what it means, goals to
    /// pick and material to read.
    package struct Profile: Sendable {
        package var key: MappingProfileKey
        package var name: MappingText
        package var description: MappingText
        package var goals: [(theme: DigitalTheme, text: MappingText)]
        package var material: [(title: MappingText, url: String)]
    }

    private static func t(_ fi: String, _ sv: String, _ en: String) -> MappingText { MappingText(fi: fi, sv: sv, en: en) }

    package static func profile(_ key: MappingProfileKey) -> Profile {
        switch key {
        case .beginner:
            Profile(
                key: key, name: t("Aloittelija", "Nybörjare", "Beginner"),
                description: t(
                    "Laite on sinulle vielä uusi. Aloitamme perusasioista.", "Enheten är ännu ny för dig. Vi börjar med grunderna.",
                    "Your device is still new to you. We start with the basics."),
                goals: [
                    (
                        .deviceBasics,
                        t("Opin avaamaan ja lataamaan puhelimen.", "Jag lär mig öppna och ladda telefonen.", "I learn to unlock and charge my phone.")
                    ),
                    (
                        .messaging,
                        t(
                            "Opin soittamaan ja lähettämään viestin.", "Jag lär mig ringa och skicka meddelanden.",
                            "I learn to call and send a message.")
                    ),
                ],
                material: [
                    (
                        t("Digitaidot: laitteen perusteet", "Digitala färdigheter: grunderna", "Digital skills: device basics"),
                        "https://www.digitaitot.fi/"
                    )
                ])
        case .practical:
            Profile(
                key: key, name: t("Arjen käyttäjä", "Vardagsanvändare", "Practical user"),
                description: t(
                    "Osaat jo perusasiat. Seuraavaksi opit hoitamaan asioita verkossa.", "Du kan redan grunderna. Vi lär oss sköta ärenden på nätet.",
                    "You know the basics. Let us learn to do errands online."),
                goals: [
                    (
                        .onlineServices,
                        t("Opin kirjautumaan pankin tunnuksilla.", "Jag lär mig logga in med bankkoder.", "I learn to sign in with bank codes.")
                    ),
                    (.safety, t("Opin tunnistamaan huijauksen.", "Jag lär mig känna igen bedrägerier.", "I learn to spot a scam.")),
                ],
                material: [
                    (t("Suomi.fi: asioi verkossa", "Suomi.fi: ärenden på nätet", "Suomi.fi: errands online"), "https://www.suomi.fi/"),
                    (t("Huijausten tunnistaminen", "Känna igen bedrägerier", "Spotting scams"), "https://www.kyberturvallisuuskeskus.fi/"),
                ])
        case .entertainment:
            Profile(
                key: key, name: t("Viihdekäyttäjä", "Nöjesanvändare", "Entertainment user"),
                description: t(
                    "Käytät laitetta paljon vapaa-aikana. Voit oppia myös asioimaan verkossa.",
                    "Du använder enheten mycket på fritiden. Vi lär oss också sköta ärenden.",
                    "You use your device a lot for fun. Let us also learn to do errands online."),
                goals: [
                    (
                        .onlineServices,
                        t("Opin hoitamaan yhden asian verkossa.", "Jag lär mig sköta ett ärende på nätet.", "I learn to do one errand online.")
                    ),
                    (.safety, t("Opin tekemään hyvän salasanan.", "Jag lär mig göra ett bra lösenord.", "I learn to make a good password.")),
                ],
                material: [
                    (
                        t("Turvallinen netin käyttö", "Säker användning av nätet", "Using the internet safely"),
                        "https://www.kyberturvallisuuskeskus.fi/"
                    )
                ])
        case .advanced:
            Profile(
                key: key, name: t("Taitava käyttäjä", "Van användare", "Advanced user"),
                description: t(
                    "Osaat jo paljon. Voit opetella uutta tai auttaa muita.", "Du kan redan mycket. Du kan lära dig nytt eller hjälpa andra.",
                    "You know a lot already. You can learn something new or help others."),
                goals: [
                    (
                        .jobSearch,
                        t("Opin tekemään hakemuksen verkossa.", "Jag lär mig göra en ansökan på nätet.", "I learn to make a job application online.")
                    ),
                    (.content, t("Opin tekemään oman videon.", "Jag lär mig göra en egen video.", "I learn to make my own video.")),
                ],
                material: [
                    (t("Työmarkkinatori: hae töitä", "Jobbmarknaden: sök jobb", "Job Market Finland: find work"), "https://tyomarkkinatori.fi/")
                ])
        }
    }
}
