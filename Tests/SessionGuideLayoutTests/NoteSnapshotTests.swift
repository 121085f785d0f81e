import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

extension SessionDriver {
    /// Types `text` into the open note editor, one Unicode scalar per key as the terminal sends it.
    mutating func type(_ text: String) {
        for scalar in text.unicodeScalars { press(.character(Character(scalar))) }
    }

    /// Writes a note on the current step with `w`, text and Enter.
    mutating func writeNote(_ text: String, at moment: Moment? = nil) {
        press(.character("w"), at: moment)
        type(text)
        press(.enter)
    }
}

/// Treatment 8 with notes: the editor open (`w`), a step that has a note, the summary that lists them.
@Suite("Session notes: screen snapshots")
struct NoteSnapshotTests {
    static let catCowStep = 5
    static let editorSizes = [Size(width: 80, height: 24), Size(width: 40, height: 12)]

    @Test("the note editor open on a drill step while its timer runs", arguments: editorSizes)
    func editorOpen(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep, at: .seconds(60))
        driver.press(.character(" "), at: .seconds(60))
        driver.press(.character("w"), at: .seconds(65))
        driver.type("Rounding is easy; arching pinches a little")
        driver.wait(until: .ms(72_300))
        let screen = driver.render()
        #expect(driver.engine.noteEditor?.text == "Rounding is easy; arching pinches a little")
        #expect(driver.engine.timers[Self.catCowStep - 1]?.isRunning == true)
        assertScreen(screen.grid, named: "note-editor-\(size.name)")
    }

    @Test("a long note scrolls sideways; the cursor moved back into the middle stays in view")
    func editorScrolled() throws {
        var driver = try SessionDriver(size: Size(width: 40, height: 12))
        driver.goToStep(2, at: .seconds(30))
        driver.press(.character("w"))
        driver.type("Sitting all day at work; the hip flexors feel short and the low back takes over when she bends")
        assertScreen(driver.render().grid, named: "note-editor-scrolled-end-40x12")
        #expect(cursorCells(in: driver.render().grid) == [39 - 1])
        for _ in 0..<42 { driver.press(.left) }
        let middle = driver.render().grid
        assertScreen(middle, named: "note-editor-scrolled-middle-40x12")
        // The cursor is on the character after it: the "a" of "and", 42 characters from the end.
        let cursor = try #require(cursorCells(in: middle).first)
        #expect(middle[cursor, 10].character == "a")
        #expect(driver.engine.noteEditor?.afterCursor.hasPrefix("and the low back") == true)
    }

    /// The columns drawn in reverse video on the editor's row (the second-last).
    private func cursorCells(in grid: Grid) -> [Int] {
        (0..<grid.size.width).filter { grid[$0, grid.size.height - 2].style.reverse }
    }

    @Test("a step with a note shows it above the step's text", arguments: Self.editorSizes)
    func stepWithNote(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(2, at: .seconds(30))
        driver.writeNote("She says the left hip is stiffer in the morning and eases after a walk.")
        #expect(driver.engine.noteEditor == nil)
        assertScreen(driver.render().grid, named: "step-with-note-\(size.name)")
        // Turned toward the patient: the note goes with the scripts.
        driver.press(.character("s"))
        #expect(!driver.render().grid.text.contains("Note:"))
    }

    @Test("the summary lists the notes under their steps")
    func summaryWithNotes() throws {
        var driver = try SessionDriver(size: Size(width: 80, height: 24))
        driver.goToStep(2, at: .seconds(120))
        driver.writeNote("Left hip stiffer in the morning.")
        driver.goToStep(Self.catCowStep, at: .seconds(400))
        driver.writeNote("Cat-cow easy, no pain.")
        driver.goToStep(9, at: .seconds(700))
        driver.press(.right, at: .seconds(800))
        #expect(driver.engine.showsSummary)
        driver.press(.pageDown)
        assertScreen(driver.render().grid, named: "summary-with-notes-80x24")
    }

    @Test("NoteField keeps the cursor in view, marks cut text with …, and scrolls only at the edges")
    func noteField() {
        func window(_ before: String, _ after: String, from first: Int = 0, width: Int = 6) -> NoteField.Window {
            NoteField.window(before: before, after: after, firstVisible: first, width: width)
        }
        #expect(window("abc", "", width: 10) == .init(text: "abc", cursorColumn: 3, firstVisible: 0))
        #expect(window("abc", "def", width: 10) == .init(text: "abcdef", cursorColumn: 3, firstVisible: 0))
        // Typing at the end of a long line: the start is cut, the cursor sits in the last cell.
        #expect(window("abcdefghij", "") == .init(text: "…ghij", cursorColumn: 5, firstVisible: 6))
        // One step left: the line fills the field again, and the view then stays put while the cursor moves.
        #expect(window("abcdefghi", "j", from: 6) == .init(text: "…fghij", cursorColumn: 5, firstVisible: 5))
        #expect(window("abcdefgh", "ij", from: 5) == .init(text: "…fghij", cursorColumn: 4, firstVisible: 5))
        #expect(window("abcdef", "ghij", from: 5) == .init(text: "…fghij", cursorColumn: 2, firstVisible: 5))
        // At the left edge it scrolls, with "…" at both ends.
        #expect(window("abcd", "efghij", from: 5) == .init(text: "…efgh…", cursorColumn: 1, firstVisible: 4))
        // Home shows the start; moving right from there doesn't scroll.
        #expect(window("", "abcdefghij", from: 4) == .init(text: "abcde…", cursorColumn: 0, firstVisible: 0))
        #expect(window("a", "bcdefghij", from: 0) == .init(text: "abcde…", cursorColumn: 1, firstVisible: 0))
        // Wide characters count two cells, and are never cut in half.
        #expect(window("膝膝膝膝", "") == .init(text: "…膝膝", cursorColumn: 5, firstVisible: 2))
        #expect(window("a", "膝膝膝膝") == .init(text: "a膝膝…", cursorColumn: 1, firstVisible: 0))
    }
}
