import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime
import Testing

// The full-screen session and the home menu on the real runtime loop, in-process: a fake terminal and a manual
// clock (ProgramHarness), so every key and every second is exact and each test takes milliseconds. What only a
// real terminal shows (the terminal restored, signals, BEL and flash bytes, TERM types, colour) stays in the
// tmux tests (Tests/SessionGuideCLITests/FullScreenTests.swift).

// MARK: - Helpers (also used by FollowProgramTests and ContentEditProgramTests)

typealias FullScreenHarness = ProgramHarness<FullScreenProgram>

extension Size {
    static let standard = Size(width: 80, height: 24)
}

/// Treatment 8 started straight from the command line (`session treatment-08`), as the therapist sees it.
func treatment8(size: Size = .standard, shares: Bool = false, library: ContentLibrary? = nil,
                clock: ManualClock = ManualClock()) throws -> FullScreenHarness {
    let library = try library ?? Shipped.library()
    guard case .session(let session)? = library.document(id: "treatment-08") else {
        throw Shipped.Missing(description: "treatment-08 is not a session")
    }
    let engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
    return ProgramHarness(FullScreenProgram(library: library, start: .session(engine), shares: shares),
                          size: size, clock: clock)
}

/// The home menu (`session-guide` without a command).
func homeMenu(size: Size = .standard, shares: Bool = false, clock: ManualClock = ManualClock()) throws
    -> FullScreenHarness {
    let library = try Shipped.library()
    return ProgramHarness(FullScreenProgram(library: library, start: .menu(HomeMenu(library: library)),
                                            shares: shares), size: size, clock: clock)
}

/// Rows of a screen written as a literal: trailing spaces don't count, and blank rows at the bottom are dropped.
func rows(_ literal: String) -> [String] {
    var lines = literal.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        var text = String(line)
        while text.last == " " { text.removeLast() }
        return text
    }
    while lines.last == "" { lines.removeLast() }
    return lines
}

/// A screen with row numbers, for failure messages.
func numbered(_ lines: [String]) -> String {
    lines.enumerated().map { String(format: "%3d│", $0.offset) + $0.element }.joined(separator: "\n")
}

/// The screen as it was drawn last, blank rows at the bottom dropped.
func shown<P: Program>(_ harness: ProgramHarness<P>) -> [String] {
    var lines = harness.screen
    while lines.last == "" { lines.removeLast() }
    return lines
}

/// Checks the whole screen against `expected` (see `rows`).
func expectScreen<P: Program>(_ harness: ProgramHarness<P>, _ expected: String, _ what: String = "the screen",
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let screen = shown(harness)
    let wanted = rows(expected)
    #expect(screen == wanted, Comment(rawValue: "\(what) differs; shown:\n\(numbered(screen))\nexpected:\n"
        + numbered(wanted)), sourceLocation: sourceLocation)
}

/// Checks one row of the screen exactly (trailing spaces aside).
func expectRow<P: Program>(_ harness: ProgramHarness<P>, _ index: Int, _ expected: String,
                           sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let screen = harness.screen
    let row = screen.indices.contains(index) ? screen[index] : "(no row \(index))"
    #expect(row == expected, Comment(rawValue: "row \(index) is “\(row)”, expected “\(expected)”; the screen:\n"
        + numbered(screen)), sourceLocation: sourceLocation)
}

/// The rows drawn in the selection's style (a highlighted menu or contents line).
func selectedRows<P: Program>(_ harness: ProgramHarness<P>) -> [Int] {
    guard let grid = harness.io.frames.last else { return [] }
    return (0..<grid.size.height).filter { row in
        (0..<grid.size.width).contains { grid[$0, row].style == Style(.selected) }
    }
}

/// True when some row of the screen is exactly `row`, or `row` followed by the scroll bar's column.
func hasRow(_ screen: [String], _ row: String) -> Bool {
    screen.contains { line in
        guard line.hasPrefix(row) else { return false }
        let rest = line.dropFirst(row.count).trimmingCharacters(in: .whitespaces)
        return rest.isEmpty || ["┃", "│", "↓", "↑"].contains(rest)
    }
}

/// The drill's clock on screen, in seconds: its big digits (any clock 0:00 to 9:59 at any scale, read by the
/// `BigFont` the program draws them with), else the "0:37" that starts the compact timer line of a small screen.
func secondsLeft(_ screen: [String]) -> Int? {
    if let found = BigFont.find(BigFont.clocks, in: screen), let index = BigFont.clocks.firstIndex(of: found.text) {
        return index
    }
    for line in screen where ["RUNNING", "READY", "PAUSED", "DONE"].contains(where: line.contains) {
        guard let clock = line.split(separator: " ").first else { continue }
        let parts = clock.split(separator: ":")
        guard parts.count == 2, let minutes = Int(parts[0]), let seconds = Int(parts[1]) else { continue }
        return minutes * 60 + seconds
    }
    return nil
}

