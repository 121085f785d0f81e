import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// End-to-end tests of the patient-facing second screen: `session treatment-08 --share NAME` in one terminal
// and `follow NAME` in another, the real binary in each (every terminal is a tmux server of its own, see
// TmuxHarness.swift). Both get the same private XDG_RUNTIME_DIR, where the socket lives. Each program runs on
// its own test clock, moved on by the test; every step waits for the text it expects, with a deadline only as a
// safety net. How the follower keeps in step is tested in-process, on one clock, in FollowProgramTests.

/// Words of Treatment 8's three therapist scripts and their label: never on the patient's screen.
private let scriptWords = [
    "Did you notice", "lumbar mobility drills", "Suggested Therapist Script", "Therapist Script", "Free hips mean",
    "function as a team", "Massage resets the system", "teaches your body", "▌",
]

/// A runtime folder shared by the therapist's and the patients' terminals. Its path is short, as a real one
/// (`/run/user/1000`) is, so a socket address always fits.
private final class FollowSandbox: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var terminals: [TmuxTerminal] = []

    /// Runs `body` with a new sandbox, holding a terminal slot, and always closes every terminal it started.
    static func run(_ body: (FollowSandbox) async throws -> Void) async throws {
        try await withTerminalSlot {
            let sandbox = try FollowSandbox()
            do {
                try await body(sandbox)
                await sandbox.closeAll()
            } catch {
                await sandbox.closeAll()
                throw error
            }
        }
    }

    private func started(_ terminal: TmuxTerminal) -> TmuxTerminal {
        lock.withLock { terminals.append(terminal) }
        return terminal
    }

    private func closeAll() async {
        for terminal in lock.withLock({ terminals }) { await terminal.close() }
    }

    init() throws {
        var template = Array("/tmp/sgf-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RunnerError(description: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var environment: [String: String?] { ["XDG_RUNTIME_DIR": path] }

    func socketPath(_ name: String) -> String { path + "/session-guide/" + name + ".sock" }

    /// The therapist's terminal: Treatment 8 shared as `name`.
    func therapist(_ name: String = "room-1", sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> TmuxTerminal {
        started(try await TmuxTerminal.start(["session", "treatment-08", "--share", name], width: 80, height: 24,
                                             environment: environment, sourceLocation: sourceLocation))
    }

    /// A patient's terminal following `name`.
    func follower(_ name: String = "room-1", recordOutput: Bool = false,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> TmuxTerminal {
        started(try await TmuxTerminal.start(["follow", name], width: 80, height: 24, environment: environment,
                                             recordOutput: recordOutput, sourceLocation: sourceLocation))
    }
}

/// Fails the test when any word of a therapist script is on the follower's screen.
private func expectNoScript(_ screen: TerminalScreen, _ when: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for word in scriptWords where screen.contains(word) {
        Issue.record("“\(word)” is on the patient's screen \(when):\n\(screen)", sourceLocation: sourceLocation)
    }
}

/// Waits until the follower shows all of `texts`, and checks that screen has no script on it.
@discardableResult
private func followerShows(_ follower: TmuxTerminal, _ texts: String..., timeout: Duration = TmuxTerminal.defaultTimeout,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> TerminalScreen {
    let screen = try await follower.waitUntil(texts.map { "“\($0)”" }.joined(separator: " and ") + " on the follower",
                                              timeout: timeout, sourceLocation: sourceLocation) { screen in
        texts.allSatisfy(screen.contains)
    }
    expectNoScript(screen, "showing " + texts.joined(separator: ", "), sourceLocation: sourceLocation)
    return screen
}

/// Reads the countdown on `terminal`, moves each of `clocks` (every program runs on its own test clock) on by two
/// seconds, and waits for the countdown to read two seconds less; returns the two readings.
@discardableResult
private func countdownGoesDown(on terminal: TmuxTerminal, _ who: String, advancing clocks: [TmuxTerminal],
                               sourceLocation: SourceLocation = #_sourceLocation) async throws -> (Int, Int) {
    let first = try await terminal.waitUntil("a countdown on the \(who)'s screen", sourceLocation: sourceLocation) {
        secondsLeft(on: $0) != nil
    }
    expectNoScript(first, "while the timer runs", sourceLocation: sourceLocation)
    let from = secondsLeft(on: first) ?? -1
    for clock in clocks { try await clock.advance(by: 2_000, sourceLocation: sourceLocation) }
    let later = try await terminal.waitUntil("the countdown on the \(who)'s screen to go down from \(from) to \(from - 2)",
                                             sourceLocation: sourceLocation) { secondsLeft(on: $0) == from - 2 }
    expectNoScript(later, "while the timer runs", sourceLocation: sourceLocation)
    return (from, from - 2)
}

// Serialized: each test runs two or three terminals at once, and the suite runs beside the timing-sensitive
// kiosk and routine tests on what may be a two-core machine.
@Suite("follow: the patient's second screen, end to end", .serialized, .timeLimit(.minutes(10)))
struct FollowTests {
    @Test("follow first, then session --share: each step in large print, the timer counting down, never a script")
    func followAlong() async throws {
        try await FollowSandbox.run { sandbox in
            let follower = try await sandbox.follower()
            try await followerShows(follower, "Waiting for the session", "--share room-1", "Following 'room-1'")

            let therapist = try await sandbox.therapist()
            let first = try await therapist.waitFor("Step 1/9", "Simple Recap", "Did you notice any changes in stiffness")
            // The therapist sees the script; the patient sees the step without it.
            #expect(first.contains("Suggested Therapist Script"))
            try await followerShows(follower, "Step 1 of 9", "Mobility is controlled movement.",
                                    "Daily mobility helps maintain improvements from massage.")

            try await therapist.press("Right")
            try await therapist.waitFor("Step 2/9")
            try await followerShows(follower, "Step 2 of 9", "Hips = mobility joints.", "Lumbar spine = stability.")
            try await therapist.press("Right")
            try await followerShows(follower, "Step 3 of 9", "Reduces compensatory stress")  // a step with a script
            try await therapist.press("Right", "Right")
            try await therapist.waitFor("Step 5/9", "READY · Space starts")
            try await followerShows(follower, "Step 5 of 9", "Cat-cow for spinal motion", "READY", "Moves the spine slowly")

            // Space on the therapist's screen starts the timer; the follower counts it down by itself.
            try await therapist.press("Space")
            try await therapist.waitFor("▶ RUNNING")
            try await followerShows(follower, "▶ RUNNING", "Rep ")
            let (from, to) = try await countdownGoesDown(on: follower, "follower", advancing: [therapist, follower])
            #expect(from <= 40 && to < from, "from \(from) to \(to)")
            // In step with the therapist: both clocks moved on by the same two seconds, and read the same.
            try await therapist.waitUntil("the therapist's countdown at \(to) too") { secondsLeft(on: $0) == to }

            // On through the other script step to the summary.
            try await therapist.press("Right", "Right", "Right")
            try await therapist.waitFor("Step 8/9", "Massage resets the system")
            try await followerShows(follower, "Step 8 of 9", "Massage loosens soft tissue")
            try await therapist.press("Right", "Right")
            try await therapist.waitFor("Session summary")
            try await followerShows(follower, "Done", "Well done. Your therapist will go over what comes next.")

            // The cat-cow timer still runs, so q asks first; y quits, and the follower says the session ended.
            try await therapist.press("q")
            try await therapist.waitFor("Quit?")
            try await therapist.press("y")
            let exit = try await therapist.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            try await followerShows(follower, "The session has ended", "Waiting for the next session shared as 'room-1'")
            #expect(!FileManager.default.fileExists(atPath: sandbox.socketPath("room-1")), "the socket was left behind")
        }
    }

    @Test("a follower started after the session catches up at once, without showing 'waiting' first")
    func lateFollower() async throws {
        try await FollowSandbox.run { sandbox in
            let therapist = try await sandbox.therapist()
            try await therapist.waitFor("Step 1/9")
            try await therapist.press("Right", "Right", "Right", "Right", "Space")
            try await therapist.waitFor("Step 5/9", "▶ RUNNING")

            let follower = try await sandbox.follower(recordOutput: true)
            try await followerShows(follower, "Step 5 of 9", "Cat-cow for spinal motion", "▶ RUNNING")
            try await countdownGoesDown(on: follower, "late follower", advancing: [follower])
            // It never drew the waiting screen ("It shows here once the therapist starts it…"; the heading is in block
            // letters). (It may draw "Connected" for the few milliseconds until the therapist's program accepts it.)
            let drawn = String(decoding: follower.recordedOutput(), as: UTF8.self)
            #expect(drawn.contains("Cat-cow"))
            #expect(!drawn.contains("once the therapist starts it"), "the late follower showed the waiting screen")
        }
    }

    @Test("two followers both follow the session")
    func twoFollowers() async throws {
        try await FollowSandbox.run { sandbox in
            let therapist = try await sandbox.therapist()
            try await therapist.waitFor("Step 1/9")
            let first = try await sandbox.follower()
            let second = try await sandbox.follower()
            for follower in [first, second] {
                try await followerShows(follower, "Step 1 of 9", "Mobility is controlled movement.")
            }
            try await therapist.press("Right")
            for follower in [first, second] {
                try await followerShows(follower, "Step 2 of 9", "Hips = mobility joints.")
            }
            try await therapist.press("Right", "Right", "Right", "Space")
            try await therapist.waitFor("Step 5/9", "▶ RUNNING")
            for follower in [first, second] {
                try await followerShows(follower, "Step 5 of 9", "▶ RUNNING")
            }

            // One follower quits; the other, and the session, carry on.
            try await first.press("q")
            let exit = try await first.waitForExit()
            #expect(exit.status == 0 && exit.terminalIsSane, "\(exit)")
            try await therapist.press("Space")
            try await therapist.waitFor("PAUSED")
            try await followerShows(second, "Step 5 of 9", "❚❚ PAUSED")
            try await therapist.press("Right")
            try await followerShows(second, "Step 6 of 9", "Hip rocks")
        }
    }

    @Test("after q on the therapist's screen the follower waits, and follows the next session shared under the name")
    func nextSession() async throws {
        try await FollowSandbox.run { sandbox in
            let follower = try await sandbox.follower()
            try await followerShows(follower, "Waiting for the session")

            let therapist = try await sandbox.therapist()
            try await therapist.waitFor("Step 1/9")
            try await therapist.press("Right")
            try await followerShows(follower, "Step 2 of 9", "Hips = mobility joints.")
            try await therapist.press("q")  // no timer runs: q quits at once
            let exit = try await therapist.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            try await followerShows(follower, "The session has ended", "Waiting for the next session shared as 'room-1'")

            let next = try await sandbox.therapist()
            try await next.waitFor("Step 1/9")
            // Its socket listens before its screen shows: the follower, woken by the socket appearing, is there at
            // once, well before its ten-second retry.
            try await followerShows(follower, "Step 1 of 9", "Mobility is controlled movement.")
            try await next.press("Right", "Right")
            try await followerShows(follower, "Step 3 of 9", "Reduces compensatory stress")
            // The same follower all along.
            #expect(!(try await follower.capture(history: true)).contains("EXIT="))
        }
    }

    @Test("kill -9 of the therapist's program: the follower says the session ended, and the name can be shared again")
    func therapistKilled() async throws {
        try await FollowSandbox.run { sandbox in
            let therapist = try await sandbox.therapist()
            try await therapist.waitFor("Step 1/9")
            let follower = try await sandbox.follower()
            try await followerShows(follower, "Step 1 of 9", "Mobility is controlled movement.")

            // While it lives, nobody else can share under its name.
            let second = try await BinaryRunner.run(["session", "treatment-08", "--share", "room-1"],
                                                    environment: sandbox.environment)
            #expect(second.exitCode == 69, Comment(rawValue: second.summary))
            #expect(second.stderr.contains("a session is already shared as 'room-1'; choose another name or end that one"),
                    Comment(rawValue: second.summary))
            try await therapist.press("Right")
            try await followerShows(follower, "Step 2 of 9")

            let pid = try await therapist.programID()
            #expect(kill(pid, SIGKILL) == 0)
            // Killed, it leaves the terminal raw, so the shell's last line doesn't start at the left edge.
            try await therapist.waitUntil("the program to be killed", history: true) { screen in
                screen.contains("EXIT=\(128 + SIGKILL) ")
            }
            try await followerShows(follower, "The session has ended", "Waiting for the next session shared as 'room-1'")
            #expect(FileManager.default.fileExists(atPath: sandbox.socketPath("room-1")),
                    "a killed program can't remove its socket; this test expects a stale one to be replaced")

            let next = try await sandbox.therapist()
            let started = try await next.waitFor("Step 1/9")
            #expect(!started.contains("already shared"), "\(started)")
            try await followerShows(follower, "Step 1 of 9", "Mobility is controlled movement.")
        }
    }

    @Test("the follower's keys (→, Space, Enter, n, w…) never change the therapist's screen; q quits the follower only")
    func followerKeysDoNotDrive() async throws {
        try await FollowSandbox.run { sandbox in
            let therapist = try await sandbox.therapist()
            try await therapist.waitFor("Step 1/9")
            try await therapist.press("Right", "Right", "Right", "Right")
            let before = try await therapist.waitFor("Step 5/9", "READY · Space starts")
            let follower = try await sandbox.follower()
            try await followerShows(follower, "Step 5 of 9", "READY")

            // Keys that drive the therapist's screen; on the follower they only scroll its own view, if anything.
            try await follower.press("Right", "Space", "Enter", "n", "l", "r", "+", "s", "t", "w", "?", "Left", "Down")
            // Down scrolled the follower's view of the long drill step: its keys were read.
            try await follower.waitUntil("the follower's own view to scroll") { screen in
                !screen.contains("Moves the spine slowly") && screen.contains("Step 5 of 9")
            }
            try await follower.press("q")
            let exit = try await follower.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")

            // The therapist's screen is as it was: same step, timer not started, no overlay, no note, scripts on.
            // (Row 0 is left out: its session clock may turn to the next minute meanwhile.)
            let after = try await therapist.capture()
            #expect(after.row(0).contains("Step 5/9"), "\(after)")
            #expect(after.lines.dropFirst() == before.lines.dropFirst(), "before:\n\(before)\nafter:\n\(after)")
            // And the session goes on (a follower leaving disturbs nothing).
            try await therapist.press("Space")
            try await therapist.waitFor("▶ RUNNING")
            try await therapist.press("Right")
            try await therapist.waitFor("Step 6/9")
        }
    }

    @Test("--share and follow with a bad name exit 64 with a clear message", arguments: ["a b", "../x", "", ".hidden"])
    func badName(name: String) async throws {
        let sandbox = try FollowSandbox()
        for arguments in [["session", "treatment-08", "--share", name], ["follow", name]] {
            let result = try await BinaryRunner.run(arguments, environment: sandbox.environment)
            #expect(result.exitCode == 64, Comment(rawValue: result.summary))
            #expect(result.stderr.contains("'\(name)' can't name a shared session"), Comment(rawValue: result.summary))
            #expect(result.stderr.contains("for example room-2"), Comment(rawValue: result.summary))
            #expect(result.stdout.isEmpty, Comment(rawValue: result.summary))
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: sandbox.path)) == [], "something was created")
    }

    @Test("--share with --plain is refused (exit 64)")
    func shareWithPlain() async throws {
        let sandbox = try FollowSandbox()
        let result = try await BinaryRunner.run(["session", "treatment-08", "--plain", "--share", "room-1"],
                                                environment: sandbox.environment)
        #expect(result.exitCode == 64, Comment(rawValue: result.summary))
        #expect(result.stderr.contains("--share works with the full-screen session, not with --plain"),
                Comment(rawValue: result.summary))
    }
}
