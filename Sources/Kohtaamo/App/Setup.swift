import Accounts
import Foundation
import KohtaamoBase
import Networks

/// Filling a database: the demo network, and the first administrator.
extension Kohtaamo {
    package enum SetupError: Error, CustomStringConvertible {
        case notEmpty
        case emailTaken(String)
        case badInput(String)
        package var description: String {
            switch self {
            case .notEmpty: "The database already holds data; demo changed nothing."
            case .emailTaken(let e): "An account with the email \(e) already exists."
            case .badInput(let s): s
            }
        }
    }

    /// Is there anything in the database yet?
    package func isEmpty() async throws -> Bool {
        let noNetworks = try await network.repository.networks().isEmpty
        let noStaff = try await accounts.service.repository.countStaff() == 0
        return noNetworks && noStaff
    }

    /// The demo network of `../shared/PROTOCOL.md`: two organisations sharing
    /// the support chat `tukichat` (open around the clock), workers
    /// worker1…workerN, a coordinator and a network coordinator, all with `password`;
    /// and a third, Oulu City Library, with the finder's help points (`fillDemoFinder`).
    /// `statistics`: also weeks of sampled activity for the statistics'
    /// charts (the commands; the test suite's demo stays without them).
    package func fillDemo(password: String, workers: Int = 2, statistics: Bool = false) async throws {
        guard try await isEmpty() else { throw SetupError.notEmpty }
        if let problem = AccountService.passwordProblem(password) { throw SetupError.badInput("--password: \(views.localizer.t(problem, .en))") }
        guard (1...500).contains(workers) else { throw SetupError.badInput("--workers: must be 1–500") }
        let now = clock.now
        let repo = network.repository
        let net = try await repo.createNetwork(slug: "demo", names: .init(fi: "Demoverkosto", sv: "Demonätverket", en: "Demo network"), at: now)
        let a = try await repo.createOrganisation(network: net, names: .init(fi: "Aalto ry", sv: "Aalto rf", en: "Aalto association"), at: now)
        let b = try await repo.createOrganisation(network: net, names: .init(fi: "Lähde ry", sv: "Lähde rf", en: "Lähde association"), at: now)

        func service(
            _ slug: String, _ org: Organisation, _ kind: ServiceKind, _ names: LocalizedText, _ descriptions: LocalizedText,
            languages: [String], sharedWith: [UUID] = [], hours: [WeeklyInterval]
        ) async throws -> UUID {
            let record = ServiceRecord(
                id: UUID(), organisationID: org.id, slug: slug, kind: kind, names: names, descriptions: descriptions,
                languages: languages, isPublic: true, sharedWith: sharedWith)
            _ = try await repo.saveService(record, at: now)
            try await repo.replaceWeeklyHours(service: record.id, hours)
            return record.id
        }
        let allDay = (1...7).map { WeeklyInterval(weekday: $0, opens: 0, closes: 1440) }
        _ = try await service(
            "tukichat", a, .supportChat,
            .init(fi: "Tukichat", sv: "Stödchatten", en: "Support chat"),
            .init(
                fi: "Voit kirjoittaa meille nimettömänä. Työntekijä vastaa sinulle.",
                sv: "Du kan skriva till oss anonymt. En medarbetare svarar dig.",
                en: "You can write to us anonymously. A worker will answer you."),
            languages: ["fi", "sv", "en"], sharedWith: [b.id], hours: allDay)
        let desk = try await service(
            "digituki-kirjasto", b, .digitalHelp,
            .init(fi: "Digituki kirjastossa", sv: "Digitalt stöd på biblioteket", en: "Digital help at the library"),
            .init(
                fi: "Tule kysymään puhelimesta tai tietokoneesta. Ajanvarausta ei tarvita.",
                sv: "Kom och fråga om telefonen eller datorn. Du behöver inte boka tid.",
                en: "Come and ask about your phone or computer. No appointment needed."),
            languages: ["fi", "sv"], hours: (1...5).map { WeeklyInterval(weekday: $0, opens: 10 * 60, closes: 16 * 60) })
        let relatives = try await service(
            "omaisryhma", a, .group,
            .init(fi: "Omaisten ryhmä", sv: "Gruppen för anhöriga", en: "Group for relatives"),
            .init(
                fi: "Keskustelua muiden omaisten kanssa tiistaisin.", sv: "Samtal med andra anhöriga på tisdagar.",
                en: "Talk with other relatives on Tuesdays."),
            languages: ["fi"], hours: [WeeklyInterval(weekday: 2, opens: 18 * 60, closes: 19 * 60 + 30)])
        // The relatives' group: a themed group, open to anyone, with rules.
        if let info = try await network.directory.service(id: relatives) {
            var group = try await groups.service.settings(for: info)
            group.style = .themed
            group.access = .open
            group.rules = LocalizedText(
                fi:
                    "1. Ole ystävällinen.\n2. Kerro vain omista asioistasi.\n3. Se, mitä täällä kerrotaan, jää tänne.\n4. Älä mainosta.\n5. Jos joku rikkoo sääntöjä, ilmoita siitä.",
                sv:
                    "1. Var vänlig.\n2. Berätta bara om dina egna saker.\n3. Det som sägs här stannar här.\n4. Ingen reklam.\n5. Om någon bryter mot reglerna, anmäl det.",
                en:
                    "1. Be kind.\n2. Speak only of your own matters.\n3. What is said here stays here.\n4. No advertising.\n5. If someone breaks the rules, report it."
            )
            try await groups.service.repository.saveSettings(group)
            // Closed now unless it is Tuesday evening: the room starts as the schedule says.
            try await groups.service.applySchedule(group, info)
        }
        // The library desk is closed on the coming Christmas days.
        let today = Schedule.localDay(of: now)
        let year = today.month == 12 && today.day > 26 ? today.year + 1 : today.year
        for day in [24, 25, 26] {
            try await repo.saveException(service: desk, DayException(day: LocalDay(year: year, month: 12, day: day), hours: nil, note: "Joulu"))
        }

        let hash = try await accounts.service.hash(password)
        let staff = accounts.service.repository
        _ = try await staff.createStaff(
            organisationID: a.id, email: "network@demo.invalid", passwordHash: hash, role: .networkCoordinator,
            workName: "Verkostokoordinaattori", workingHours: "ma–pe 9–16", at: now)
        let coordinator = try await staff.createStaff(
            organisationID: a.id, email: "coordinator@demo.invalid", passwordHash: hash, role: .coordinator,
            workName: "Koordinaattori Anni", workingHours: "ma–pe 9–16", at: now)
        for n in 1...workers {
            _ = try await staff.createStaff(
                organisationID: n % 2 == 1 ? a.id : b.id, email: "worker\(n)@demo.invalid", passwordHash: hash,
                role: .worker, workName: "Työntekijä \(n)", workingHours: "ma–to 12–20", at: now)
        }
        _ = try await staff.createStaff(
            organisationID: b.id, email: "volunteer1@demo.invalid", passwordHash: hash, role: .volunteer,
            workName: "Vapaaehtoinen Ville", workingHours: "ke 17–19", at: now)
        try await fillDemoCoaching(organisation: a.id, passwordHash: hash, now: now)
        try await fillDemoReachout(organisation: a.id, passwordHash: hash, now: now)
        let library = try await fillDemoFinder(network: net, chatOwner: a.id, now: now)
        try await fillDemoDigital(organisation: a.id, now: now)
        try await fillDemoLibraryTimes(library: library, passwordHash: hash, now: now)
        try await fillDemoMapping(organisation: a.id, network: net, now: now)
        try await fillDemoBuddies(network: net, now: now)
        try await fillDemoMaterials(coordinator: coordinator.id, organisation: a.id, network: net)
        if statistics { try await fillDemoStatistics(network: net, now: now) }
    }

