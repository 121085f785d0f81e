import Foundation
import SessionGuideTestSupport
import Testing
import SessionGuideLayout

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// End-to-end tests of the full-screen modes: the real binary in a real terminal (a tmux pane, see
// TmuxHarness.swift). Each test has its own tmux server, so they run in parallel. Every step waits for the text
// it expects (polling, with generous deadlines), never for a fixed time.

// MARK: - Treatment 8, as the therapist sees it

/// One step of the bundled Treatment 8 and lines of its body that are on screen when the step opens.
struct ExpectedStep: Sendable {
    var title: String
    var group: String?
    /// On screen at every size the tests use (short enough not to wrap at 40 columns).
    var lines: [String]
    /// On screen from 80 columns up (therapist scripts, which wrap or scroll away at 40×12).
    var wideLines: [String] = []

    /// The heading as drawn: "group › title".
    var heading: String { (group.map { $0 + " › " } ?? "") + title }
}

let treatment8 = "Treatment 8 – Hip–Lumbar Connection, Functional Movement & Integrating Mobility With Massage"

let treatment8Steps: [ExpectedStep] = [
    ExpectedStep(title: "Simple Recap", lines: ["Mobility is controlled movement."],
                 wideLines: ["Suggested Therapist Script",
                             "“Did you notice any changes in stiffness or ease of movement"]),
    ExpectedStep(title: "The Hip–Lumbar Connection", lines: ["Hips = mobility joints.", "Lumbar spine = stability."],
                 wideLines: ["When hips are tight, the low back is forced to move more → strain."]),
    ExpectedStep(title: "Benefits of Better Hip Mobility", lines: ["Reduces compensatory stress"],
                 wideLines: ["“Free hips mean less work for the low back — they function as a team.”"]),
    ExpectedStep(title: "How Active Mobility Supports Recovery", lines: ["Increased blood flow enhances"],
                 wideLines: ["Dynamic mobility encourages endorphin release → lowers pain sensitivity."]),
    ExpectedStep(title: "Cat-cow for spinal motion", group: "Functional Examples",
                 lines: ["READY · Space starts", "Cat-cow", "Moves the spine slowly between"],
                 wideLines: ["Timing: 1 set × 10 reps, 4 s each"]),
    ExpectedStep(title: "Hip rocks for pelvic mobility", group: "Functional Examples",
                 lines: ["READY · Space starts", "Hip rocks", "Rocks the pelvis gently back and"],
                 wideLines: ["Timing: 1 set × 12 reps, 3 s each"]),
    ExpectedStep(title: "Gentle lumbar rotations for improving spinal movement confidence",
                 group: "Functional Examples",
                 lines: ["READY · Space starts", "Gentle lumbar rotations", "Turns the low back gently from side"]),
    ExpectedStep(title: "Integrating Massage Therapy + Mobility", lines: ["Massage loosens soft tissue →"],
                 wideLines: ["“Massage resets the system — mobility teaches your body how to use that"]),
    ExpectedStep(title: "Patient Homework / Reinforcement", lines: ["Continue lumbar and hip mobility"],
                 wideLines: ["Focus on pain-free, controlled movement."]),
]

/// A terminal size, named the way people say it ("80x24").
struct TerminalSize: Sendable, CustomTestStringConvertible {
    var width: Int
    var height: Int
    var testDescription: String { "\(width)x\(height)" }
}

/// The step heading (row 1, after a one-column margin) shows `step`'s title, with or without its group
/// ("group › title"), cut to the content width (the width less a margin each side and the scroll bar) when it
/// is longer; a cut may end in an ellipsis.
func showsHeading(of step: ExpectedStep, on screen: TerminalScreen, width: Int) -> Bool {
    let row = screen.row(1)
    guard row.hasPrefix(" ") else { return false }
    var shown = String(row.dropFirst())
    if shown == step.heading || shown == step.title { return true }
    if shown.hasSuffix("…") { shown.removeLast() }
    guard shown.count >= width - 5 else { return false }
    return step.heading.hasPrefix(shown) || step.title.hasPrefix(shown)
}

/// The header bar (row 0) spans the whole width: its right-hand text ends one column before the edge.
func headerSpansWidth(_ screen: TerminalScreen, width: Int) -> Bool {
    screen.row(0).count == width - 1
}

