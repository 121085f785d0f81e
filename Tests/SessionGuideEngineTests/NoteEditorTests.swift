import Testing
import SessionGuideContent
import SessionGuideEngine

private let t0 = Moment.ms(0)

extension NoteEditor {
    /// Types `text` one character at a time, as keys arrive from the terminal.
    mutating func type(_ text: String) {
        for scalar in text.unicodeScalars { _ = handle(.character(Character(scalar))) }
    }
}

extension SessionEngine {
    /// Types `text` one Unicode scalar at a time, as the terminal delivers it.
    mutating func type(_ text: String, at now: Moment) {
        for scalar in text.unicodeScalars { _ = handle(.character(Character(scalar)), at: now) }
    }

    /// Presses several keys in turn at one moment.
    mutating func pressKeys(_ keys: KeyEvent..., at now: Moment) {
        for key in keys { _ = handle(key, at: now) }
    }
}

@Suite("NoteEditor: a one-line text field")
struct NoteEditorTests {
    @Test func typingAndMovingTheCursor() {
        var editor = NoteEditor(step: 2)
        editor.type("hip feels tight")
        #expect(editor.text == "hip feels tight")
        #expect(editor.cursor == 15)
        _ = editor.handle(.home)
        editor.type("Left ")
        #expect(editor.text == "Left hip feels tight")
        _ = editor.handle(.end)
        editor.type(".")
        #expect(editor.text == "Left hip feels tight.")
        for _ in 0..<6 { _ = editor.handle(.left) }
        _ = editor.handle(.backspace)  // the space before "tight"
        #expect(editor.text == "Left hip feelstight.")
        editor.type(" very ")
        #expect(editor.text == "Left hip feels very tight.")
        _ = editor.handle(.right)
        _ = editor.handle(.delete)  // the "i" of "tight"
        #expect(editor.text == "Left hip feels very tght.")
        #expect(editor.step == 2)
    }

    @Test func cursorStopsAtTheEnds() {
        var editor = NoteEditor(step: 0, text: "ab")
        for _ in 0..<5 { _ = editor.handle(.right) }
        #expect(editor.cursor == 2)
        for _ in 0..<5 { _ = editor.handle(.left) }
        #expect(editor.cursor == 0)
        _ = editor.handle(.backspace)
        #expect(editor.text == "ab")
        _ = editor.handle(.end)
        _ = editor.handle(.delete)
        #expect(editor.text == "ab")
    }

    @Test func readlineKeys() {
        var editor = NoteEditor(step: 0, text: "one two")
        _ = editor.handle(.control("a"))
        #expect(editor.cursor == 0)
        _ = editor.handle(.control("f"))
        _ = editor.handle(.control("d"))
        #expect(editor.text == "oe two")
        _ = editor.handle(.control("e"))
        _ = editor.handle(.control("b"))
        _ = editor.handle(.control("u"))
        #expect(editor.text == "o")
        #expect(editor.cursor == 0)
    }

    @Test func enterSavesTrimmedTextAndEscCancels() {
        var editor = NoteEditor(step: 0)
        editor.type("  no pain today  ")
        #expect(editor.handle(.enter) == .saved("no pain today"))
        #expect(editor.handle(.escape) == .cancelled)
        var blank = NoteEditor(step: 0, text: "   ")
        #expect(blank.handle(.enter) == .saved(""))
    }

    @Test("Unicode: accents typed after their letter, wide characters, emoji sequences are one character each")
    func unicode() {
        var editor = NoteEditor(step: 0)
        editor.type("Cafe\u{301} 膝 👩‍⚕️ ok")
        #expect(editor.text == "Café 膝 👩‍⚕️ ok")
        #expect(editor.text.count == 11)
        #expect(editor.cursor == 11)
        for _ in 0..<3 { _ = editor.handle(.left) }
        _ = editor.handle(.backspace)  // the whole emoji, not one of its code points
        #expect(editor.text == "Café 膝  ok")
        _ = editor.handle(.home)
        for _ in 0..<3 { _ = editor.handle(.right) }
        _ = editor.handle(.delete)  // é with its accent
        #expect(editor.text == "Caf 膝  ok")
        editor.type("ö")
        #expect(editor.text == "Cafö 膝  ok")
    }

    @Test("control characters, tabs and line breaks never get into a note")
    func onlyPrintableText() {
        var editor = NoteEditor(step: 0)
        for key: KeyEvent in [.character("a"), .character("\n"), .character("\r\n"), .character("\u{7}"),
                              .character("\u{2028}"), .character("\u{1B}"), .tab, .character("b")] {
            _ = editor.handle(key)
        }
        #expect(editor.text == "ab")
        #expect(NoteEditor(step: 0, text: "x\ny\tz").text == "xyz")
    }

