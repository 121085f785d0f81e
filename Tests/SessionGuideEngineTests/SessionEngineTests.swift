import Testing
import SessionGuideContent
import SessionGuideEngine

private let t0 = Moment.ms(0)

@Suite("SessionEngine: steps from the session's sections")
struct SessionEngineStepsTests {
    @Test func stepsFlattenGroups() throws {
        let engine = try Fixture.engine()
        #expect(engine.steps.map(\.title) == Fixture.stepTitles)
        #expect(engine.steps.map(\.group) == Fixture.stepGroups)
        #expect(engine.steps.map { $0.drill?.drill.id } == Fixture.stepDrills)
        #expect(engine.drillSteps == [1, 2, 3, 5, 6])
        #expect(engine.session.id == "engine-test")
        #expect(engine.currentStep == 0)
        #expect(engine.step.title == "Welcome")
        #expect(engine.nextStep?.title == "Warm-up")
        #expect(!engine.showsSummary)
        #expect(engine.overlay == nil)
        #expect(engine.showScripts)
        #expect(engine.timers.isEmpty)
    }

    @Test func stepBlocksComeFromTheirSection() throws {
        let engine = try Fixture.engine()
        #expect(engine.steps[0].blocks.first == .paragraph(RichText(plain: "Hello and welcome.")))
        #expect(engine.steps[0].blocks.contains { $0.script?.label == "Opening" })
        #expect(engine.steps[4].blocks == [.paragraph(RichText(plain: "This group has its own text."))])
        #expect(engine.steps[7].blocks == [.bulletList([RichText(plain: "Done for today.")])])
    }

    @Test func drillsAreResolvedWithOverrides() throws {
        let engine = try Fixture.engine()
        let stretch = try #require(engine.steps[Fixture.stretchStep].drill)
        #expect(stretch.timing == DrillTiming(effort: .hold(seconds: 20), sets: 2, rest: 10, perSide: true))
        #expect(stretch.drill.timing.effort == .hold(seconds: 30), "the drill itself is unchanged")
        #expect(stretch.reference.override == TimingOverride(hold: 20))
        // A step with two drills runs the first.
        #expect(engine.steps[Fixture.warmUp].blocks.compactMap(\.drillReference).map(\.drillID) == ["march", "brace"])
        #expect(engine.steps[Fixture.warmUp].drill?.drill.id == "march")
        #expect(engine.steps[Fixture.squats].drill?.timing.isEstimate == true)
    }

    @Test func unknownDrillLeavesTheStepWithoutATimer() throws {
        var engine = try Fixture.engine(body: """
            # Intro
            Text.

            # Missing
            [drill: no-such-drill]
            """)
        #expect(engine.steps.count == 2)
        #expect(engine.steps[1].drill == nil)
        #expect(engine.drillSteps.isEmpty)
        #expect(engine.timer(forStep: 1) == nil)
        engine.press(.right, at: t0)
        engine.setScrollLimits(maximum: 30, page: 10)
        engine.press(.character(" "), at: t0)
        #expect(engine.timers.isEmpty)
        #expect(engine.scrollOffset == 10, "without a drill Space pages")
    }

    @Test func timerForStepIsFreshUntilUsed() throws {
        let engine = try Fixture.engine()
        let timer = try #require(engine.timer(forStep: Fixture.bracing))
        #expect(timer.state == .ready)
        #expect(timer.phases.count == 5)
        #expect(engine.timer(forStep: Fixture.welcome) == nil)
        #expect(engine.timers.isEmpty, "asking does not create it")
    }
}

@Suite("SessionEngine: navigation")
struct SessionEngineNavigationTests {
    static let forwardKeys: [KeyEvent] = [.right, .character("l"), .character("n"), .enter]
    static let backKeys: [KeyEvent] = [.left, .character("h"), .character("p"), .backspace]

