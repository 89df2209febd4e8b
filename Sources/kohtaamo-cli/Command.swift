import ArgumentParser
import Foundation
import Hummingbird
import Kohtaamo
import KohtaamoBase
import Logging
import ServiceLifecycle

@main
struct KohtaamoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kohtaamo",
        abstract: "Kohtaamo: online client work and digital support for the social sector.",
        discussion: """
            Settings come from flags, then the environment (KOHTAAMO_HOST, KOHTAAMO_PORT,
            KOHTAAMO_DATA_DIR, KOHTAAMO_PUBLIC_URL, KOHTAAMO_LOG_LEVEL, DATABASE_URL),
            then defaults. Without DATABASE_URL the data is one SQLite file in the data directory.
            """,
        subcommands: [Serve.self, Migrate.self, CreateAdmin.self, Demo.self, RotateKey.self, TurnConfig.self, BenchEstimate.self, BenchStats.self],
        defaultSubcommand: Serve.self
    )
}

/// Where the data is: shared by every command.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite file (default: the working directory). Env: KOHTAAMO_DATA_DIR.")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"), help: "postgres://user:password@host:port/database to use PostgreSQL. Env: DATABASE_URL.")
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. Env: KOHTAAMO_LOG_LEVEL.")
    var logLevel: String?

    /// Chosen by flag or environment rather than the working directory by
    /// default: only then may a PostgreSQL start make a master key there.
    var dataDirectoryGiven: Bool {
        dataDirectory != nil || !(ProcessInfo.processInfo.environment["KOHTAAMO_DATA_DIR"] ?? "").isEmpty
    }

    func resolve(_ extra: (inout Configuration.Flags) -> Void = { _ in }) throws -> Configuration {
        var flags = Configuration.Flags()
        flags.dataDirectory = dataDirectory
        flags.databaseURL = databaseURL
        flags.logLevel = logLevel
        extra(&flags)
        do {
            return try Configuration.resolve(flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch let error as SettingError {
            throw ValidationError(error.description)
        }
    }
}

/// Opens the database, turning a connection failure into one clear line,
/// and says so when this start made the master key (whichever command it is).
func openKohtaamo(_ configuration: Configuration, _ options: StorageOptions) async throws -> Kohtaamo {
    do {
        let kohtaamo = try await Kohtaamo.open(configuration: configuration, dataDirectoryGiven: options.dataDirectoryGiven)
        if kohtaamo.madeMasterKey {
            print("Made a new master key at \(configuration.masterKeyPath) (mode 0600): keep it, and back it up apart from the database.")
        }
        return kohtaamo
    } catch let error as SettingError {
        throw ValidationError(error.description)
    } catch {
        let target = configuration.databaseURL == nil ? configuration.sqlitePath : "DATABASE_URL"
        throw ValidationError("cannot open the database (\(target)): \(String(describing: error).prefix(300))")
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server (migrations run first). Stops cleanly on SIGTERM or SIGINT.")

    @OptionGroup var storage: StorageOptions

    @Option(help: "Address to listen on (default 127.0.0.1). Env: KOHTAAMO_HOST.")
    var host: String?

    @Option(help: "Port to listen on (default 8080). Env: KOHTAAMO_PORT.")
    var port: Int?

    @Option(
        name: .customLong("public-url"),
        help: "The address people use, e.g. https://tuki.example.fi (https makes cookies Secure). Env: KOHTAAMO_PUBLIC_URL.")
    var publicURL: String?

    @Flag(help: "On an empty database, fill the demo network first.")
    var demo = false

    @Option(help: "Password for the demo accounts (with --demo). Without it a random one is made and printed.")
    var password: String?

    func run() async throws {
        raiseOpenFileLimit()
        let configuration = try storage.resolve {
            $0.host = host
            $0.port = port
            $0.publicURL = publicURL
        }
        let kohtaamo = try await openKohtaamo(configuration, storage)
        var signInHint = "Sign in at /signin with a staff account (make one with: kohtaamo create-admin)."
        if demo {
            if try await kohtaamo.isEmpty() {
                let demoPassword = password ?? Tokens.random(bytes: 9)
                try await kohtaamo.fillDemo(password: demoPassword, statistics: true)
                signInHint = "Demo data filled. Sign in as coordinator@demo.invalid (or worker1@demo.invalid) with the password: \(demoPassword)"
            } else {
                signInHint = "The database already holds data; demo data was not added. Sign in with an existing account."
            }
        } else if password != nil {
            throw ValidationError("--password is used only with --demo")
        }
        let base = configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)"
        print("Kohtaamo is starting on \(base)/ (\(kohtaamo.storage.kind == .sqlite ? "SQLite \(configuration.sqlitePath)" : "PostgreSQL")).")
        print(signInHint)
        // Show these lines at once, also when the output goes to a file or a pipe.
        fflush(nil)
        // SIGTERM lets open requests and sockets finish, but not for ever: a
        // client that never closes its side must not keep a restart waiting.
        var group = ServiceGroupConfiguration(
            services: [kohtaamo.application()], gracefulShutdownSignals: [.sigterm, .sigint], logger: kohtaamo.logger)
        group.maximumGracefulShutdownDuration = .seconds(10)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}

/// Every open socket is a file descriptor: the soft limit (often 1,024) is
/// raised to the hard one, which only the system can raise (e.g. systemd's
/// `LimitNOFILE=`). The server's own files and database connections take a
/// few dozen of it.
func raiseOpenFileLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the database migrations that have not run yet (safe to run again).")
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let kohtaamo = try await openKohtaamo(try storage.resolve(), storage)
        await kohtaamo.storage.close()
        print("Migrations are up to date (\(Kohtaamo.migrations.count) in all).")
    }
}

