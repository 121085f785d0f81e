import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime
import Testing

// The patient's second screen (`follow NAME`) beside the therapist's shared session (`session --share NAME`),
// in-process: both programs on the real runtime loop and one manual clock. What the session publishes goes to
// each follower as the share channel carries it (encoded and decoded, an unchanged state not sent again, the
// last one sent at once to a follower that joins). The sockets themselves are tested end to end
// (Tests/SessionGuideCLITests/FollowTests.swift) and in ShareChannelTests.

typealias FollowHarness = ProgramHarness<FollowProgram>

/// A shared session and the screens following it, on one clock.
final class SharedRoom {
    let clock = ManualClock()
    let name = "room-1"
    private(set) var session: FullScreenHarness!
    private(set) var followers: [FollowHarness] = []
    /// How many of the session's published messages each follower has been given.
    private var delivered: [ObjectIdentifier: Int] = [:]
    /// The last message sent, per follower: the channel never sends an unchanged one again.
    private var lastSent: [ObjectIdentifier: ShareMessage] = [:]

    /// Starts the therapist's session (Treatment 8, or the home menu), publishing to this room's followers.
    func startSession(menu: Bool = false) throws {
        session = menu ? try homeMenu(shares: true, clock: clock) : try treatment8(shares: true, clock: clock)
        for follower in followers { delivered[ObjectIdentifier(follower)] = 0 }
        deliver()
    }

    /// A follower starts: it waits, and once connected is sent the session's last message at once.
    @discardableResult
    func follow(connected: Bool = true) -> FollowHarness {
        let follower = ProgramHarness(FollowProgram(name: name), clock: clock)
        followers.append(follower)
        if connected { connect(follower) }
        return follower
    }

    func connect(_ follower: FollowHarness) {
        follower.send(.follow(.connected))
        guard let session else { return }
        let published = session.effects.published
        delivered[ObjectIdentifier(follower)] = published.count
        if let last = published.last { send(last, to: follower) }
    }

    /// Hands every follower what the session published since, as the channel does.
    func deliver() {
        guard let session else { return }
        let published = session.effects.published
        for follower in followers where follower.exitCode == nil {
            let id = ObjectIdentifier(follower)
            guard let from = delivered[id] else { continue }  // not connected
            for message in published[from...] { send(message, to: follower) }
            delivered[id] = published.count
        }
    }

    private func send(_ message: ShareMessage, to follower: FollowHarness) {
        let id = ObjectIdentifier(follower)
        guard lastSent[id] != message else { return }
        lastSent[id] = message
        // Through the wire format, as a real follower reads it.
        let line = message.encoded().dropLast()
        do {
            follower.send(.follow(.message(try ShareMessage.decode(line))))
        } catch {
            Issue.record("a published message didn't survive the wire: \(error)")
        }
    }

    func press(_ keys: KeyEvent...) {
        for key in keys { session.press(key) }
        deliver()
    }

    /// Moves the one clock on (through the session's harness, which wakes at each of its deadlines), then wakes
    /// each follower at the new time as its own deadline would.
    func advance(by milliseconds: Int64) {
        session.advance(by: milliseconds)
        deliver()
        // The harness that moved the clock is the only one woken for deadlines on the way; a wake-up of the
        // follower at the present moment draws what its own wake-up would.
        for follower in followers where follower.exitCode == nil { follower.send(.tick) }
    }
}

@Suite("follow: the patient's screen beside a shared session, in-process")
struct FollowProgramTests {
    /// Fails when any word of a therapist script is on the follower's screen.
    func expectNoScript(_ follower: FollowHarness, _ when: String,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for word in scriptWords where follower.text.contains(word) {
            Issue.record(Comment(rawValue: "“\(word)” is on the patient's screen \(when):\n\(numbered(follower.screen))"),
                         sourceLocation: sourceLocation)
        }
    }

    static let waiting = """
         session-guide








                                    Waiting for the session

                It shows here once the therapist starts it with --share room-1.











         Following 'room-1'  q stop following
        """

    static let ended = """
         session-guide








                                     The session has ended

                        Waiting for the next session shared as 'room-1'…











         Following 'room-1'  q stop following
        """