    @Test("forward keys move to the next step and past the last to the summary", arguments: forwardKeys)
    func forward(key: KeyEvent) throws {
        var engine = try Fixture.engine()
        for expected in 1..<Fixture.stepTitles.count {
            #expect(engine.handle(key, at: t0).isEmpty)
            #expect(engine.currentStep == expected)
            #expect(!engine.showsSummary)
        }
        #expect(engine.nextStep == nil)
        engine.press(key, at: t0)
        #expect(engine.showsSummary)
        #expect(engine.currentStep == Fixture.wrapUp)
        engine.press(key, at: t0)
        #expect(engine.showsSummary, "nothing after the summary")
        #expect(engine.currentStep == Fixture.wrapUp)
    }

    @Test("back keys return from the summary and move to the previous step", arguments: backKeys)
    func back(key: KeyEvent) throws {
        var engine = try Fixture.engine()
        engine.press(.right, times: Fixture.stepTitles.count, at: t0)
        #expect(engine.showsSummary)
        engine.press(key, at: t0)
        #expect(!engine.showsSummary)
        #expect(engine.currentStep == Fixture.wrapUp)
        for expected in (0..<Fixture.wrapUp).reversed() {
            engine.press(key, at: t0)
            #expect(engine.currentStep == expected)
        }
        engine.press(key, at: t0)
        #expect(engine.currentStep == 0, "nothing before the first step")
        #expect(!engine.showsSummary)
    }

    @Test func gGoesToTheFirstStep() throws {
        var engine = try Fixture.engine()
        engine.press(.right, times: 4, at: t0)
        engine.press(.character("g"), at: t0)
        #expect(engine.currentStep == 0)
    }

    @Test func homeOnTheSummaryGoesToTheFirstStep() throws {
        var engine = try Fixture.engine()
        engine.press(.right, times: Fixture.stepTitles.count, at: t0)
        #expect(engine.showsSummary)
        engine.press(.home, at: t0)
        #expect(!engine.showsSummary)
        #expect(engine.currentStep == 0)
    }

    @Test func homeOnAStepOnlyScrolls() throws {
        var engine = try Fixture.engine()
        engine.press(.right, times: 3, at: t0)
        engine.setScrollLimits(maximum: 20, page: 5)
        engine.press(.down, times: 4, at: t0)
        engine.press(.home, at: t0)
        #expect(engine.currentStep == 3)
        #expect(engine.scrollOffset == 0)
    }

    @Test func movingResetsTheScroll() throws {
        var engine = try Fixture.engine()
        engine.setScrollLimits(maximum: 20, page: 5)
        engine.press(.end, at: t0)
        #expect(engine.scrollOffset == 20)
        engine.press(.right, at: t0)
        #expect(engine.scrollOffset == 0)
        engine.setScrollLimits(maximum: 20, page: 5)
        engine.press(.end, at: t0)
        engine.press(.left, at: t0)
        #expect(engine.scrollOffset == 0)
    }

    @Test func unboundKeysDoNothing() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        for key: KeyEvent in [.character("x"), .control("c"), .function(5), .resize, .escape, .delete,
                              .click(column: 3, row: 4), .backTab] {
            #expect(engine.handle(key, at: t0).isEmpty, "\(key)")
            #expect(engine.currentStep == 1)
            #expect(engine.overlay == nil)
            #expect(engine.timers.isEmpty)
        }
    }
}

@Suite("SessionEngine: overlays")
struct SessionEngineOverlayTests {
    @Test("t and Tab open the contents at the current step", arguments: [KeyEvent.character("t"), .tab])
    func contentsOpens(key: KeyEvent) throws {
        var engine = try Fixture.engine()
        engine.press(.right, times: 2, at: t0)
        engine.press(key, at: t0)
        #expect(engine.overlay == .contents(selection: 2))
    }

    @Test func contentsSelectionMovesAndStaysInRange() throws {
        var engine = try Fixture.engine()
        engine.press(.character("t"), at: t0)
        #expect(engine.overlay == .contents(selection: 0))
        engine.press(.up, at: t0)
        #expect(engine.overlay == .contents(selection: 0))
        engine.press(.down, at: t0)
        #expect(engine.overlay == .contents(selection: 1))
        engine.press(.character("j"), at: t0)
        #expect(engine.overlay == .contents(selection: 2))
        engine.press(.character("k"), at: t0)
        #expect(engine.overlay == .contents(selection: 1))
        engine.press(.down, times: 20, at: t0)
        #expect(engine.overlay == .contents(selection: 7))
        engine.press(.home, at: t0)
        #expect(engine.overlay == .contents(selection: 0))
        engine.press(.end, at: t0)
        #expect(engine.overlay == .contents(selection: 7))
        #expect(engine.currentStep == 0, "moving the selection does not move the step")
    }