/// The seconds left: from a progress line's "0:37 left" where the screen has one (routines, drills of several
/// phases), else from the drill's clock: its big digits when the screen has them, else the plain "0:37" that
/// starts the compact timer line. (Big digits are read as any clock from 0:00 to 9:59 at any scale, by the same
/// `BigFont` the program draws them with, in half, full or ASCII blocks.)
func secondsLeft(on screen: TerminalScreen) -> Int? {
    for line in screen.lines {
        guard let range = line.range(of: " left") else { continue }
        guard let clock = line[..<range.lowerBound].split(separator: " ").last else { continue }
        let parts = clock.split(separator: ":")
        guard parts.count == 2, let minutes = Int(parts[0]), let seconds = Int(parts[1]) else { continue }
        return minutes * 60 + seconds
    }
    if let found = BigFont.find(BigFont.clocks, in: screen.lines), let index = BigFont.clocks.firstIndex(of: found.text) {
        return index
    }
    for line in screen.lines where line.contains("RUNNING") || line.contains("READY") || line.contains("PAUSED")
        || line.contains("DONE") || line.contains("▶") {
        guard let clock = line.split(separator: " ").first else { continue }
        let parts = clock.split(separator: ":")
        guard parts.count == 2, let minutes = Int(parts[0]), let seconds = Int(parts[1]) else { continue }
        return minutes * 60 + seconds
    }
    return nil
}

/// Opens the session's step 5 (Cat-cow, a 40-second drill) and starts its timer.
func startCatCowTimer(_ terminal: TmuxTerminal, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    try await terminal.waitFor("Step 1/9", "Simple Recap", sourceLocation: sourceLocation)
    try await terminal.press("Right", "Right", "Right", "Right")
    try await terminal.waitFor("Step 5/9", "Cat-cow for spinal motion", "READY · Space starts",
                               sourceLocation: sourceLocation)
    try await terminal.press("Space")
    try await terminal.waitFor("▶ RUNNING", sourceLocation: sourceLocation)
}

/// A session with one drill step whose drill works for 3 seconds, for watching a timer end.
let quickDrillContent: [String: FileContents] = TestContent.quickDrill.mapValues(FileContents.text)

/// Where `needle` first occurs in `bytes`.
func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
    guard !needle.isEmpty, bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
    for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
        if Array(bytes[index..<(index + needle.count)]) == needle { return index }
    }
    return nil
}

/// Every SGR (`ESC [ … m`) parameter in `bytes`, as numbers (an empty or lone `ESC [ m` gives none).
func sgrParameters(in bytes: [UInt8]) -> [Int] {
    var found: [Int] = []
    var index = 0
    while index + 1 < bytes.count {
        guard bytes[index] == 0x1B, bytes[index + 1] == UInt8(ascii: "[") else {
            index += 1
            continue
        }
        var end = index + 2
        while end < bytes.count, (0x30...0x3F).contains(bytes[end]) { end += 1 }  // parameter bytes
        if end < bytes.count, bytes[end] == UInt8(ascii: "m") {
            found += String(decoding: bytes[(index + 2)..<end], as: UTF8.self).split(separator: ";")
                .compactMap { Int($0) }
        }
        index = end
    }
    return found
}

/// The colour parameters (foreground or background, 8, 16 or 256 colours; not the defaults 39 and 49) of every
/// `ESC [ … m` sequence in `bytes`.
func colourParameters(in bytes: [UInt8]) -> [Int] {
    sgrParameters(in: bytes).filter { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0)
        || (100...107).contains($0) }
}

// MARK: - The tests