/// Words of Treatment 8's therapist scripts and their label.
let scriptWords = [
    "Suggested Therapist Script", "Did you notice", "lumbar mobility drills", "Free hips mean", "function as a team",
    "Massage resets the system", "teaches your body", "▌",
]

/// One step of the bundled Treatment 8: its rows on screen at 80×24 and at 40×12.
struct Treatment8Step: Sendable {
    var heading80: String
    var heading40: String
    var next80: String
    var next40: String
    /// Rows of its body at both sizes (short enough not to wrap at 40 columns).
    var rows: [String]
    /// Rows of its body at 80 columns (scripts and long lines, which wrap or scroll away at 40×12).
    var wideRows: [String] = []
    /// Rows of its body at 40 columns (long lines, wrapped).
    var narrowRows: [String] = []
}

let treatment8Steps: [Treatment8Step] = [
    Treatment8Step(heading80: " Simple Recap", heading40: " Simple Recap",
                   next80: " Next: The Hip–Lumbar Connection", next40: " Next: The Hip–Lumbar Connection",
                   rows: ["  • Mobility is controlled movement."],
                   wideRows: ["  ▌ Suggested Therapist Script",
                              "  ▌ “Did you notice any changes in stiffness or ease of movement since doing"]),
    Treatment8Step(heading80: " The Hip–Lumbar Connection", heading40: " The Hip–Lumbar Connection",
                   next80: " Next: Benefits of Better Hip Mobility", next40: " Next: Benefits of Better Hip Mobility",
                   rows: ["  • Hips = mobility joints.", "  • Lumbar spine = stability."],
                   wideRows: ["  • When hips are tight, the low back is forced to move more → strain."]),
    Treatment8Step(heading80: " Benefits of Better Hip Mobility", heading40: " Benefits of Better Hip Mobility",
                   next80: " Next: How Active Mobility Supports Recovery",
                   next40: " Next: How Active Mobility Supports Re…",
                   rows: ["  • Reduces compensatory stress"],
                   wideRows: ["  ▌ “Free hips mean less work for the low back — they function as a team.”"]),
    Treatment8Step(heading80: " How Active Mobility Supports Recovery",
                   heading40: " How Active Mobility Supports Recovery",
                   next80: " Next: Cat-cow for spinal motion", next40: " Next: Cat-cow for spinal motion",
                   rows: [],
                   wideRows: ["  • Increased blood flow enhances healing in sub-acute tissues.",
                              "  • Dynamic mobility encourages endorphin release → lowers pain sensitivity."],
                   narrowRows: ["  • Increased blood flow enhances", "    healing in sub-acute tissues."]),
    Treatment8Step(heading80: " Functional Examples › Cat-cow for spinal motion",
                   heading40: " Cat-cow for spinal motion",
                   next80: " Next: Hip rocks for pelvic mobility", next40: " Next: Hip rocks for pelvic mobility",
                   rows: [" Cat-cow"],
                   wideRows: ["                         READY · Space starts  10 reps",
                              " Timing: 1 set × 10 reps, 4 s each"],
                   narrowRows: [" 0:40  READY · Space starts  10 reps"]),
    Treatment8Step(heading80: " Functional Examples › Hip rocks for pelvic mobility",
                   heading40: " Hip rocks for pelvic mobility",
                   next80: " Next: Gentle lumbar rotations for improving spinal movement confidence",
                   next40: " Next: Gentle lumbar rotations for imp…",
                   rows: [" Hip rocks"],
                   wideRows: ["                         READY · Space starts  12 reps",
                              " Timing: 1 set × 12 reps, 3 s each"],
                   narrowRows: [" 0:36  READY · Space starts  12 reps"]),
    Treatment8Step(heading80: " Gentle lumbar rotations for improving spinal movement confidence",
                   heading40: " Gentle lumbar rotations for improvin…",
                   next80: " Next: Integrating Massage Therapy + Mobility",
                   next40: " Next: Integrating Massage Therapy + M…",
                   rows: [" Gentle lumbar rotations"],
                   wideRows: ["                         READY · Space starts  10 reps"],
                   narrowRows: [" 0:40  READY · Space starts  10 reps"]),
    Treatment8Step(heading80: " Integrating Massage Therapy + Mobility",
                   heading40: " Integrating Massage Therapy + Mobili…",
                   next80: " Next: Patient Homework / Reinforcement",
                   next40: " Next: Patient Homework / Reinforcement",
                   rows: [],
                   wideRows: ["  • Massage loosens soft tissue → mobility keeps it from stiffening again.",
                              "  ▌ “Massage resets the system — mobility teaches your body how to use that"],
                   narrowRows: ["  • Massage loosens soft tissue →"]),
    Treatment8Step(heading80: " Patient Homework / Reinforcement", heading40: " Patient Homework / Reinforcement",
                   next80: " Next: session summary", next40: " Next: session summary",
                   rows: [],
                   wideRows: ["  • Continue lumbar and hip mobility daily.", "  • Focus on pain-free, controlled movement."],
                   narrowRows: ["  • Continue lumbar and hip mobility", "    daily."]),
]