    @Test("Enter and → jump to the selection", arguments: [KeyEvent.enter, .right])
    func contentsEnterJumps(key: KeyEvent) throws {
        var engine = try Fixture.engine()
        engine.press(.character("t"), at: t0)
        engine.press(.down, times: 5, at: t0)
        engine.press(key, at: t0)
        #expect(engine.overlay == nil)
        #expect(engine.currentStep == 5)
    }

    @Test("digits jump to that step", arguments: 1...8)
    func contentsDigitJumps(number: Int) throws {
        var engine = try Fixture.engine()
        engine.press(.right, times: 3, at: t0)
        engine.press(.character("t"), at: t0)
        engine.press(.character(Character(String(number))), at: t0)
        #expect(engine.overlay == nil)
        #expect(engine.currentStep == number - 1)
    }

    @Test("a digit with no such step is ignored", arguments: ["0", "9"] as [Character])
    func contentsDigitOutOfRange(digit: Character) throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character("t"), at: t0)
        engine.press(.character(digit), at: t0)
        #expect(engine.overlay == .contents(selection: 1))
        #expect(engine.currentStep == 1)
    }

    @Test("other keys close the contents without moving",
          arguments: [KeyEvent.escape, .character("x"), .character("t"), .left, .character("q"), .character(" ")])
    func contentsOtherKeysClose(key: KeyEvent) throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character("t"), at: t0)
        engine.press(.down, times: 3, at: t0)
        #expect(engine.handle(key, at: t0).isEmpty)
        #expect(engine.overlay == nil)
        #expect(engine.currentStep == 1)
        #expect(engine.timers.isEmpty)
    }

    @Test func contentsFromTheSummary() throws {
        var engine = try Fixture.engine()
        engine.press(.right, times: Fixture.stepTitles.count, at: t0)
        engine.press(.character("t"), at: t0)
        #expect(engine.overlay == .contents(selection: Fixture.wrapUp))
        engine.press(.character("3"), at: t0)
        #expect(!engine.showsSummary)
        #expect(engine.currentStep == 2)
    }

    @Test("? and F1 open help; any key closes it and does nothing else",
          arguments: [KeyEvent.character("?"), .function(1)],
          [KeyEvent.character("q"), .right, .escape, .character(" "), .character("?")])
    func help(open: KeyEvent, close: KeyEvent) throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(open, at: t0)
        #expect(engine.overlay == .help)
        #expect(engine.handle(close, at: t0).isEmpty)
        #expect(engine.overlay == nil)
        #expect(engine.currentStep == 1)
        #expect(engine.timers.isEmpty)
    }

    @Test func sTogglesScripts() throws {
        var engine = try Fixture.engine()
        #expect(engine.showScripts)
        engine.press(.character("s"), at: t0)
        #expect(!engine.showScripts)
        engine.press(.right, at: t0)
        #expect(!engine.showScripts, "the choice holds across steps")
        engine.press(.character("s"), at: t0)
        #expect(engine.showScripts)
    }
}

@Suite("SessionEngine: quitting")
struct SessionEngineQuitTests {
    @Test func qQuitsAtOnceWithoutARunningTimer() throws {
        var engine = try Fixture.engine()
        #expect(engine.handle(.character("q"), at: t0) == [.quit])
        #expect(engine.overlay == nil)
    }