@Suite("full-screen modes in a real terminal (tmux)", .timeLimit(.minutes(10)))
struct FullScreenTests {
    @Test("walking all of Treatment 8 shows every step in order, then the summary; q exits 0, terminal restored",
          arguments: [TerminalSize(width: 80, height: 24), TerminalSize(width: 40, height: 12)])
    func walkTreatment8(size: TerminalSize) async throws {
        try await withTmuxTerminal(["session", "treatment-08"], width: size.width, height: size.height) { terminal in
            let wide = size.width >= 80
            let forwardKeys = ["Right", "l", "n", "Enter"]

            func waitForStep(_ index: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let step = treatment8Steps[index]
                let expected = step.lines + (wide ? step.wideLines : [])
                try await terminal.waitUntil("step \(index + 1), “\(step.title)”, with \(expected)",
                                             sourceLocation: sourceLocation) { screen in
                    screen.row(0).contains("Step \(index + 1)/9")
                        && showsHeading(of: step, on: screen, width: size.width)
                        && expected.allSatisfy(screen.contains)
                }
            }

            for index in treatment8Steps.indices {
                if index > 0 { try await terminal.press(forwardKeys[(index - 1) % forwardKeys.count]) }
                try await waitForStep(index)
                if index == 2 {
                    // Back and forward again with the other keys.
                    try await terminal.press("Left")
                    try await waitForStep(1)
                    try await terminal.press("Right")
                    try await waitForStep(2)
                }
                if index == 5 {
                    try await terminal.press("h")
                    try await waitForStep(4)
                    try await terminal.press("n")
                    try await waitForStep(5)
                }
            }

            // Past the last step: the summary.
            try await terminal.press("Right")
            try await terminal.waitUntil("the session summary") { screen in
                screen.row(0).contains("Summary") && screen.contains("Session summary")
                    && screen.contains("Drills completed: 0 of 3")
            }
            // ← goes back to the last step, and Enter forward to the summary again.
            try await terminal.press("p")
            try await waitForStep(8)
            try await terminal.press("Enter")
            let summary = try await terminal.waitFor("Session summary", "Drills completed: 0 of 3")
            if wide {
                // The time on each step lists every title, in order.
                var lastRow = -1
                for step in treatment8Steps {
                    let row = summary.lines.firstIndex { $0.hasSuffix(" " + step.title) }
                    #expect(row != nil && row! > lastRow,
                            "“\(step.title)” not in order in the summary:\n\(summary)")
                    lastRow = row ?? lastRow
                }
                #expect(summary.contains("End of session. q quits, ← goes back."))
            }

            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }

