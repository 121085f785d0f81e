import SessionGuideContent
import Testing
@testable import SessionGuideEngine

@Suite("Home menu")
struct HomeMenuTests {
    static func library(_ files: [String: String]) -> ContentLibrary {
        ContentLibrary(files: files.map { DocumentParser.parse(text: $0.value, path: $0.key) })
    }

    static let deck = "---\nkind: deck\nid: room\ntitle: Waiting room\n---\n# Hello\nText.\n"
    static let session = "---\nkind: session\nid: visit\ntitle: Treatment visit\n---\n# Recap\n- a\n"
    static let drill = """
        ---
        kind: drill
        id: march
        title: March
        purpose: P
        work: 10s
        ---
        # Steps
        - a
        # Safety
        Pain-free, controlled movement.
        """
    static let routine = "---\nkind: routine\nid: daily\ntitle: Daily routine\nsafety: Stop if it hurts.\n---\n[drill: march]\n"

    @Test func listsSessionsRoutinesAndDecksInThatOrder() {
        let menu = HomeMenu(library: Self.library(["a.md": Self.deck, "b.md": Self.session, "c.md": Self.drill,
                                                   "d.md": Self.routine]))
        #expect(menu.items.map(\.kind) == [.session, .routine, .deck])
        #expect(menu.items.map(\.detail) == ["1 step", "20 s", "1 slide"])
        #expect(menu.contentProblem == nil)
    }

    @Test func movesOpensAndJumpsByFirstLetter() {
        var menu = HomeMenu(library: Self.library(["a.md": Self.deck, "b.md": Self.session, "c.md": Self.drill,
                                                   "d.md": Self.routine]))
        #expect(menu.handle(.down) == nil)
        #expect(menu.selectedItem?.id == "daily")
        _ = menu.handle(.down)
        _ = menu.handle(.down)  // stays on the last item
        #expect(menu.selectedItem?.id == "room")
        _ = menu.handle(.character("t"))  // wraps round to "Treatment visit"
        #expect(menu.selectedItem?.id == "visit")
        #expect(menu.handle(.enter) == .open(menu.items[0]))
        #expect(menu.handle(.character("q")) == .quit)
    }

    @Test func saysWhenFilesWithErrorsAreLeftOut() {
        let broken = Self.session.replacingOccurrences(of: "title: Treatment visit", with: "tilte: x")
        let menu = HomeMenu(library: Self.library(["a.md": Self.deck, "b.md": broken]))
        #expect(menu.items.map(\.id) == ["room"])
        #expect(menu.contentProblem == "1 file with errors left out: run 'session-guide check'")
    }
}
