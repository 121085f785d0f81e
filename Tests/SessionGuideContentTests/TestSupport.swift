import Foundation
import Testing
@testable import SessionGuideContent

/// Shared helpers for the content tests.
enum Support {
    /// The repository root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let contentFolder = packageRoot.appendingPathComponent("Content").path

    static func parse(_ text: String, path: String = "test.md") -> ParsedFile {
        DocumentParser.parse(text: text, path: path)
    }

    /// A library made of in-memory files, as `check` would see a folder of them.
    static func library(_ files: [String: String]) -> ContentLibrary {
        ContentLibrary(files: files.map { DocumentParser.parse(text: $0.value, path: $0.key) })
    }

    static func shippedLibrary() throws -> ContentLibrary {
        try ContentLoader.load([contentFolder])
    }

    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static let drillFile = """
        ---
        kind: drill
        id: cat-cow
        title: Cat-cow
        purpose: Moves the spine gently.
        reps: 10
        tempo: 4s
        ---
        # Steps
        1. Start on hands and knees.
        2. Round, then arch.

        # Cues
        - Slow and smooth.

        # Safety
        Pain-free, controlled movement only; stop if it hurts.
        """

    static func errors(_ file: ParsedFile) -> [Diagnostic] {
        file.diagnostics.filter { $0.severity == .error }
    }
}

extension ParsedFile {
    var session: Session? { if case .session(let value)? = document { value } else { nil } }
    var drill: Drill? { if case .drill(let value)? = document { value } else { nil } }
    var routine: Routine? { if case .routine(let value)? = document { value } else { nil } }
    var deck: Deck? { if case .deck(let value)? = document { value } else { nil } }
}
