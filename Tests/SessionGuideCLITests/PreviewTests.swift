import Foundation
import Testing

// `session-guide preview FILE` in a real terminal, on the test clock: each save is drawn again; a broken save
// keeps the last good view with the problem (path:line:column) on the bottom line.

@Suite("preview, end to end")
struct PreviewTests {
    private static func deck(_ second: String) -> String {
        "---\nkind: deck\nid: room\ntitle: Room\n---\n# First slide\nHello.\n\n# Second slide\n\(second)\n"
    }

    @Test func aDeckIsRedrawnOnEachSaveAndABrokenSaveKeepsTheLastGoodView() async throws {
        try await withTemporaryFolder(["content/decks/room.md": .text(Self.deck("Version one."))]) { folder in
            let file = folder.path(of: "content/decks/room.md")
            try await withTmuxTerminal(["preview", file, "--size", "60x16", "--content", folder.path(of: "content")],
                                       width: 140, height: 24) { terminal in
                try await terminal.waitFor("First slide", "the kiosk at 60×16", "Preview of ")
                try await terminal.press("Right")
                try await terminal.waitFor("Version one.")
                let loaded = terminal.portInputs("content-loaded")
                try Data(Self.deck("Version two, saved.").utf8).write(to: URL(fileURLWithPath: file))
                try await terminal.advance(by: 200, untilPort: "content-loaded", moreThan: loaded)
                try await terminal.waitFor("Version two, saved.", "Second slide")
                let broken = terminal.portInputs("content-broken")
                try Data(Self.deck("Broken.").replacingOccurrences(of: "id: room", with: "id: Room").utf8)
                    .write(to: URL(fileURLWithPath: file))
                try await terminal.advance(by: 200, untilPort: "content-broken", moreThan: broken)
                let screen = try await terminal.waitFor("Version two, saved.", "room.md:3:5: id")
                #expect(!screen.text.contains("Broken."))
                try await terminal.press("q")
                #expect(try await terminal.waitForExit().status == 0)
            }
        }
    }

    @Test func aFileThatIsNotThereIsOneClearLine() async throws {
        let result = try await BinaryRunner.run(["preview", "/nonexistent/drill.md"])
        #expect(result.exitCode == 66)
        #expect(result.stderr == "session-guide: no such file: /nonexistent/drill.md\n", Comment(rawValue: result.summary))
        let size = try await BinaryRunner.run(["preview", "x.md", "--size", "big"])
        #expect(size.exitCode == 64)
        let folder = try await BinaryRunner.run(["preview", "Content"])
        #expect(folder.exitCode == 66)
        #expect(folder.stderr == "session-guide: Content is a folder: give one content file in it, such as "
            + "Content/drills/cat-cow.md\n", Comment(rawValue: folder.summary))
    }
}