    @Test func qQuitsAtOnceWhenTheTimerIsPausedOrFinished() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))
        engine.press(.character(" "), at: .ms(1_000))
        #expect(engine.timers[1]?.isPaused == true)
        #expect(engine.handle(.character("q"), at: .ms(2_000)) == [.quit])

        var finished = try Fixture.engine()
        finished.press(.right, at: t0)
        finished.press(.character(" "), at: .ms(0))
        _ = finished.tick(at: .ms(45_000))
        #expect(finished.handle(.character("q"), at: .ms(46_000)) == [.quit])
    }

    @Test("while a timer runs, q asks first; these keys confirm",
          arguments: [KeyEvent.character("y"), .character("Y"), .character("q"), .enter])
    func confirmQuit(key: KeyEvent) throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))
        #expect(engine.anyTimerRunning)
        #expect(engine.handle(.character("q"), at: .ms(1_000)).isEmpty)
        #expect(engine.overlay == .confirmQuit)
        #expect(engine.handle(key, at: .ms(2_000)) == [.quit])
    }

    @Test("while a timer runs, q asks first; other keys cancel",
          arguments: [KeyEvent.character("n"), .character("N"), .escape, .right, .character(" ")])
    func cancelQuit(key: KeyEvent) throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))
        engine.press(.character("q"), at: .ms(1_000))
        #expect(engine.overlay == .confirmQuit)
        #expect(engine.handle(key, at: .ms(2_000)).isEmpty)
        #expect(engine.overlay == nil)
        #expect(engine.currentStep == 1, "the cancelling key does nothing else")
        #expect(engine.timers[1]?.isRunning == true)
    }

    @Test func waitingForRepsCountsAsRunning() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.squats, at: t0)
        engine.press(.character(" "), at: t0)
        #expect(engine.timers[Fixture.squats]?.state == .waitingForReps)
        #expect(engine.handle(.character("q"), at: t0).isEmpty)
        #expect(engine.overlay == .confirmQuit)
    }

    @Test func aTimerOnAnotherStepAlsoAsks() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: t0)
        engine.press(.right, times: 3, at: .ms(1_000))
        #expect(engine.handle(.character("q"), at: .ms(2_000)).isEmpty)
        #expect(engine.overlay == .confirmQuit)
    }
}

