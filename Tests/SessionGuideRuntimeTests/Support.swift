import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime

/// The content that ships in the package's Content folder, loaded once.
enum Shipped {
    static let contentFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Content").path

    private static let loaded = Result { try ContentLoader.load([contentFolder]) }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func library() throws -> ContentLibrary { try loaded.get() }

    static func treatment() throws -> Session {
        guard case .session(let session)? = try library().document(id: "treatment-08") else {
            throw Missing(description: "treatment-08 is not a session")
        }
        return session
    }

    static func routine(_ id: String = "daily-hip-back") throws -> Routine {
        guard case .routine(let routine)? = try library().document(id: id) else {
            throw Missing(description: "\(id) is not a routine")
        }
        return routine
    }
}

/// Content written in a test, parsed as the loader parses files: `files` maps a relative path to its text.
func library(_ files: [String: String]) throws -> ContentLibrary {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sg-runtime-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    for (name, text) in files {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    return try ContentLoader.load([folder.path])
}

/// A deck of three short slides ("Slide Alpha", "Slide Bravo", "Slide Charlie"), `dwell` each.
func testDeck(dwell: String = "2s", extraFrontMatter: String = "") throws -> Deck {
    let text = "---\nkind: deck\nid: test-deck\ntitle: Test Deck\ndwell: \(dwell)\n\(extraFrontMatter)---\n"
        + "# Slide Alpha\nFirst slide body.\n\n# Slide Bravo\nSecond slide body.\n\n# Slide Charlie\nThird slide body.\n"
    guard case .deck(let deck)? = try library(["decks/test.md": text]).document(id: "test-deck") else {
        throw Shipped.Missing(description: "the test deck didn't parse")
    }
    return deck
}

extension ProgramHarness {
    func contains(_ text: String) -> Bool { self.text.contains(text) }
}