    /// For the room benchmark: `count` members in the relatives' group (made
    /// an open peer group), each with a live session. The password is hashed
    /// once for all of them. Returns the room and the members' cookies.
    package func fillDemoMembers(_ count: Int, password: String) async throws -> (room: UUID, cookies: [String]) {
        guard (1...20_000).contains(count) else { throw SetupError.badInput("--members: must be 1–20000") }
        guard let info = try await network.directory.service(slug: "omaisryhma") else { throw SetupError.badInput("no demo group") }
        var group = try await groups.service.settings(for: info)
        group.style = .peer
        try await groups.service.repository.saveSettings(group)
        try await groups.service.applySchedule(group, info)
        let hash = try await accounts.service.hash(password)
        var cookies: [String] = []
        for n in 1...count {
            let (member, token) = try await accounts.members.makeDemoMember(nickname: "jasen\(n)", passwordHash: hash)
            _ = try await groups.service.join(group, member: member, nickname: "Jäsen \(n)", acceptedRules: group.rulesVersion, invitation: nil)
            cookies.append("\(MemberService.cookieName)=\(token)")
        }
        return (group.conversation, cookies)
    }

    /// Makes a network coordinator. On an empty database it first makes the
    /// network and one organisation with the given names.
    package func createAdmin(email rawEmail: String, password: String, organisationName: String, networkName: String) async throws {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard Validate.email(email) else { throw SetupError.badInput("--email: not an email address: '\(rawEmail)'") }
        if let problem = AccountService.passwordProblem(password) { throw SetupError.badInput("password: \(views.localizer.t(problem, .en))") }
        let repo = network.repository
        let now = clock.now
        let networkID: UUID
        if let first = try await repo.networks().first {
            networkID = first.id
        } else {
            let name = LocalizedText(fi: networkName, sv: "", en: "")
            networkID = try await repo.createNetwork(slug: "main", names: name, at: now)
        }
        var org = try await repo.organisations(network: networkID).first
        if org == nil {
            org = try await repo.createOrganisation(network: networkID, names: .init(fi: organisationName, sv: "", en: ""), at: now)
        }
        do {
            _ = try await accounts.service.repository.createStaff(
                organisationID: org!.id, email: email, passwordHash: try await accounts.service.hash(password),
                role: .networkCoordinator, workName: "Koordinaattori", workingHours: "", at: now)
        } catch AccountError.emailTaken {
            throw SetupError.emailTaken(email)
        }
    }
}
