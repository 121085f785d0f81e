import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

/// Drives the shipped routine `daily-hip-back` through `RoutineEngine`'s public API on a hand-moved clock, the
/// way the app does: timers catch up (`tick`) before every key and every draw.
///
/// The routine starts (get-ready begins) at `start`; the timeline below is in milliseconds after that:
///
///        0 get ready 10 s                     267 000 rest, then hip flexor stretch (per side, 1 set)
///   10 000 cat-cow, 12 reps at 4 s (48 s)     347 000 rest, then glute stretch (per side, 1 set)
///   58 000 rest between drills 15 s           427 000 core bracing: work 30 s
///   73 000 hip rocks, 12 reps at 3 s          457 000   rest between sets 15 s
///  109 000 rest 15 s                          472 000   work 30 s (set 2)
///  124 000 lumbar rotations, 12 reps at 4 s   502 000 rest, then functional squats (2 sets, rest 20 s)
///  172 000 rest 15 s                          617 000 end
///  187 000 hip circles, left side 30 s
///  217 000   switch sides 5 s
///  222 000   right side 30 s
private struct RoutineRun {
    /// When the patient answers the first pain check and the get-ready countdown starts.
    static let start: Int64 = 5_000

    /// A moment `milliseconds` after the routine started.
    static func after(_ milliseconds: Int64) -> Moment { .ms(start + milliseconds) }

    var engine: RoutineEngine
    private(set) var now: Moment = .ms(0)

    /// The intro screen, as opened from the menu at moment 0.
    init() throws {
        guard case .routine(let routine) = try Shipped.document("daily-hip-back") else {
            throw Shipped.Missing(description: "daily-hip-back is not a routine")
        }
        engine = RoutineEngine(routine: routine, library: try Shipped.library())
    }

    /// Intro → Space → pain check; pain 5 → the get-ready countdown starts at `start`.
    static func started() throws -> RoutineRun {
        var run = try RoutineRun()
        run.press(.character(" "), at: .ms(1_000))
        run.press(.character("5"), at: .ms(start))
        return run
    }

    /// Moves the clock (never back) and lets the engine catch up, as the app's loop does.
    mutating func wait(until moment: Moment) {
        precondition(moment >= now, "a monotonic clock never goes back")
        now = moment
        _ = engine.tick(at: now)
    }

    /// Presses keys at `moment` (or now).
    mutating func press(_ keys: KeyEvent..., at moment: Moment? = nil) {
        if let moment { wait(until: moment) }
        for key in keys { _ = engine.handle(key, at: now) }
    }

    /// Lays the screen out at the current moment.
    func render(_ size: Size, notice: String? = nil) -> Grid {
        RoutineScreen.render(engine, at: now, size: size, notice: notice).grid
    }

    /// The current segment in words, for checking that a moment lands where the test means it to.
    var position: String {
        let segment = engine.segment
        let drill = engine.drills.indices.contains(segment.drillIndex) ? engine.drills[segment.drillIndex].drill.id : "?"
        switch segment.kind {
        case .getReady: return "get ready"
        case .restBetween: return "rest before \(drill)"
        case .drillPhase(let phase):
            var words = [drill, "set \(phase.set)/\(phase.sets)"]
            if let side = phase.side { words.append(side.rawValue) }
            switch phase.kind {
            case .work: words.append("work")
            case .hold: words.append("hold")
            case .reps(let count, _): words.append("\(count) reps")
            case .switchSides: words.append("switch sides")
            case .rest: words.append("rest")
            }
            return words.joined(separator: " ")
        }
    }
}

@Suite("Routine screen snapshots")
struct RoutineSnapshotTests {
    static let saved = "Saved to your history ('session-guide history' shows it)."
    static let notSaved = "This run was not saved: can't save the run to "
        + "/home/pat/.local/state/session-guide/history.sqlite: the disk is full"

    // MARK: - Before the routine

    @Test("intro with the safety note", arguments: screenSizes)
    func intro(size: Size) throws {
        let run = try RoutineRun()
        #expect(run.engine.stage == .intro)
        assertScreen(run.render(size), named: "routine-intro-\(size.name)")
    }

