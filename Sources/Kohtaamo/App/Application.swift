import Accounts
import Booking
import Calls
import Chat
import Coaching
import DigitalSupport
import Finder
import FluentKit
import Foundation
import Groups
import Hummingbird
import HummingbirdCore
import KohtaamoBase
import KohtaamoRealtime
import Logging
import Materials
import NIOCore
import Networks
import Reachout
import SQLKit
import ServiceLifecycle
import Stats

/// The parts of a running Kohtaamo, built once and shared by the HTTP server,
/// the commands and the tests.
package struct Kohtaamo: Sendable {
    package let configuration: Configuration
    package let storage: Storage
    package let clock: AppClock
    package let views: Views
    package let accounts: AccountsFeature
    package let network: NetworkFeature
    package let realtime: Realtime
    /// On PostgreSQL: what joins this node to the others.
    package let nodes: PostgresBroadcaster?
    package let chat: ChatFeature
    package let groups: GroupsFeature
    package let calls: CallsFeature
    package let coaching: CoachingFeature
    package let reachout: ReachoutFeature
    package let finder: FinderFeature
    package let digital: DigitalSupportFeature
    package let materials: MaterialsFeature
    package let stats: StatsFeature
    /// Every feature's writer of plausible activity (the demo, the year benchmark).
    package let samplers: [any FigureSampler]
    /// Staff acts that touch clients' data, for every feature.
    package let audit: AuditLog
    package let logger: Logger
    /// True when this start made a new master key file.
    package let madeMasterKey: Bool

    /// Every migration of every feature, in order.
    package static let migrations: [any Migration] =
        NetworkMigrations.all + AccountMigrations.all + RealtimeMigrations.all + ChatMigrations.all + AuditMigrations.all + GroupMigrations.all
        + CallMigrations.all + BookingMigrations.all + CoachingMigrations.all + ReachoutMigrations.all
        + FinderMigrations.all + DigitalMigrations.all + MaterialMigrations.all

    /// Opens storage and runs the migrations (harmless when already run).
    /// `dataDirectoryGiven`: the data directory was chosen (flag or
    /// environment), so a missing master key may be made there also on PostgreSQL.
    package static func open(
        configuration: Configuration, clock: AppClock = AppClock(), bcryptCost: UInt8 = 12,
        logger: Logger? = nil, dataDirectoryGiven: Bool = true
    ) async throws -> Kohtaamo {
        try requireMasterKeySource(configuration, dataDirectoryGiven: dataDirectoryGiven)
        var logger = logger ?? Logger(label: "kohtaamo")
        logger.logLevel = configuration.logLevel
        let storage = try await Storage(
            sqlitePath: configuration.databaseURL == nil ? configuration.sqlitePath : nil,
            postgresURL: configuration.databaseURL, poolSize: configuration.databasePoolSize,
            applicationName: configuration.nodeName, logger: logger)
        do {
            try await storage.migrate(migrations)
        } catch {
            await storage.close()
            throw error
        }
        guard let resources = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw SettingError(name: "resources", problem: "the Resources folder is missing next to the binary")
        }
        let views = try await Views(resources: resources)
        let sealer: Sealer
        let madeKey: Bool
        do {
            (sealer, madeKey) = try await loadMasterKey(configuration, dataDirectoryGiven: dataDirectoryGiven, storage: storage)
            try await SQLSupportChatRepository(storage: storage, sealer: sealer).sealLegacyFeedback()
        } catch {
            await storage.close()
            throw SettingError(name: "master key", problem: String(describing: error))
        }
        let audit = AuditLog(storage: storage)
        let networkRepository = FluentNetworkRepository(storage: storage)
        let network = NetworkFeature(
            repository: networkRepository, referrals: TextCardStore(storage: storage, table: NetworkFeature.referralTable),
            views: views, clock: clock)
        // Several nodes on PostgreSQL: this node's id, and the broadcaster that joins them.
        let node = UUID()
        let nodes = try configuration.databaseURL.map {
            try PostgresBroadcaster(node: node, name: configuration.nodeName, url: $0, storage: storage, logger: logger)
        }
        let realtime = Realtime(
            store: DeadlineStore(
                SQLMessageStore(storage: storage, sealer: sealer, node: nodes == nil ? nil : node, commitDelay: configuration.commitDelay)),
            localizer: views.localizer,
            sendRate: configuration.sendRate, clock: clock)
        if let nodes {
            nodes.attach(realtime)
            realtime.use(broadcaster: nodes)
        }
        let accountService = AccountService(
            repository: FluentAccountRepository(storage: storage), sealer: sealer, clock: clock,
            bcryptCost: bcryptCost, sessionLifetime: TimeInterval(configuration.sessionHours * 3600),
            audit: audit, sessionEnded: { staff, session in await realtime.endSession(.staff(staff), session: session) })
        let members = MemberService(
            storage: storage, accounts: accountService,
            sessionEnded: { member, session in await realtime.endSession(.client(member), session: session) })
        let materials = MaterialsFeature(
            service: MaterialService(store: SQLMaterialStore(storage: storage, sealer: sealer), audit: audit, clock: clock), views: views)
        let chat = ChatFeature(
            service: SupportChatService(
                repository: SQLSupportChatRepository(storage: storage, sealer: sealer), realtime: realtime,
                services: network.directory,
                staff: AccountStaffDirectory(repository: accountService.repository),
                replies: TextCardStore(storage: storage, table: ChatFeature.replyTable), localizer: views.localizer),
            views: views, secureCookies: configuration.secureCookies, quickExitURL: configuration.quickExitURL, audit: audit,
            materials: materials.directory, publicURL: configuration.publicURL)
        let groups = GroupsFeature(
            service: GroupService(
                repository: SQLGroupRepository(storage: storage, sealer: sealer), realtime: realtime, services: network.directory,
                staff: AccountStaffDirectory(repository: accountService.repository), audit: audit, clock: clock),
            views: views, publicURL: configuration.publicURL)
        let calls = CallsFeature(
            service: CallService(
                calls: SQLCallRepository(storage: storage), realtime: realtime, rooms: groups.service, turn: configuration.turn,
                meeting: configuration.meeting, clock: clock))
        let coaching = CoachingFeature(
            service: CoachingService(
                repository: SQLCoachingRepository(storage: storage, sealer: sealer), realtime: realtime, services: network.directory,
                staff: AccountStaffDirectory(repository: accountService.repository), audit: audit, clock: clock,
                booking: BookingService(storage: storage, clock: clock), materials: materials.directory),
            views: views, publicURL: configuration.publicURL)
        let reachout = ReachoutFeature(
            service: ReachoutService(
                repository: SQLReachoutRepository(storage: storage, sealer: sealer), realtime: realtime, services: network.directory,
                staff: AccountStaffDirectory(repository: accountService.repository), members: AccountMemberDirectory(members: members),
                audit: audit, clock: clock),
            views: views)
        let digitalService = DigitalService(
            repository: SQLDigitalRepository(storage: storage, sealer: sealer), services: network.directory,
            members: AccountMemberDirectory(members: members), audit: audit, clock: clock,
            booking: BookingService(storage: storage, clock: clock), staff: AccountStaffDirectory(repository: accountService.repository),
            materials: materials.directory)
        let digital = DigitalSupportFeature(
            service: digitalService, views: views,
            buddies: BuddyService(
                repository: SQLBuddyRepository(storage: storage), digital: digitalService,
                staff: AccountStaffDirectory(repository: accountService.repository), facts: DigitalBuddyFacts(digital: digitalService)),
            publicURL: configuration.publicURL)
        let finder = FinderFeature(
            service: FinderService(
                repository: SQLFinderRepository(storage: storage), services: network.directory, happenings: [digital.happenings], audit: audit,
                clock: clock),
            views: views, publicURL: configuration.publicURL)
        // The statistics' sources and samplers, one of each a feature.
        let figureSources: [any FigureSource] = [
            ChatFigures(storage: storage, services: network.directory), groups.figureSource, coaching.figureSource, reachout.figureSource,
            digital.figureSource, finder.figureSource,
        ]
        let samplers: [any FigureSampler] = [
            ChatFigureSampler(storage: storage, toolkit: chat.service.toolkit), groups.figureSampler, coaching.figureSampler,
            reachout.figureSampler, digital.figureSampler, finder.figureSampler,
        ]
        let stats = StatsFeature(sources: figureSources, services: network.directory, views: views, clock: clock)
        realtime.use(signalGate: calls.service)
        realtime.whenRemoved { [service = calls.service] identity, conversation in await service.participantRemoved(identity, from: conversation) }
        return Kohtaamo(
            configuration: configuration, storage: storage, clock: clock, views: views,
            accounts: AccountsFeature(
                service: accountService, members: members,
                memberData: [groups.memberData, coaching.memberData, reachout.memberData, digital.memberData, digital.buddyMemberData], views: views,
                organisations: NetworkOrganisationDirectory(repository: networkRepository),
                secureCookies: configuration.secureCookies, publicURL: configuration.publicURL),
            network: network,
            realtime: realtime, nodes: nodes, chat: chat, groups: groups, calls: calls, coaching: coaching, reachout: reachout, finder: finder,
            digital: digital, materials: materials, stats: stats, samplers: samplers, audit: audit,
            logger: logger, madeMasterKey: madeKey)
    }

    /// The router with every feature's routes behind the shared middleware.
    package func router() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        // Outermost first: log, language (errors are shown in it), security
        // headers, error pages, CSRF cookie, origin check, session.
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: LanguageMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(views: views))
        router.add(middleware: CSRFCookieMiddleware(secure: configuration.secureCookies))
        router.add(middleware: originCheck)
        router.add(middleware: sessions)

        SystemController(
            storage: storage, views: views, secureCookies: configuration.secureCookies,
            metricsToken: configuration.metricsToken
        ).addRoutes(to: router)
        AuditController(audit: audit, organisations: NetworkOrganisationDirectory(repository: network.repository), views: views).addRoutes(to: router)
        network.addRoutes(to: router)
        accounts.addRoutes(to: router)
        chat.addRoutes(to: router)
        groups.addRoutes(to: router)
        calls.addRoutes(to: router)
        coaching.addRoutes(to: router)
        reachout.addRoutes(to: router)
        finder.addRoutes(to: router)
        digital.addRoutes(to: router)
        materials.addRoutes(to: router)
        stats.addRoutes(to: router)
        realtime.addRoutes(to: router, isOwnOrigin: originCheck.allows)
        return router
    }

    var originCheck: OriginCheckMiddleware { OriginCheckMiddleware(ownOrigins: configuration.ownOrigins) }

    /// The one reader of the sign-in cookies.
    var sessions: SessionMiddleware {
        SessionMiddleware(accounts: accounts.service, members: accounts.members, network: network.repository, chats: chat.service)
    }

    /// Who a request (or a socket's upgrade request) comes from: a staff
    /// session, else a registered client's, else an anonymous client's token.
    var authenticate: Authenticate {
        let accounts = self.accounts.service, members = self.accounts.members, sessions = self.sessions
        return { request in
            let found = try await sessions.find(request)
            if let (session, staff) = found.staff {
                let left = try await accounts.remaining(session: session) ?? 0
                return Credential(identity: .staff(staff.id), session: session, validFor: .milliseconds(Int64(max(0, left) * 1000)))
            }
            if let (session, member) = found.member {
                let left = try await members.remaining(session: session) ?? 0
                return Credential(identity: .client(member.id), session: session, validFor: .milliseconds(Int64(max(0, left) * 1000)))
            }
            return found.anonymousClient.map { Credential(identity: .client($0)) }
        }
    }

    /// A new master key, and every feature's data keys re-wrapped under it
    /// (`kohtaamo rotate-key`); safe while servers run on the same data.
    package func rotateMasterKey(settle: Duration = .seconds(1)) async throws -> KeyRotation.Report {
        try await KeyRotation.rotate(keyPath: configuration.masterKeyPath, storage: storage, tables: Self.sealedTables, settle: settle)
    }

    /// Every retention rule, run every 10 minutes by the server (tests run it once).
    package var retention: RetentionService {
        RetentionService(chats: chat.service, groups: groups.service, clock: clock, logger: logger)
    }

    /// What the server runs beside the requests, each once at start and
    /// then on its own timer, by the app's clock: retention (every 10
    /// minutes), themed groups' rooms opened and closed (every half minute),
    /// the reach-out escalation sweep (every minute) and the finder's
    /// visits (written every minute and at shutdown).
    package var periodicServices: [any Service] {
        [
            retention,
            GroupScheduleService(groups: groups.service, logger: logger),
            EscalationSweepService(reachout: reachout.service, logger: logger),
            finder.visitFlusher(logger: logger),
        ]
    }

    /// The HTTP server as a service; storage closes after it on shutdown.
    /// Without `periodic` the periodic services do not run: tests that move
    /// the clock, or count what those services change, run each rule
    /// themselves, so that no run of the server's own falls in between.
    package func application(periodic: Bool = true) -> some ApplicationProtocol {
        _ = AppMetrics.registry
        return Application(
            router: router(),
            server: Self.server(socket: realtime.socketUpgrade(authenticate: authenticate, isOwnOrigin: originCheck.allows)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "kohtaamo"),
            // Shut down in reverse: the periodic services (the finder's last
            // visits among them) stop before storage closes.
            services: [storage] + (periodic ? periodicServices : []) + (nodes.map { [$0 as any Service] } ?? []),
            logger: logger
        )
    }
}

extension Kohtaamo {
    /// HTTP/1 with the socket's upgrade; frames up to 64 KiB reach the
    /// realtime core, which answers anything over its own limit (16 KiB)
    /// with an error frame.
    package static func server(socket: SocketUpgrade) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            SmallFirstReads(base: HTTPWithSocketChannel(responder: responder, upgrade: socket, maxFrameSize: 1 << 16))
        }
    }
}

/// A connection's reads start at 512 bytes, not swift-nio's 2,048: the
/// channel keeps its last read buffer for the next read, and an idle socket
/// reads a ping's answer now and then. Reads that fill the buffer grow it
/// (up to 64 KiB), so a busy connection reads as before.
struct SmallFirstReads<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        channel.setOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536))
            .flatMap { base.setup(channel: channel, logger: logger) }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Builds the application for `configuration` (the entry point the tests and
/// `kohtaamo serve` use).
package func buildApplication(configuration: Configuration) async throws -> some ApplicationProtocol {
    try await Kohtaamo.open(configuration: configuration).application()
}
