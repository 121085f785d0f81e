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
        .executableTarget(
            name: "session-guide-bench",
            dependencies: [
                .product(name: "SessionGuideContent", package: root),
                .product(name: "SessionGuideEngine", package: root),
                .product(name: "SessionGuideLayout", package: root),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