    @Test("first drill, mid-way, on big screens: the digits take a third of the height", arguments: bigScreenSizes)
    func firstDrillMidwayBig(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(34_000))
        let grid = run.render(size)
        let digits = try #require(bigText(["0:24"], in: grid), "no big 0:24 at \(size.name):\n\(grid.text)")
        #expect(digits.height >= size.height / 3, "\(digits.height) rows of digits at \(size.name)")
        if size.width >= 200 { #expect(digits.height >= 20) }
        // ...and no more than the first scale that reaches a third: bytes a second grow with their area. Drawn
        // condensed, a column narrower a pixel than tall.
        #expect(digits.height <= BigFont.rowsReaching((size.height + 2) / 3, pixels: .halfBlocks))
        #expect(digits.scale.columns == digits.scale.rows - 1, "\(digits.scale)")
        if size == Size(width: 200, height: 60) { #expect(digits.height == 21) }
        // The rest of the running screen is still there.
        for words in ["Cat-cow", "Drill", "Routine", "Next:", "⚠"] { #expect(grid.text.contains(words), "\(words)") }
        assertScreen(grid, named: "routine-drill-midway-\(size.name)")
    }

    @Test("big digits come back on a short screen as soon as they fit")
    func bigDigitsOnAShortScreen() throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(3_400))
        let grid = run.render(Size(width: 100, height: 14))
        #expect(bigText(["0:07"], in: grid) != nil, "\(grid.text)")
        #expect(grid.text.contains("Get ready") && grid.text.contains("Routine"))
        assertScreen(grid, named: "routine-get-ready-100x14")
    }

    @Test("pain check before", arguments: screenSizes)
    func painBefore(size: Size) throws {
        var run = try RoutineRun()
        run.press(.character(" "), at: .ms(1_000))
        run.wait(until: .ms(2_000))
        #expect(run.engine.stage == .painBefore)
        assertScreen(run.render(size), named: "routine-pain-before-\(size.name)")
    }

    // MARK: - Running

