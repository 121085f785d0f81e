import Testing
@testable import SessionGuideContent
@testable import SessionGuideEngine

/// A routine of the fixture drills, and a drill with an easier version, for prescribing.
private enum ProgrammeFixture {
    static let routine = """
        ---
        kind: routine
        id: home
        title: Home routine
        safety: Keep to pain-free, controlled movement, and stop if it hurts.
        rest-between: 15s
        get-ready: 10s
        ---
        [drill: march]
        [drill: rocks]
        [drill: brace]
        [drill: bend]
        """

    /// 20 s of work, with an easier version.
    static let bend = """
        ---
        kind: drill
        id: bend
        title: Side bend
        purpose: Bends the trunk gently.
        work: 20s
        ---
        # Steps
        1. Stand tall.
        2. Lean a little to one side.

        # Easier
        1. Sit on a chair.
        2. Lean only as far as is easy.

        # Safety
        Pain-free, controlled movement only; stop if it hurts.
        """

    static func library() throws -> ContentLibrary {
        try Fixture.library(extra: ["routines/home.md": routine, "drills/bend.md": bend])
    }

    static func routineModel() throws -> Routine {
        guard case .routine(let routine)? = try library().document(id: "home") else {
            Issue.record("no routine")
            throw Fixture.FixtureError.notASession
        }
        return routine
    }
}

@Suite struct PrescriptionTests {
    @Test func anEasierVersionIsPartOfTheDrill() throws {
        let drill = try #require(try ProgrammeFixture.library().drill(id: "bend"))
        #expect(drill.easier.map(\.plainText) == ["Sit on a chair.", "Lean only as far as is easy."])
        #expect(drill.harder.isEmpty)
        #expect(DrillVersion.harder.steps(of: drill) == nil)
    }

    @Test func thePlainPrescriptionChangesNothing() throws {
        let library = try ProgrammeFixture.library()
        let routine = try ProgrammeFixture.routineModel()
        let applied = Prescription.plain(routine).applied(to: routine, library: library)
        let plan = RoutineEngine(routine: routine, library: library).segments
        #expect(RoutineEngine(routine: applied, library: library).segments == plan)
    }

    @Test func dosesLeftOutDrillsAndVersionsChangeTheTimerPlan() throws {
        let library = try ProgrammeFixture.library()
        let routine = try ProgrammeFixture.routineModel()
        let prescription = Prescription(routineID: "home", drills: [
            .init(drillID: "march", seconds: 30),
            .init(drillID: "rocks", reps: 6),
            .init(drillID: "brace", included: false),
            .init(drillID: "bend", sets: 2, seconds: 25, rest: 10, version: .easier),
        ], note: "Keep the range small this week", daysPerWeek: 5)
        let engine = RoutineEngine(routine: prescription.applied(to: routine, library: library), library: library)
        #expect(engine.drills.map(\.drill.id) == ["march", "rocks", "bend"])
        // get ready 10, march 30, rest 15, rocks 6 × 3 s = 18, rest 15, bend 25 + 10 + 25.
        let plan = engine.segments.map { segment -> String in
            switch segment.kind {
            case .getReady: "ready \(segment.seconds ?? 0)"
            case .restBetween: "rest \(segment.seconds ?? 0)"
            case .drillPhase(let phase): "\(engine.drills[segment.drillIndex].drill.id) " + summary(phase)
            }
        }
        #expect(plan == ["ready 10", "march Work 30s 1/1", "rest 15", "rocks 6 reps 18s 1/1", "rest 15",
                         "bend Work 25s 1/2", "bend Rest 10s 1/2", "bend Work 25s 2/2"])
        let seconds: Int64 = 10 + 30 + 15 + 18 + 15 + 25 + 10 + 25
        #expect(engine.totalLength == seconds * 1000)
        // The easier version's own steps, and its name in the title.
        #expect(engine.drills[2].drill.title == "Side bend (easier)")
        #expect(engine.drills[2].drill.steps.first?.plainText == "Sit on a chair.")
    }

    @Test func aVersionTheDrillDoesNotHaveIsTheStandardOne() throws {
        let library = try ProgrammeFixture.library()
        let routine = try ProgrammeFixture.routineModel()
        let prescription = Prescription(routineID: "home", drills: [.init(drillID: "march", version: .harder)])
        let applied = prescription.applied(to: routine, library: library)
        #expect(applied.drills.map(\.version) == [.standard])
        #expect(library.resolve(applied.drills[0])?.drill.title == "Drill march")
    }

    @Test func calendarDaysCountAcrossMonthsYearsAndLeapDays() {
        let day = CalendarDay(year: 2026, month: 12, day: 31)
        #expect(day.adding(days: 1) == CalendarDay(year: 2027, month: 1, day: 1))
        #expect(CalendarDay(year: 2028, month: 2, day: 28).adding(days: 1) == CalendarDay(year: 2028, month: 2, day: 29))
        #expect(CalendarDay(ordinal: 0) == CalendarDay(year: 1970, month: 1, day: 1))
        #expect(CalendarDay(year: 1970, month: 1, day: 1).weekday == 3)  // a Thursday
        #expect(CalendarDay(year: 2026, month: 12, day: 7).weekday == 0)  // a Monday
        #expect(CalendarDay("2026-02-29") == nil)
        #expect(CalendarDay("2026-12-04")?.description == "2026-12-04")
        for ordinal in stride(from: -1000, through: 40_000, by: 37) {
            #expect(CalendarDay(ordinal: ordinal).ordinal == ordinal)
        }
    }
}

