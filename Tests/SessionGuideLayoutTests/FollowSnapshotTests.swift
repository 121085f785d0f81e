import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

// The patient-facing second screen (`follow NAME`) on Treatment 8, at every snapshot size. The follower is fed
// what the therapist's engine shares, through the protocol's JSON, as the real follower is.

/// Words of Treatment 8's three therapist scripts (steps 1, 3 and 8), and their label: never on a follower.
let treatment8ScriptWords = [
    "Did you notice", "ease of movement since", "lumbar mobility drills", "Suggested Therapist Script",
    "Therapist", "Free hips mean", "function as a team", "Massage resets the system", "teaches your body", "▌",
]

/// A follower named `room-2` that heard what `engine` shares, sent and read as one line of the protocol.
func follower(of engine: SessionEngine, name: String = "room-2") throws -> FollowerEngine {
    let line = ShareMessage.state(SharedSessionState(engine)).encoded().dropLast()
    var follower = FollowerEngine(name: name)
    follower.connected()
    follower.receive(try ShareMessage.decode(line))
    return follower
}

/// Lays the follower out the way its loop does: once, feeding back the scroll limits, then again.
func renderFollower(_ follower: inout FollowerEngine, at now: Moment, size: Size) -> Screen {
    let first = FollowScreen.render(follower, at: now, size: size)
    follower.setScrollLimits(maximum: first.maximumScroll, pageSize: first.pageSize)
    return FollowScreen.render(follower, at: now, size: size)
}

@Suite("Follower screen snapshots")
struct FollowSnapshotTests {
    static let catCowStep = 5

    // MARK: - Before and after a session

    @Test("waiting for the session to be shared", arguments: screenSizes)
    func waiting(size: Size) {
        var follower = FollowerEngine(name: "room-2")
        let screen = renderFollower(&follower, at: .ms(0), size: size)
        #expect(screen.maximumScroll == 0)
        #expect(screen.grid.text.contains("room-2"))
        assertScreen(screen.grid, named: "follow-waiting-\(size.name)")
    }

    @Test("connected, before the therapist opens a session", arguments: screenSizes)
    func connected(size: Size) {
        var follower = FollowerEngine(name: "room-2")
        follower.connected()
        assertScreen(renderFollower(&follower, at: .ms(0), size: size).grid, named: "follow-connected-\(size.name)")
    }

    @Test("the session has ended", arguments: screenSizes)
    func ended(size: Size) throws {
        var follower = try follower(of: try SessionDriver(size: size).engine)
        follower.receive(.ended)
        let screen = renderFollower(&follower, at: .ms(0), size: size)
        #expect(!screen.grid.text.contains("Mobility is controlled movement"), "the last step stays on screen")
        assertScreen(screen.grid, named: "follow-ended-\(size.name)")
    }

    // MARK: - Following

    @Test("step 1, whose therapist script is not shown", arguments: screenSizes)
    func firstStep(size: Size) throws {
        let driver = try SessionDriver(size: size)
        try #require(driver.engine.step.blocks.contains { $0.script != nil }, "step 1 should have a script")
        var follower = try follower(of: driver.engine)
        let screen = renderFollower(&follower, at: .ms(1_000), size: size)
        let text = screen.grid.text
        #expect(text.contains("Mobility is controlled movement."))
        #expect(text.contains("Step 1 of 9"))
        for word in treatment8ScriptWords {
            #expect(!text.contains(word), "“\(word)” is on the patient's screen:\n\(text)")
        }
        assertScreen(screen.grid, named: "follow-step-text-\(size.name)")
    }

    /// The follower's screen of the Cat-cow step, its timer started at 0 by the therapist. The follower heard
    /// the timer start, and nothing since: it counts the 12.3 seconds itself, to 0:28.
    private func catCowRunning(size: Size) throws -> Screen {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        driver.press(.character(" "), at: .ms(0))
        var follower = try follower(of: driver.engine)
        return renderFollower(&follower, at: .ms(12_300), size: size)
    }

