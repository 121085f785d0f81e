import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime
import Testing

// Content edited while a session or routine runs (issue #9), in-process: the edit arrives as the content port
// hands it over (`.contentEdited`) in the middle of a step. A good edit shows at the next step change, never
// under the reader's eyes; a broken one keeps the last good content and says so in one line under the screen.
// The watching and reading of real files is tested end to end (Tests/SessionGuideCLITests/LiveReloadTests.swift).

/// The shipped content with `edits` made (file, text replaced, replacement), read as the content port reads it.
func shippedContent(editing edits: [(file: String, old: String, new: String)]) throws -> ContentLibrary {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sg-edit-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(at: URL(fileURLWithPath: Shipped.contentFolder), to: folder)
    for edit in edits {
        let url = folder.appendingPathComponent(edit.file)
        let text = try String(contentsOf: url, encoding: .utf8)
        try #require(text.contains(edit.old), "'\(edit.old)' is not in \(edit.file)")
        try Data(text.replacingOccurrences(of: edit.old, with: edit.new).utf8).write(to: url)
    }
    let library = try ContentLoader.load([folder.path])
    let errors = library.diagnostics.filter { $0.severity == .error }
    try #require(errors.isEmpty, "the edited content has errors: \(errors)")
    return library
}

/// True when a row of the screen, without its margins, is `text` (a centred heading).
func hasCentredRow(_ screen: [String], _ text: String) -> Bool {
    screen.contains { $0.trimmingCharacters(in: .whitespaces) == text }
}

@Suite("content edited while a session or routine runs, in-process")
struct ContentEditProgramTests {
    static let reworded: [(file: String, old: String, new: String)] = [
        ("sessions/treatment-08.md", "- Mobility is controlled movement.", "- Mobility is movement you control."),
        ("sessions/treatment-08.md", "- Hips = mobility joints.", "- Hips are made to move."),
    ]

    @Test("a good edit arriving mid-step shows at the next step, not on the step being read; back on it, it shows there too")
    func sessionTakesEditAtNextStep() throws {
        let harness = try treatment8()
        harness.advance(by: 2_000)
        let before = harness.screen
        harness.send(.contentEdited(.loaded(try shippedContent(editing: Self.reworded))))
        #expect(harness.screen == before, "the step changed under the reader's eyes")
        harness.advance(by: 10_000)
        #expect(harness.screen == before, "the step changed under the reader's eyes")
        // Scrolling or an overlay isn't moving on.
        harness.press(.character("?"))
        harness.press(.escape)
        #expect(harness.screen == before)

        harness.press(.right)
        #expect(hasRow(harness.screen, "  • Hips are made to move."), "\(numbered(harness.screen))")
        #expect(!harness.text.contains("Hips = mobility joints."))
        harness.press(.left)
        #expect(hasRow(harness.screen, "  • Mobility is movement you control."))
        #expect(!harness.text.contains("Mobility is controlled movement."))
        // Nothing else changed: the same rows but the one edited.
        let changed = zip(harness.screen, before).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(changed == [7], "rows \(changed) changed:\n\(numbered(harness.screen))")
    }

    @Test("an edit arriving while a drill timer runs: the running timer keeps its timing and counts on; the next step takes the new timing")
    func editDuringTimer() throws {
        let harness = try treatment8()
        harness.press(.right, .right, .right, .right, .character(" "))
        harness.advance(by: 3_000)
        let edited = try shippedContent(editing: [
            ("drills/cat-cow.md", "reps: 10", "reps: 6"),
            ("drills/hip-rocks.md", "reps: 12", "reps: 8"),
        ])
        let before = harness.screen
        harness.send(.contentEdited(.loaded(edited)))
        #expect(harness.screen == before)
        harness.advance(by: 1_000)
        #expect(secondsLeft(harness.screen) == 36)
        #expect(harness.text.contains("▶ RUNNING  Rep 2 of 10"))

        harness.press(.right)
        #expect(hasRow(harness.screen, " Timing: 1 set × 8 reps, 3 s each"), "\(numbered(harness.screen))")
        #expect(secondsLeft(harness.screen) == 24)
        harness.press(.left)
        // The started timer kept its ten reps of 4 s (and ran on meanwhile); the text shows the edit.
        #expect(hasRow(harness.screen, " Timing: 1 set × 6 reps, 4 s each"), "\(numbered(harness.screen))")
        #expect(harness.text.contains("of 0:40"))
        #expect(secondsLeft(harness.screen) == 36)
        harness.advance(by: 36_000)
        #expect(harness.text.contains("✓ DONE · drill complete"))
    }