@Suite struct ProgrammeEditorTests {
    private let today = CalendarDay(year: 2026, month: 12, day: 4)

    private func editor(current: Prescription? = nil) throws -> ProgrammeEditor {
        ProgrammeEditor(patient: "JD", library: try ProgrammeFixture.library(), current: current,
                        currentVersion: current == nil ? nil : 1, today: today)
    }

    @Test func itStartsFromTheRoutineAsWrittenAndAWeekAhead() throws {
        let editor = try editor()
        #expect(editor.routine?.id == "home")
        #expect(editor.doses.map(\.drillID) == ["march", "rocks", "brace", "bend"])
        #expect(editor.doses[1].reps == 10 && editor.doses[1].seconds == nil)
        #expect(editor.doses[2].sets == 3 && editor.doses[2].seconds == 10 && editor.doses[2].rest == 15)
        #expect(editor.until == CalendarDay(year: 2026, month: 12, day: 11))
        #expect(editor.daysPerWeek == 7)
        #expect(!editor.hasChanges || editor.replacesVersion == nil)
    }

    @Test func keysSetDosesLeaveDrillsOutAndWriteTheNote() throws {
        var editor = try editor()
        // Row 1 (march): the dose field, +5 s twice; row 2 (rocks): reps −2; row 3 (brace): left out.
        for key: KeyEvent in [.down, .right, .character("+"), .character("+"),
                              .down, .character("-"), .character("-"),
                              .down, .left, .left, .character(" "),
                              .down, .right, .right, .right, .right, .right, .character(" ")] {
            #expect(editor.handle(key) == .editing)
        }
        #expect(editor.doses[0].seconds == 55)
        #expect(editor.doses[1].reps == 8)
        #expect(editor.doses[2].included == false)
        #expect(editor.doses[3].version == .easier)  // the only other version the drill has
        // How often, until when, the note.
        _ = editor.handle(.down)
        for _ in 0..<2 { _ = editor.handle(.character("-")) }
        _ = editor.handle(.down)
        _ = editor.handle(.character("+"))
        _ = editor.handle(.down)
        _ = editor.handle(.enter)
        for character in "Small range" { _ = editor.handle(.character(character)) }
        _ = editor.handle(.enter)
        guard case .saved(let prescription) = editor.handle(.character("s")) else {
            Issue.record("s did not save")
            return
        }
        #expect(prescription.daysPerWeek == 5)
        #expect(prescription.until == CalendarDay(year: 2026, month: 12, day: 12))
        #expect(prescription.note == "Small range")
        #expect(prescription.drills.filter(\.included).map(\.drillID) == ["march", "rocks", "bend"])
    }

    @Test func dosesStayWithinLimits() throws {
        var editor = try editor()
        _ = editor.handle(.down)  // march, sets
        for _ in 0..<20 { _ = editor.handle(.character("-")) }
        #expect(editor.doses[0].sets == 1)
        for _ in 0..<20 { _ = editor.handle(.character("+")) }
        #expect(editor.doses[0].sets == Prescription.doseLimits.sets.upperBound)
        // "Until" never goes before today.
        var other = try self.editor()
        for _ in 0..<(other.rows.count - 2) { _ = other.handle(.down) }
        #expect(other.row == .until)
        for _ in 0..<30 { _ = other.handle(.character("-")) }
        #expect(other.until == today)
    }

    @Test func nothingIsSavedWithEveryDrillLeftOut() throws {
        var editor = try editor()
        _ = editor.handle(.down)
        _ = editor.handle(.left)
        for _ in 0..<4 {
            _ = editor.handle(.character(" "))
            _ = editor.handle(.down)
        }
        #expect(editor.includedCount == 0)
        #expect(editor.handle(.character("s")) == .editing)
    }

    @Test func leavingWithChangesAsksFirst() throws {
        var editor = try editor()
        #expect(editor.handle(.character("q")) == .cancelled)
        var changed = try self.editor()
        _ = changed.handle(.down)
        _ = changed.handle(.character("+"))
        #expect(changed.handle(.character("q")) == .editing)
        #expect(changed.confirmingLeave)
        #expect(changed.handle(.character("n")) == .editing)
        #expect(!changed.confirmingLeave)
        _ = changed.handle(.escape)
        #expect(changed.handle(.character("y")) == .cancelled)
    }

    @Test func itStartsFromTheCurrentProgramme() throws {
        let current = Prescription(routineID: "home", drills: [
            .init(drillID: "march", seconds: 60), .init(drillID: "rocks", included: false),
        ], note: "Walk daily", daysPerWeek: 3, until: CalendarDay(year: 2026, month: 12, day: 20))
        let editor = try editor(current: current)
        #expect(editor.replacesVersion == 1)
        #expect(editor.doses[0].seconds == 60)
        #expect(editor.doses[1].included == false)
        // Drills the programme didn't have start from the routine's own doses.
        #expect(editor.doses[2].seconds == 10)
        #expect(editor.note == "Walk daily" && editor.daysPerWeek == 3)
        #expect(editor.until == CalendarDay(year: 2026, month: 12, day: 20))
    }
}

