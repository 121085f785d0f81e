import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime
@_exported import SessionGuideTestSupport

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
func testDeck(dwell: String = "2s", extraFrontMatter: String = "",
              headings: [String] = ["Slide Alpha", "Slide Bravo", "Slide Charlie"]) throws -> Deck {
    let bodies = ["First slide body.", "Second slide body.", "Third slide body."]
    let text = "---\nkind: deck\nid: test-deck\ntitle: Test Deck\ndwell: \(dwell)\n\(extraFrontMatter)---\n"
        + zip(headings, bodies).map { "# \($0)\n\($1)\n\n" }.joined()
    guard case .deck(let deck)? = try library(["decks/test.md": text]).document(id: "test-deck") else {
        throw Shipped.Missing(description: "the test deck didn't parse")
    }
    return deck
}

extension ProgramHarness {
    func contains(_ text: String) -> Bool { self.text.contains(text) }
}
