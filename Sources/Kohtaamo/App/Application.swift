import FluentKit
import Foundation
import Hummingbird
import Logging

/// The parts of a running Kohtaamo, built once and shared by the HTTP server,
/// the commands and the tests.
public struct Kohtaamo: Sendable {
    public let configuration: Configuration
    public let storage: Storage
    public let clock: AppClock
    public let views: Views
    public let accounts: AccountsFeature
    public let network: NetworkFeature
    public let logger: Logger

    /// Every migration of every feature, in order.
    public static let migrations: [any Migration] = NetworkMigrations.all + AccountMigrations.all

    /// Opens storage and runs the migrations (harmless when already run).
    public static func open(configuration: Configuration, clock: AppClock = AppClock(), bcryptCost: UInt8 = 12,
                            logger: Logger? = nil) async throws -> Kohtaamo {
        var logger = logger ?? Logger(label: "kohtaamo")
        logger.logLevel = configuration.logLevel
        let storage = try await Storage(
            sqlitePath: configuration.databaseURL == nil ? configuration.sqlitePath : nil,
            postgresURL: configuration.databaseURL, logger: logger)
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
        let database: @Sendable () -> any Database = { storage.database }
        let networkRepository = FluentNetworkRepository(database: database)
        let accountService = AccountService(repository: FluentAccountRepository(database: database), clock: clock,
                                            bcryptCost: bcryptCost, sessionLifetime: TimeInterval(configuration.sessionHours * 3600))
        return Kohtaamo(
            configuration: configuration, storage: storage, clock: clock, views: views,
            accounts: AccountsFeature(service: accountService, views: views,
                                      organisations: NetworkOrganisationDirectory(repository: networkRepository),
                                      secureCookies: configuration.secureCookies, publicURL: configuration.publicURL),
            network: NetworkFeature(repository: networkRepository, views: views, clock: clock),
            logger: logger)
    }

    /// The router with every feature's routes behind the shared middleware.
    public func router() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        // Outermost first: log, language (errors are shown in it), security
        // headers, error pages, CSRF cookie, origin check, session.
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: LanguageMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(views: views))
        router.add(middleware: CSRFCookieMiddleware(secure: configuration.secureCookies))
        router.add(middleware: OriginCheckMiddleware(ownOrigins: configuration.ownOrigins))
        router.add(middleware: SessionMiddleware(accounts: accounts.service, network: network.repository))

        SystemController(storage: storage, views: views, secureCookies: configuration.secureCookies).addRoutes(to: router)
        network.addRoutes(to: router)
        accounts.addRoutes(to: router)
        return router
    }

    /// The HTTP server as a service; storage closes after it on shutdown.
    public func application() -> some ApplicationProtocol {
        _ = AppMetrics.registry
        return Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "kohtaamo"),
            services: [storage],
            logger: logger
        )
    }
}

/// Builds the application for `configuration` (the entry point the tests and
/// `kohtaamo serve` use).
public func buildApplication(configuration: Configuration) async throws -> some ApplicationProtocol {
    try await Kohtaamo.open(configuration: configuration).application()
}