struct RotateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Make a new master key and re-wrap every data key under it. Messages are not touched; servers may keep running.")
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let configuration = try storage.resolve()
        let kohtaamo = try await openKohtaamo(configuration, storage)
        let report: KeyRotation.Report
        do {
            report = try await kohtaamo.rotateMasterKey()
        } catch {
            await kohtaamo.storage.close()
            throw ValidationError("the rotation stopped: \(error). Keys already re-wrapped open with the new key; run rotate-key again to finish.")
        }
        await kohtaamo.storage.close()
        let counts = report.rewrapped.sorted { $0.key < $1.key }.map { "\($0.value) in \($0.key)" }.joined(separator: ", ")
        print(
            """
            New master key \(report.newID) is in \(configuration.masterKeyPath).
            Re-wrapped data keys: \(counts); left under an older key: \(report.left). No message was rewritten.
            The old key \(report.oldID) is kept in \(report.oldKeyFile): delete it once no backup needs it.
            """)
    }
}

struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Make a network coordinator account. Asks for the password, or reads it from standard input.")
    @OptionGroup var storage: StorageOptions

    @Option(help: "The person's email, used to sign in.")
    var email: String

    @Option(help: "On an empty database: the first organisation's name.")
    var organisation = "Oma organisaatio"

    @Option(help: "On an empty database: the network's name.")
    var network = "Kohtaamo"

    func run() async throws {
        let password: String
        if isatty(STDIN_FILENO) == 1 {
            guard let first = getpass("Password (at least 10 characters): ").map({ String(cString: $0) }),
                let second = getpass("The same again: ").map({ String(cString: $0) }), first == second
            else {
                throw ValidationError("the passwords did not match")
            }
            password = first
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        let kohtaamo = try await openKohtaamo(try storage.resolve(), storage)
        do {
            try await kohtaamo.createAdmin(email: email, password: password, organisationName: organisation, networkName: network)
        } catch let error as Kohtaamo.SetupError {
            await kohtaamo.storage.close()
            throw ValidationError(error.description)
        }
        await kohtaamo.storage.close()
        print("Made the network coordinator \(email.lowercased()). Sign in at /signin.")
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill an empty database with the demo network (see PROTOCOL.md, Demo data). Changes nothing on a database with data (exit 1).")
    @OptionGroup var storage: StorageOptions

    @Option(help: "Password of every demo account (at least 10 characters).")
    var password: String

    @Option(help: "How many workers to make (worker1@demo.invalid …).")
    var workers = 2

    @Option(help: "For the room benchmark: this many signed-in members in the relatives' group (made an open peer group).")
    var members = 0

    @Option(help: "With --members: where to write the room's id and each member's session cookie, one a line.")
    var membersFile: String?

    func run() async throws {
        let kohtaamo = try await openKohtaamo(try storage.resolve(), storage)
        do {
            try await kohtaamo.fillDemo(password: password, workers: workers, statistics: true)
            if members > 0 {
                guard let membersFile else { throw Kohtaamo.SetupError.badInput("--members needs --members-file") }
                let (room, cookies) = try await kohtaamo.fillDemoMembers(members, password: password)
                try ([room.uuidString.lowercased()] + cookies).joined(separator: "\n").write(toFile: membersFile, atomically: true, encoding: .utf8)
            }
        } catch let error as Kohtaamo.SetupError {
            await kohtaamo.storage.close()
            print(error.description)
            throw ExitCode(1)
        }
        await kohtaamo.storage.close()
        print("Demo data filled: coordinator@demo.invalid, network@demo.invalid, worker1…worker\(workers)@demo.invalid.")
    }
}
