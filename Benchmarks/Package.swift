// swift-tools-version:6.0
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, which is whatever the checkout is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// Benchmarks live in their own package so the main build and `swift test` never pay for them.
//   cd Benchmarks && swift run -c release session-guide-bench
let package = Package(
    name: "SessionGuideBenchmarks",
    dependencies: [.package(path: "..")],
    targets: [
        // posix_openpt and POSIX_SPAWN_SETSID, which Swift's Glibc module leaves out.
        .target(name: "CPseudoTerminal"),
        .executableTarget(
            name: "session-guide-bench",
            dependencies: [
                "CPseudoTerminal",
                .product(name: "SessionGuideContent", package: root),
                .product(name: "SessionGuideEngine", package: root),
                .product(name: "SessionGuideLayout", package: root),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
