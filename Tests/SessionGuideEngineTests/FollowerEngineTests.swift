import Testing
import SessionGuideContent
import SessionGuideEngine

// The patient-facing second screen's state machine: waiting, connected, following, ended; its own scrolling;
// the timer counted on the follower's own clock.

/// The state the fixture session shares after `keys` (each pressed at `at`).
private func shared(_ keys: [KeyEvent] = [], at moment: Moment = .ms(0)) throws -> SharedSessionState {
    var engine = try Fixture.engine()
    for key in keys { engine.press(key, at: moment) }
    return SharedSessionState(engine)
}

/// The shared state on step `index` (0-based), reached through the contents overlay.
private func shared(step index: Int) throws -> SharedSessionState {
    var engine = try Fixture.engine()
    engine.jump(to: index, at: .ms(0))
    return SharedSessionState(engine)
}

/// A follower that has connected and heard `state`.
private func following(_ state: SharedSessionState, name: String = "room-2") -> FollowerEngine {
    var follower = FollowerEngine(name: name)
    follower.connected()
    follower.receive(.state(state))
    return follower
}

private func isFollowing(_ follower: FollowerEngine, step index: Int? = nil) -> Bool {
    guard case .following(let state) = follower.status else { return false }
    return index.map { state.stepIndex == $0 } ?? true
}

@Suite("Follower engine")
struct FollowerEngineTests {
    // MARK: - Status

    @Test("waiting → connected → following → ended when the session says it has ended")
    func endedByMessage() throws {
        var follower = FollowerEngine(name: "room-2")
        #expect(follower.name == "room-2")
        #expect(follower.status == .waiting)
        #expect(follower.state(at: .ms(0)) == nil)
        follower.connected()
        #expect(follower.status == .connected)
        #expect(follower.state(at: .ms(0)) == nil)
        let first = try shared()
        follower.receive(.state(first))
        #expect(follower.status == .following(first))
        #expect(follower.state(at: .ms(0)) == first)
        let second = try shared([.right])
        follower.receive(.state(second))
        #expect(follower.status == .following(second))
        follower.receive(.ended)
        #expect(follower.status == .ended)
        #expect(follower.state(at: .ms(0)) == nil)
        // The connection closing after the 'ended' message changes nothing.
        follower.disconnected()
        #expect(follower.status == .ended)
    }

    @Test("following → ended when the connection closes without a word (the therapist's program was killed)")
    func endedByDisconnect() throws {
        var follower = following(try shared())
        follower.disconnected()
        #expect(follower.status == .ended)
        #expect(follower.state(at: .ms(0)) == nil)
    }

    @Test("a disconnect before any state goes back to waiting")
    func disconnectBeforeState() {
        var follower = FollowerEngine(name: "room-2")
        follower.connected()
        follower.disconnected()
        #expect(follower.status == .waiting)
        follower.disconnected()
        #expect(follower.status == .waiting)
    }

    @Test("after an ended session, the next session's state is followed (on a new connection or the same one)")
    func nextSession() throws {
        var follower = following(try shared())
        follower.disconnected()
        #expect(follower.status == .ended)
        // Reconnecting keeps saying the last session ended until the next one shows something.
        follower.connected()
        #expect(follower.status == .ended)
        let next = try shared(step: Fixture.rocksStep)
        follower.receive(.state(next))
        #expect(follower.status == .following(next))

        // The therapist went back to the menu ('ended' on the same connection), then opened a session again.
        follower.receive(.ended)
        #expect(follower.status == .ended)
        follower.receive(.state(try shared()))
        #expect(isFollowing(follower, step: 0))
    }

    @Test("a message that can't be read is reported until a good one arrives, and changes nothing else")
    func problems() throws {
        let state = try shared()
        var follower = following(state)
        follower.unreadable(.otherVersion(7))
        #expect(follower.problem == ShareMessage.ReadError.otherVersion(7).description)
        #expect(follower.status == .following(state))
        follower.unreadable(.unreadable)
        #expect(follower.problem == ShareMessage.ReadError.unreadable.description)
        follower.receive(.state(state))
        #expect(follower.problem == nil)

        var waiting = FollowerEngine(name: "x")
        waiting.connected()
        waiting.unreadable(.otherVersion(2))
        #expect(waiting.status == .connected)
        #expect(waiting.problem?.contains("follow protocol 2") == true)
        waiting.receive(.ended)
        #expect(waiting.problem == nil)
    }

    // MARK: - Scrolling

