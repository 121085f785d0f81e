import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

/// The screens of patients' programmes: the therapist's programme editor, the patient-label prompt, the question
/// after a drill of a programme, the last drill's question and "it hurt".
@Suite("Programme screens: snapshots")
struct ProgrammeSnapshotTests {
    private let today = CalendarDay(year: 2026, month: 12, day: 4)

    /// The editor on the shipped routine, with Cat-cow at 14 reps, Hip rocks left out and a note.
    private func editedProgramme() throws -> ProgrammeEditor {
        var editor = ProgrammeEditor(patient: "JD", library: try Shipped.library(), preferredRoutine: "daily-hip-back",
                                     today: today)
        for key: KeyEvent in [.down, .right, .character("+"), .character("+"), .down, .left, .left, .character(" ")] {
            _ = editor.handle(key)
        }
        for _ in 0..<9 { _ = editor.handle(.down) }
        _ = editor.handle(.enter)
        for character in "Keep the range small this week" { _ = editor.handle(.character(character)) }
        _ = editor.handle(.enter)
        _ = editor.handle(.up)  // back on "Until", so the selection shows
        return editor
    }

    @Test("the programme editor", arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40),
                                              Size(width: 40, height: 12)])
    func editor(size: Size) throws {
        let grid = ProgrammeScreen.render(try editedProgramme(), size: size).grid
        if size.width >= 80 {
            let catCow = grid.text.split(separator: "\n").first { $0.contains("Cat-cow") } ?? ""
            #expect(catCow.contains("[x]") && catCow.contains("14 reps"))
            let hipRocks = grid.text.split(separator: "\n").first { $0.contains("Hip rocks") } ?? ""
            #expect(hipRocks.contains("[ ]"))
            #expect(grid.text.contains("Keep the range small this week"))
        }
        assertScreen(grid, named: "programme-editor-\(size.name)")
    }

    @Test func onANarrowScreenTheColumnBeingChangedStandsBesideTheTitles() throws {
        var editor = ProgrammeEditor(patient: "JD", library: try Shipped.library(), preferredRoutine: "daily-hip-back",
                                     today: today)
        for key: KeyEvent in [.down, .right, .character("+")] { _ = editor.handle(key) }
        let grid = ProgrammeScreen.render(editor, size: Size(width: 40, height: 16)).grid
        let rows = grid.text.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.contains("Drill  (←→ column)") && $0.contains("Reps / time") }, "\(grid.text)")
        #expect(rows.first { $0.contains("Cat-cow") }?.contains("13 reps") == true, "\(grid.text)")
        #expect(rows.allSatisfy { DisplayWidth.of($0) <= 40 })
        assertScreen(grid, named: "programme-editor-narrow-40x16")
    }

    @Test func theLabelPrompt() throws {
        var editor = NoteEditor(step: 0)
        for character in "JD" { _ = editor.handle(.character(character)) }
        let grid = LabelPromptScreen.render(editor, problem: nil, purpose: "prescribe a programme",
                                            size: Size(width: 80, height: 24)).grid
        #expect(grid.text.contains("Which patient?"))
        assertScreen(grid, named: "label-prompt-80x24")
    }

    /// A programme of Cat-cow and Hip rocks, run to `seconds` after the start (get ready 10 s, Cat-cow 48 s).
    private func programmeRun(at seconds: Int64, keys: [KeyEvent] = []) throws -> (RoutineEngine, Moment) {
        let library = try Shipped.library()
        guard case .routine(let routine)? = library.document(id: "daily-hip-back") else {
            throw Shipped.Missing(description: "no daily-hip-back")
        }
        let prescription = Prescription(routineID: routine.id, drills: [.init(drillID: "cat-cow"),
                                                                        .init(drillID: "hip-rocks")])
        var engine = RoutineEngine(routine: prescription.applied(to: routine, library: library), library: library,
                                   asksAboutPain: false, asksForFeedback: true)
        _ = engine.handle(.character(" "), at: .init(milliseconds: 0))
        let now = Moment(milliseconds: seconds * 1000)
        _ = engine.tick(at: now)
        for key in keys { _ = engine.handle(key, at: now) }
        return (engine, now)
    }

    @Test("the question after a drill, during the rest", arguments: [Size(width: 80, height: 24),
                                                                      Size(width: 200, height: 60)])
    func questionDuringTheRest(size: Size) throws {
        let (engine, now) = try programmeRun(at: 60)
        #expect(engine.feedbackQuestion == 0)
        let grid = RoutineScreen.render(engine, at: now, size: size).grid
        #expect(grid.text.contains("How was Cat-cow?"))
        #expect(grid.text.contains("Keep to pain-free, controlled movement"))
        assertScreen(grid, named: "routine-feedback-question-\(size.name)")
    }

    @Test func itHurtShowsTheSafetyRule() throws {
        let (engine, now) = try programmeRun(at: 60, keys: [.character("4")])
        #expect(engine.showsHurtAdvice)
        let grid = RoutineScreen.render(engine, at: now, size: Size(width: 80, height: 24)).grid
        #expect(grid.text.contains("You said it hurt: the clock is paused."))
        #expect(grid.text.contains("go on, more gently"))
        assertScreen(grid, named: "routine-it-hurt-80x24")
    }

    @Test func theLastDrillsQuestion() throws {
        let (engine, now) = try programmeRun(at: 10 + 48 + 15 + 36)
        #expect(engine.stage == .lastFeedback)
        let grid = RoutineScreen.render(engine, at: now, size: Size(width: 80, height: 24)).grid
        #expect(grid.text.contains("How was Hip rocks?"))
        assertScreen(grid, named: "routine-last-feedback-80x24")
    }
}