    @Test("s hides the therapist scripts and shows them again, on every step")
    func scripts() async throws {
        // A script is a labelled block ("Suggested Therapist Script") with the words to say.
        let label = "Suggested Therapist Script"
        try await withTmuxTerminal(["session", "treatment-08"]) { terminal in
            try await terminal.waitFor("Step 1/9", label, "“Did you notice any changes in stiffness", "s scripts")
            try await terminal.press("s")
            try await terminal.waitUntil("step 1 without its script") { screen in
                !screen.contains(label) && !screen.contains("Did you notice")
                    && screen.contains("Mobility is controlled movement.") && screen.contains("Step 1/9")
            }
            try await terminal.press("s")
            try await terminal.waitFor("Step 1/9", label, "“Did you notice any changes in stiffness")

            // Hidden stays hidden on the other steps until s again.
            try await terminal.press("s")
            try await terminal.waitForAbsence(of: label)
            try await terminal.press("Right", "Right")
            try await terminal.waitUntil("step 3 without its script") { screen in
                screen.contains("Step 3/9") && screen.contains("Reduces compensatory stress")
                    && !screen.contains(label) && !screen.contains("Free hips")
            }
            try await terminal.press("s")
            try await terminal.waitFor("Step 3/9", label,
                                       "“Free hips mean less work for the low back — they function as a team.”")

            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }

    @Test("a drill timer runs to zero: DONE, a bell (BEL reaches the terminal) and a flash")
    func timerRunsToDone() async throws {
        let content = try TemporaryFolder(quickDrillContent)
        defer { content.remove() }
        try await withTmuxTerminal(["session", "timer-test", "--content", content.path],
                                   recordOutput: true) { terminal in
            try await terminal.waitFor("Quick drill step", "READY · Space starts", "of 0:03")
            #expect(!terminal.recordedOutput().contains(0x07), "a bell before the timer started")

            try await terminal.press("Space")
            try await terminal.waitFor("▶ RUNNING")
            // Not done a millisecond before its three seconds, on the test's clock; done at three.
            try await terminal.advance(by: 2_999)
            try await terminal.waitUntil("0:01 left, still running") { screen in
                secondsLeft(on: screen) == 1 && screen.contains("▶ RUNNING")
            }
            try await terminal.advance(by: 1)
            try await terminal.waitFor("✓ DONE · drill complete", "of 0:03")

            // The bytes the program sent: a BEL, and xterm's flash (reverse video on, `\e[?5h`), after the timer
            // was drawn running. (The bell of the first phase starting comes before that drawing.)
            let running = Array("RUNNING".utf8)
            try await terminal.waitUntilOutput("a BEL and a flash after “RUNNING”") { bytes in
                guard let start = firstIndex(of: running, in: bytes) else { return false }
                return bytes[start...].contains(0x07) && firstIndex(of: Array("\u{1B}[?5h".utf8), in: bytes,
                                                                     from: start) != nil
            }
            // And tmux, the terminal, registered a bell in the window (monitor-bell; the session is detached,
            // so even its current window gets the flag).
            try await terminal.waitUntilDisplay("#{window_bell_flag}", is: "1")

            try await terminal.press("Right")
            try await terminal.waitFor("Session summary", "Drills completed: 1 of 1")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }

    @Test("--reduce-motion: the drill still ends with a bell, but the screen never flashes")
    func reduceMotion() async throws {
        let content = try TemporaryFolder(quickDrillContent)
        defer { content.remove() }
        try await withTmuxTerminal(["session", "timer-test", "--content", content.path, "--reduce-motion"],
                                   recordOutput: true) { terminal in
            try await terminal.waitFor("Quick drill step", "READY · Space starts")
            try await terminal.press("Space")
            try await terminal.advance(by: 3_000)
            try await terminal.waitFor("✓ DONE · drill complete")
            let running = Array("RUNNING".utf8)
            try await terminal.waitUntilOutput("the finishing BEL") { bytes in
                guard let start = firstIndex(of: running, in: bytes) else { return false }
                return bytes[start...].contains(0x07)
            }
            #expect(firstIndex(of: Array("\u{1B}[?5h".utf8), in: terminal.recordedOutput()) == nil,
                    "a flash reached the terminal")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }

    @Test("resizing while a timer runs lays the screen out again each time, and the timer keeps counting")
    func resizeDuringTimer() async throws {
        try await withTmuxTerminal(["session", "treatment-08"], width: 80, height: 24) { terminal in
            try await startCatCowTimer(terminal)
            let first = try await terminal.waitUntil("the countdown") { secondsLeft(on: $0) != nil }
            var samples = [secondsLeft(on: first)!]

            for size in [(132, 43), (40, 12), (80, 24), (132, 43), (40, 12), (80, 24)] {
                let (width, height) = size
                try await terminal.resize(width: width, height: height)
                let screen = try await terminal.waitUntil("the \(width)x\(height) layout") { screen in
                    // The whole height (the footer on the last row): not a frame drawn for a size on the way.
                    headerSpansWidth(screen, width: width) && screen.row(0).contains("Step 5/9")
                        && screen.lines.count == height && screen.contains("▶ RUNNING")
                        && secondsLeft(on: screen) != nil
                        && (width < 132 || screen.row(0).contains(treatment8))
                }
                #expect(try await terminal.display("#{window_width}x#{window_height}") == "\(width)x\(height)")
                if width >= 132 {
                    #expect(screen.row(0).hasPrefix(" " + treatment8), "the full title at \(width) columns")
                } else {
                    #expect(screen.row(0).contains("…"), "the title is cut at \(width) columns:\n\(screen)")
                }
                // The drill's text is wrapped again for the width.
                let firstStep = "1. Start on your hands and knees, hands under your shoulders and knees under"
                if width >= 132 {
                    #expect(screen.contains(firstStep + " your hips."), "not wrapped for \(width):\n\(screen)")
                } else if width == 80 {
                    #expect(screen.lines.contains { $0.hasSuffix(firstStep) || $0.hasSuffix(firstStep + " │") }
                        && !screen.contains("knees under your hips"), "not wrapped for \(width):\n\(screen)")
                }
                samples.append(secondsLeft(on: screen)!)
            }
            // The clock stood still while the screen was laid out again: the countdown neither jumped nor went up.
            #expect(Set(samples).count == 1, "the countdown moved during the resizes: \(samples)")

            // Too small for anything: a notice, and the timer goes on underneath.
            try await terminal.resize(width: 24, height: 6)
            try await terminal.waitFor("Terminal too small")
            try await terminal.resize(width: 80, height: 24)
            let back = try await terminal.waitUntil("the 80x24 layout after the notice") { screen in
                headerSpansWidth(screen, width: 80) && screen.contains("▶ RUNNING") && secondsLeft(on: screen) != nil
            }
            #expect(secondsLeft(on: back)! <= samples.last!)
            try await terminal.advance(by: 2_000)
            try await terminal.waitUntil("the countdown to go on") { screen in
                secondsLeft(on: screen) == samples.last! - 2
            }

            // Take time off until it ends (a phase never drops below one second), and the end fits each size.
            try await terminal.press("-", "-", "-")
            try await terminal.waitUntil("one second left") { secondsLeft(on: $0) == 1 }
            try await terminal.advance(by: 1_000)
            try await terminal.waitFor("✓ DONE · drill complete")
            try await terminal.resize(width: 40, height: 12)
            try await terminal.waitUntil("DONE at 40x12") { screen in
                headerSpansWidth(screen, width: 40) && screen.contains("✓ DONE") && secondsLeft(on: screen) == 0
            }
            try await terminal.resize(width: 132, height: 43)
            try await terminal.waitUntil("DONE at 132x43") { screen in
                screen.row(0).contains(treatment8) && screen.contains("✓ DONE · drill complete")
            }

            try await terminal.press("q")  // a finished timer isn't running: no question
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }

    @Test("t opens the contents: ↓ and Enter jump to a step, Esc closes, a digit jumps")
    func contentsOverlay() async throws {
        try await withTmuxTerminal(["session", "treatment-08"]) { terminal in
            try await terminal.waitFor("Step 1/9", "Simple Recap")
            try await terminal.press("t")
            try await terminal.waitFor("Contents", "▸ 1. Simple Recap", "2. The Hip–Lumbar Connection",
                                       "5.   Cat-cow for spinal motion", "9. Patient Homework / Reinforcement",
                                       "↑↓ choose · Enter go · Esc close")
            try await terminal.press("Down", "Down", "Enter")
            try await terminal.waitUntil("step 3, the contents closed") { screen in
                screen.row(0).contains("Step 3/9") && screen.row(1) == " Benefits of Better Hip Mobility"
                    && !screen.contains("Enter go")
            }

            try await terminal.press("t")
            try await terminal.waitFor("▸ 3. Benefits of Better Hip Mobility", "Enter go")
            try await terminal.press("Escape")
            try await terminal.waitUntil("the contents closed on step 3") { screen in
                !screen.contains("Enter go") && screen.row(0).contains("Step 3/9")
            }

            try await terminal.press("t", "7")
            try await terminal.waitUntil("step 7") { screen in
                screen.row(0).contains("Step 7/9") && !screen.contains("Enter go")
                    && showsHeading(of: treatment8Steps[6], on: screen, width: 80)
            }
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }

    @Test("? shows every key; any key closes it without acting")
    func helpOverlay() async throws {
        try await withTmuxTerminal(["session", "treatment-08"]) { terminal in
            try await terminal.waitFor("Step 1/9", "? help")
            try await terminal.press("?")
            try await terminal.waitFor("Keys", "→ l n Enter", "next step", "Space", "start / pause the drill timer",
                                       "add / take 15 seconds", "write / edit a note", "show / hide scripts and notes",
                                       "table of contents", "Any key closes this.")
            try await terminal.press("Right")
            try await terminal.waitUntil("the help closed, still on step 1") { screen in
                !screen.contains("Any key closes this.") && screen.row(0).contains("Step 1/9")
                    && screen.contains("Simple Recap")
            }
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }

    @Test("q while a timer runs asks first: n keeps going, y quits with 0")
    func quitConfirmation() async throws {
        try await withTmuxTerminal(["session", "treatment-08"]) { terminal in
            try await startCatCowTimer(terminal)
            try await terminal.press("q")
            try await terminal.waitFor("Quit?", "A drill timer is still running.", "y quit", "n keep going")
            try await terminal.press("n")
            let kept = try await terminal.waitUntil("the question gone, the timer running") { screen in
                !screen.contains("Quit?") && screen.contains("▶ RUNNING") && secondsLeft(on: screen) != nil
            }
            let left = secondsLeft(on: kept)!
            try await terminal.advance(by: 1_000)
            try await terminal.waitUntil("the timer to count on") { screen in
                secondsLeft(on: screen) == left - 1
            }

            try await terminal.press("q")
            try await terminal.waitFor("Quit?", "A drill timer is still running.")
            try await terminal.press("y")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }

    /// A way to end the program from outside, and the status it must exit with (128 + the signal).
    struct Interruption: Sendable, CustomTestStringConvertible {
        var name: String
        /// A key to send, or else a signal to send to the program's process.
        var key: String?
        var signal: Int32 = 0
        var status: Int32
        var testDescription: String { name }
    }

    @Test("a signal ends it even while a timer runs, with 128 + the signal and the terminal restored",
          arguments: [
              Interruption(name: "Ctrl-C", key: "C-c", status: 130),
              Interruption(name: "SIGTERM", signal: SIGTERM, status: 143),
              Interruption(name: "Ctrl-\\", key: "C-\\", status: 131),
              Interruption(name: "SIGHUP", signal: SIGHUP, status: 129),
          ])
    func interrupted(by interruption: Interruption) async throws {
        try await withTmuxTerminal(["session", "treatment-08"]) { terminal in
            try await startCatCowTimer(terminal)
            if let key = interruption.key {
                try await terminal.press(key)
            } else {
                let pid = try await terminal.programID()
                #expect(kill(pid, interruption.signal) == 0)
            }
            let exit = try await terminal.waitForExit()
            #expect(exit.status == interruption.status, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            #expect(!exit.screen.contains("Quit?"))
        }
    }

    /// A TERM the full-screen modes can't use (nil: unset).
    struct UnusableTerminal: Sendable, CustomTestStringConvertible {
        var term: String?
        var testDescription: String { term.map { "TERM=\($0)" } ?? "TERM unset" }
    }

    @Test("an unusable TERM: one line that suggests 'session-guide print', exit 69, nothing drawn",
          arguments: [UnusableTerminal(term: "dumb"), UnusableTerminal(term: "no-such-terminal"),
                      UnusableTerminal(term: nil)])
    func unusableTerminal(_ example: UnusableTerminal) async throws {
        // Wide, so the line doesn't wrap.
        try await withTmuxTerminal(["session", "treatment-08"], width: 200, height: 30,
                                   environment: ["TERM": example.term], recordOutput: true) { terminal in
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 69, "\(exit)")
            // What the program printed: everything before `stty -a`'s first line ("speed 38400 baud; …").
            let printed = Array(exit.screen.lines.prefix { !$0.hasPrefix("speed ") }).filter { !$0.isEmpty }
            #expect(printed.count == 1, "\(exit)")
            #expect(printed.first?.contains("session-guide print") == true, "\(exit)")
            #expect(printed.first?.hasPrefix("session-guide: ") == true, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")

            let bytes = try await terminal.waitUntilOutput("the script's last line") { bytes in
                firstIndex(of: Array("EXIT=".utf8), in: bytes) != nil
            }
            #expect(!bytes.contains(0x1B), Comment(rawValue: "escape sequences reached the terminal: "
                + String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription))
        }
    }

    @Test("without a terminal (stdin /dev/null, output to a file): exit 69 and the same hint",
          arguments: [["session", "treatment-08"], ["session"], []])
    func noTerminal(arguments: [String]) async throws {
        let result = try await BinaryRunner.run(arguments)
        #expect(result.exitCode == 69, Comment(rawValue: result.summary))
        #expect(result.stdoutData.isEmpty, Comment(rawValue: result.summary))
        #expect(result.stderrLines.count == 1, Comment(rawValue: result.summary))
        #expect(result.stderr.contains("session-guide print"), Comment(rawValue: result.summary))
        #expect(!result.stderr.contains("\u{1B}"), Comment(rawValue: result.summary))
    }

    /// A way to ask for colour or not, and whether the screen should have any.
    struct ColourCase: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String] = []
        var environment: [String: String?] = [:]
        var colour: Bool
        var testDescription: String { name }
    }