    @Test("the view scrolls within the limits the layout reports, and a new step starts at its top")
    func scrollResetOnStepChange() throws {
        let welcome = try shared()
        var follower = following(welcome)
        follower.setScrollLimits(maximum: 30, pageSize: 8)
        #expect(follower.scrollOffset == 0 && follower.maximumScroll == 30 && follower.pageSize == 8)
        _ = follower.handle(.down)
        _ = follower.handle(.character("j"))
        #expect(follower.scrollOffset == 2)
        _ = follower.handle(.up)
        #expect(follower.scrollOffset == 1)
        _ = follower.handle(.pageDown)
        #expect(follower.scrollOffset == 9)
        _ = follower.handle(.character(" "))
        #expect(follower.scrollOffset == 17)
        _ = follower.handle(.pageUp)
        #expect(follower.scrollOffset == 9)
        _ = follower.handle(.end)
        #expect(follower.scrollOffset == 30)
        _ = follower.handle(.down)
        #expect(follower.scrollOffset == 30, "never past the end")
        _ = follower.handle(.home)
        #expect(follower.scrollOffset == 0)
        _ = follower.handle(.character("k"))
        #expect(follower.scrollOffset == 0, "never above the top")

        // The same step again (its timer moved, say) keeps the place.
        _ = follower.handle(.pageDown)
        #expect(follower.scrollOffset == 8)
        follower.receive(.state(welcome))
        #expect(follower.scrollOffset == 8)

        // The next step starts at its top; so does the summary.
        follower.receive(.state(try shared([.right])))
        #expect(follower.scrollOffset == 0)
        _ = follower.handle(.pageDown)
        #expect(follower.scrollOffset == 8)
        follower.receive(.state(try shared(step: Fixture.wrapUp)))
        #expect(follower.scrollOffset == 0)
        _ = follower.handle(.pageDown)
        var summary = try shared(step: Fixture.wrapUp)
        summary.showsSummary = true
        follower.receive(.state(summary))
        #expect(follower.scrollOffset == 0)

        // A smaller screen clamps the place.
        follower.receive(.state(welcome))
        _ = follower.handle(.end)
        follower.setScrollLimits(maximum: 4, pageSize: 0)
        #expect(follower.scrollOffset == 4 && follower.pageSize == 1)
        follower.setScrollLimits(maximum: -2, pageSize: 3)
        #expect(follower.scrollOffset == 0 && follower.maximumScroll == 0)
    }

    @Test("the next session starts at the top, even when its first state arrives right after the last one ended")
    func nextSessionStartsAtTop() throws {
        // Messages read together, with no screen laid out between them (so nothing clamps the place): the
        // therapist went back to the menu and opened a session at once, or a follower that was busy reconnected
        // straight to the next session.
        var follower = following(try shared())
        follower.setScrollLimits(maximum: 30, pageSize: 8)
        _ = follower.handle(.pageDown)
        #expect(follower.scrollOffset == 8)
        follower.receive(.ended)
        follower.receive(.state(try shared()))
        #expect(follower.scrollOffset == 0)

        _ = follower.handle(.pageDown)
        follower.disconnected()
        follower.connected()
        follower.receive(.state(try shared()))
        #expect(follower.scrollOffset == 0)
    }

