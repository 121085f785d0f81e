// swift-tools-version:6.0
import PackageDescription

// One-way flow: Content -> Engine -> Layout -> Terminal -> the executable, and Content -> Handout -> the executable.
// Only the terminal target imports ncurses; everything else is pure and tested without a terminal.
let package = Package(
    name: "SessionGuide",
    products: [
        .executable(name: "session-guide", targets: ["session-guide"]),
        .library(name: "SessionGuideContent", targets: ["SessionGuideContent"]),
        // For the benchmarks package in Benchmarks/.
        .library(name: "SessionGuideEngine", targets: ["SessionGuideEngine"]),
        .library(name: "SessionGuideLayout", targets: ["SessionGuideLayout"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        // MARK: - Core

        /// Content model, the markdown-like parser, diagnostics and plain-text export. No terminal code.
        .target(
            name: "SessionGuideContent",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),

        /// State machines for sessions, drill timers and the home menu. Time is passed in; nothing here reads
        /// a clock or sleeps.
        .target(name: "SessionGuideEngine", dependencies: ["SessionGuideContent"]),

        /// Engine state + terminal size -> a grid of styled cells. Pure, so screens are snapshot-tested.
        .target(name: "SessionGuideLayout", dependencies: ["SessionGuideEngine", "SessionGuideContent"]),

        /// Printable HTML handouts (`print --format html`), built with Plot, which escapes every piece of text.
        /// Its own target so that Content's other users never build Plot.
        .target(
            name: "SessionGuideHandout",
            dependencies: ["SessionGuideContent", .product(name: "Plot", package: "Plot")]
        ),

        /// The patient's adherence history in SQLite (GRDB): runs recorded, and the report `history` prints.
        .target(name: "SessionGuideHistory", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),

        /// The clinic's shared record store on a PostgreSQL server (`history: postgres://…`), behind the same
        /// `RecordStore` interface as the SQLite file, through libpq: PostgreSQL's own client library, the one
        /// psql uses, so TLS, sslmode and password files behave as every PostgreSQL tool's do, and nothing
        /// heavy is built (postgres-nio, with SwiftNIO and two copies of BoringSSL, took most of a release build).
        /// CLibPQ loads libpq when a server is first used, so a program without one never loads it (the build
        /// needs libpq-dev for its header only).
        .target(name: "CLibPQ"),
        .target(name: "SessionGuidePostgres", dependencies: ["SessionGuideHistory", "CLibPQ"]),

        /// The one runtime loop, the clock protocol with its manual clock, and the mode programs (session,
        /// routine, kiosk, follower, menu; full-screen and plain): state + `update(input, at:)` -> commands, and
        /// a `view(size)`. No terminal, clock or descriptor is touched here; a fake IO runs any mode in tests.
        .target(
            name: "SessionGuideRuntime",
            dependencies: ["SessionGuideContent", "SessionGuideEngine", "SessionGuideLayout", "SessionGuideHistory"]
        ),

        // MARK: - Terminal

        /// libncursesw through a module map and a shim header (wide-character API, macros as functions).
        .systemLibrary(name: "CNcursesW", path: "Sources/CNcursesW"),

        /// The only code that talks to ncurses: draws grids, decodes keys, handles signals, waits.
        .target(
            name: "SessionGuideTerminal",
            dependencies: ["CNcursesW", "SessionGuideLayout", "SessionGuideEngine", "SessionGuideRuntime"]
        ),

        // MARK: - Command line

        .executableTarget(
            name: "session-guide",
            dependencies: [
                "SessionGuideContent",
                "SessionGuideEngine",
                "SessionGuideLayout",
                "SessionGuideRuntime",
                "SessionGuideTerminal",
                "SessionGuideHistory",
                "SessionGuidePostgres",
                "SessionGuideHandout",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        /// Helpers every test target shares (the shipped content, loaded once).
        .target(name: "SessionGuideTestSupport", dependencies: ["SessionGuideContent"],
                path: "Tests/SessionGuideTestSupport"),

        .testTarget(
            name: "SessionGuideContentTests",
            dependencies: ["SessionGuideContent"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SessionGuideEngineTests", dependencies: ["SessionGuideEngine", "SessionGuideContent"]),
        .testTarget(
            name: "SessionGuideLayoutTests",
            dependencies: ["SessionGuideLayout", "SessionGuideEngine", "SessionGuideContent", "SessionGuideTestSupport"],
            exclude: ["Snapshots"]
        ),
        .testTarget(name: "SessionGuideHistoryTests",
                    dependencies: ["SessionGuideHistory", "SessionGuidePostgres", "SessionGuideTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SessionGuideRuntimeTests",
            dependencies: ["SessionGuideRuntime", "SessionGuideEngine", "SessionGuideLayout", "SessionGuideContent",
                           "SessionGuideHistory", "SessionGuideTestSupport"]
        ),
        .testTarget(name: "SessionGuideHandoutTests", dependencies: ["SessionGuideHandout", "SessionGuideContent"]),
        .testTarget(
            name: "SessionGuideCLITests",
            dependencies: [
                "session-guide", "SessionGuideContent", "SessionGuideEngine", "SessionGuideLayout",
                "SessionGuideTerminal", "SessionGuideTestSupport", "SessionGuideHistory",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