    @Test("colour is used by default, and never with --no-color or NO_COLOR", arguments: [
        ColourCase(name: "default", colour: true),
        ColourCase(name: "--no-color", arguments: ["--no-color"], colour: false),
        ColourCase(name: "NO_COLOR=1", environment: ["NO_COLOR": "1"], colour: false),
        ColourCase(name: "--theme mono", arguments: ["--theme", "mono"], colour: false),
        ColourCase(name: "--theme high-contrast", arguments: ["--theme", "high-contrast"], colour: true),
    ])
    func colour(_ example: ColourCase) async throws {
        try await withTmuxTerminal(["session", "treatment-08"] + example.arguments, environment: example.environment,
                                   recordOutput: true) { terminal in
            // A screen with every kind of styling: bar, heading, timer, keys.
            try await terminal.waitFor("Step 1/9", "Simple Recap")
            try await terminal.press("Right", "Right", "Right", "Right")
            try await terminal.waitFor("Step 5/9", "READY · Space starts")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            let colours = colourParameters(in: terminal.recordedOutput())
            if example.colour {
                #expect(!colours.isEmpty, "no colour at all")
            } else {
                #expect(colours.isEmpty, "colour codes reached the terminal: \(Set(colours).sorted())")
            }
        }
    }

    @Test("Ctrl-Z suspends it with the normal screen and cursor back; fg brings it back where it was")
    func suspendAndResume() async throws {
        let executable = try #require(BinaryRunner.executable, "run 'swift build' first")
        // An interactive shell with job control, typed into as a person would.
        let prompt = "SHELL-READY$ "
        try await withTmuxTerminal(["--norc", "--noprofile", "-i"],
                                   environment: ["PS1": prompt, "HISTFILE": "/dev/null"],
                                   program: "/bin/bash") { terminal in
            try await terminal.waitFor(prompt.trimmingCharacters(in: .whitespaces))
            try await terminal.type(shellQuoted(executable.path) + " session treatment-08")
            try await terminal.press("Enter")
            try await startCatCowTimer(terminal)

            try await terminal.press("C-z")
            try await terminal.waitUntil("the job stopped and the shell's prompt") { screen in
                screen.contains("Stopped") && screen.lines.last == prompt.trimmingCharacters(in: .whitespaces)
            }
            try await terminal.waitUntilDisplay("#{alternate_on}", is: "0")
            try await terminal.waitUntilDisplay("#{cursor_flag}", is: "1")

            try await terminal.type("fg")
            try await terminal.press("Enter")
            try await terminal.waitUntil("the session drawn again") { screen in
                screen.row(0).contains("Step 5/9") && screen.contains("▶ RUNNING")
                    && screen.contains("Cat-cow for spinal motion") && !screen.contains("Stopped")
            }
            try await terminal.waitUntilDisplay("#{alternate_on}", is: "1")
            // Keys work again.
            try await terminal.press("q")
            try await terminal.waitFor("Quit?")
            try await terminal.press("y")
            try await terminal.waitUntil("the prompt after the program") { screen in
                screen.lines.last == prompt.trimmingCharacters(in: .whitespaces) && !screen.contains("Step 5/9")
            }
            try await terminal.type("echo STATUS=$?; exit")
            try await terminal.press("Enter")
            let exit = try await terminal.waitForExit()
            #expect(exit.screen.lines.contains("STATUS=0"), "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }

    @Test("the home menu: Sessions, Enter opens Treatment 8, q goes back to the menu, q exits")
    func homeMenu() async throws {
        try await withTmuxTerminal([]) { terminal in
            try await terminal.waitFor("session-guide", "Sessions (therapist)", "▸ Treatment 8 – Hip–Lumbar",
                                       "9 steps", "Routines (patient)", "Waiting-room decks", "q quit")
            try await terminal.press("Enter")
            try await terminal.waitUntil("Treatment 8, step 1") { screen in
                screen.row(0).contains("Step 1/9") && screen.row(1) == " Simple Recap"
                    && !screen.contains("Sessions (therapist)")
            }
            try await terminal.press("q")
            try await terminal.waitUntil("the menu again") { screen in
                screen.contains("Sessions (therapist)") && screen.contains("▸ Treatment 8")
                    && !screen.contains("Step 1/9")
            }
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }

    @Test("the home menu starts each mode: a routine's intro, a deck's slides; q goes back each time")
    func homeMenuStartsEveryMode() async throws {
        try await withTmuxTerminal([]) { terminal in
            try await terminal.waitFor("Sessions (therapist)", "Routines (patient)", "Waiting-room decks")
            try await terminal.press("Down")
            try await terminal.press("Enter")
            try await terminal.waitUntil("the routine's intro with its safety note") { screen in
                screen.contains("⚠ Safety:") && screen.contains("Press Space when you are ready.")
            }
            try await terminal.press("q")
            try await terminal.waitFor("Waiting-room decks")
            // The menu keeps its selection: from the first routine, two down is the deck (End isn't sent by tmux).
            try await terminal.press("Down")
            try await terminal.press("Down")
            try await terminal.press("Enter")
            try await terminal.waitUntil("the first slide of the waiting-room deck") { screen in
                screen.contains("Your hips and your low back") && screen.contains("● ○ ○")
                    && !screen.contains("Waiting-room decks")
            }
            try await terminal.press("q")
            try await terminal.waitFor("Waiting-room decks")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }
}