@Suite struct DrillFeedbackTests {
    private func engine(asksForFeedback: Bool = true) throws -> RoutineEngine {
        let library = try ProgrammeFixture.library()
        let routine = try ProgrammeFixture.routineModel()
        let prescription = Prescription(routineID: "home", drills: [
            .init(drillID: "march", seconds: 20), .init(drillID: "bend", seconds: 20),
        ])
        return RoutineEngine(routine: prescription.applied(to: routine, library: library), library: library,
                             asksAboutPain: true, asksForFeedback: asksForFeedback)
    }

    /// Starts the routine (pain before skipped) at `start`.
    private func started(_ engine: inout RoutineEngine, at start: Moment) {
        _ = engine.handle(.character(" "), at: start)
        _ = engine.handle(.enter, at: start)
        #expect(engine.stage == .running)
    }

    @Test func afterEachDrillAOneKeyQuestionForTheRestAfterIt() throws {
        var engine = try engine()
        var clock = ManualClock(.ms(5_000))
        started(&engine, at: clock.now)
        clock.advance(seconds: 10)  // get ready
        _ = engine.tick(at: clock.now)
        #expect(engine.feedbackQuestion == nil)
        clock.advance(seconds: 20)  // march done: the rest between begins
        _ = engine.tick(at: clock.now)
        #expect(engine.feedbackQuestion == 0)
        _ = engine.handle(.character("3"), at: clock.now)
        #expect(engine.feedback == [.tooHard, nil])
        #expect(engine.feedbackQuestion == nil)
        // The clock was not held for the answer.
        #expect(engine.isPaused == false)
    }

    @Test func anUnansweredQuestionGoesAwayAfterTheNextSegment() throws {
        var engine = try engine()
        var clock = ManualClock(.ms(0))
        started(&engine, at: clock.now)
        clock.advance(seconds: 30)  // get ready and march
        _ = engine.tick(at: clock.now)
        #expect(engine.feedbackQuestion == 0)
        clock.advance(seconds: 15)  // the rest: bend starts, still asked
        _ = engine.tick(at: clock.now)
        #expect(engine.feedbackQuestion == 0)
        clock.advance(seconds: 20)  // bend done: the last drill's own screen
        _ = engine.tick(at: clock.now)
        #expect(engine.stage == .lastFeedback)
        #expect(engine.feedbackQuestion == 1)
        #expect(engine.feedback == [nil, nil])
        _ = engine.handle(.character("2"), at: clock.now)
        #expect(engine.feedback == [nil, .aboutRight])
        #expect(engine.stage == .painAfter)
    }

    @Test func itHurtShowsTheSafetyRuleHoldsTheClockAndAsksToGoOnOrStop() throws {
        var engine = try engine()
        var clock = ManualClock(.ms(0))
        started(&engine, at: clock.now)
        clock.advance(seconds: 30)
        _ = engine.tick(at: clock.now)
        let left = try #require(engine.remaining(at: clock.now))
        _ = engine.handle(.character("4"), at: clock.now)
        #expect(engine.feedback[0] == .hurt)
        #expect(engine.showsHurtAdvice)
        #expect(engine.isPaused)
        clock.advance(seconds: 60)
        #expect(engine.remaining(at: clock.now) == left)  // held while the patient reads
        _ = engine.handle(.character(" "), at: clock.now)
        #expect(!engine.showsHurtAdvice && !engine.isPaused)
        // Or stop: the run ends early, and the last drill is not asked about.
        var stopping = try self.engine()
        started(&stopping, at: .ms(0))
        _ = stopping.tick(at: .ms(30_000))
        _ = stopping.handle(.character("4"), at: .ms(30_000))
        _ = stopping.handle(.character("q"), at: .ms(31_000))
        #expect(stopping.stoppedEarly)
        #expect(stopping.stage == .painAfter)
    }

    @Test func offWithoutAProgrammeOrWithNoPainCheck() throws {
        var engine = try engine(asksForFeedback: false)
        started(&engine, at: .ms(0))
        _ = engine.tick(at: .ms(30_000))
        #expect(engine.feedbackQuestion == nil)
        // Digits do nothing then.
        _ = engine.handle(.character("3"), at: .ms(30_000))
        #expect(engine.feedback == [nil, nil])
        _ = engine.tick(at: .ms(65_000))
        #expect(engine.stage == .painAfter)
    }

    @Test func skippedDrillsAreNotAskedAbout() throws {
        var engine = try engine()
        started(&engine, at: .ms(0))
        _ = engine.tick(at: .ms(12_000))  // march under way
        _ = engine.handle(.right, at: .ms(12_000))
        #expect(engine.outcomes[0] == .skipped)
        #expect(engine.feedbackQuestion == nil)
    }
}