    @Test("get ready, 3.4 s in", arguments: screenSizes)
    func getReady(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(3_400))
        #expect(run.position == "get ready")
        #expect(run.engine.displayedSeconds(at: run.now) == 7)
        assertScreen(run.render(size), named: "routine-get-ready-\(size.name)")
    }

    @Test("first drill, mid-way", arguments: screenSizes)
    func firstDrillMidway(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(34_000))  // 24 s of cat-cow's 48
        #expect(run.position == "cat-cow set 1/1 12 reps")
        #expect(run.engine.displayedSeconds(at: run.now) == 24)
        #expect(run.engine.drillProgress(at: run.now) == 0.5)
        assertScreen(run.render(size), named: "routine-drill-midway-\(size.name)")
    }

    @Test("first drill, paused", arguments: screenSizes)
    func paused(size: Size) throws {
        var run = try RoutineRun.started()
        run.press(.character(" "), at: RoutineRun.after(34_000))
        run.wait(until: RoutineRun.after(50_000))  // paused: nothing may move on
        #expect(run.engine.isPaused)
        #expect(run.position == "cat-cow set 1/1 12 reps")
        #expect(run.engine.displayedSeconds(at: run.now) == 24)
        assertScreen(run.render(size), named: "routine-paused-\(size.name)")
    }

    @Test("per-side drill, left side", arguments: screenSizes)
    func leftSide(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(195_000))
        #expect(run.position == "hip-circles set 1/1 left 10 reps")
        #expect(run.engine.displayedSeconds(at: run.now) == 22)
        assertScreen(run.render(size), named: "routine-side-left-\(size.name)")
    }

    @Test("per-side drill, switching sides", arguments: screenSizes)
    func switchSides(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(219_500))
        #expect(run.position == "hip-circles set 1/1 switch sides")
        #expect(run.engine.displayedSeconds(at: run.now) == 3)
        assertScreen(run.render(size), named: "routine-switch-sides-\(size.name)")
    }

    @Test("per-side drill, right side", arguments: screenSizes)
    func rightSide(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(240_000))
        #expect(run.position == "hip-circles set 1/1 right 10 reps")
        #expect(run.engine.displayedSeconds(at: run.now) == 12)
        assertScreen(run.render(size), named: "routine-side-right-\(size.name)")
    }

    @Test("rest between sets", arguments: screenSizes)
    func restBetweenSets(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(463_000))
        #expect(run.position == "core-bracing set 1/2 rest")
        #expect(run.engine.displayedSeconds(at: run.now) == 9)
        assertScreen(run.render(size), named: "routine-rest-between-sets-\(size.name)")
    }

    @Test("rest between drills", arguments: screenSizes)
    func restBetweenDrills(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(65_000))
        #expect(run.position == "rest before hip-rocks")
        #expect(run.engine.displayedSeconds(at: run.now) == 8)
        #expect(run.engine.outcomes.first == .done)
        assertScreen(run.render(size), named: "routine-rest-between-drills-\(size.name)")
    }

    @Test("stop confirmation", arguments: screenSizes)
    func stopConfirmation(size: Size) throws {
        var run = try RoutineRun.started()
        run.press(.character("q"), at: RoutineRun.after(90_000))  // 17 s into hip rocks
        run.wait(until: RoutineRun.after(96_000))  // the clock holds while the patient decides
        #expect(run.engine.confirmingStop)
        #expect(run.position == "hip-rocks set 1/1 12 reps")
        #expect(run.engine.displayedSeconds(at: run.now) == 19)
        assertScreen(run.render(size), named: "routine-stop-confirm-\(size.name)")
    }

    // MARK: - Figures

    /// Sizes around the thresholds: figures need the width and the room under the timer, and go at 40x12.
    static let figureSizes = [Size(width: 132, height: 43), Size(width: 100, height: 30), Size(width: 80, height: 24),
                              Size(width: 80, height: 20), Size(width: 60, height: 24), Size(width: 40, height: 12)]

    @Test("a drill's figures under the timer, or left out where they don't fit", arguments: figureSizes)
    func figuresUnderTheTimer(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(280_000))  // hip flexor stretch, left side
        #expect(run.position == "hip-flexor-stretch set 1/1 left hold")
        let grid = run.render(size)
        let shown = grid.text.contains("Start: tall, tailbone tucked")
        // The figures never push out the big timer digits, the safety note or the key hints.
        #expect(grid.text.contains("██"))
        #expect(grid.text.contains("⚠ Keep to pain-free"))
        #expect(grid.text.split(separator: "\n").last?.contains("Space pause") == true)
        // The two figures with their captions take 60 columns and 6 lines, on top of the 13 the timer needs.
        #expect(shown == (size.height >= 24 && size.width >= 62), "\(size)")
        assertScreen(grid, named: "routine-figures-\(size.name)")
    }

    // MARK: - After the routine

    @Test("pain check after", arguments: screenSizes)
    func painAfter(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(621_000))
        #expect(run.engine.stage == .painAfter)
        #expect(run.engine.outcomes.allSatisfy { $0 == .done })
        assertScreen(run.render(size), named: "routine-pain-after-\(size.name)")
    }

    @Test("finished, pain 5 → 2, saved", arguments: screenSizes)
    func finished(size: Size) throws {
        var run = try RoutineRun.started()
        run.press(.character("2"), at: RoutineRun.after(625_000))
        run.wait(until: RoutineRun.after(630_000))
        #expect(run.engine.stage == .finished)
        #expect(!run.engine.stoppedEarly)
        #expect(run.engine.painBefore == 5 && run.engine.painAfter == 2)
        #expect(run.engine.timeSpent(at: run.now) == 617_000)
        assertScreen(run.render(size, notice: Self.saved), named: "routine-finished-\(size.name)")
    }

    @Test("stopped early, pain after skipped, not saved", arguments: screenSizes)
    func stoppedEarly(size: Size) throws {
        var run = try RoutineRun.started()
        run.press(.character("q"), at: RoutineRun.after(90_000))
        run.press(.character("y"), at: RoutineRun.after(96_000))
        #expect(run.engine.stage == .painAfter)
        run.press(.enter, at: RoutineRun.after(100_000))
        run.wait(until: RoutineRun.after(105_000))
        #expect(run.engine.stage == .finished)
        #expect(run.engine.stoppedEarly)
        #expect(run.engine.painBefore == 5 && run.engine.painAfter == nil)
        assertScreen(run.render(size, notice: Self.notSaved), named: "routine-stopped-early-\(size.name)")
    }

    // MARK: - Small terminals

    @Test("too-small terminal while the routine runs", arguments: [Size(width: 29, height: 8), Size(width: 30, height: 7)])
    func tooSmall(size: Size) throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(34_000))
        assertScreen(run.render(size), named: "routine-too-small-\(size.name)")
    }

    @Test("smallest screen drawn, first drill mid-way")
    func minimumSize() throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(34_000))
        assertScreen(run.render(Size(width: 30, height: 8)), named: "routine-drill-midway-30x8")
    }
}

/// Each phase of a routine is told apart from the floor: a large word and a colour of its own, and the digits
/// turn red for the last seconds. Read back from the laid-out grid, not from the engine.
@Suite("Routine phases, told apart without reading")
struct RoutinePhaseLookTests {
    /// The roles of every block cell in the big text (the progress bars' `.timer` cells left out), in `rows`.
    private func bigTextRoles(_ grid: Grid, rows: Range<Int>? = nil) -> Set<StyleRole> {
        var roles = Set<StyleRole>()
        for row in rows ?? 0..<grid.size.height {
            for column in 0..<grid.size.width where "█▀▄".contains(grid[column, row].character) {
                if grid[column, row].style.role != .timer { roles.insert(grid[column, row].style.role) }
            }
        }
        return roles
    }