@Suite("SessionEngine: drill timers")
struct SessionEngineTimerTests {
    @Test func spaceStartsAndPausesTheStepTimer() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        #expect(engine.timers.isEmpty)
        #expect(engine.handle(.character(" "), at: .ms(1_000)) == [.bell], "the first phase starts")
        let timer = try #require(engine.timers[Fixture.warmUp])
        #expect(timer.state == .running(phaseStart: .ms(1_000)))
        #expect(engine.anyTimerRunning)
        #expect(engine.timerRunningElsewhere == nil, "it runs on the step shown")
        #expect(engine.handle(.character(" "), at: .ms(11_000)).isEmpty)
        #expect(engine.timers[Fixture.warmUp]?.state == .paused(elapsed: 10_000))
        #expect(!engine.anyTimerRunning)
        engine.press(.character(" "), at: .ms(20_000))
        #expect(engine.timers[Fixture.warmUp]?.state == .running(phaseStart: .ms(10_000)))
    }

    @Test func spaceOnATextStepPages() throws {
        var engine = try Fixture.engine()
        engine.setScrollLimits(maximum: 25, page: 10)
        var offsets: [Int] = []
        for _ in 0..<4 {
            #expect(engine.handle(.character(" "), at: t0).isEmpty)
            offsets.append(engine.scrollOffset)
        }
        #expect(offsets == [10, 20, 25, 25])
        #expect(engine.timers.isEmpty)
    }

    @Test func spaceOnTheSummaryPagesEvenAfterADrillStep() throws {
        var engine = try Fixture.engine(body: """
            # Intro
            Text.

            # Last
            [drill: march]
            """)
        engine.press(.right, times: 2, at: t0)
        #expect(engine.showsSummary)
        engine.setScrollLimits(maximum: 25, page: 10)
        engine.press(.character(" "), at: t0)
        #expect(engine.scrollOffset == 10)
        #expect(engine.timers.isEmpty)
    }

    @Test func rResetsTheStepTimer() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))
        engine.press(.character("r"), at: .ms(5_000))
        let timer = try #require(engine.timers[Fixture.warmUp])
        #expect(timer.state == .ready)
        #expect(timer.displayedSeconds(at: .ms(5_000)) == 45)
        #expect(!engine.anyTimerRunning)
    }

    @Test("+ and = add 15 s, - and _ take 15 s",
          arguments: [(KeyEvent.character("+"), 15), (.character("="), 15), (.character("-"), -15), (.character("_"), -15)])
    func adjustKeys(key: KeyEvent, change: Int) throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))
        engine.press(key, at: .ms(5_000))
        let timer = try #require(engine.timers[Fixture.warmUp])
        #expect(timer.displayedSeconds(at: .ms(5_000)) == 40 + change)
    }

    @Test func adjustBeforeStartIsKept() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character("+"), at: t0)
        #expect(engine.timers[Fixture.warmUp]?.state == .ready)
        #expect(engine.timers[Fixture.warmUp]?.displayedSeconds(at: t0) == 60)
        engine.press(.character(" "), at: .ms(1_000))
        #expect(engine.timers[Fixture.warmUp]?.displayedSeconds(at: .ms(1_000)) == 60)
    }

    @Test func timerKeysDoNothingOnTextSteps() throws {
        var engine = try Fixture.engine()
        for key: KeyEvent in [.character("r"), .character("+"), .character("-")] {
            #expect(engine.handle(key, at: t0).isEmpty)
        }
        #expect(engine.timers.isEmpty)
    }

    @Test func aTimerKeepsRunningOnAnotherStep() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))
        engine.press(.right, at: .ms(5_000))
        #expect(engine.currentStep == Fixture.bracing)
        let elsewhere = try #require(engine.timerRunningElsewhere)
        #expect(elsewhere.step == Fixture.warmUp)
        #expect(elsewhere.timer.displayedSeconds(at: .ms(5_000)) == 40)
        #expect(engine.tick(at: .ms(44_999)).isEmpty)
        #expect(engine.timerRunningElsewhere?.step == Fixture.warmUp)
        #expect(engine.tick(at: .ms(45_000)) == [.bell, .flash])
        #expect(engine.timers[Fixture.warmUp]?.isFinished == true)
        #expect(engine.timerRunningElsewhere == nil)
        #expect(engine.completedDrills == [Fixture.warmUp])
        #expect(engine.tick(at: .ms(50_000)).isEmpty, "the end is announced once")
    }

    @Test func tickAnnouncesNewPhasesWithABell() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.bracing, at: t0)
        engine.press(.character(" "), at: .ms(0))
        engine.press(.left, at: .ms(1_000))
        #expect(engine.tick(at: .ms(9_999)).isEmpty)
        #expect(engine.tick(at: .ms(10_000)) == [.bell])
        #expect(engine.timers[Fixture.bracing]?.phaseIndex == 1)
        // Several phases at once still give one bell; the end adds a flash.
        #expect(engine.tick(at: .ms(100_000)) == [.bell, .flash])
        #expect(engine.completedDrills == [Fixture.bracing])
    }

    @Test func keyPressesLetTimersCatchUpFirst() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))
        engine.press(.right, at: .ms(1_000))
        // The first key after the end reports it, whatever the key.
        #expect(engine.handle(.character("s"), at: .ms(46_000)) == [.bell, .flash])
        #expect(engine.completedDrills == [Fixture.warmUp])
    }

    @Test func twoTimersRunAtOnce() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))          // march: 45 s
        engine.press(.right, at: .ms(1_000))
        engine.press(.character(" "), at: .ms(2_000))      // brace: 60 s
        engine.press(.right, at: .ms(3_000))
        #expect(engine.timerRunningElsewhere?.step == Fixture.warmUp, "the lowest step is reported")
        #expect(engine.tick(at: .ms(45_000)) == [.bell, .flash])
        #expect(engine.timerRunningElsewhere?.step == Fixture.bracing)
        _ = engine.tick(at: .ms(62_000))
        #expect(engine.completedDrills == [Fixture.warmUp, Fixture.bracing])
        #expect(!engine.anyTimerRunning)
    }

    @Test func repsWithoutTempoOnAStep() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.squats, at: t0)
        engine.press(.character(" "), at: .ms(0))
        #expect(engine.timers[Fixture.squats]?.state == .waitingForReps)
        #expect(engine.tick(at: .ms(300_000)).isEmpty)
        #expect(engine.handle(.character(" "), at: .ms(300_000)) == [.bell], "Space: reps done, rest starts")
        #expect(engine.tick(at: .ms(330_000)) == [.bell])
        #expect(engine.timers[Fixture.squats]?.state == .waitingForReps)
        #expect(engine.handle(.character(" "), at: .ms(340_000)) == [.bell, .flash])
        #expect(engine.completedDrills == [Fixture.squats])
    }

    @Test func timersOnEachStepAreSeparate() throws {
        var engine = try Fixture.engine()
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(0))
        engine.press(.right, at: .ms(1_000))
        engine.press(.character("+"), at: .ms(1_000))
        engine.press(.left, at: .ms(2_000))
        #expect(engine.timers[Fixture.warmUp]?.state == .running(phaseStart: .ms(0)))
        #expect(engine.timers[Fixture.warmUp]?.adjustment == 0)
        #expect(engine.timers[Fixture.bracing]?.adjustment == 15_000)
        #expect(engine.timers[Fixture.bracing]?.state == .ready)
        #expect(engine.timerRunningElsewhere == nil, "back on the running timer's step")
    }
}