// MARK: - The tests

@Suite("full-screen session and home menu on the runtime, in-process")
struct FullScreenProgramTests {
    /// Checks that the screen shows step `index` of Treatment 8 as it should at this size.
    func expectStep(_ harness: FullScreenHarness, _ index: Int, scripts: Bool = true,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let step = treatment8Steps[index]
        let wide = harness.io.size.width >= 80
        let screen = harness.screen
        let height = harness.io.size.height
        #expect(screen[0].hasPrefix(" Treatment 8 – Hip") && screen[0].hasSuffix("Step \(index + 1)/9 · 0 min"),
                "row 0: \(screen[0])", sourceLocation: sourceLocation)
        expectRow(harness, 1, wide ? step.heading80 : step.heading40, sourceLocation: sourceLocation)
        expectRow(harness, height - 2, wide ? step.next80 : step.next40, sourceLocation: sourceLocation)
        for row in step.rows + (wide ? step.wideRows : step.narrowRows) where scripts || !row.hasPrefix("  ▌") {
            #expect(hasRow(screen, row), Comment(rawValue: "step \(index + 1): no row “\(row)”:\n\(numbered(screen))"),
                    sourceLocation: sourceLocation)
        }
    }

    @Test("walking all of Treatment 8 shows every step in order with → l n Enter and ← h p, then the summary with the time on each step; q exits 0",
          arguments: [Size.standard, Size(width: 40, height: 12)])
    func walkTreatment8(size: Size) throws {
        let harness = try treatment8(size: size)
        let forwardKeys: [KeyEvent] = [.right, .character("l"), .character("n"), .enter]
        for index in treatment8Steps.indices {
            if index > 0 { harness.press(forwardKeys[(index - 1) % forwardKeys.count]) }
            expectStep(harness, index)
            // Some time on each step, for the summary: step N gets N seconds.
            harness.advance(by: Int64(index + 1) * 1_000)
            if index == 2 {
                harness.press(.left)
                expectStep(harness, 1)
                harness.press(.right)
                expectStep(harness, 2)
            }
            if index == 5 {
                harness.press(.character("h"))
                expectStep(harness, 4)
                harness.press(.character("n"))
                expectStep(harness, 5)
            }
        }
        harness.press(.right)
        if size.width >= 80 {
            expectScreen(harness, """
                 Treatment 8 – Hip–Lumbar Connection, Functional Movement…      Summary · 0 min
                 Session summary

                 Time so far: 0 min
                 Drills completed: 0 of 3

                 Time on each step
                   0:01  Simple Recap
                   0:02  The Hip–Lumbar Connection
                   0:03  Benefits of Better Hip Mobility
                   0:04  How Active Mobility Supports Recovery
                   0:05  Cat-cow for spinal motion
                   0:06  Hip rocks for pelvic mobility
                   0:07  Gentle lumbar rotations for improving spinal movement confidence
                   0:08  Integrating Massage Therapy + Mobility
                   0:09  Patient Homework / Reinforcement

                 Patient Homework / Reinforcement
                  • Continue lumbar and hip mobility daily.
                  • Perform mobility later in the day or the next morning after massage.
                  • Focus on pain-free, controlled movement.

                 End of session. q quits, ← goes back.
                 ← back  e programme  t steps  s scripts  ? help  q quit
                """, "the summary")
        } else {
            expectRow(harness, 1, " Session summary")
            #expect(hasRow(harness.screen, " Drills completed: 0 of 3"), "\(numbered(harness.screen))")
            expectRow(harness, 10, " End of session. q quits, ← goes back.")
        }
        let summary = harness.screen
        // ← (p) goes back to the last step, Enter forward to the same summary.
        harness.press(.character("p"))
        expectStep(harness, 8)
        harness.press(.enter)
        #expect(harness.screen == summary)
        // → on the summary stays there.
        harness.press(.right)
        #expect(harness.screen == summary)
        harness.press(.character("q"))
        #expect(harness.exitCode == 0)
    }

    @Test("s hides the therapist scripts and shows them again; hidden stays hidden on every step until s")
    func scripts() throws {
        let harness = try treatment8()
        let withScript = harness.screen
        #expect(hasRow(withScript, "  ▌ Suggested Therapist Script"))
        harness.press(.character("s"))
        expectScreen(harness, """
             Treatment 8 – Hip–Lumbar Connection, Functional Movement…     Step 1/9 · 0 min
             Simple Recap

              • Mobility is controlled movement.
              • Lumbar stiffness leads to compensation and pain.
              • Daily mobility helps maintain improvements from massage.
















             Next: The Hip–Lumbar Connection
             → next  ← back  w note  t steps  s show scripts  ? help  q quit
            """, "step 1 without its script")
        harness.press(.character("s"))
        #expect(harness.screen == withScript)

        // Hidden on every step, the three with a script among them; shown again on any of them with s.
        harness.press(.character("s"))
        for index in treatment8Steps.indices {
            expectStep(harness, index, scripts: false)
            for word in scriptWords {
                #expect(!harness.text.contains(word), "“\(word)” on step \(index + 1) with scripts hidden")
            }
            #expect(harness.screen.last?.contains("s show scripts") == true)
            if index == 2 {
                harness.press(.character("s"))
                #expect(hasRow(harness.screen,
                               "  ▌ “Free hips mean less work for the low back — they function as a team.”"))
                harness.press(.character("s"))
            }
            harness.press(.right)
        }
        harness.press(.left, .character("p"))
        harness.press(.character("s"))
        expectStep(harness, 7)
        #expect(hasRow(harness.screen, "  ▌ Suggested Therapist Script"))
    }

    @Test("t opens the contents: ↓ and Enter jump to a step, Esc closes, a digit jumps")
    func contents() throws {
        let harness = try treatment8()
        harness.press(.character("t"))
        expectScreen(harness, """
             Treatment 8 – Hip–Lumbar Connection, Functional Movement…     Step 1/9 · 0 min


             ┌─ Contents ─────────────────────────────────────────────────────────────────┐
             │ Goal: Explain how hip mobility and lumbar stability work together,         │
             │       demonstrate how hip restrictions contribute to low back pain, and    │
             │       reinforce how mobility supports and maintains massage benefits.      │
             │                                                                            │
             │ ▸ 1. Simple Recap                                                          │
             │   2. The Hip–Lumbar Connection                                             │
             │   3. Benefits of Better Hip Mobility                                       │
             │   4. How Active Mobility Supports Recovery                                 │
             │    Functional Examples                                                     │
             │   5.   Cat-cow for spinal motion                                           │
             │   6.   Hip rocks for pelvic mobility                                       │
             │   7.   Gentle lumbar rotations for improving spinal movement confidence    │
             │   8. Integrating Massage Therapy + Mobility                                │
             │   9. Patient Homework / Reinforcement                                      │
             │                                                                            │
             │ ↑↓ choose · Enter go · Esc close                                           │
             └────────────────────────────────────────────────────────────────────────────┘


             → next  ← back  w note  t steps  s scripts  ? help  q quit
            """, "the contents")
        #expect(selectedRows(harness) == [8])
        harness.press(.down)
        harness.press(.down)
        #expect(selectedRows(harness) == [10], "the highlight is on step 3")
        harness.press(.enter)
        expectStep(harness, 2)
        #expect(!harness.text.contains("Enter go"))
        let step3 = harness.screen

        harness.press(.character("t"))
        // ▸ marks the step on screen, and the highlight starts there.
        expectRow(harness, 10, " │ ▸ 3. Benefits of Better Hip Mobility                                       │")
        #expect(selectedRows(harness) == [10])
        harness.press(.down)
        #expect(selectedRows(harness) == [11])
        harness.press(.escape)
        #expect(harness.screen == step3, "Esc closes the contents where it was")

        harness.press(.character("t"), .character("7"))
        expectStep(harness, 6)
        #expect(!harness.text.contains("Enter go"))
    }

    @Test("? shows every key; any key closes it without acting (not even q or →)")
    func help() throws {
        let harness = try treatment8()
        let before = harness.screen
        harness.press(.character("?"))
        expectScreen(harness, """
             Treatment 8 – Hip–Lumbar Connection, Functional Movement…     Step 1/9 · 0 min



                          ┌─ Keys ───────────────────────────────────────────┐
                          │ → l n Enter    next step                         │
                          │ ← h p          previous step                     │
                          │ Space          start / pause the drill timer     │
                          │ q              quit                              │
                          │ w              write / edit a note               │
                          │ s              show / hide scripts and notes     │
                          │ t Tab          table of contents                 │
                          │ e              prescribe the patient's programme │
                          │ r              reset the timer                   │
                          │ + / -          add / take 15 seconds             │
                          │ ↑ ↓ PgUp PgDn  scroll                            │
                          │ ?              this help                         │
                          │                                                  │
                          │ Any key closes this.                             │
                          └──────────────────────────────────────────────────┘



             → next  ← back  w note  t steps  s scripts  ? help  q quit
            """, "the help")
        for (index, key) in [KeyEvent.right, .character("q"), .character("s"), .character("t"), .enter, .escape,
                             .character("?")].enumerated() {
            if index > 0 { harness.press(.character("?")) }
            #expect(harness.text.contains("Any key closes this."))
            harness.press(key)
            #expect(harness.screen == before, "\(key) closed the help and did something:\n\(harness.text)")
            #expect(harness.exitCode == nil)
        }
        // On a drill step, Space closes the help without starting the timer.
        harness.press(.right, .right, .right, .right)
        let ready = harness.screen
        harness.press(.character("?"))
        harness.press(.character(" "))
        harness.advance(by: 3_000)
        #expect(harness.screen == ready, "Space closed the help and started the timer")
    }

    /// Opens step 5 (Cat-cow, 10 reps of 4 s) and starts its timer.
    func startCatCow(_ harness: FullScreenHarness, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        harness.press(.right, .right, .right, .right)
        #expect(secondsLeft(harness.screen) == 40, "\(harness.text)", sourceLocation: sourceLocation)
        harness.press(.character(" "))
        #expect(harness.text.contains("▶ RUNNING  Rep 1 of 10"), sourceLocation: sourceLocation)
        #expect(secondsLeft(harness.screen) == 40, sourceLocation: sourceLocation)
    }

    @Test("the drill timer's keys: Space starts and pauses, r resets, + and - add and take 15 s")
    func timerKeys() throws {
        let harness = try treatment8()
        harness.press(.right, .right, .right, .right)
        expectRow(harness, 8, "                         READY · Space starts  10 reps")
        expectRow(harness, 9, " [░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░] of 0:40")
        let ready = harness.screen
        harness.advance(by: 5_000)
        #expect(secondsLeft(harness.screen) == 40, "the timer counts before Space")

        harness.press(.character(" "))
        for second in 1...5 {
            harness.advance(by: 999)
            #expect(secondsLeft(harness.screen) == 41 - second, "at \(second) s less 1 ms")
            harness.advance(by: 1)
            #expect(secondsLeft(harness.screen) == 40 - second, "at \(second) s")
        }
        expectRow(harness, 8, "                            ▶ RUNNING  Rep 2 of 10")

        harness.press(.character(" "))
        expectRow(harness, 8, "                    ❚❚ PAUSED · Space resumes  Rep 2 of 10")
        harness.advance(by: 30_000)
        #expect(secondsLeft(harness.screen) == 35, "time passed while paused")
        harness.press(.character(" "))
        harness.advance(by: 2_000)
        #expect(secondsLeft(harness.screen) == 33)
        #expect(harness.text.contains("▶ RUNNING"))

        harness.press(.character("+"))
        #expect(secondsLeft(harness.screen) == 48)
        harness.press(.character("-"), .character("-"))
        #expect(secondsLeft(harness.screen) == 18)
        harness.advance(by: 1_000)
        #expect(secondsLeft(harness.screen) == 17)

        harness.press(.character("r"))
        #expect(harness.screen == ready, "r puts the timer back to READY at 0:40")
        harness.advance(by: 3_000)
        #expect(harness.screen == ready)
    }

    @Test("q while a timer runs asks first: n keeps going (the timer never stopped), y quits with 0")
    func quitConfirmation() throws {
        let harness = try treatment8()
        startCatCow(harness)
        harness.advance(by: 1_000)
        harness.press(.character("q"))
        expectScreen(harness, """
             Treatment 8 – Hip–Lumbar Connection, Functional Movement…     Step 5/9 · 0 min








                                ┌─ Quit? ──────────────────────────────┐
                                │ A drill timer is still running.      │
                                │ ● Cat-cow 0:39                       │
                                │                                      │
                                │ y quit   n keep going                │
                                └──────────────────────────────────────┘








             Space timer  → next  ← back  w note  t steps  s scripts  ? help  q quit
            """, "the question")
        // The timer runs on under the question, which shows it counting.
        harness.advance(by: 2_000)
        #expect(harness.text.contains("● Cat-cow 0:37"), "\(numbered(harness.screen))")
        harness.press(.character("n"))
        #expect(!harness.text.contains("Quit?"))
        #expect(harness.text.contains("▶ RUNNING"))
        #expect(secondsLeft(harness.screen) == 37)
        harness.advance(by: 1_000)
        #expect(secondsLeft(harness.screen) == 36)
        #expect(harness.exitCode == nil)

        harness.press(.character("q"))
        #expect(harness.text.contains("A drill timer is still running."))
        harness.press(.character("y"))
        #expect(harness.exitCode == 0)
    }

    @Test("q with no timer running quits at once with 0; a finished timer isn't running")
    func quitWithoutTimer() throws {
        let harness = try treatment8()
        harness.press(.character("q"))
        #expect(harness.exitCode == 0)

        let finished = try treatment8()
        startCatCow(finished)
        finished.advance(by: 40_000)
        #expect(finished.text.contains("✓ DONE · drill complete"))
        finished.press(.character("q"))
        #expect(finished.exitCode == 0)
    }

    @Test("Ctrl-C and every handled signal end it at once, even with a timer running, with 128 + the signal",
          arguments: [("Ctrl-C", nil, 130), ("SIGINT", TerminalSignal.interrupt, 130),
                      ("SIGTERM", .terminate, 143), ("SIGQUIT", .quit, 131), ("SIGHUP", .hangup, 129)]
              as [(String, TerminalSignal?, Int32)])
    func interrupted(name: String, signal: TerminalSignal?, code: Int32) throws {
        let harness = try treatment8()
        startCatCow(harness)
        if let signal { harness.signal(signal) } else { harness.press(.control("c")) }
        #expect(harness.exitCode == code, "\(name)")
        #expect(!harness.text.contains("Quit?"), "\(name) asked first")
    }

    /// A session with one 3-second drill.
    static let quickDrill = TestContent.quickDrill

    @Test("a drill timer runs to zero at exactly its length: DONE, one bell and one flash; the summary counts it")
    func timerRunsToDone() throws {
        let library = try library(Self.quickDrill)
        guard case .session(let session)? = library.document(id: "timer-test") else {
            Issue.record("timer-test didn't parse: \(library.diagnostics)")
            return
        }
        let harness = ProgramHarness(FullScreenProgram(
            library: library, start: .session(SessionEngine(session: session, library: library,
                                                            startedAt: Moment(milliseconds: 0)))))
        #expect(harness.text.contains("READY · Space starts"))
        #expect(harness.text.contains("of 0:03"))
        harness.advance(by: 10_000)
        #expect(harness.io.bells == 0 && harness.io.flashes == 0, "a bell or flash before the timer started")

        harness.press(.character(" "))
        let bellsAtStart = harness.io.bells
        #expect(harness.io.flashes == 0)
        harness.advance(by: 2_999)
        #expect(harness.text.contains("▶ RUNNING"))
        #expect(secondsLeft(harness.screen) == 1)
        #expect(harness.io.bells == bellsAtStart && harness.io.flashes == 0, "the end came early")
        harness.advance(by: 1)
        expectScreen(harness, """
             Timer test                                                    Step 1/1 · 0 min
             Quick drill step

                           ▄▀▀▀▄ ▄▄ ▄▀▀▀▄ ▄▀▀▀▄      █▀▀▄  ▄▀▀▀▄ █   █ █▀▀▀▀
                           █ ▄▀█ ▀▀ █ ▄▀█ █ ▄▀█      █   █ █   █ █▀▄ █ █▄▄▄
                           █▀  █ ██ █▀  █ █▀  █      █  ▄▀ █   █ █  ▀█ █
                            ▀▀▀      ▀▀▀   ▀▀▀       ▀▀▀    ▀▀▀  ▀   ▀ ▀▀▀▀▀

                                        ✓ DONE · drill complete
                         [██████████████████████████████████████████] of 0:03

             Quick drill
             A three-second drill, for testing the timer.
             Timing: 1 set × 3 s of movement

             Steps
              1. Move gently.

             ⚠ Safety
             Pain-free, controlled movement.


             Next: session summary
             Space timer  → next  ← back  w note  t steps  s scripts  ? help  q quit
            """, "the finished drill")
        #expect(harness.io.bells == bellsAtStart + 1, "one bell at the end")
        #expect(harness.io.flashes == 1, "one flash at the end")
        // Nothing more, however long it stays there.
        harness.advance(by: 60_000)
        #expect(harness.io.bells == bellsAtStart + 1 && harness.io.flashes == 1)

        harness.press(.right)
        #expect(harness.text.contains("Drills completed: 1 of 1"))
        harness.press(.character("q"))
        #expect(harness.exitCode == 0)
    }

    @Test("a routine opened from the home menu follows the pain-check setting: asked by default, skipped with --no-pain-check",
          arguments: [true, false])
    func menuRoutineFollowsPainCheck(asksAboutPain: Bool) throws {
        let library = try Shipped.library()
        let harness = ProgramHarness(FullScreenProgram(library: library, start: .menu(HomeMenu(library: library)),
                                                       routine: RoutineSettings(asksAboutPain: asksAboutPain)))
        harness.press(.down)
        harness.press(.enter)
        guard case .routine(let engine) = harness.program.mode else {
            Issue.record("Enter on the first routine didn't open it")
            return
        }
        #expect(engine.asksAboutPain == asksAboutPain)
        harness.press(.character(" "))
        #expect(harness.text.contains("0 = no pain, 10 = the worst pain you can imagine.") == asksAboutPain,
                "the pain question is shown only when it is asked")
    }

    @Test("the home menu opens a session, a routine's intro and a deck's slides; q goes back to the menu each time, where it was; q in the menu exits 0")
    func homeMenuOpensEveryMode() throws {
        let harness = try homeMenu()
        let menuScreen = """
             session-guide

             Sessions (therapist)
              ▸ Treatment 8 – Hip–Lumbar Connection, Functional Movement & Integ…  9 steps

             Routines (patient)
                Daily hip and low-back mobility                                10 min 17 s
                Five-minute starter                                             5 min 16 s

             Waiting-room decks
                Hip mobility and your low back                                   15 slides












             ↑↓ choose  Enter open  u patient  e programme  a-z jump  q quit
            """
        expectScreen(harness, menuScreen, "the menu")

        harness.press(.enter)
        expectStep(harness, 0)
        harness.press(.right)
        expectStep(harness, 1)
        harness.press(.character("q"))
        expectScreen(harness, menuScreen, "the menu after the session")

        harness.press(.down)
        harness.press(.enter)
        expectRow(harness, 0, " Daily hip and low-back mobility                         8 drills · 10 min 17 s")
        expectRow(harness, 5, " ⚠ Safety: Keep to pain-free, controlled movement the whole way through, and")
        expectRow(harness, 22, " Press Space when you are ready.")
        expectRow(harness, 23, " Space start  q quit")
        harness.press(.character("q"))
        expectRow(harness, 6, "  ▸ Daily hip and low-back mobility                                10 min 17 s")
        #expect(harness.text.contains("Waiting-room decks"))

        // From the first routine, two down is the deck.
        harness.press(.down)
        harness.press(.down)
        harness.press(.enter)
        expectRow(harness, 0, " Hip mobility and your low back                                           20:26")
        expectRow(harness, 8, "                          Your hips and your low back")
        expectRow(harness, 22, "                         ● ○ ○ ○ ○ ○ ○ ○ ○ ○ ○ ○ ○ ○ ○")
        // The preview runs as the kiosk does: the next slide after its dwell.
        harness.advance(by: 60_000)
        #expect(!harness.text.contains("Your hips and your low back"), "the preview stood still:\n\(harness.text)")
        harness.press(.character("q"))
        expectRow(harness, 10, "  ▸ Hip mobility and your low back                                   15 slides")
        harness.press(.enter)
        harness.press(.escape)  // Esc leaves the preview too
        #expect(harness.text.contains("Waiting-room decks"))
        #expect(harness.exitCode == nil)

        harness.press(.character("q"))
        #expect(harness.exitCode == 0)
    }

    @Test("resizing while a timer runs lays the screen out again for each size, and the timer counts on exactly")
    func resizeDuringTimer() throws {
        let harness = try treatment8()
        startCatCow(harness)
        let title = "Treatment 8 – Hip–Lumbar Connection, Functional Movement & Integrating Mobility With Massage"
        let firstStep = "  1. Start on your hands and knees, hands under your shoulders and knees under"
        var expected = 40
        for (width, height) in [(132, 43), (40, 12), (80, 24), (132, 43), (40, 12), (80, 24)] {
            harness.advance(by: 1_000)
            expected -= 1
            harness.resize(to: Size(width: width, height: height))
            let screen = harness.screen
            #expect(screen.count == height)
            #expect(screen[0].count == width - 1, "the header spans \(width) columns: “\(screen[0])”")
            #expect(screen[0].hasSuffix("Step 5/9 · 0 min"))
            #expect(harness.text.contains("▶ RUNNING"))
            #expect(secondsLeft(screen) == expected, "at \(width)x\(height):\n\(numbered(screen))")
            switch width {
            case 132:
                #expect(screen[0].hasPrefix(" " + title + " "), "the full title at 132 columns")
                #expect(screen.contains { $0.hasPrefix(firstStep + " your hips.   ") }, "not wrapped for 132:\n\(numbered(screen))")
                expectRow(harness, 42, " Space timer  → next  ← back  r reset  +/- 15s  w note  t steps  s scripts"
                    + "  ? help  q quit")
            case 80:
                #expect(screen[0].contains("…"))
                #expect(hasRow(screen, firstStep) && hasRow(screen, "     your hips."),
                        "not wrapped for 80:\n\(numbered(screen))")
            default:
                expectRow(harness, 0, " Treatment 8 – Hip…    Step 5/9 · 0 min")
                expectRow(harness, 1, " Cat-cow for spinal motion")
                expectRow(harness, 2, " 0:\(expected)  ▶ RUNNING  Rep \((40 - expected) / 4 + 1) of 10")
                expectRow(harness, 11, " Space timer  → next  ← back  q quit")
            }
        }

        // Too small for anything: a notice, and the timer goes on underneath.
        harness.resize(to: Size(width: 24, height: 6))
        expectScreen(harness, """

               Terminal too small
                   Need 30×8,
                   now 24×6.
            """, "the notice")
        harness.advance(by: 5_000)
        harness.resize(to: .standard)
        #expect(secondsLeft(harness.screen) == expected - 5)
        #expect(harness.text.contains("▶ RUNNING"))

        // Take time off until it ends (a phase never drops below a second), and the end fits each size.
        harness.press(.character("-"), .character("-"), .character("-"))
        harness.advance(by: 1_000)
        #expect(harness.text.contains("✓ DONE · drill complete"))
        harness.resize(to: Size(width: 40, height: 12))
        expectRow(harness, 2, " 0:00  ✓ DONE · drill complete")
        #expect(harness.screen[0].count == 39)
        harness.resize(to: Size(width: 132, height: 43))
        #expect(harness.screen[0].hasPrefix(" " + title))
        #expect(harness.text.contains("✓ DONE · drill complete"))
        #expect(secondsLeft(harness.screen) == 0)
        harness.press(.character("q"))  // a finished timer isn't running: no question
        #expect(harness.exitCode == 0)
    }
}

