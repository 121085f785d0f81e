// swift-tools-version:6.0
import PackageDescription

// One-way flow: Content -> (Engine -> Layout -> Terminal, added by later work) -> the executable.
// Only the terminal target may ever import ncurses; everything else is pure and testable.
let package = Package(
    name: "SessionGuide",
    products: [
        .executable(name: "session-guide", targets: ["session-guide"]),
        .library(name: "SessionGuideContent", targets: ["SessionGuideContent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: - Core

        /// Content model, the markdown-like parser, diagnostics and plain-text export. No terminal code.
        .target(
            name: "SessionGuideContent",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),

        // MARK: - Command line

        .executableTarget(
            name: "session-guide",
            dependencies: [
                "SessionGuideContent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        .testTarget(
            name: "SessionGuideContentTests",
            dependencies: ["SessionGuideContent"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SessionGuideCLITests",
            dependencies: ["session-guide", "SessionGuideContent"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
