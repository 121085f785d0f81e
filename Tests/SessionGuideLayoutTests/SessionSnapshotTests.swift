import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

/// Whole session screens of Treatment 8. Steps: 1 Simple Recap, 2–4 text, 5–7 the drills of "Functional
/// Examples" (cat-cow, 10 reps at 4 s = 40 s; hip rocks; lumbar rotations), 8 text, 9 homework.
@Suite("Session screen snapshots")
struct SessionSnapshotTests {
    static let catCowStep = 5

    // MARK: - Text steps

    @Test("text step with its therapist script", arguments: screenSizes)
    func textStep(size: Size) throws {
        var driver = try SessionDriver(size: size)
        assertScreen(driver.render().grid, named: "step-text-\(size.name)")
    }

    @Test("text step with scripts hidden", arguments: screenSizes)
    func textStepScriptsHidden(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.press(.character("s"), at: .seconds(30))
        #expect(driver.engine.showScripts == false)
        assertScreen(driver.render().grid, named: "step-text-scripts-hidden-\(size.name)")
    }

    @Test("long step scrolled down with PgDn and ↓", arguments: screenSizes)
    func longStepScrolled(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep, at: .seconds(60))
        let canScroll = driver.render().maximumScroll > 0
        driver.press(.pageDown, .down, at: .seconds(70))
        let screen = driver.render()
        // At 132x43 the whole drill step fits, so there is nothing to scroll and the snapshot shows all of it.
        #expect((driver.engine.scrollOffset > 0) == canScroll)
        #expect(driver.engine.scrollOffset <= screen.maximumScroll)
        assertScreen(screen.grid, named: "step-scrolled-\(size.name)")
    }

    @Test("long step scrolled to the end", arguments: screenSizes)
    func longStepScrolledToEnd(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep, at: .seconds(60))
        driver.press(.end, at: .seconds(70))
        let screen = driver.render()
        #expect(driver.engine.scrollOffset == screen.maximumScroll)
        assertScreen(screen.grid, named: "step-scrolled-end-\(size.name)")
    }

    // MARK: - Drill timer

    @Test("drill step, timer ready", arguments: screenSizes)
    func drillReady(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        assertScreen(driver.render().grid, named: "drill-ready-\(size.name)")
    }

    /// The Cat-cow step, its timer started at 0 and `moment` gone (by default 12.3 s: 0:28 on the clock, the
    /// fourth of ten reps).
    static func catCowRunning(size: Size, at moment: Moment = .ms(12_300)) throws -> SessionDriver {
        var driver = try SessionDriver(size: size)
        driver.goToStep(catCowStep)
        driver.press(.character(" "), at: .ms(0))
        driver.wait(until: moment)
        return driver
    }

    @Test("drill step, timer running", arguments: screenSizes)
    func drillRunning(size: Size) throws {
        var driver = try Self.catCowRunning(size: size)
        let screen = driver.render()
        #expect(driver.engine.timers[Self.catCowStep - 1]?.displayedSeconds(at: .ms(12_300)) == 28)
        assertScreen(screen.grid, named: "drill-running-\(size.name)")
    }

    @Test("drill step, timer running, on big screens: big digits, the step under them", arguments: bigScreenSizes)
    func drillRunningBig(size: Size) throws {
        var driver = try Self.catCowRunning(size: size)
        let grid = driver.render().grid
        let digits = try #require(bigText(["0:28"], in: grid), "no big 0:28 at \(size.name):\n\(grid.text)")
        #expect(digits.height >= size.height / 4, "\(digits.height) rows of digits at \(size.name)")
        if size.width >= 200 { #expect(digits.height >= 15) }
        for words in ["RUNNING", "Cat-cow", "Steps", "Next:"] { #expect(grid.text.contains(words), "\(words)") }
        assertScreen(grid, named: "drill-running-\(size.name)")
    }

    @Test("big digits come back on a small screen as soon as they fit")
    func bigDigitsOnASmallScreen() throws {
        var driver = try Self.catCowRunning(size: Size(width: 60, height: 16), at: .ms(3_000))
        let grid = driver.render().grid
        #expect(bigText(["0:37"], in: grid) != nil, "\(grid.text)")
        assertScreen(grid, named: "drill-running-60x16")
    }

    /// After `+`/`-` every part of the timer describes the adjusted phase (issue 16): the digits, the bar's
    /// "of m:ss" and its fill, and the rep, the ten reps spread over the new length. Once `-` twice showed 0:10
    /// with "Rep 8 of 10" over a bar "of 0:40", and `+` ten seconds in 0:45 over "of 0:40".
    @Test("drill timer after - twice and after +: the parts agree", arguments: [Size(width: 80, height: 24), Size(width: 200, height: 60)])
    func drillAdjusted(size: Size) throws {
        var shortened = try SessionDriver(size: size)
        shortened.goToStep(Self.catCowStep)
        shortened.press(.character(" "), .character("-"), .character("-"), at: .ms(0))
        var grid = shortened.render().grid
        #expect(bigText(["0:10"], in: grid) != nil, "\(grid.text)")
        #expect(grid.text.contains("Rep 1 of 10"), "\(grid.text)")
        let start = try bar(in: grid)
        #expect(start.filled == 0 && start.label == "0:10")
        // One snapshot size: the big screens' layout is asserted above, and changes with the big-text work.
        if size.width == 80 { assertScreen(grid, named: "drill-minus-twice-\(size.name)") }
        shortened.wait(until: .ms(5_000))  // half way: the sixth rep of ten, the bar half full
        grid = shortened.render().grid
        #expect(bigText(["0:05"], in: grid) != nil, "\(grid.text)")
        #expect(grid.text.contains("Rep 6 of 10"), "\(grid.text)")
        let half = try bar(in: grid)
        #expect(half.filled == half.width / 2 && half.label == "0:10", "\(half)")

        var lengthened = try SessionDriver(size: size)
        lengthened.goToStep(Self.catCowStep)
        lengthened.press(.character(" "), at: .ms(0))
        lengthened.press(.character("+"), at: .ms(10_000))
        grid = lengthened.render().grid
        #expect(bigText(["0:45"], in: grid) != nil, "\(grid.text)")
        #expect(grid.text.contains("Rep 2 of 10"), "\(grid.text)")  // 5.5 s a rep now: 10 s in is the second
        let plus = try bar(in: grid)
        #expect(plus.label == "0:55" && plus.filled == plus.width * 10 / 55 && plus.filled > 0)
        if size.width == 80 { assertScreen(grid, named: "drill-plus-\(size.name)") }
    }

    /// The timer's progress bar, read off the screen: cells filled, cells across, and the length it names
    /// ("0:40" of "[██░░] of 0:40").
    private func bar(in grid: Grid) throws -> (filled: Int, width: Int, label: String) {
        let line = try #require(grid.text.split(separator: "\n").first { $0.contains("] of ") }, "no bar:\n\(grid.text)")
        let inside = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
        return (inside.filter { $0 == "█" }.count, inside.count, String(line.split(separator: " ").last ?? ""))
    }

    @Test("drill step, timer paused", arguments: screenSizes)
    func drillPaused(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        driver.press(.character(" "), at: .ms(0))
        driver.press(.character(" "), at: .ms(12_300))
        driver.wait(until: .seconds(20))  // paused: the display must not move on
        let screen = driver.render()
        #expect(driver.engine.timers[Self.catCowStep - 1]?.isPaused == true)
        assertScreen(screen.grid, named: "drill-paused-\(size.name)")
        // PAUSED in reverse video, as in a routine (and as the README says), so it reads without colour.
        let grid = screen.grid
        let word = Array("PAUSED")
        let starts = (0..<grid.size.height).flatMap { row in
            (0...(grid.size.width - word.count)).filter { column in
                word.indices.allSatisfy { grid[column + $0, row].character == word[$0] }
            }.map { (column: $0, row: row) }
        }
        #expect(!starts.isEmpty, "no PAUSED on the screen")
        for start in starts {
            #expect(word.indices.allSatisfy { grid[start.column + $0, start.row].style.reverse },
                    "PAUSED at row \(start.row) is not in reverse video")
        }
    }

    @Test("drill step, timer finished", arguments: screenSizes)
    func drillFinished(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        driver.press(.character(" "), at: .ms(0))
        driver.wait(until: .seconds(60))
        let effects = driver.engine.tick(at: .seconds(60))
        #expect(effects.contains(.flash))
        let screen = driver.render()
        #expect(driver.engine.timers[Self.catCowStep - 1]?.isFinished == true)
        assertScreen(screen.grid, named: "drill-finished-\(size.name)")
    }

    @Test("next drill step while the first timer runs", arguments: screenSizes)
    func drillWithTimerElsewhere(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        driver.press(.character(" "), at: .ms(0))
        driver.press(.right, at: .seconds(5))
        driver.wait(until: .ms(12_300))
        let screen = driver.render()
        #expect(driver.engine.timerRunningElsewhere?.step == Self.catCowStep - 1)
        assertScreen(screen.grid, named: "drill-timer-elsewhere-\(size.name)")
    }

    // MARK: - Figures

    /// The narrowest the text gets beside the figures (FigurePlacement.minimumTextWidthBeside).
    enum FigurePlacementThreshold { static let textWidth = 60 }

    /// Sizes around the thresholds: beside the steps from 100 columns, below them at 80, left out at 40x12.
    static let figureSizes = [Size(width: 132, height: 43), Size(width: 100, height: 30), Size(width: 90, height: 30),
                              Size(width: 80, height: 24), Size(width: 40, height: 12)]

    @Test("drill figures beside the steps, below them, or left out", arguments: figureSizes)
    func figures(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep + 1)  // hip rocks
        // Scroll line by line until the first figure's caption (its last line) comes into view, if it ever does.
        var screen = driver.render()
        while !screen.grid.text.contains("Start: back long and level"), driver.engine.scrollOffset < screen.maximumScroll {
            driver.press(.down)
            screen = driver.render()
        }
        let text = screen.grid.text
        let captionLines = text.split(separator: "\n").filter { $0.contains("Start: back long and level") }
        if size.width >= 100 {
            // Beside: in a column right of the drill's text, one figure under the other.
            #expect(captionLines.count == 1, "\(size)")
            let column = captionLines.first.flatMap { line in
                line.range(of: "Start:").map { line.distance(from: line.startIndex, to: $0.lowerBound) }
            }
            #expect((column ?? 0) >= FigurePlacementThreshold.textWidth, "\(size)")
            #expect(!text.contains("level    End:"), "\(size)")
        } else if size.height >= 20 {
            // Below the steps: the two figures side by side on lines of their own.
            #expect(captionLines.first?.contains("Start: back long and level    End:") == true, "\(size)")
        } else {
            #expect(captionLines.isEmpty && !text.contains("o_______"), "\(size)")
        }
        // The timer is drawn above the text, so it stays in view however far the text is scrolled.
        #expect(text.contains("READY"), "\(size)")
        assertScreen(screen.grid, named: "figures-session-\(size.name)")
    }

    // MARK: - Overlays

    @Test("table of contents", arguments: screenSizes)
    func contents(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep, at: .seconds(300))
        driver.press(.character(" "), at: .seconds(310))
        driver.press(.right, .character("t"), .down, at: .seconds(320))
        #expect(driver.engine.overlay == .contents(selection: Self.catCowStep + 1))
        assertScreen(driver.render().grid, named: "overlay-contents-\(size.name)")
    }

    @Test("help", arguments: screenSizes)
    func help(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.press(.character("?"), at: .seconds(10))
        #expect(driver.engine.overlay == .help)
        assertScreen(driver.render().grid, named: "overlay-help-\(size.name)")
    }

    @Test("quit confirmation while a timer runs", arguments: screenSizes)
    func confirmQuit(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        driver.press(.character(" "), at: .ms(0))
        let effects = driver.press(.character("q"), at: .seconds(8))
        #expect(!effects.contains(.quit))
        #expect(driver.engine.overlay == .confirmQuit)
        assertScreen(driver.render().grid, named: "overlay-quit-\(size.name)")
    }

    // MARK: - Summary

    @Test("summary after the last step", arguments: screenSizes)
    func summary(size: Size) throws {
        var driver = try SessionDriver(size: size)
        // A plausible session: minutes on each step, the cat-cow drill run to the end, the others skipped.
        for (step, second) in [(2, 120), (3, 240), (4, 330), (5, 420)] {
            driver.goToStep(step, at: .seconds(second))
        }
        driver.press(.character(" "), at: .seconds(430))
        for (step, second) in [(6, 500), (7, 560), (8, 620), (9, 700)] {
            driver.goToStep(step, at: .seconds(second))
        }
        driver.press(.right, at: .seconds(820))
        #expect(driver.engine.showsSummary)
        driver.wait(until: .seconds(830))
        assertScreen(driver.render().grid, named: "summary-\(size.name)")
    }

    @Test("summary with long step times, paged down and scrolled to the end", arguments: screenSizes)
    func summaryScrolled(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep, at: .seconds(420))
        driver.press(.character(" "), at: .seconds(430))
        // Long enough on the last drill steps for the time column to reach two-digit minutes.
        driver.goToStep(7, at: .seconds(500))
        driver.goToStep(9, at: .seconds(1_200))
        driver.press(.right, at: .seconds(1_300))
        #expect(driver.engine.showsSummary)
        driver.press(.pageDown, at: .seconds(1_305))
        assertScreen(driver.render().grid, named: "summary-paged-down-\(size.name)")
        driver.press(.end, at: .seconds(1_310))
        let screen = driver.render()
        #expect(driver.engine.scrollOffset == screen.maximumScroll)
        assertScreen(screen.grid, named: "summary-scrolled-end-\(size.name)")
    }

    // MARK: - Small terminals

    @Test("too-small terminal", arguments: [Size(width: 20, height: 6), Size(width: 29, height: 8),
                                            Size(width: 30, height: 7)])
    func tooSmall(size: Size) throws {
        var driver = try SessionDriver(size: size)
        let session = driver.render().grid
        assertScreen(session, named: "too-small-\(size.name)")
        // Every screen says the same.
        let menu = MenuScreen.render(HomeMenu(library: try Shipped.library()), size: size, version: "0.1.0").grid
        let reader = ReaderScreen.render(DocumentReader(document: try Shipped.document("waiting-room")),
                                         library: try Shipped.library(), size: size).grid
        #expect(menu.text == session.text)
        #expect(reader.text == session.text)
    }

    @Test("smallest screen drawn, drill running")
    func minimumSize() throws {
        var driver = try Self.catCowRunning(size: Size(width: 30, height: 8))
        assertScreen(driver.render().grid, named: "drill-running-30x8")
    }
}