    @Test("a broken edit keeps the last good content with a one-line notice, on every step, until a good edit arrives")
    func brokenEdit() throws {
        let harness = try treatment8()
        harness.send(.contentEdited(.broken("sessions/treatment-08.md:2: unknown kind 'sesion'")))
        expectRow(harness, 23, " ⚠ Edit not used (showing the last good content): sessions/treatment-08.md:2: …")
        expectRow(harness, 22, " → next  ← back  w note  t steps  s scripts  ? help  q quit")
        expectRow(harness, 1, " Simple Recap")
        harness.press(.right)
        #expect(harness.screen[0].hasSuffix("Step 2/9 · 0 min"))
        #expect(hasRow(harness.screen, "  • Hips = mobility joints."))
        expectRow(harness, 23, " ⚠ Edit not used (showing the last good content): sessions/treatment-08.md:2: …")

        // The whole message where the screen is wide enough.
        harness.resize(to: Size(width: 132, height: 43))
        expectRow(harness, 42, " ⚠ Edit not used (showing the last good content): sessions/treatment-08.md:2: unknown kind 'sesion'")
        harness.resize(to: .standard)

        // Fixed: the notice goes at once and the screen is whole again; the edit itself shows at the next step.
        let reading = harness.screen
        harness.send(.contentEdited(.loaded(try shippedContent(editing: Self.reworded))))
        expectRow(harness, 23, " → next  ← back  w note  t steps  s scripts  ? help  q quit")
        #expect(!harness.text.contains("Edit not used"))
        #expect(Array(harness.screen[0..<21]) == Array(reading[0..<21]))
        #expect(hasRow(harness.screen, "  • Hips = mobility joints."))
        harness.press(.left)
        #expect(hasRow(harness.screen, "  • Mobility is movement you control."))
    }

    @Test("an edit the running session can't take (steps added, the session gone) is refused at once with a notice, and the session goes on as it was")
    func refusedEdits() throws {
        let added = try shippedContent(editing: [
            ("sessions/treatment-08.md", "# Patient Homework / Reinforcement", "# A new step\n- New.\n\n# Patient Homework / Reinforcement"),
            ("sessions/treatment-08.md", "- Hips = mobility joints.", "- Hips are made to move."),
        ])
        let harness = try treatment8()
        harness.send(.contentEdited(.loaded(added)))
        expectRow(harness, 23, " ⚠ Steps added or removed: the edit shows when the session next starts.")
        harness.press(.right)
        #expect(harness.screen[0].hasSuffix("Step 2/9 · 0 min"))
        #expect(hasRow(harness.screen, "  • Hips = mobility joints."))
        expectRow(harness, 23, " ⚠ Steps added or removed: the edit shows when the session next starts.")

        let gone = try shippedContent(editing: [("sessions/treatment-08.md", "id: treatment-08", "id: treatment-8b")])
        harness.send(.contentEdited(.loaded(gone)))
        expectRow(harness, 23, " ⚠ 'treatment-08' is no longer in the content: still showing the last good ver…")
        harness.press(.right)
        #expect(harness.screen[0].hasSuffix("Step 3/9 · 0 min"))
    }

    @Test("the home menu takes a good edit at once")
    func menuTakesEditAtOnce() throws {
        let harness = try homeMenu()
        let edited = try shippedContent(editing: [("routines/starter-5.md", "title: Five-minute starter",
                                                   "title: Five-minute start")])
        harness.send(.contentEdited(.loaded(edited)))
        expectRow(harness, 7, "    Five-minute start                                               5 min 16 s")
    }

    /// The five-minute starter, as `routine starter-5 --quiet --no-pain-check` runs it.
    func starter5() throws -> FullScreenHarness {
        let library = try Shipped.library()
        let engine = RoutineEngine(routine: try Shipped.routine("starter-5"), library: library, asksAboutPain: false)
        return ProgramHarness(FullScreenProgram(library: library, start: .routine(engine),
                                                routine: RoutineSettings(bell: false)))
    }

    @Test("a routine shows a reworded drill from the next drill on, and refuses a timing change at once until its next run")
    func routineEdits() throws {
        let harness = try starter5()
        harness.press(.character(" "))
        harness.press(.right)  // past the get-ready
        #expect(harness.screen[0].contains("Drill 1 of 5"))
        #expect(hasCentredRow(harness.screen, "Cat-cow"))
        harness.advance(by: 2_000)
        let before = harness.screen

        let reworded = try shippedContent(editing: [("drills/hip-rocks.md", "title: Hip rocks",
                                                     "title: Gentle hip rocks")])
        harness.send(.contentEdited(.loaded(reworded)))
        #expect(harness.screen == before, "the drill on screen changed")
        harness.advance(by: 1_000)
        #expect(hasCentredRow(harness.screen, "Cat-cow"))

        harness.press(.right)  // on to the next drill
        #expect(harness.screen[0].contains("Drill 2 of 5"), "\(numbered(harness.screen))")
        #expect(hasCentredRow(harness.screen, "Gentle hip rocks"), "\(numbered(harness.screen))")
        expectRow(harness, 19, " Next: Rest · 15 s")

        let retimed = try shippedContent(editing: [
            ("drills/hip-rocks.md", "title: Hip rocks", "title: Gentle hip rocks"),
            ("routines/starter-5.md", "rest-between: 15s", "rest-between: 25s"),
        ])
        harness.send(.contentEdited(.loaded(retimed)))
        expectRow(harness, 23, " ⚠ Drills or timing changed: the edit shows from the next run.")
        #expect(hasCentredRow(harness.screen, "Gentle hip rocks"))
        harness.press(.right)
        #expect(harness.screen[0].contains("Drill 3 of 5"))
        #expect(harness.text.contains("Next: Rest · 15 s"), "the refused timing was taken:\n\(numbered(harness.screen))")
    }
}