    static let phases: [(after: Int64, position: String, word: String, role: StyleRole)] = [
        (3_400, "get ready", "GET READY", .phaseGetReady),
        (34_000, "cat-cow set 1/1 12 reps", "REP 7/12", .phaseWork),
        (63_000, "rest before hip-rocks", "REST", .phaseRest),
        (195_000, "hip-circles set 1/1 left 10 reps", "REP 3/10 · LEFT", .phaseWork),
        (218_000, "hip-circles set 1/1 switch sides", "SWITCH SIDES → RIGHT", .phaseSwitch),
        (290_000, "hip-flexor-stretch set 1/1 left hold", "HOLD · LEFT", .phaseHold),
        (440_000, "core-bracing set 1/2 work", "WORK", .phaseWork),
        (463_000, "core-bracing set 1/2 rest", "REST", .phaseRest),
    ]

    @Test("each phase has its own large word and colour at 200×60, and its word at 80×24",
          arguments: phases.indices)
    func phaseLook(index: Int) throws {
        let phase = Self.phases[index]
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(phase.after))
        #expect(run.position == phase.position)
        let big = run.render(Size(width: 200, height: 60))
        let lines = big.text.components(separatedBy: "\n")
        let word = try #require(BigFont.find([phase.word], in: lines), "no big \(phase.word):\n\(big.text)")
        #expect(word.height >= 4)
        // The word in the phase's colour; the digits in the terminal's own, so a tick sends no colour change.
        #expect(bigTextRoles(big, rows: word.top..<(word.top + word.height)) == [phase.role], "\(phase.word)")
        #expect(bigTextRoles(big) == [phase.role, .normal], "\(phase.word)")
        // On an ordinary screen the word is there too, in letters or in bold text of the phase's colour.
        let small = run.render(Size(width: 80, height: 24))
        let smallLines = small.text.components(separatedBy: "\n")
        #expect(BigFont.find([phase.word], in: smallLines) != nil || small.text.contains(phase.word),
                "\(phase.word) at 80×24:\n\(small.text)")
    }

    @Test("the phases' words and colours all differ")
    func phasesDiffer() {
        let kinds: [(String, StyleRole)] = [("GET READY", .phaseGetReady), ("WORK", .phaseWork),
                                            ("HOLD", .phaseHold), ("REST", .phaseRest),
                                            ("SWITCH SIDES", .phaseSwitch)]
        #expect(Set(kinds.map(\.1)).count == kinds.count)
        #expect(Set(kinds.map(\.0)).count == kinds.count)
        let looks = [PhaseLook.getReady, PhaseLook.rest,
                     PhaseLook.of(DrillPhase(kind: .work, seconds: 30, set: 1, sets: 1), next: nil, rep: nil),
                     PhaseLook.of(DrillPhase(kind: .hold, seconds: 30, set: 1, sets: 1), next: nil, rep: nil),
                     PhaseLook.of(DrillPhase(kind: .switchSides, seconds: 5, set: 1, sets: 1),
                                  next: DrillPhase(kind: .hold, seconds: 30, set: 1, sets: 1, side: .right),
                                  rep: nil)]
        #expect(looks.map(\.role) == [.phaseGetReady, .phaseRest, .phaseWork, .phaseHold, .phaseSwitch])
        #expect(looks.map { $0.words.first! } == ["GET READY", "REST", "WORK", "HOLD", "SWITCH SIDES → RIGHT"])
    }

    @Test("the last 3 seconds turn the digits red, the word keeps its colour")
    func finalSeconds() throws {
        var run = try RoutineRun.started()
        run.wait(until: RoutineRun.after(6_900))  // 3.1 s of get ready left: 4 on the clock
        #expect(bigTextRoles(run.render(Size(width: 200, height: 60))) == [.phaseGetReady, .normal])
        run.wait(until: RoutineRun.after(7_100))  // 2.9 s left
        #expect(bigTextRoles(run.render(Size(width: 200, height: 60))) == [.phaseGetReady, .finalSeconds])
        // Paused, the digits are the warning colour whatever is left.
        run.press(.character(" "))
        #expect(bigTextRoles(run.render(Size(width: 200, height: 60))) == [.phaseGetReady, .warning])
    }
}