/// Ctrl-Z, and the session's record saved as it happens.
@Suite("the session program: suspended, and saved as it happens")
struct SessionSuspendAndRecordTests {
    func recordedTreatment8() throws -> FullScreenHarness {
        let library = try Shipped.library()
        guard case .session(let session)? = library.document(id: "treatment-08") else {
            throw Shipped.Missing(description: "treatment-08 is not a session")
        }
        let engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
        return ProgramHarness(FullScreenProgram(library: library, start: .session(engine),
                                                session: SessionSettings(records: true, patient: "AB")))
    }

    @Test("Ctrl-Z with the Cat-cow timer running, fg 10 s later: the same rep and second, then it counts on")
    func suspendedTimer() throws {
        let harness = try treatment8()
        harness.press(.right, .right, .right, .right)
        harness.press(.character(" "))
        harness.advance(by: 3_000)
        let before = harness.screen
        #expect(secondsLeft(before) == 37)
        harness.suspend(for: 10_000)
        #expect(harness.io.suspensions == 1)
        #expect(harness.screen == before, "the timer (or the session clock) moved while stopped")
        harness.advance(by: 1_000)
        #expect(secondsLeft(harness.screen) == 36)
    }

    @Test("the record is created when the session opens, saved at each step and each key of a note, closed at q")
    func savedAsItHappens() throws {
        let harness = try recordedTreatment8()
        #expect(harness.effects.saves.count == 1 && harness.effects.saves[0].isOpen, "not created at the start")
        harness.press(.right)
        let afterStep = harness.effects.saves.count
        #expect(afterStep == 2)
        harness.press(.character("w"))
        harness.type("stiff".map(KeyEvent.character))
        // The note as it is typed is in the record already: a kill now would keep it.
        guard case .session(let typing)? = harness.effects.saves.last else { return }
        #expect(typing.isOpen && typing.notes.map(\.text) == ["stiff"], "\(typing.notes)")
        harness.press(.enter)
        harness.suspend(for: 60_000)
        harness.advance(by: 1_000)
        harness.press(.character("q"))
        guard case .session(let closed)? = harness.effects.saves.last else { return }
        #expect(!closed.isOpen && !closed.interrupted)
        #expect(closed.notes.map(\.text) == ["stiff"])
        #expect(closed.seconds == 1, "the stopped minute was counted: \(closed.seconds) s")
        #expect(Set(harness.effects.saves.map { $0.progress?.key }).count == 1)
        #expect(harness.effects.saved.count == 1)
    }
}