    @Test("the therapist starting or pausing the timer keeps the patient's place on the step")
    func timerChangeKeepsPlace() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.bracing, at: .ms(0))
        var follower = following(SharedSessionState(engine))
        follower.setScrollLimits(maximum: 20, pageSize: 5)
        _ = follower.handle(.pageDown)
        engine.press(.character(" "), at: .ms(1_000))
        follower.receive(.state(SharedSessionState(engine)))
        engine.press(.character(" "), at: .ms(5_000))
        follower.receive(.state(SharedSessionState(engine)))
        #expect(follower.scrollOffset == 5)
    }

    // MARK: - Keys

    @Test("q, Q and Esc quit the follower", arguments: [KeyEvent.character("q"), .character("Q"), .escape])
    func quitKeys(key: KeyEvent) throws {
        var follower = following(try shared())
        let quits = follower.handle(key)
        #expect(quits)
        var waiting = FollowerEngine(name: "room-2")
        let quitsWaiting = waiting.handle(key)
        #expect(quitsWaiting)
    }

    @Test("the therapist's keys do nothing on the follower: the session it shows never changes")
    func keysNeverDrive() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.bracing, at: .ms(0))
        let state = SharedSessionState(engine)
        var follower = following(state)
        follower.setScrollLimits(maximum: 12, pageSize: 4)
        let keys: [KeyEvent] = [
            .right, .left, .enter, .backspace, .tab, .backTab, .delete, .character(" "), .character("n"),
            .character("p"), .character("l"), .character("h"), .character("g"), .character("r"), .character("+"),
            .character("-"), .character("s"), .character("t"), .character("w"), .character("?"), .character("y"),
            .character("1"), .function(1), .control("l"), .resize, .click(column: 3, row: 4),
            .down, .up, .pageDown, .pageUp, .home, .end,
        ]
        for key in keys {
            let quits = follower.handle(key)
            #expect(!quits, "\(key) quit the follower")
            #expect(follower.status == .following(state), "\(key) changed what the follower shows")
            #expect(follower.state(at: .ms(60_000))?.timer?.state == .ready, "\(key) started the timer")
        }
        var waiting = FollowerEngine(name: "room-2")
        for key in keys {
            let quits = waiting.handle(key)
            #expect(!quits)
            #expect(waiting.status == .waiting)
        }
    }

    // MARK: - The timer on the follower's clock

    @Test("a running timer counts down on the follower's own clock, with no new message")
    func timerCountsDown() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.warmUp, at: .ms(0))
        engine.press(.character(" "), at: .ms(1_000))  // 45 s of marching from 1 s
        let follower = following(SharedSessionState(engine))

        #expect(follower.state(at: .ms(1_000))?.timer?.displayedSeconds(at: .ms(1_000)) == 45)
        #expect(follower.state(at: .ms(13_300))?.timer?.displayedSeconds(at: .ms(13_300)) == 33)
        #expect(follower.state(at: .ms(45_500))?.timer?.displayedSeconds(at: .ms(45_500)) == 1)
        let done = follower.state(at: .ms(46_000))?.timer
        #expect(done?.isFinished == true)
        #expect(done?.displayedSeconds(at: .ms(46_000)) == 0)
        // The follower's own state is not changed by looking: earlier moments read as before.
        #expect(follower.state(at: .ms(2_000))?.timer?.displayedSeconds(at: .ms(2_000)) == 44)
        // The same as the therapist's engine shows at the same moments.
        var therapist = engine
        for moment in [Moment.ms(7_250), .ms(30_999), .ms(46_000)] {
            _ = therapist.tick(at: moment)
            #expect(follower.state(at: moment)?.timer?.displayedSeconds(at: moment)
                    == therapist.timers[Fixture.warmUp]?.displayedSeconds(at: moment))
        }
    }

    @Test("phases hand over on the follower's clock (a hold, then the rest), as on the therapist's")
    func phasesAdvance() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.bracing, at: .ms(0))
        engine.press(.character(" "), at: .ms(0))  // 3 × 10 s hold with 15 s rest
        let follower = following(SharedSessionState(engine))
        let holding = try #require(follower.state(at: .ms(9_000))?.timer)
        #expect(holding.currentPhase.kind == .hold && holding.displayedSeconds(at: .ms(9_000)) == 1)
        let resting = try #require(follower.state(at: .ms(11_000))?.timer)
        #expect(resting.currentPhase.kind == .rest && resting.displayedSeconds(at: .ms(11_000)) == 14)
        let second = try #require(follower.state(at: .ms(26_000))?.timer)
        #expect(second.currentPhase.kind == .hold && second.currentPhase.set == 2)
    }

    @Test("a paused or ready timer stands still on the follower")
    func pausedStandsStill() throws {
        var engine = try Fixture.engine()
        engine.jump(to: Fixture.warmUp, at: .ms(0))
        let ready = following(SharedSessionState(engine))
        #expect(ready.state(at: .ms(90_000))?.timer?.displayedSeconds(at: .ms(90_000)) == 45)
        engine.press(.character(" "), at: .ms(0))
        engine.press(.character(" "), at: .ms(10_400))
        let paused = following(SharedSessionState(engine))
        #expect(paused.state(at: .ms(90_000))?.timer?.displayedSeconds(at: .ms(90_000)) == 35)
        #expect(paused.nextDeadline(after: .ms(90_000)) == nil)
        #expect(ready.nextDeadline(after: .ms(90_000)) == nil)
    }

    @Test("nextDeadline: the timer's next second while it runs, nothing otherwise")
    func nextDeadline() throws {
        #expect(FollowerEngine(name: "a").nextDeadline(after: .ms(0)) == nil)
        #expect(following(try shared()).nextDeadline(after: .ms(0)) == nil, "no timer on a text step")

        var engine = try Fixture.engine()
        engine.jump(to: Fixture.warmUp, at: .ms(0))
        engine.press(.character(" "), at: .ms(1_000))
        var follower = following(SharedSessionState(engine))
        #expect(follower.nextDeadline(after: .ms(1_000)) == .ms(2_000))
        #expect(follower.nextDeadline(after: .ms(13_300)) == .ms(14_000))
        #expect(follower.nextDeadline(after: .ms(45_999)) == .ms(46_000))
        #expect(follower.nextDeadline(after: .ms(46_000)) == nil, "a finished timer needs no more drawing")
        follower.receive(.ended)
        #expect(follower.nextDeadline(after: .ms(13_300)) == nil)
    }
}