    @Test func lengthIsCapped() {
        var editor = NoteEditor(step: 0, text: String(repeating: "a", count: NoteEditor.maximumLength + 50))
        #expect(editor.text.count == NoteEditor.maximumLength)
        editor.type("b")
        #expect(editor.text.count == NoteEditor.maximumLength)
        #expect(!editor.text.contains("b"))
        editor.type("\u{301}")  // a combining mark joins the last letter: the note is no longer for it
        #expect(editor.text.count == NoteEditor.maximumLength)
        #expect(editor.text.last == "á")
    }
}

@Suite("SessionEngine: notes on steps")
struct SessionEngineNoteTests {
    @Test func wOpensTheEditorAndEnterSavesTheNote() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: .seconds(5))
        engine.press(.character("w"), at: .seconds(10))
        #expect(engine.noteEditor?.step == Fixture.warmUp)
        #expect(engine.noteEditor?.text == "")
        engine.type("Knees ok", at: .seconds(12))
        engine.press(.enter, at: .seconds(15))
        #expect(engine.noteEditor == nil)
        #expect(engine.notes == [Fixture.warmUp: .init(text: "Knees ok", writtenAt: .seconds(15))])
        #expect(engine.currentStep == Fixture.warmUp, "Enter saved; it did not move on")
    }

    @Test func escCancelsAndKeepsTheOldNote() throws {
        var engine = try Fixture.engine()
        engine.press(.character("w"), at: t0)
        engine.type("first", at: t0)
        engine.press(.enter, at: .seconds(1))
        engine.press(.character("w"), at: .seconds(2))
        engine.type(" and more", at: .seconds(3))
        engine.press(.escape, at: .seconds(4))
        #expect(engine.noteEditor == nil)
        #expect(engine.notes[Fixture.welcome] == .init(text: "first", writtenAt: .seconds(1)))
        #expect(engine.overlay == nil)
    }

    @Test("w on a step with a note edits it; an unchanged note keeps its time; clearing it removes it")
    func editExistingNote() throws {
        var engine = try Fixture.engine()
        engine.press(.character("w"), at: t0)
        engine.type("Sore after the drive", at: t0)
        engine.press(.enter, at: .seconds(1))
        engine.pressKeys(.right, .left, at: .seconds(20))
        engine.press(.character("w"), at: .seconds(21))
        #expect(engine.noteEditor?.text == "Sore after the drive")
        #expect(engine.noteEditor?.cursor == 20)
        engine.press(.enter, at: .seconds(22))
        #expect(engine.notes[Fixture.welcome]?.writtenAt == .seconds(1))
        engine.press(.character("w"), at: .seconds(30))
        engine.press(.backspace, times: 9, at: .seconds(30))  // "the drive"
        engine.type("a long drive", at: .seconds(31))
        engine.press(.enter, at: .seconds(32))
        #expect(engine.notes[Fixture.welcome] == .init(text: "Sore after a long drive", writtenAt: .seconds(32)))
        engine.press(.character("w"), at: .seconds(40))
        engine.pressKeys(.control("u"), .enter, at: .seconds(41))
        #expect(engine.notes.isEmpty)
    }

    @Test("notes on two steps are kept apart")
    func notesOnTwoSteps() throws {
        var engine = try Fixture.engine()
        engine.press(.character("w"), at: t0)
        engine.type("one", at: t0)
        engine.press(.enter, at: t0)
        engine.jump(to: Fixture.rocksStep, at: .seconds(10))
        engine.press(.character("w"), at: .seconds(11))
        #expect(engine.noteEditor?.text == "")
        engine.type("two", at: .seconds(11))
        engine.press(.enter, at: .seconds(12))
        #expect(engine.notes.mapValues(\.text) == [Fixture.welcome: "one", Fixture.rocksStep: "two"])
    }

    /// Every key that does something outside the editor.
    static let commandKeys: [KeyEvent] = [
        .right, .left, .character("l"), .character("n"), .character("h"), .character("p"), .character("g"),
        .up, .down, .pageUp, .pageDown, .home, .end, .tab, .character("t"), .character("?"), .function(1),
        .character("s"), .character("q"), .character(" "), .character("r"), .character("+"), .character("-"),
        .character("w"), .backspace, .delete, .click(column: 3, row: 3),
    ]

    @Test("while the editor is open no key navigates, opens an overlay, touches a timer or quits",
          arguments: commandKeys)
    func keysStayInTheEditor(key: KeyEvent) throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.bracing, at: t0)
        engine.setScrollLimits(maximum: 20, page: 5)
        engine.press(.character(" "), at: t0)  // the timer runs
        engine.press(.character("w"), at: .seconds(1))
        let timerBefore = engine.timers[Fixture.bracing]
        let effects = engine.press(key, times: 2, at: .seconds(1))
        #expect(!effects.contains(.quit))
        #expect(engine.noteEditor != nil)
        #expect(engine.currentStep == Fixture.bracing)
        #expect(!engine.showsSummary)
        #expect(engine.overlay == nil)
        #expect(engine.showScripts)
        #expect(engine.scrollOffset == 0)
        #expect(engine.timers[Fixture.bracing] == timerBefore)
    }

    @Test("q and Space are text in a note")
    func lettersAreText() throws {
        var engine = try Fixture.engine()
        engine.press(.character("w"), at: t0)
        engine.type("q then n, p and t", at: t0)
        #expect(engine.noteEditor?.text == "q then n, p and t")
        engine.press(.enter, at: t0)
        #expect(engine.notes[Fixture.welcome]?.text == "q then n, p and t")
        #expect(engine.currentStep == Fixture.welcome)
    }

    @Test("timers keep running while a note is written, and their bells still ring")
    func timersRunWhileTyping() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)  // Warm-up: march, 45 s of work
        engine.press(.character(" "), at: t0)
        engine.press(.character("w"), at: .seconds(10))
        engine.type("marching well", at: .seconds(20))
        let effects = engine.press(.character("!"), at: .seconds(46))
        #expect(effects.contains(.bell) && effects.contains(.flash))
        #expect(engine.timers[Fixture.warmUp]?.isFinished == true)
        #expect(engine.noteEditor?.text == "marching well!")
        #expect(engine.nextDeadline(after: .seconds(46)) <= .seconds(60))
    }

    @Test("no note on the summary")
    func noNoteOnTheSummary() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.wrapUp, at: t0)
        engine.press(.right, at: t0)
        #expect(engine.showsSummary)
        engine.press(.character("w"), at: t0)
        #expect(engine.noteEditor == nil)
    }

    @Test("a note still open when the session ends counts: typed text is never lost")
    func draftCounts() throws {
        var engine = try Fixture.engine()
        engine.press(.character("w"), at: t0)
        engine.type("saved", at: t0)
        engine.press(.enter, at: .seconds(1))
        #expect(engine.notesIncludingDraft(at: .seconds(2)) == engine.notes)
        engine.pressKeys(.right, .character("w"), at: .seconds(3))
        engine.type(" half-typed ", at: .seconds(4))
        let notes = engine.notesIncludingDraft(at: .seconds(5))
        #expect(notes.mapValues(\.text) == [Fixture.welcome: "saved", Fixture.warmUp: "half-typed"])
        #expect(notes[Fixture.warmUp]?.writtenAt == .seconds(5))
        // Emptying an existing note in the editor removes it.
        engine.pressKeys(.escape, .left, .character("w"), .control("u"), at: .seconds(6))
        #expect(engine.notesIncludingDraft(at: .seconds(7)).isEmpty)
        // Opening the editor on a note without changing it leaves the note as it was.
        engine.pressKeys(.escape, .character("w"), at: .seconds(8))
        #expect(engine.notesIncludingDraft(at: .seconds(9)) == engine.notes)
    }

    @Test("timers started and completed are remembered, even after a reset")
    func timerCounts() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: t0)  // march: 45 s
        engine.press(.character("r"), at: .seconds(5))
        engine.press(.character(" "), at: .seconds(6))
        _ = engine.tick(at: .seconds(60))
        engine.press(.character("r"), at: .seconds(61))
        engine.jump(to: Fixture.bracing, at: .seconds(62))
        engine.press(.character(" "), at: .seconds(62))
        engine.press(.character("+"), at: .seconds(63))
        engine.jump(to: Fixture.rocksStep, at: .seconds(64))
        engine.press(.character("+"), at: .seconds(64))  // adjusted, never started
        #expect(engine.timersStarted == [Fixture.warmUp, Fixture.bracing])
        #expect(engine.timersCompleted == [Fixture.warmUp])
        #expect(engine.completedDrills.isEmpty, "the summary's count is of timers finished now")
    }
}