@Suite("SessionEngine: time on steps")
struct SessionEngineTimeTests {
    @Test func timeAddsUpAcrossVisits() throws {
        var clock = ManualClock(.ms(5_000))
        var engine = try Fixture.engine(startedAt: clock.now)
        clock.advance(seconds: 10)
        engine.press(.right, at: clock.now)              // 0: 10 s
        clock.advance(seconds: 15)
        engine.press(.right, at: clock.now)              // 1: 15 s
        clock.advance(seconds: 5)
        engine.press(.left, at: clock.now)               // 2: 5 s
        clock.advance(seconds: 10)
        engine.press(.character("t"), at: clock.now)     // 1: +10 s
        clock.advance(seconds: 2)
        engine.press(.character("6"), at: clock.now)     // 1: +2 s (the contents overlay is still step 1)
        clock.advance(seconds: 60)
        let seconds = engine.timeOnSteps(at: clock.now).map { $0 / 1000 }
        #expect(seconds == [10, 27, 5, 0, 0, 60, 0, 0])
        #expect(engine.timeOnSteps(at: clock.now).reduce(0, +) == engine.elapsed(at: clock.now))
        #expect(engine.elapsed(at: clock.now) == 102_000)
    }

    @Test("the times always add up to the elapsed time", arguments: [11, 12, 13] as [UInt64])
    func timesAddUp(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var clock = ManualClock(.ms(1_000))
        var engine = try Fixture.engine(startedAt: clock.now)
        let keys: [KeyEvent] = [.right, .left, .character("g"), .character("t"), .character("3"), .down, .enter,
                                .character("?"), .character("s"), .character(" ")]
        for _ in 0..<300 {
            clock.advance(by: Int64.random(in: 0...20_000, using: &rng))
            let key = keys.randomElement(using: &rng)!
            // Stay off the summary here: it is covered by its own test.
            if key == .right || key == .enter, engine.currentStep == Fixture.wrapUp, engine.overlay == nil {
                continue
            }
            _ = engine.handle(key, at: clock.now)
            if engine.overlay == .confirmQuit { _ = engine.handle(.escape, at: clock.now) }
            #expect(engine.timeOnSteps(at: clock.now).reduce(0, +) == engine.elapsed(at: clock.now))
        }
    }

