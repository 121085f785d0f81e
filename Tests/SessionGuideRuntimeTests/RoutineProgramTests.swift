import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout
import SessionGuideRuntime
import Testing

/// The patient's routine on the runtime, in-process, on a manual clock: what the tmux and pipe tests used to
/// wait for in real time (phases with sets and sides, pause, skip, back, quit, a kill mid-drill, the voice).
@Suite("routine program on the runtime, in-process")
struct RoutineProgramTests {
    /// 17 seconds: get ready 1 s; Quick work 2 × 2 s with 1 s rest; rest 1 s; Side hold 1 s each side with the
    /// 5-second switch; rest 1 s; Tempo reps 2 × 1 s. (The routine the end-to-end tests run.)
    static let files: [String: String] = [
        "drills/quick-work.md": drill("quick-work", "Quick work", ["work: 2s", "sets: 2", "rest: 1s"],
                                      cues: ["Breathe out.", "Stay tall."]),
        "drills/side-hold.md": drill("side-hold", "Side hold", ["hold: 1s", "per-side: yes"],
                                     cues: ["Relax your shoulders."]),
        "drills/tempo-reps.md": drill("tempo-reps", "Tempo reps", ["reps: 2", "tempo: 1s"]),
        "drills/long-one.md": drill("long-one", "Long one", ["work: 30s"]),
        "drills/long-two.md": drill("long-two", "Long two", ["work: 30s"]),
        "routines/test-routine.md": routine("test-routine", "Test routine", ["quick-work", "side-hold", "tempo-reps"]),
        "routines/long-routine.md": routine("long-routine", "Long routine", ["long-one", "long-two", "tempo-reps"]),
    ]

    static func drill(_ id: String, _ title: String, _ timing: [String], cues: [String] = []) -> String {
        var text = "---\nkind: drill\nid: \(id)\ntitle: \(title)\npurpose: A short drill.\n"
        text += timing.map { $0 + "\n" }.joined() + "---\n# Steps\n1. Move gently.\n\n"
        if !cues.isEmpty { text += "# Cues\n" + cues.map { "- \($0)\n" }.joined() + "\n" }
        return text + "# Safety\nPain-free, controlled movement.\n"
    }

    static func routine(_ id: String, _ title: String, _ drills: [String]) -> String {
        "---\nkind: routine\nid: \(id)\ntitle: \(title)\nsafety: Use only pain-free, controlled movement.\n"
            + "get-ready: 1s\nrest-between: 1s\n---\nA routine for the tests.\n\n"
            + drills.map { "[drill: \($0)]" }.joined(separator: "\n") + "\n"
    }

    func engine(_ id: String, asksAboutPain: Bool = false) throws -> (RoutineEngine, ContentLibrary) {
        let content = try library(Self.files)
        guard case .routine(let routine)? = content.document(id: id) else {
            throw Shipped.Missing(description: "\(id) didn't parse")
        }
        return (RoutineEngine(routine: routine, library: content, asksAboutPain: asksAboutPain), content)
    }

    /// `routine test-routine --plain` in a pipe: hands-free.
    func handsFree(_ id: String = "test-routine") throws -> ProgramHarness<PlainRoutineProgram> {
        let (engine, _) = try engine(id)
        return ProgramHarness(PlainRoutineProgram(engine: engine, settings: RoutineSettings(records: true),
                                                  readsKeys: false))
    }