    @Test("a follower started first waits, then follows every step in step with the session: the heading, the patient's text, the timer to the second, never a script")
    func followAlong() throws {
        let room = SharedRoom()
        let follower = room.follow(connected: false)
        expectScreen(follower, Self.waiting, "the follower before the session")
        room.connect(follower)
        #expect(follower.text.contains("The session will show here as soon as the therapist opens it."))

        try room.startSession()
        for index in treatment8Steps.indices {
            if index > 0 { room.press(.right) }
            let step = treatment8Steps[index]
            let screen = follower.screen
            #expect(screen[0].hasPrefix(" Treatment 8 – Hip–Lumbar Connection") && screen[0].hasSuffix("Step \(index + 1) of 9"),
                    "row 0: \(screen[0])")
            // A drill step's heading as the therapist sees it (the others are in large block letters).
            if (4...6).contains(index) { expectRow(follower, 1, room.session.screen[1]) }
            for row in step.rows + step.wideRows where !row.hasPrefix("  ▌") && !row.contains("Space starts") {
                #expect(hasRow(screen, row), Comment(rawValue: "step \(index + 1): no row “\(row)”:\n\(numbered(screen))"))
            }
            expectNoScript(follower, "on step \(index + 1)")
            expectRow(follower, 23, screen[23].contains("scroll") ? " Following 'room-1'  ↑↓ scroll  q stop following"
                                                                  : " Following 'room-1'  q stop following")
            if index == 4 {
                // Space on the therapist's screen starts the timer; the follower counts it down itself, and reads
                // the same second as the therapist at every second.
                #expect(hasRow(screen, "                                READY  10 reps"))
                #expect(secondsLeft(screen) == 40)
                room.press(.character(" "))
                #expect(follower.text.contains("▶ RUNNING  Rep 1 of 10"))
                let messages = room.session.effects.published.count
                for second in 1...6 {
                    room.advance(by: 1_000)
                    #expect(secondsLeft(follower.screen) == 40 - second, "\(numbered(follower.screen))")
                    #expect(secondsLeft(room.session.screen) == 40 - second)
                    expectNoScript(follower, "while the timer runs")
                }
                #expect(follower.text.contains("▶ RUNNING  Rep 2 of 10"))
                // Seconds passing send nothing: each screen counts them itself.
                #expect(Set(room.session.effects.published[messages...]).count == 1)
                room.press(.character(" "))
                #expect(follower.text.contains("❚❚ PAUSED"))
                room.advance(by: 5_000)
                #expect(secondsLeft(follower.screen) == 34, "the paused timer moved on the follower")
                room.press(.character(" "))
                room.advance(by: 500)
                #expect(follower.text.contains("▶ RUNNING"))
            }
        }
        // The timer of step 5 runs on while the therapist is elsewhere; the follower shows the step shown.
        room.press(.right)
        #expect(follower.text.contains("Done"), "\(numbered(follower.screen))")
        #expect(follower.text.contains("Well done. Your therapist will go over what comes next."))
        expectNoScript(follower, "on the summary")
        // The therapist's timer was never stopped, so q asks; the follower doesn't.
        room.press(.character("q"))
        #expect(room.session.text.contains("Quit?"))
        #expect(!follower.text.contains("Quit?"))
        room.press(.character("y"))
        #expect(room.session.exitCode == 0)
        // No published state ever carried a script.
        for case .state(let state) in room.session.effects.published {
            #expect(state.step.blocks.allSatisfy { $0.script == nil })
        }
        // The therapist's program tells its followers it ended as it closes (ShareServer.end).
        follower.send(.follow(.message(.ended)))
        expectScreen(follower, Self.ended, "the follower after the session")
        #expect(follower.exitCode == nil)
    }

    @Test("a follower joining late catches up at once: the step shown and the timer's very second")
    func lateFollower() throws {
        let room = SharedRoom()
        try room.startSession()
        room.press(.right, .right, .right, .right, .character(" "))
        room.advance(by: 3_000)
        let follower = room.follow()
        #expect(follower.screen[0].hasSuffix("Step 5 of 9"))
        expectRow(follower, 1, " Functional Examples › Cat-cow for spinal motion")
        #expect(follower.text.contains("▶ RUNNING"))
        #expect(secondsLeft(follower.screen) == 37)
        room.advance(by: 1_000)
        #expect(secondsLeft(follower.screen) == 36)
    }

    /// A port that has the follower's connection and the session's last state at the very first look, as the
    /// binary's follow port has when a session is already shared.
    final class ConnectedAtStart: RuntimePort {
        var pending: [ProgramInput]
        init(_ inputs: [ProgramInput]) { pending = inputs }
        var descriptors: [Int32] { [] }
        func deadline(after now: Moment) -> Moment? { nil }
        func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput] {
            defer { pending = [] }
            return pending
        }
    }

    @Test("what the follow port has at start is shown in the first frame: a late follower never draws 'waiting'")
    func firstFrameOfLateFollower() throws {
        let room = SharedRoom()
        try room.startSession()
        room.press(.right, .right)
        guard let state = room.session.effects.published.last else {
            Issue.record("the session published nothing")
            return
        }
        let io = FakeIO(size: .standard)
        let runtime = Runtime(FollowProgram(name: "room-1"), io: io, clock: room.clock,
                              ports: [ConnectedAtStart([.follow(.connected), .follow(.message(state))])],
                              effects: FakeEffects())
        runtime.step()
        let first = io.frames.first.map(FollowHarness.rows) ?? []
        #expect(first.first?.hasSuffix("Step 3 of 9") == true, "the first frame:\n\(numbered(first))")
        #expect(!first.joined().contains("Waiting for the session"))
    }

    @Test("the follower's keys (→, Space, Enter, n, r, +, s, t, w, ?…) only scroll its own view; q quits the follower, and the session never notices")
    func followerKeysDoNotDrive() throws {
        let room = SharedRoom()
        try room.startSession()
        room.press(.right, .right, .right, .right)
        let follower = room.follow()
        #expect(follower.text.contains("Moves the spine slowly"))
        let sessionScreen = room.session.screen
        let published = room.session.effects.published.count

        for key: KeyEvent in [.right, .character(" "), .enter, .character("n"), .character("l"), .character("r"),
                              .character("+"), .character("s"), .character("t"), .character("w"), .character("?"),
                              .left, .down] {
            follower.press(key)
            room.deliver()
        }
        // ↓ scrolled the follower's view of the long drill step.
        #expect(!follower.text.contains("Moves the spine slowly"))
        #expect(follower.screen[0].hasSuffix("Step 5 of 9"))
        #expect(follower.text.contains("READY"))
        #expect(follower.effects.published.isEmpty && follower.io.bells == 0)
        #expect(follower.exitCode == nil)
        follower.press(.character("q"))
        #expect(follower.exitCode == 0)

        // The session is as it was: same step, timer not started, no overlay, no note, scripts on.
        #expect(room.session.screen == sessionScreen)
        #expect(room.session.effects.published.count == published)
        room.press(.character(" "))
        #expect(room.session.text.contains("▶ RUNNING"))
    }

    @Test("two followers both follow; when one quits the other and the session carry on")
    func twoFollowers() throws {
        let room = SharedRoom()
        try room.startSession()
        let first = room.follow()
        let second = room.follow()
        for follower in [first, second] {
            #expect(follower.screen[0].hasSuffix("Step 1 of 9"))
            #expect(hasRow(follower.screen, "  • Mobility is controlled movement."))
        }
        room.press(.right, .right, .right, .right, .character(" "))
        for follower in [first, second] {
            #expect(follower.screen[0].hasSuffix("Step 5 of 9"))
            #expect(follower.text.contains("▶ RUNNING"))
        }
        first.press(.character("q"))
        #expect(first.exitCode == 0)
        room.advance(by: 2_000)
        room.press(.character(" "))
        #expect(second.text.contains("❚❚ PAUSED"))
        #expect(secondsLeft(second.screen) == 38)
        room.press(.right)
        #expect(second.screen[0].hasSuffix("Step 6 of 9"))
        expectRow(second, 1, " Functional Examples › Hip rocks for pelvic mobility")
    }

    @Test("back in the therapist's menu the follower says the session ended, and follows the next one opened, from its top")
    func nextSession() throws {
        let room = SharedRoom()
        let follower = room.follow()
        try room.startSession(menu: true)
        #expect(follower.text.contains("The session will show here as soon as the therapist opens it."),
                "the menu isn't shown to the patient:\n\(follower.text)")
        room.press(.enter)
        room.press(.right)
        #expect(follower.screen[0].hasSuffix("Step 2 of 9"))
        room.press(.character("q"))
        #expect(room.session.text.contains("Sessions (therapist)"))
        expectScreen(follower, Self.ended, "the follower after q")

        room.press(.enter)
        #expect(follower.screen[0].hasSuffix("Step 1 of 9"))
        #expect(hasRow(follower.screen, "  • Mobility is controlled movement."))
        room.press(.right, .right)
        #expect(follower.screen[0].hasSuffix("Step 3 of 9"))
        #expect(follower.exitCode == nil)
    }

    @Test("the session's program gone without a word (kill -9): the follower says it ended; before any session, it goes on waiting")
    func disconnected() throws {
        let room = SharedRoom()
        try room.startSession()
        let follower = room.follow()
        room.press(.right)
        follower.send(.follow(.disconnected))
        expectScreen(follower, Self.ended, "the follower after the session's program died")

        let early = room.follow(connected: false)
        early.send(.follow(.connected))
        early.send(.follow(.disconnected))
        expectScreen(early, Self.waiting, "a follower whose connection closed before any session")
    }

    @Test("a message it can't read is said on screen, and the last good state stays until a good message")
    func unreadableMessage() throws {
        let room = SharedRoom()
        try room.startSession()
        let follower = room.follow()
        follower.send(.follow(.unreadable(.otherVersion(9))))
        #expect(follower.text.contains("⚠ the session is shared by a different version of session-guide"))
        #expect(follower.screen[0].hasSuffix("Step 1 of 9"))
        room.press(.right)
        #expect(!follower.text.contains("⚠"))
        #expect(follower.screen[0].hasSuffix("Step 2 of 9"))
    }

    @Test("SIGTERM, SIGHUP and Ctrl-C end the follower with 128 + the signal; Esc quits it with 0",
          arguments: [(KeyEvent?.none, TerminalSignal?.some(.terminate), Int32(143)), (nil, .hangup, 129),
                      (.control("c"), nil, 130), (.escape, nil, 0)])
    func followerEnds(key: KeyEvent?, signal: TerminalSignal?, code: Int32) {
        let follower = ProgramHarness(FollowProgram(name: "room-1"))
        if let key { follower.press(key) }
        if let signal { follower.signal(signal) }
        #expect(follower.exitCode == code)
    }
}