    @Test func timeOnTheSummaryCountsForNoStep() throws {
        var engine = try Fixture.engine(body: """
            # One
            Text.

            # Two
            More text.
            """)
        engine.press(.right, at: .ms(10_000))
        engine.press(.right, at: .ms(30_000))
        #expect(engine.showsSummary)
        #expect(engine.timeOnSteps(at: .ms(90_000)) == [10_000, 20_000])
        engine.press(.left, at: .ms(100_000))
        #expect(engine.timeOnSteps(at: .ms(105_000)) == [10_000, 25_000])
        engine.press(.character("t"), at: .ms(110_000))
        engine.press(.right, at: .ms(120_000))
        engine.press(.character("t"), at: .ms(120_000))
        engine.press(.character("1"), at: .ms(125_000))
        #expect(engine.timeOnSteps(at: .ms(130_000)) == [15_000, 45_000])
        #expect(engine.timeOnSteps(at: .ms(130_000)).reduce(0, +) == 130_000 - 70_000, "less the 70 s on the summary")
        #expect(engine.elapsed(at: .ms(130_000)) == 130_000)
    }

    @Test func jumpingFromTheSummaryDoesNotCountTheSummary() throws {
        var engine = try Fixture.engine(body: """
            # One
            Text.

            # Two
            More text.
            """)
        engine.press(.right, times: 2, at: .ms(10_000))
        engine.press(.character("t"), at: .ms(50_000))
        engine.press(.character("1"), at: .ms(60_000))
        #expect(engine.timeOnSteps(at: .ms(70_000)) == [20_000, 0])
    }
}

@Suite("SessionEngine: next deadline")
struct SessionEngineDeadlineTests {
    @Test("the next minute of the session clock when no timer runs",
          arguments: [(0, 60_000), (1, 60_000), (59_999, 60_000), (60_000, 120_000), (61_234, 120_000)]
              as [(Int64, Int64)])
    func nextMinute(elapsed: Int64, deadline: Int64) throws {
        let start = Moment.ms(7_777)
        let engine = try Fixture.engine(startedAt: start)
        #expect(engine.nextDeadline(after: start + elapsed) == start + deadline)
    }

    @Test func theRunningTimersNextSecond() throws {
        let start = Moment.ms(7_777)
        var engine = try Fixture.engine(startedAt: start)
        engine.press(.right, at: start)
        engine.press(.character(" "), at: .ms(10_500))
        #expect(engine.nextDeadline(after: .ms(10_500)) == .ms(11_500))
        #expect(engine.nextDeadline(after: .ms(11_200)) == .ms(11_500))
        // Elsewhere too.
        engine.press(.right, at: .ms(12_000))
        #expect(engine.nextDeadline(after: .ms(12_100)) == .ms(12_500))
        // Paused: back to the minute.
        engine.press(.left, at: .ms(13_000))
        engine.press(.character(" "), at: .ms(13_000))
        #expect(engine.nextDeadline(after: .ms(13_000)) == start + 60_000)
    }

    @Test func theEarliestOfTimerAndMinute() throws {
        var engine = try Fixture.engine(startedAt: .ms(0))
        engine.press(.right, at: .ms(0))
        engine.press(.character(" "), at: .ms(59_700))
        #expect(engine.nextDeadline(after: .ms(59_700)) == .ms(60_000), "the minute comes first")
        #expect(engine.nextDeadline(after: .ms(60_000)) == .ms(60_700))
    }

    @Test func waitingForRepsOrFinishedFallsBackToTheMinute() throws {
        var engine = try Fixture.engine(startedAt: .ms(0))
        engine.jump(to: Fixture.squats, at: .ms(0))
        engine.press(.character(" "), at: .ms(1_000))
        #expect(engine.nextDeadline(after: .ms(1_000)) == .ms(60_000))
        engine.jump(to: Fixture.warmUp, at: .ms(2_000))
        engine.press(.character(" "), at: .ms(2_000))
        _ = engine.tick(at: .ms(47_000))
        #expect(engine.timers[Fixture.warmUp]?.isFinished == true)
        #expect(engine.nextDeadline(after: .ms(47_000)) == .ms(60_000))
    }