    @Test("the drill step with its timer running, in big digits where they fit", arguments: screenSizes)
    func drillRunning(size: Size) throws {
        let screen = try catCowRunning(size: size)
        let text = screen.grid.text
        #expect(text.contains("RUNNING"))
        let bigShown = BigFont.find(["0:28"], in: text.components(separatedBy: "\n")) != nil
        // 40 columns are enough for big digits, but 12 rows are not.
        #expect(bigShown == (size.height >= 24), "big digits for 0:28 at \(size.name):\n\(text)")
        if !bigShown { #expect(text.contains("0:28"), "\(text)") }
        assertScreen(screen.grid, named: "follow-drill-running-\(size.name)")
    }

    @Test("the drill step, its timer running, on big screens: big digits", arguments: bigScreenSizes)
    func drillRunningBig(size: Size) throws {
        let grid = try catCowRunning(size: size).grid
        let digits = try #require(bigText(["0:28"], in: grid), "no big 0:28 at \(size.name):\n\(grid.text)")
        #expect(digits.height >= size.height / 4, "\(digits.height) rows of digits at \(size.name)")
        if size.width >= 200 { #expect(digits.height >= 20) }
        for words in ["RUNNING", "Cat-cow", "Steps"] { #expect(grid.text.contains(words), "\(words)") }
        assertScreen(grid, named: "follow-drill-running-\(size.name)")
    }

    @Test("the drill step, its timer paused: the follower's clock doesn't move it", arguments: screenSizes)
    func drillPaused(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        driver.press(.character(" "), at: .ms(0))
        driver.press(.character(" "), at: .ms(12_300))
        var follower = try follower(of: driver.engine)
        let screen = renderFollower(&follower, at: .seconds(50), size: size)
        #expect(screen.grid.text.contains("PAUSED"))
        #expect(FollowScreen.render(follower, at: .seconds(90), size: size).grid.text == screen.grid.text)
        assertScreen(screen.grid, named: "follow-drill-paused-\(size.name)")
    }

    @Test("the summary after the last step", arguments: screenSizes)
    func summary(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(9)
        driver.press(.right)
        #expect(driver.engine.showsSummary)
        var follower = try follower(of: driver.engine)
        let screen = renderFollower(&follower, at: .ms(0), size: size)
        #expect(screen.grid.text.contains("Done"))
        assertScreen(screen.grid, named: "follow-summary-\(size.name)")
    }

    @Test("a message from another version is reported under the step still shown")
    func otherVersionProblem() throws {
        let size = Size(width: 80, height: 24)
        var follower = try follower(of: try SessionDriver(size: size).engine)
        follower.unreadable(.otherVersion(2))
        let screen = renderFollower(&follower, at: .ms(0), size: size)
        #expect(screen.grid.text.contains("⚠ the session is shared by a different version"))
        assertScreen(screen.grid, named: "follow-other-version-80x24")
    }

    @Test("a long step scrolled by the patient", arguments: screenSizes)
    func scrolled(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        var follower = try follower(of: driver.engine)
        let top = renderFollower(&follower, at: .ms(0), size: size)
        _ = follower.handle(.pageDown)
        _ = follower.handle(.down)
        let screen = renderFollower(&follower, at: .ms(0), size: size)
        #expect(follower.scrollOffset == min(top.maximumScroll, top.pageSize + 1))
        #expect(follower.scrollOffset <= screen.maximumScroll)
        assertScreen(screen.grid, named: "follow-scrolled-\(size.name)")
    }

    // MARK: - Words for the patient

    /// A one-step session whose cat-cow has 8 reps and no tempo: the timer waits for the reps to be done.
    static func repsWithoutTempo() throws -> SessionEngine {
        let text = """
            ---
            kind: session
            id: reps-test
            title: Reps test
            ---
            # Cat-cow, counted by the patient
            [drill: cat-cow, reps: 8]
            """
        let file = DocumentParser.parse(text: text, path: "sessions/reps-test.md")
        let library = ContentLibrary(files: try Shipped.library().files + [file])
        guard case .session(let session)? = file.document else { throw Shipped.Missing(description: "no session") }
        return SessionEngine(session: session, library: library, startedAt: .ms(0))
    }

    @Test("the patient's timer never tells them to press a key: Space does nothing to it on their screen",
          arguments: screenSizes)
    func timerNamesNoKeys(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(Self.catCowStep)
        var ready = try follower(of: driver.engine)
        driver.press(.character(" "), at: .ms(0))
        driver.press(.character(" "), at: .ms(5_000))
        var paused = try follower(of: driver.engine)
        var reps = try Self.repsWithoutTempo()
        _ = reps.handle(.character(" "), at: .ms(0))
        #expect(reps.timers[0]?.state == .waitingForReps)
        var counting = try follower(of: reps)
        for (what, follower) in [("ready", ready), ("paused", paused), ("counting reps", counting)] {
            var follower = follower
            let text = renderFollower(&follower, at: .ms(9_000), size: size).grid.text
            #expect(!text.contains("Space"), "the \(what) timer at \(size.name) names a key:\n\(text)")
        }
        #expect(renderFollower(&ready, at: .ms(9_000), size: size).grid.text.contains("READY"))
        #expect(renderFollower(&paused, at: .ms(9_000), size: size).grid.text.contains("PAUSED"))
        #expect(renderFollower(&counting, at: .ms(9_000), size: size).grid.text.contains("Do the reps"))
    }

    @Test("the summary's words are all there, wrapped, at every size", arguments: screenSizes)
    func summaryWrapped(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(9)
        driver.press(.right)
        var follower = try follower(of: driver.engine)
        let text = renderFollower(&follower, at: .ms(0), size: size).grid.text
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        for word in "Well done. Your therapist will go over what comes next.".split(separator: " ") {
            #expect(words.contains(word), "“\(word)” is missing at \(size.name):\n\(text)")
        }
    }

    // MARK: - Every step

    @Test("no step, at any size, ever shows a therapist script", arguments: screenSizes)
    func noScriptOnAnyStep(size: Size) throws {
        var driver = try SessionDriver(size: size)
        for step in 1...10 {
            var follower = try follower(of: driver.engine)
            // Scrolled to the end too, where a script at the bottom of a long step would be.
            for key in [nil, KeyEvent.end] {
                if let key { _ = follower.handle(key) }
                let text = renderFollower(&follower, at: .ms(0), size: size).grid.text
                for word in treatment8ScriptWords {
                    #expect(!text.contains(word), "step \(step) at \(size.name) shows “\(word)”:\n\(text)")
                }
            }
            driver.press(.right)
        }
        #expect(driver.engine.showsSummary)
    }
}
