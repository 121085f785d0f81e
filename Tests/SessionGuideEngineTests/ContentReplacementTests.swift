import SessionGuideContent
import SessionGuideEngine
import Testing

/// Content edited while a session or routine runs: taken when it keeps the shape of what is running, refused
/// (so the run goes on as it was) when it doesn't.
@Suite("content edited while running")
struct ContentReplacementTests {
    private func edited(_ text: String, replacing old: String, with new: String) throws -> String {
        try #require(text.contains(old), "the fixture has changed: '\(old)' is gone")
        return text.replacingOccurrences(of: old, with: new)
    }

    @Test("a session takes edited wording and drill timing, and keeps its step, timers and time")
    func sessionTakesWording() throws {
        var engine = try Fixture.engine()
        _ = engine.handle(.right, at: .ms(1_000))  // Warm-up, a drill step
        _ = engine.handle(.character(" "), at: .ms(2_000))  // its timer starts
        let running = try #require(engine.timers[Fixture.warmUp])

        let text = try edited(Fixture.session, replacing: "# Welcome", with: "# Welcome, edited")
        let library = try Fixture.library(extra: ["sessions/engine-test.md": text,
                                                  "drills/rocks.md": Fixture.drillText(id: "rocks", timing: ["reps: 12", "tempo: 3s"])])
        #expect(engine.replaceContent(session: try Fixture.parseSession(text), library: library))

        #expect(engine.steps[Fixture.welcome].title == "Welcome, edited")
        #expect(engine.currentStep == Fixture.warmUp)
        #expect(engine.timers[Fixture.warmUp] == running, "a running timer keeps its timing")
        #expect(engine.timer(forStep: Fixture.rocksStep)?.phases.first?.seconds == 36,
                "a timer not yet started takes the new timing (12 reps × 3 s)")
        #expect(engine.timeOnSteps(at: .ms(5_000))[Fixture.welcome] == 1_000)
    }

    @Test("a session refuses an edit that adds or removes steps, and goes on as it was")
    func sessionRefusesNewShape() throws {
        var engine = try Fixture.engine()
        let before = engine.steps
        let text = Fixture.session + "\n# One more step\nAdded while the session ran.\n"
        let library = try Fixture.library(extra: ["sessions/engine-test.md": text])
        #expect(!engine.replaceContent(session: try Fixture.parseSession(text), library: library))
        #expect(engine.steps == before)
    }

    private static let routineText = """
        ---
        kind: routine
        id: daily
        title: Daily
        safety: Pain-free, controlled movement only; stop if it hurts.
        rest-between: 10s
        get-ready: 5s
        ---
        [drill: march]
        [drill: rocks]
        """

    private func routine(_ text: String, in library: ContentLibrary) throws -> Routine {
        guard case .routine(let routine)? = library.document(id: "daily") else {
            Issue.record("no routine: \(library.diagnostics)")
            throw CancellationError()
        }
        return routine
    }

    @Test("a routine takes edited wording when its drills and timing stay the same, and refuses other edits")
    func routineTakesWordingOnly() throws {
        let library = try Fixture.library(extra: ["routines/daily.md": Self.routineText])
        var engine = RoutineEngine(routine: try routine(Self.routineText, in: library), library: library,
                                   asksAboutPain: false)
        let segments = engine.segments

        let reworded = try edited(Fixture.march, replacing: "title: Drill march", with: "title: Marching, edited")
        let rewordedLibrary = try Fixture.library(extra: ["routines/daily.md": Self.routineText,
                                                          "drills/march.md": reworded])
        #expect(engine.replaceContent(routine: try routine(Self.routineText, in: rewordedLibrary),
                                      library: rewordedLibrary))
        #expect(engine.drills.first?.drill.title == "Marching, edited")
        #expect(engine.segments == segments)

        let retimed = try edited(Fixture.march, replacing: "work: 45s", with: "work: 60s")
        let retimedLibrary = try Fixture.library(extra: ["routines/daily.md": Self.routineText,
                                                         "drills/march.md": retimed])
        #expect(!engine.replaceContent(routine: try routine(Self.routineText, in: retimedLibrary),
                                       library: retimedLibrary))
        #expect(engine.drills.first?.drill.title == "Marching, edited", "a refused edit changes nothing")
        #expect(engine.segments == segments)
    }

    @Test("the menu keeps the selected document when the content is read again")
    func menuKeepsSelection() throws {
        let library = try Fixture.library(extra: ["sessions/engine-test.md": Fixture.session,
                                                  "routines/daily.md": Self.routineText])
        var menu = HomeMenu(library: library)
        _ = menu.handle(.down)
        let selected = menu.items[menu.selection].id
        let edited = try Fixture.library(extra: ["sessions/engine-test.md": Fixture.session,
                                                 "routines/daily.md": Self.routineText,
                                                 "routines/another.md": Self.routineText
                                                     .replacingOccurrences(of: "id: daily", with: "id: aaa-first")])
        let reloaded = menu.reloaded(edited)
        #expect(reloaded.items.count == menu.items.count + 1)
        #expect(reloaded.items[reloaded.selection].id == selected)
    }
}
