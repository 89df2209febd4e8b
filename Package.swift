// swift-tools-version:6.1
import PackageDescription

let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// A capability: its own folder under Sources/, on the base and (for those
/// with conversations) the realtime core.
func feature(_ name: String, realtime: Bool = true, extra: [Target.Dependency] = []) -> Target {
    .target(
        name: name,
        dependencies: ["KohtaamoBase"] + (realtime ? ["KohtaamoRealtime"] : []) + [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "FluentKit", package: "fluent-kit"),
            .product(name: "SQLKit", package: "sql-kit"),
        ] + extra,
        swiftSettings: settings
    )
}

let package = Package(
    name: "kohtaamo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kohtaamo", targets: ["kohtaamo"]),
        .executable(name: "kohtaamo-bench", targets: ["kohtaamo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/fluent-kit", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/async-kit", from: "1.22.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // The layers, lowest first. Each target may import only what it lists;
        // CI builds with `--explicit-target-dependency-import-check error`.
        // A feature never imports another feature: they meet through the
        // protocols of KohtaamoBase (`Web/Directory.swift`).

        // Core (errors, clock, tokens), Storage (databases, sealing, key
        // rotation, audit) and the web parts every feature shares (request
        // context, views, forms, localisation).
        .target(
            name: "KohtaamoBase",
            dependencies: [
                "CSQLiteCalls",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                // Only to know the connection pool's timeout (`ErrorMiddleware`).
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        // The SQLite calls of the embedded store's writer, against the copy of
        // SQLite that sqlite-nio links in (one SQLite per process).
        .target(name: "CSQLiteCalls"),
        // The realtime core: conversations, the append path, sockets, frames,
        // nodes. It knows no feature.
        .target(
            name: "KohtaamoRealtime",
            dependencies: [
                "KohtaamoBase",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The socket: our own WebSocket handler on NIO (`SocketChannel.swift`).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: settings
        ),
        // Appointments: hosts' free times (one by one or a weekly pattern),
        // bookings held by the database against races, iCalendar invitations.
        // A shared layer (Coaching and DigitalSupport book through it), not a
        // feature; its pages (`Pages/`) serve both, told apart by a desk.
        .target(
            name: "Booking",
            dependencies: [
                "KohtaamoBase",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: settings
        ),
        // Networks, organisations, services, opening hours, referral cards, the public pages.
        feature("Networks", realtime: false),
        // Staff accounts, sessions, second factor, registered clients.
        feature(
            "Accounts", realtime: false,
            extra: [
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        // The anonymous support chat: queue, console, supervisor, toolkit.
        feature(
            "Chat",
            extra: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        // Peer groups and clubhouses: rooms, moderation, questions, calendar.
        feature(
            "Groups",
            extra: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Voice and video: 1:1 and small group calls (WebRTC signalling over
        // the socket, TURN credentials), and room tokens for a large-meeting server.
        feature(
            "Calls",
            extra: [
                .product(name: "Crypto", package: "swift-crypto")
            ]),
        // Coaching: coaches and coachees, a thread, tasks with answers and
        // feedback, appointments (Booking) and files.
        feature(
            "Coaching",
            extra: ["Booking", .product(name: "Crypto", package: "swift-crypto")]),
        // Reach-out: contact plans, each worker's list for today, outcomes,
        // absences and escalation of contacts not reached.
        feature(
            "Reachout",
            extra: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The public finder of digital help per municipality: help points,
        // their upkeep and CSV import, HSDS 3 and iCalendar exports.
        feature(
            "Finder", realtime: false,
            extra: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        // Digital support: pop-up events and group sessions (seats, a waiting
        // list), which the finder shows through `HappeningSource`.
        feature("DigitalSupport", realtime: false, extra: ["Booking"]),
        // The network's material bank: files (sealed, with versions) and
        // links, full-text search (FTS5 / PostgreSQL), client material that
        // other features give through `MaterialDirectory`.
        feature(
            "Materials", realtime: false,
            extra: [
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        // Statistics for coordinators and funders: every feature's figures
        // (`FigureSource` in the base), suppressed, as pages, CSV and JSON.
        feature("Stats", realtime: false),
        // The app: configuration, wiring of the features, middleware, the
        // services that run beside the server; the pages' templates, texts and
        // static files (Resources).
        .target(
            name: "Kohtaamo",
            dependencies: [
                "KohtaamoBase", "KohtaamoRealtime", "Booking", "Networks", "Accounts", "Chat", "Groups", "Calls", "Coaching", "Reachout", "Finder",
                "DigitalSupport", "Materials", "Stats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: settings
        ),
        // The `kohtaamo` command: serve, migrate, create-admin, demo.
        .executableTarget(
            name: "kohtaamo",
            dependencies: [
                "Kohtaamo", "KohtaamoBase", "Chat", "Calls",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/kohtaamo-cli",
            swiftSettings: settings
        ),
        // The load generator and crash test: a client of the server, no server code.
        .executableTarget(
            name: "kohtaamo-bench",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                // The bare relay (the physical limit the server is compared with).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                // `notify`: PostgreSQL's NOTIFY on its own, as the nodes use it.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/kohtaamo-bench",
            swiftSettings: settings
        ),
        .testTarget(
            name: "KohtaamoTests",
            dependencies: [
                "Kohtaamo", "KohtaamoBase", "KohtaamoRealtime", "Booking", "Networks", "Accounts", "Chat", "Groups", "Calls", "Coaching", "Reachout",
                "Finder", "DigitalSupport", "Materials", "Stats",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
    ]
)