    @Test("sleeping until each deadline runs a drill to its exact end")
    func deadlineLoop() throws {
        let start = Moment.ms(3_210)
        var engine = try Fixture.engine(startedAt: start)
        engine.jump(to: Fixture.stretchStep, at: start)
        let began = Moment.ms(4_321)
        engine.press(.character(" "), at: began)
        var now = began
        var effects: [Effect] = []
        var endedAt: Moment?
        while endedAt == nil, now < began + 200_000 {
            now = engine.nextDeadline(after: now)
            let new = engine.tick(at: now)
            effects += new
            if new.contains(.flash) { endedAt = now }
        }
        // 2 × (20 + 5 + 20) + 10 = 100 s.
        #expect(endedAt == began + 100_000)
        #expect(effects.filter { $0 == .bell }.count == 7)
        #expect(engine.completedDrills == [Fixture.stretchStep])
    }
}

@Suite("SessionEngine: scrolling")
struct SessionEngineScrollTests {
    @Test func scrollKeysStayWithinLimits() throws {
        var engine = try Fixture.engine()
        engine.setScrollLimits(maximum: 30, page: 8)
        #expect(engine.maximumScroll == 30)
        #expect(engine.pageSize == 8)
        engine.press(.down, times: 3, at: t0)
        #expect(engine.scrollOffset == 3)
        engine.press(.up, times: 5, at: t0)
        #expect(engine.scrollOffset == 0)
        var offsets: [Int] = []
        for _ in 0..<5 {
            engine.press(.pageDown, at: t0)
            offsets.append(engine.scrollOffset)
        }
        #expect(offsets == [8, 16, 24, 30, 30])
        engine.press(.pageUp, at: t0)
        #expect(engine.scrollOffset == 22)
        engine.press(.pageUp, times: 4, at: t0)
        #expect(engine.scrollOffset == 0)
        engine.press(.end, at: t0)
        #expect(engine.scrollOffset == 30)
        engine.press(.down, at: t0)
        #expect(engine.scrollOffset == 30)
        engine.press(.home, at: t0)
        #expect(engine.scrollOffset == 0)
    }

    @Test func setScrollLimitsClamps() throws {
        var engine = try Fixture.engine()
        engine.setScrollLimits(maximum: 30, page: 8)
        engine.press(.end, at: t0)
        engine.setScrollLimits(maximum: 12, page: 8)
        #expect(engine.scrollOffset == 12)
        engine.setScrollLimits(maximum: 40, page: 8)
        #expect(engine.scrollOffset == 12, "a larger limit does not move the text")
        engine.setScrollLimits(maximum: -5, page: 0)
        #expect(engine.maximumScroll == 0)
        #expect(engine.pageSize == 1)
        #expect(engine.scrollOffset == 0)
    }

    @Test func nothingToScroll() throws {
        var engine = try Fixture.engine()
        engine.setScrollLimits(maximum: 0, page: 10)
        for key: KeyEvent in [.down, .pageDown, .end, .character(" ")] {
            engine.press(key, at: t0)
            #expect(engine.scrollOffset == 0, "\(key)")
        }
    }

    @Test("random scrolling never leaves 0...maximum", arguments: [21, 22, 23] as [UInt64])
    func randomScrolling(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var engine = try Fixture.engine()
        let keys: [KeyEvent] = [.up, .down, .pageUp, .pageDown, .home, .end, .character(" ")]
        for round in 0..<500 {
            if round % 50 == 0 {
                engine.setScrollLimits(maximum: Int.random(in: -3...60, using: &rng),
                                       page: Int.random(in: 0...25, using: &rng))
            }
            engine.press(keys.randomElement(using: &rng)!, at: t0)
            #expect((0...engine.maximumScroll).contains(engine.scrollOffset))
        }
    }
}

@Suite("SessionEngine: regressions")
struct SessionEngineRegressionTests {
    /// On the summary no step is shown, so a timer still running on the last step is running "on a step other
    /// than the one shown" and should be reported for the header, as it is for every other step.
    @Test func timerOnTheLastStepIsReportedOnTheSummary() throws {
        var engine = try Fixture.engine(body: """
            # Intro
            Text.

            # Last
            [drill: march]
            """)
        engine.press(.right, at: t0)
        engine.press(.character(" "), at: .ms(1_000))
        engine.press(.right, at: .ms(2_000))
        #expect(engine.showsSummary)
        #expect(engine.anyTimerRunning)
        #expect(engine.timerRunningElsewhere?.step == 1)
    }
}