    @Test("hands-free: every phase with its set, side and cue, at the second it is due; the run saved, 17 s")
    func handsFreeTranscript() throws {
        let harness = try handsFree()
        #expect(harness.io.lines == ["Test routine", "3 drills, about 17 s.",
                                     "Safety: Use only pain-free, controlled movement.", "Get ready. First: Quick work."])
        harness.advance(by: 999)
        #expect(harness.io.lines.last == "Get ready. First: Quick work.")
        harness.advance(by: 1)
        #expect(harness.io.lines.last == "Quick work, 2 seconds. Set 1 of 2. Breathe out.")
        harness.advance(by: 20_000)
        #expect(Array(harness.io.lines.dropFirst(4)) == [
            "Quick work, 2 seconds. Set 1 of 2. Breathe out.", "1", "Rest.",
            "Quick work, 2 seconds. Set 2 of 2. Stay tall.", "1", "Rest. Next: Side hold.",
            "Side hold, left side, 1 second. Relax your shoulders.", "Switch sides.", "3", "2", "1",
            "Side hold, right side, 1 second. Relax your shoulders.", "Rest. Next: Tempo reps.",
            "Tempo reps, 2 reps.", "1", "Done.", "Routine finished.", "Drills done: 3 of 3. Skipped: 0.",
            "Time: 0:17.", "Saved to your history ('session-guide history' shows it).",
        ])
        #expect(harness.exitCode == 0)
        // The voice is told every cue, in order (a real voice may cut one short with the next).
        #expect(harness.effects.spoken.filter { !["One", "Two", "Three"].contains($0) } == [
            "Get ready. First: Quick work", "Quick work, 2 seconds", "Rest", "Quick work, 2 seconds",
            "Rest. Next: Side hold", "Side hold, left side, 1 second", "Switch sides",
            "Side hold, right side, 1 second", "Rest. Next: Tempo reps", "Tempo reps, 2 reps", "Done",
        ])
        guard case .routineRun(let run)? = harness.effects.saved.first else {
            Issue.record("no run saved")
            return
        }
        #expect(run.seconds == 17 && run.completed)
        #expect(run.startedAt == Date(timeIntervalSince1970: 1_780_000_000))
        #expect(run.drills.map(\.status) == [.done, .done, .done])
    }

    /// The full-screen routine, no pain checks.
    func fullScreen(_ id: String = "long-routine", records: Bool = true) throws -> FullScreenHarness {
        let (engine, content) = try engine(id)
        return ProgramHarness(FullScreenProgram(library: content, start: .routine(engine),
                                                routine: RoutineSettings(records: records)))
    }

    func secondsLeft(_ harness: FullScreenHarness) -> Int? {
        for line in harness.screen {
            guard let range = line.range(of: " left") else { continue }
            let parts = line[..<range.lowerBound].split(separator: " ").last?.split(separator: ":") ?? []
            if parts.count == 2, let minutes = Int(parts[0]), let seconds = Int(parts[1]) { return minutes * 60 + seconds }
        }
        return nil
    }

    @Test("Space pauses (nothing moves for a minute) and resumes where it was; → skips; q asks, n goes on, y stops")
    func keys() throws {
        let harness = try fullScreen()
        harness.press(.character(" "))
        harness.advance(by: 1_000)  // the get-ready
        #expect(harness.screen[0].contains("Drill 1 of 3"), "\(harness.text)")
        harness.advance(by: 5_000)
        let left = try #require(secondsLeft(harness), "\(harness.text)")
        harness.press(.character(" "))
        #expect(harness.contains("PAUSED"))
        let paused = harness.screen
        harness.advance(by: 60_000)
        #expect(harness.screen == paused, "the screen moved while paused")
        harness.press(.character(" "))
        #expect(!harness.contains("PAUSED") && secondsLeft(harness) == left, "time was lost while paused")
        harness.advance(by: 1_000)
        #expect(secondsLeft(harness) == left - 1)

        harness.press(.right)
        #expect(harness.screen[0].contains("Drill 2 of 3"), "\(harness.text)")
        harness.press(.character("q"))
        #expect(harness.contains("Stop the routine here?"))
        harness.press(.character("n"))
        #expect(!harness.contains("Stop the routine here?") && harness.screen[0].contains("Drill 2 of 3"))
        harness.press(.character("q"))
        harness.press(.character("y"))
        #expect(harness.contains("Routine stopped") && harness.contains("Drills done: 0 of 3"), "\(harness.text)")
        guard case .routineRun(let run)? = harness.effects.saved.first else {
            Issue.record("the stopped run was not saved")
            return
        }
        #expect(!run.completed)
        #expect(run.drills.map(\.status) == [.skipped, .notReached, .notReached])
    }

    @Test("SIGTERM mid-drill: the run so far is saved as stopped early, and it ends with 143")
    func terminatedMidDrill() throws {
        let harness = try fullScreen()
        harness.press(.character(" "))
        harness.advance(by: 1_000 + 30_000 + 1_000 + 10_000)  // get ready, the first drill, the rest, 10 s in
        #expect(harness.screen[0].contains("Drill 2 of 3"), "\(harness.text)")
        harness.signal(.terminate)
        #expect(harness.exitCode == 143)
        guard case .routineRun(let run)? = harness.effects.saved.first else {
            Issue.record("the interrupted run was not saved")
            return
        }
        #expect(!run.completed && run.seconds == 42)
        #expect(run.drills.map(\.status) == [.done, .notReached, .notReached])
    }

    @Test("a routine that never started is not a run: q on the intro saves nothing")
    func neverStarted() throws {
        let harness = try fullScreen()
        harness.press(.character("q"))
        #expect(harness.exitCode == 0)
        #expect(harness.effects.saved.isEmpty)
    }

    @Test("a bell and a flash at every change of phase")
    func bellsAtPhases() throws {
        let harness = try fullScreen("test-routine")
        harness.press(.character(" "))
        harness.advance(by: 20_000)
        // Get ready, 7 phases of the drills, 2 rests between them, and more for the last seconds.
        #expect(harness.io.bells >= 10 && harness.io.flashes >= 10, "\(harness.io.bells) bells")
        #expect(harness.contains("Well done!") || harness.contains("Routine finished"), "\(harness.text)")
    }

    @Test("Ctrl-Z for a minute mid-drill, then fg: the drill is where it was, and the minute is not in the record")
    func suspendedMidDrill() throws {
        let harness = try fullScreen()
        harness.press(.character(" "))
        harness.advance(by: 1_000 + 5_000)  // get ready, 5 s into the first 30-second drill
        let left = try #require(secondsLeft(harness), "\(harness.text)")
        let before = harness.screen
        harness.suspend(for: 60_000)
        #expect(harness.io.suspensions == 1)
        #expect(harness.screen == before, "the drill moved while the program was stopped")
        #expect(harness.runtime.suspendedMilliseconds == 60_000)
        harness.advance(by: 1_000)
        #expect(secondsLeft(harness) == left - 1, "\(harness.text)")
        harness.signal(.terminate)
        guard case .routineRun(let run)? = harness.effects.saved.first else {
            Issue.record("no run saved")
            return
        }
        #expect(run.seconds == 7, "the stopped minute was counted: \(run.seconds) s")
        #expect(run.interrupted == true && !run.isOpen)
    }

    @Test("hands-free, Ctrl-Z in the get-ready: nothing said while stopped, then every cue at its second")
    func suspendedHandsFree() throws {
        let harness = try handsFree()
        harness.advance(by: 500)
        harness.suspend(for: 10_000)
        #expect(harness.io.lines.last == "Get ready. First: Quick work.", "the get-ready ended while stopped")
        harness.advance(by: 499)
        #expect(harness.io.lines.last == "Get ready. First: Quick work.")
        harness.advance(by: 1)
        #expect(harness.io.lines.last == "Quick work, 2 seconds. Set 1 of 2. Breathe out.")
        harness.advance(by: 20_000)
        guard case .routineRun(let run)? = harness.effects.saved.first else {
            Issue.record("no run saved")
            return
        }
        #expect(run.seconds == 17 && run.completed)
    }

    @Test("the run is saved as it happens: created at the start, again at each drill, and once closed at the end")
    func savedAsItHappens() throws {
        let harness = try fullScreen("test-routine")
        #expect(harness.effects.saves.isEmpty, "saved before the routine started")
        harness.press(.character(" "))
        let opened = harness.effects.saves
        #expect(opened.count == 1 && opened.allSatisfy(\.isOpen), "\(opened)")
        harness.advance(by: 20_000)
        let saves = harness.effects.saves
        #expect(saves.count >= 4, "only \(saves.count) saves for three drills")
        #expect(saves.dropLast().allSatisfy(\.isOpen) && saves.last?.isOpen == false)
        #expect(Set(saves.map { $0.progress?.key }).count == 1, "one record, one key: \(saves.map(\.progress))")
        #expect(harness.effects.saved.count == 1)
    }

    @Test("a long drill with nothing happening is still saved every 15 seconds, for its time")
    func checkpointsForTime() throws {
        let harness = try fullScreen()
        harness.press(.character(" "))
        harness.advance(by: 1_000)
        let start = harness.effects.saves.count
        harness.advance(by: 29_000)
        #expect(harness.effects.saves.count - start >= 1)
        guard case .routineRun(let run)? = harness.effects.saves.last else { return }
        #expect(run.seconds >= 15)
    }

    @Test("routine --plain at a keyboard: q at 'Press Space to start' leaves at once, with nothing recorded")
    func plainQuitsBeforeTheStart() throws {
        for key in [KeyEvent.character("q"), .escape] {
            let (engine, _) = try engine("test-routine")
            let harness = ProgramHarness(PlainRoutineProgram(engine: engine, settings: RoutineSettings(records: true),
                                                             readsKeys: true))
            #expect(harness.io.lines.last == "Press Space to start.")
            harness.press(key)
            #expect(harness.io.lines.last == "Routine not started.")
            #expect(harness.exitCode == 0)
            #expect(harness.effects.saves.isEmpty)
        }
    }
}
