import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// End-to-end tests of `session-guide kiosk`, the unattended waiting-room loop, in a real terminal (a tmux pane with
// its own server, see TmuxHarness.swift). Every test has its own content folder with a three-slide deck and its
// own log file, so the tests run in parallel. They wait for what they expect with deadlines; the only fixed
// waits are the spells in which a test watches that something does NOT happen (`KioskTests.watch`).

// MARK: - A small deck

/// A throw-away content folder (`<scratch>/content/decks/test.md`) with a three-slide deck, and a log path beside
/// it. Edits are written to a file outside the content folder and renamed into place, so the kiosk never reads a
/// half-written file.
final class KioskDeckFixture: Sendable {
    static let deckTitle = "Test Deck"
    static let headings = ["Slide Alpha", "Slide Bravo", "Slide Charlie"]
    static let bodies = ["First slide body.", "Second slide body.", "Third slide body."]

    let scratch: TemporaryFolder
    var contentPath: String { scratch.path(of: "content") }
    var deckPath: String { scratch.path(of: "content/decks/test.md") }
    var logPath: String { scratch.path(of: "log/kiosk.log") }
    var stateHome: String { scratch.path(of: "state") }

    init(dwell: String = "1s", firstSlideDwell: String? = nil) throws {
        scratch = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: stateHome, withIntermediateDirectories: true)
        try writeDeck(Self.deck(dwell: dwell, firstSlideDwell: firstSlideDwell))
    }

    /// The deck's text; `headings` replaces the slides' headings, `closeFrontMatter: false` drops the second `---`.
    static func deck(dwell: String = "1s", firstSlideDwell: String? = nil, headings: [String] = headings,
                     closeFrontMatter: Bool = true) -> String {
        var text = "---\nkind: deck\nid: test-deck\ntitle: \(deckTitle)\ndwell: \(dwell)\n"
        if closeFrontMatter { text += "---\n" }
        for (index, heading) in headings.enumerated() {
            text += "# \(heading)\n\(bodies[index])\n"
            if index == 0, let firstSlideDwell { text += "[dwell: \(firstSlideDwell)]\n" }
            text += "\n"
        }
        return text
    }

    /// Replaces the deck file in one step (write beside the content folder, then rename).
    func writeDeck(_ text: String) throws {
        try FileManager.default.createDirectory(atPath: scratch.path(of: "content/decks"),
                                                withIntermediateDirectories: true)
        let staging = scratch.path(of: "staging-\(UUID().uuidString).md")
        try Data(text.utf8).write(to: URL(fileURLWithPath: staging))
        guard rename(staging, deckPath) == 0 else {
            throw TmuxError(description: "can't rename \(staging) to \(deckPath): \(String(cString: strerror(errno)))")
        }
    }

    /// The arguments that show this deck with this log.
    func arguments(_ extra: [String] = []) -> [String] {
        // Ordinary headings, so the tests can read them (the kiosk's default is block letters).
        ["kiosk", "--no-large", "--content", contentPath, "--log", logPath] + extra
    }

    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func remove() { scratch.remove() }
}

// MARK: - Reading the kiosk's screen

enum KioskScreenReading {
    static let dotCharacters: Set<Character> = ["●", "○", " "]

    /// The progress dots row ("○ ● ○"), trimmed, if there is one.
    static func dots(on screen: TerminalScreen) -> String? {
        for line in screen.lines.reversed() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, trimmed.contains("●"), trimmed.allSatisfy(dotCharacters.contains) { return trimmed }
        }
        return nil
    }

    /// "● ○ ○" for slide 0 of 3, and so on.
    static func dots(index: Int, count: Int) -> String {
        (0..<count).map { $0 == index ? "●" : "○" }.joined(separator: " ")
    }

    /// True when `line` shows `heading`: as written, or set large (upper case, letters spaced out).
    static func line(_ line: String, shows heading: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed == heading { return true }
        func squeezed(_ text: String) -> String { text.filter { $0 != " " }.uppercased() }
        return trimmed.count > heading.count && squeezed(trimmed) == squeezed(heading)
    }

    /// True when some row below the top one shows `heading` (as written or set large).
    static func shows(_ heading: String, on screen: TerminalScreen) -> Bool {
        screen.lines.dropFirst().contains { line($0, shows: heading) } || screen.contains(heading)
    }

    /// The slide on screen (0-based) when its heading and its filled dot agree; nil otherwise.
    static func slide(on screen: TerminalScreen, headings: [String] = KioskDeckFixture.headings) -> Int? {
        let shown = headings.indices.filter { index in
            screen.lines.dropFirst().contains { line($0, shows: headings[index]) }
        }
        guard shown.count == 1, let index = shown.first else { return nil }
        return dots(on: screen) == dots(index: index, count: headings.count) ? index : nil
    }

    /// The clock at the right of the top row ("HH:MM"), if it is there.
    static func clock(on screen: TerminalScreen) -> String? {
        let row = screen.row(0)
        guard row.count >= 5 else { return nil }
        let clock = String(row.suffix(5))
        let characters = Array(clock)
        guard characters[2] == ":", [0, 1, 3, 4].allSatisfy({ characters[$0].isASCII && characters[$0].isNumber })
        else { return nil }
        return clock
    }

    /// True when the screen holds one slide of the test deck and nothing else: the title and clock on the top
    /// row, a heading with its rule, a body line, the dots two rows from the bottom; every other row empty, no
    /// row longer than the width.
    static func isCleanSlide(_ screen: TerminalScreen, width: Int, height: Int) -> Bool {
        guard screen.lines.count <= height, screen.lines.allSatisfy({ $0.count <= width }) else { return false }
        guard let index = slide(on: screen) else { return false }
        let top = screen.row(0).trimmingCharacters(in: .whitespaces)
        guard top.hasPrefix(KioskDeckFixture.deckTitle), let clock = clock(on: screen),
              top == KioskDeckFixture.deckTitle + String(repeating: " ", count: top.count
                  - KioskDeckFixture.deckTitle.count - 5) + clock
        else { return false }
        guard screen.row(height - 2).trimmingCharacters(in: .whitespaces) == dots(index: index, count: 3) else {
            return false
        }
        let allowed: Set<String> = [KioskDeckFixture.bodies[index], dots(index: index, count: 3)]
        for row in screen.lines.dropFirst() {
            let trimmed = row.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || allowed.contains(trimmed) || line(row, shows: KioskDeckFixture.headings[index]) {
                continue
            }
            if trimmed.allSatisfy({ $0 == "─" }) { continue }  // the rule under the heading
            return false
        }
        return true
    }

    /// The local time as the kiosk shows it, `minutes` from now.
    static func localClock(minutesFromNow minutes: Int = 0) -> String {
        var seconds = time(nil) + time_t(minutes * 60)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d", Int(parts.tm_hour), Int(parts.tm_min))
    }
}

// MARK: - The program's process

enum KioskProcess {
    /// The state letter of `/proc/<pid>/stat` (R, S, T for stopped, Z for a zombie), or nil when it is gone.
    static func state(of pid: pid_t) -> Character? {
        guard kill(pid, 0) == 0,
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").first?.first
    }

    /// Running or sleeping: not ended, not a zombie, not stopped.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let state = state(of: pid) else { return false }
        return state != "Z" && state != "T" && state != "t" && state != "X"
    }
}

// MARK: - The tests

@Suite("kiosk: the waiting-room loop in a real terminal (tmux)", .timeLimit(.minutes(10)))
struct KioskTests {
    /// Watches the screen for `duration` (a fixed wait, only for checking that something does NOT happen),
    /// recording an issue for the first screen that breaks `rule`. Returns the screens seen.
    @discardableResult
    static func watch(
        _ terminal: TmuxTerminal, for duration: Duration, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation, _ rule: (TerminalScreen) -> Bool
    ) async throws -> [TerminalScreen] {
        let clock = ContinuousClock()
        let end = clock.now + duration
        var screens: [TerminalScreen] = []
        while clock.now < end {
            let screen = try await terminal.capture()
            screens.append(screen)
            if !rule(screen) {
                Issue.record(Comment(rawValue: "while watching for \(duration): \(what); the screen was:\n\(screen)"),
                             sourceLocation: sourceLocation)
                return screens
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return screens
    }

    /// Polls the log file every 50 ms until `condition` holds; at the deadline the test fails with the log.
    @discardableResult
    static func waitForLog(
        _ path: String, _ what: String, timeout: Duration = .seconds(10),
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool
    ) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if condition(text) { return text }
            if clock.now >= deadline {
                Issue.record(Comment(rawValue: "waited \(timeout) for \(what) in the log \(path); it holds:\n\(text)"),
                             sourceLocation: sourceLocation)
                throw TmuxError(description: "timed out waiting for \(what) in the log")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The log's lines without their time stamps ("2026-…Z message" → "message").
    static func messages(in log: String) -> [String] {
        RunResult.lines(of: log).map { line in
            guard let space = line.firstIndex(of: " ") else { return line }
            return String(line[line.index(after: space)...])
        }
    }

    /// Waits until slide `index` is on screen; fails when a slide other than `index` or `previous` shows up
    /// first (a skipped slide, or the loop going the wrong way).
    @discardableResult
    /// Watches the screen for at least 3.5 s, and on until every slide of the last good deck has come round
    /// (15 s at most: a slow look at a busy machine's screen can miss a 1-second slide once), recording an issue
    /// whenever the broken edit's heading “Broken Echo” shows. Returns the slides seen.
    static func watchLastGoodDeck(on terminal: TmuxTerminal, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> Set<Int>
    {
        var seen: Set<Int> = []
        let rule = { (screen: TerminalScreen) -> Bool in
            if let slide = KioskScreenReading.slide(on: screen) { seen.insert(slide) }
            return !KioskScreenReading.shows("Broken Echo", on: screen)
        }
        try await watch(terminal, for: .milliseconds(3_500), "the last good deck, not “Broken Echo”",
                        sourceLocation: sourceLocation, rule)
        let deadline = ContinuousClock.now + .seconds(15)
        while seen.count < 3, ContinuousClock.now < deadline {
            try await watch(terminal, for: .milliseconds(500), "the last good deck, not “Broken Echo”",
                            sourceLocation: sourceLocation, rule)
        }
        return seen
    }

    static func waitForSlide(
        _ index: Int, after previous: Int?, passing between: [Int] = [], on terminal: TmuxTerminal,
        timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TerminalScreen {
        var unexpected: TerminalScreen?
        let screen = try await terminal.waitUntil("slide \(index + 1) (“\(KioskDeckFixture.headings[index])”)",
                                                  timeout: timeout, sourceLocation: sourceLocation) { screen in
            let shown = KioskScreenReading.slide(on: screen)
            // Before the first slide the test waits for, any slide may show (the loop started before the test looked).
            if let previous, let shown, shown != index, shown != previous, !between.contains(shown), unexpected == nil {
                unexpected = screen
            }
            return shown == index
        }
        if let unexpected {
            Issue.record(Comment(rawValue: "before slide \(index + 1), after slide \((previous ?? -1) + 1), another "
                + "slide showed:\n\(unexpected)"), sourceLocation: sourceLocation)
        }
        return screen
    }

    /// Waits for the kiosk's first slide and returns the program's pid (only then are its signals blocked).
    static func started(_ terminal: TmuxTerminal, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> pid_t
    {
        try await terminal.waitUntil("a slide of the test deck", sourceLocation: sourceLocation) { screen in
            KioskScreenReading.slide(on: screen) != nil
        }
        return try await terminal.programID(sourceLocation: sourceLocation)
    }

    // MARK: 1

    @Test("slides advance on their own and loop (1 → 2 → 3 → 1), the dots follow, and the clock shows HH:MM")
    func slidesLoop() async throws {
        let fixture = try KioskDeckFixture(dwell: "2s")
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments()) { terminal in
            let first = try await Self.waitForSlide(0, after: nil, on: terminal)
            #expect(KioskScreenReading.dots(on: first) == "● ○ ○", "\(first)")
            #expect(first.contains("First slide body."), "\(first)")
            #expect(first.row(0).hasPrefix(" " + KioskDeckFixture.deckTitle), "\(first)")

            let second = try await Self.waitForSlide(1, after: 0, on: terminal)
            #expect(KioskScreenReading.dots(on: second) == "○ ● ○", "\(second)")
            #expect(second.contains("Second slide body."), "\(second)")
            let third = try await Self.waitForSlide(2, after: 1, on: terminal)
            #expect(KioskScreenReading.dots(on: third) == "○ ○ ●", "\(third)")
            #expect(third.contains("Third slide body."), "\(third)")
            let before = KioskScreenReading.localClock(minutesFromNow: -1)
            let again = try await Self.waitForSlide(0, after: 2, on: terminal)
            let after = KioskScreenReading.localClock()
            #expect(KioskScreenReading.dots(on: again) == "● ○ ○", "\(again)")

            // The clock: HH:MM at the right of the top row, the local time (allowing a minute's turn).
            let clock = KioskScreenReading.clock(on: again)
            #expect(clock != nil, "no HH:MM clock on the top row:\n\(again)")
            #expect(clock.map { [before, after, KioskScreenReading.localClock()].contains($0) } == true,
                    "the clock shows \(clock ?? "nothing"), the time is \(after)")
            #expect(again.row(0).count == 79, "the clock should end one column before the edge:\n\(again)")
        }
    }

    // MARK: 2

    @Test("Ctrl-C, Ctrl-Z, Ctrl-\\, q, Esc, kill -INT and kill -QUIT leave it running; nothing but slides shown")
    func visitorKeysDoNothing() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments(["--exit-key", "ctrl-x"]), recordOutput: true) { terminal in
            let pid = try await Self.started(terminal)

            func onlySlides(_ screen: TerminalScreen) -> Bool {
                !screen.contains("session-guide") && !screen.contains("EXIT=") && !screen.contains("Stopped")
                    && !screen.contains("error") && screen.row(0).hasPrefix(" " + KioskDeckFixture.deckTitle)
            }

            let presses: [(String, () async throws -> Void)] = [
                ("Ctrl-C", { try await terminal.press("C-c") }),
                ("Ctrl-Z", { try await terminal.press("C-z") }),
                ("Ctrl-\\", { try await terminal.press("C-\\") }),
                ("q", { try await terminal.press("q") }),
                ("Esc", { try await terminal.press("Escape") }),
                ("kill -INT", { #expect(kill(pid, SIGINT) == 0) }),
                ("kill -QUIT", { #expect(kill(pid, SIGQUIT) == 0) }),
                ("all keys at once", { try await terminal.press("C-c", "C-z", "C-\\", "q", "Escape", "q", "C-c") }),
            ]
            for (name, press) in presses {
                try await press()
                // Still running (not ended, not stopped), and the loop goes on: the next slide comes.
                var seen: Set<Int> = []
                try await terminal.waitUntil("the slides to go on after \(name)") { screen in
                    if let slide = KioskScreenReading.slide(on: screen) { seen.insert(slide) }
                    return seen.count >= 2
                }
                let state = KioskProcess.state(of: pid).map { String($0) } ?? "gone"
                #expect(KioskProcess.isRunning(pid), "after \(name), the process state is \(state)")
                let screen = try await terminal.capture()
                #expect(onlySlides(screen), "after \(name):\n\(screen)")
            }

            // A while longer: the loop keeps going, and no screen ever shows anything but slides.
            var seen: [Int] = []
            try await Self.watch(terminal, for: .milliseconds(2_500), "only slides on screen") { screen in
                if let slide = KioskScreenReading.slide(on: screen), seen.last != slide { seen.append(slide) }
                return onlySlides(screen)
            }
            #expect(seen.count >= 2, "the slides stopped advancing: \(seen)")
            #expect(KioskProcess.isRunning(pid))
            #expect(try await terminal.display("#{alternate_on}") == "1")
            let history = try await terminal.capture(history: true)
            #expect(!history.contains("EXIT="), "\(history)")
            // Nothing the program wrote to the terminal names the program or an error.
            let output = String(decoding: terminal.recordedOutput(), as: UTF8.self)
            #expect(!output.contains("session-guide:"))
            #expect(!output.contains("error:"))
        }
    }

    // MARK: 3

    /// An `--exit-key` and the tmux name of the key it means.
    struct ChordKey: Sendable, CustomTestStringConvertible {
        var option: String
        var key: String
        var testDescription: String { "--exit-key \(option)" }
    }

    @Test("the exit chord: two presses, a pause, one more do nothing; three within 2 s end it with 0, terminal sane",
          arguments: [ChordKey(option: "ctrl-x", key: "C-x"), ChordKey(option: "f10", key: "F10")])
    func exitChord(_ chord: ChordKey) async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments(["--exit-key", chord.option])) { terminal in
            let pid = try await Self.started(terminal)

            // Two, then a pause longer than the chord's two seconds, then one more: not three within 2 s.
            let clock = ContinuousClock()
            let firstPress = clock.now
            try await terminal.press(chord.key)
            try await terminal.press(chord.key)
            try await Self.watch(terminal, for: .milliseconds(2_300), "still running after two presses") { screen in
                !screen.contains("EXIT=")
            }
            #expect(clock.now - firstPress >= .milliseconds(2_300))
            try await terminal.press(chord.key)
            var seen: Set<Int> = []
            try await Self.watch(terminal, for: .milliseconds(2_500), "still running after a lone third press") {
                screen in
                if let slide = KioskScreenReading.slide(on: screen) { seen.insert(slide) }
                return !screen.contains("EXIT=")
            }
            #expect(seen.count >= 2, "the slides stopped advancing")
            #expect(KioskProcess.isRunning(pid))

            // Three within two seconds end it.
            try await terminal.press(chord.key, chord.key, chord.key)
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            #expect(try await terminal.display("#{mouse_any_flag}") == "0", "mouse reporting left on")
        }
    }

    /// `--exit-key` forms: accepted ones get as far as needing a terminal (69), others are usage errors (64).
    struct ExitKeyForm: Sendable, CustomTestStringConvertible {
        var text: String
        var accepted: Bool
        var testDescription: String { "--exit-key \(text)" }
    }

    @Test("--exit-key accepts ctrl-x, C-x, ^x and f10; rejects ctrl-c, f13 and words", arguments: [
        ExitKeyForm(text: "ctrl-x", accepted: true), ExitKeyForm(text: "C-x", accepted: true),
        ExitKeyForm(text: "f10", accepted: true), ExitKeyForm(text: "^x", accepted: true),
        ExitKeyForm(text: "ctrl-c", accepted: false), ExitKeyForm(text: "f13", accepted: false),
        ExitKeyForm(text: "escape", accepted: false),
    ])
    func exitKeyForms(_ form: ExitKeyForm) async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        // Without a terminal: a valid command line ends at "needs a terminal" (69), an invalid one at 64.
        let result = try await BinaryRunner.run(fixture.arguments(["--exit-key", form.text]))
        #expect(result.exitCode == (form.accepted ? 69 : 64), Comment(rawValue: result.summary))
        if !form.accepted { #expect(result.stderr.contains("--exit-key"), Comment(rawValue: result.summary)) }
    }

    @Test("without --exit-key, three Ctrl-X do nothing")
    func noExitKeyNoChord() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments()) { terminal in
            let pid = try await Self.started(terminal)
            try await terminal.press("C-x", "C-x", "C-x")
            try await Self.watch(terminal, for: .milliseconds(1_500), "still running") { !$0.contains("EXIT=") }
            #expect(KioskProcess.isRunning(pid))
        }
    }

    // MARK: 4

    struct Ending: Sendable, CustomTestStringConvertible {
        var name: String
        var signal: Int32
        var testDescription: String { name }
    }

    @Test("a signal from the system ends it with 0 and the terminal sane",
          arguments: [Ending(name: "SIGTERM", signal: SIGTERM), Ending(name: "SIGHUP", signal: SIGHUP)])
    func endedBySignal(_ ending: Ending) async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments()) { terminal in
            let pid = try await Self.started(terminal)
            #expect(kill(pid, ending.signal) == 0)
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            #expect(try await terminal.display("#{mouse_any_flag}") == "0", "mouse reporting left on")
        }
    }

    // MARK: 5

    @Test("→ and ← browse, and hold the loop until --idle seconds pass; then it advances again")
    func browsing() async throws {
        // Slide 1 stays 60 s, so the test knows where it is when it presses a key; slides 2 and 3 stay 2 s, long
        // enough to be seen even when looking at the screen is slow on a busy machine (missing slide 3 would leave
        // the test waiting on slide 1's 60 s).
        let fixture = try KioskDeckFixture(dwell: "2s", firstSlideDwell: "60s")
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments(["--idle", "2"])) { terminal in
            try await Self.waitForSlide(0, after: nil, on: terminal)
            let clock = ContinuousClock()

            // → to slide 2, whose own 1 s would have passed long before the watch ends.
            try await terminal.press("Right")
            let pressed = clock.now
            try await Self.waitForSlide(1, after: 0, on: terminal, timeout: .seconds(5))
            // Watch for what is left of the idle time (less a margin): on a loaded machine seeing slide 2 may
            // itself take a while, and the loop rightly resumes once --idle has passed since the key.
            let left = .seconds(2) - (clock.now - pressed) - .milliseconds(300)
            if left > .milliseconds(200) {
                try await Self.watch(terminal, for: left, "slide 2 held while browsing") { screen in
                    KioskScreenReading.slide(on: screen) == 1
                }
            }
            // Then the loop takes over again.
            try await Self.waitForSlide(2, after: 1, on: terminal, timeout: .seconds(10))
            let resumed = clock.now - pressed
            #expect(resumed >= .seconds(2), "the loop took over \(resumed) after →, before --idle 2")
            try await Self.waitForSlide(0, after: 2, on: terminal)

            // ← from slide 1 goes back to slide 3 (round the loop), and holds it too.
            try await terminal.press("Left")
            let back = clock.now
            try await Self.waitForSlide(2, after: 0, on: terminal, timeout: .seconds(5))
            try await Self.watch(terminal, for: .milliseconds(1_700), "slide 3 held while browsing") { screen in
                KioskScreenReading.slide(on: screen) == 2
            }
            try await Self.waitForSlide(0, after: 2, on: terminal, timeout: .seconds(10))
            #expect(clock.now - back >= .seconds(2))

            // → → then ←: one step each (slide 2 may show for a moment on the way).
            try await terminal.press("Right", "Right")
            try await Self.waitForSlide(2, after: 0, passing: [1], on: terminal, timeout: .seconds(5))
            try await terminal.press("Left")
            try await Self.waitForSlide(1, after: 2, on: terminal, timeout: .seconds(5))
        }
    }

    // MARK: 6

    @Test("an edit to the deck shows up within a few seconds, without a restart")
    func contentEdit() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments()) { terminal in
            let pid = try await Self.started(terminal)
            let edited = ["Slide Alpha", "Hello Delta", "Slide Charlie"]
            try fixture.writeDeck(KioskDeckFixture.deck(headings: edited))
            try await terminal.waitUntil("the new heading “Hello Delta”", timeout: .seconds(10)) { screen in
                KioskScreenReading.slide(on: screen, headings: edited) == 1 && screen.contains("Second slide body.")
            }
            // The old heading is gone for good: a whole loop (3 s) and more without it.
            try await Self.watch(terminal, for: .milliseconds(3_500), "no “Slide Bravo” after the edit") { screen in
                !KioskScreenReading.shows("Slide Bravo", on: screen)
            }
            #expect(KioskProcess.isRunning(pid))
            #expect(!fixture.log().contains("error"), "\(fixture.log())")
        }
    }

    // MARK: 7

    @Test("a broken edit (dwell: 0s) keeps the last good slides and logs path:line:column: error; a fix shows again")
    func brokenEdit() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments()) { terminal in
            let pid = try await Self.started(terminal)
            let broken = ["Slide Alpha", "Broken Echo", "Slide Charlie"]
            try fixture.writeDeck(KioskDeckFixture.deck(dwell: "0s", headings: broken))

            let log = try await Self.waitForLog(fixture.logPath, "the diagnostic of 'dwell: 0s'") { text in
                text.contains("must be more than zero")
            }
            let diagnostics = Self.messages(in: log).compactMap(PrintedDiagnostic.parse)
            #expect(diagnostics.contains {
                $0.path == fixture.deckPath && $0.line == 5 && $0.column == 8 && $0.severity == "error"
                    && $0.message.contains("'0s'")
            }, "no '\(fixture.deckPath):5:8: error: …' in the log:\n\(log)")
            // The log's lines carry a time stamp.
            #expect(RunResult.lines(of: log).allSatisfy { $0.first?.isNumber == true }, "\(log)")

            // The last good deck stays: all three old slides come round, the broken heading never.
            let seen = try await Self.watchLastGoodDeck(on: terminal)
            #expect(seen == [0, 1, 2], "the last good deck's slides seen: \(seen.sorted())")
            // Logged once, not every two seconds.
            let count = fixture.log().components(separatedBy: "must be more than zero").count - 1
            #expect(count == 1, "\(fixture.log())")

            // Fixed: the new text shows.
            let fixed = ["Slide Alpha", "Fixed Foxtrot", "Slide Charlie"]
            try fixture.writeDeck(KioskDeckFixture.deck(headings: fixed))
            try await terminal.waitUntil("the fixed heading “Fixed Foxtrot”", timeout: .seconds(10)) { screen in
                KioskScreenReading.slide(on: screen, headings: fixed) == 1
            }
            try await Self.waitForLog(fixture.logPath, "a note that the deck loaded again") { text in
                text.contains("loaded again")
            }
            #expect(KioskProcess.isRunning(pid))
        }
    }

    /// Whether the kiosk names a deck id (the lookup by id) or takes the first deck.
    struct DeckChoice: Sendable, CustomTestStringConvertible {
        var id: String?
        var testDescription: String { id.map { "kiosk \($0)" } ?? "kiosk (first deck)" }
    }

    @Test("a broken edit (front matter not closed) keeps the last good slides and logs path:line:column: error",
          arguments: [DeckChoice(id: nil), DeckChoice(id: "test-deck")])
    func unclosedFrontMatter(_ choice: DeckChoice) async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments(choice.id.map { [$0] } ?? [])) { terminal in
            _ = try await Self.started(terminal)
            let broken = ["Slide Alpha", "Broken Echo", "Slide Charlie"]
            try fixture.writeDeck(KioskDeckFixture.deck(headings: broken, closeFrontMatter: false))

            // Something is logged…
            let log = try await Self.waitForLog(fixture.logPath, "a problem") { !$0.isEmpty }
            let seen = try await Self.watchLastGoodDeck(on: terminal)
            #expect(seen == [0, 1, 2], "the last good deck's slides seen: \(seen.sorted())")

            // The log carries the diagnostic `check` prints, though such a file declares no kind and no id.
            let diagnostics = Self.messages(in: log).compactMap(PrintedDiagnostic.parse)
            #expect(diagnostics.contains {
                $0.path == fixture.deckPath && $0.line == 1 && $0.severity == "error"
                    && $0.message.contains("front matter is not closed")
            }, "the log:\n\(log)")

            let fixed = ["Slide Alpha", "Fixed Foxtrot", "Slide Charlie"]
            try fixture.writeDeck(KioskDeckFixture.deck(headings: fixed))
            try await terminal.waitUntil("the fixed heading “Fixed Foxtrot”", timeout: .seconds(10)) { screen in
                KioskScreenReading.slide(on: screen, headings: fixed) == 1
            }
        }
    }

    // MARK: 8

    @Test("a deck id that doesn't exist: the clinic's name (--title) on screen, the reason in the default log")
    func missingDeck() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        let defaultLog = fixture.stateHome + "/session-guide/kiosk.log"
        try await withTmuxTerminal(["kiosk", "nosuchdeck", "--title", "Riverside Clinic"],
                                   environment: ["XDG_STATE_HOME": fixture.stateHome]) { terminal in
            let screen = try await terminal.waitUntil("“Riverside Clinic” in the middle of the screen") { screen in
                screen.row(12).trimmingCharacters(in: .whitespaces) == "Riverside Clinic"
            }
            #expect(!screen.contains("nosuchdeck"), "\(screen)")
            #expect(!screen.contains("session-guide"), "\(screen)")
            let log = try await Self.waitForLog(defaultLog, "why there is no deck") { text in
                text.contains("no deck with id 'nosuchdeck'")
            }
            #expect(RunResult.lines(of: log).count == 1, "\(log)")
            // It stays, quietly.
            let pid = try await terminal.programID()
            try await Self.watch(terminal, for: .seconds(2), "the fallback slide") { screen in
                screen.row(12).trimmingCharacters(in: .whitespaces) == "Riverside Clinic"
                    && !screen.contains("session-guide")
            }
            #expect(KioskProcess.isRunning(pid))
            #expect(FileManager.default.fileExists(atPath: defaultLog))
        }
    }

    @Test("a session id: never any session text, the fallback title, and a log that only decks are shown")
    func sessionIsNotShown() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(["kiosk", "treatment-08", "--log", fixture.logPath]) { terminal in
            let forbidden = ["Simple Recap", "Suggested Therapist Script", "Treatment 8", "Did you notice",
                             "Mobility is controlled movement."]
            try await terminal.waitUntil("the fallback slide “Welcome”") { screen in
                screen.row(12).trimmingCharacters(in: .whitespaces) == "Welcome"
            }
            let log = try await Self.waitForLog(fixture.logPath, "that only decks are shown") { text in
                text.contains("'treatment-08' is a session") && text.contains("decks only")
            }
            #expect(!log.contains("Simple Recap"), "\(log)")
            try await Self.watch(terminal, for: .milliseconds(2_500), "no session text") { screen in
                !forbidden.contains(where: screen.contains) && screen.contains("Welcome")
            }
        }
    }

    @Test("with standard error not the screen, the reason goes there too")
    func stderrGetsTheReason() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        let executable = try #require(BinaryRunner.executable, "run 'swift build' first")
        let errors = fixture.scratch.path(of: "stderr.txt")
        let script = "exec \"$0\" kiosk nosuchdeck --title 'Riverside Clinic' --content \"$1\" --log \"$2\" 2>\"$3\""
        try await withTmuxTerminal(["-c", script, executable.path, fixture.contentPath, fixture.logPath, errors],
                                   program: "/bin/sh") { terminal in
            try await terminal.waitFor("Riverside Clinic")
            try await Self.waitForLog(errors, "the reason on standard error") { text in
                text.contains("no deck with id 'nosuchdeck'")
            }
            try await Self.waitForLog(fixture.logPath, "the reason in the log") { text in
                text.contains("no deck with id 'nosuchdeck'")
            }
        }
    }

    /// A title given with --title, or none.
    struct FallbackTitle: Sendable, CustomTestStringConvertible {
        var title: String?
        var testDescription: String { title.map { "--title '\($0)'" } ?? "no --title" }
    }

    @Test("a broken deck at start: a fallback slide (--title, else the deck's title), the diagnostic logged; a fix brings the slides",
          arguments: [FallbackTitle(title: "Riverside Clinic"), FallbackTitle(title: nil)])
    func brokenAtStart(_ fallback: FallbackTitle) async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try fixture.writeDeck(KioskDeckFixture.deck(dwell: "0s"))
        let extra = fallback.title.map { ["--title", $0] } ?? []
        try await withTmuxTerminal(fixture.arguments(extra)) { terminal in
            let screen = try await terminal.waitUntil("a fallback slide") { screen in
                !screen.row(12).trimmingCharacters(in: .whitespaces).isEmpty
            }
            let shown = screen.row(12).trimmingCharacters(in: .whitespaces)
            #expect(!screen.contains("Slide Alpha") && !screen.contains("session-guide"), "\(screen)")
            if let title = fallback.title {
                #expect(shown == title, "\(screen)")
            } else {
                // Without --title the fallback shows the deck's own title, read from its front matter.
                #expect(shown == KioskDeckFixture.deckTitle, "\(screen)")
            }
            let log = try await Self.waitForLog(fixture.logPath, "the diagnostic") { $0.contains("more than zero") }
            #expect(Self.messages(in: log).compactMap(PrintedDiagnostic.parse).contains {
                $0.path == fixture.deckPath && $0.line == 5 && $0.column == 8 && $0.severity == "error"
            }, "\(log)")

            try fixture.writeDeck(KioskDeckFixture.deck())
            var seen: Set<Int> = []
            try await terminal.waitUntil("the slides once the deck is fixed", timeout: .seconds(10)) { screen in
                if let slide = KioskScreenReading.slide(on: screen) { seen.insert(slide) }
                return seen.count >= 2
            }
        }
    }

    @Test("--shift-every 1 moves the slide by a cell now and then, and back")
    func burnInShift() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments(["--shift-every", "1"])) { terminal in
            try await terminal.waitUntil("the title at column 1") { $0.row(0).hasPrefix(" Test Deck") }
            try await terminal.waitUntil("the title shifted to column 2, the clock one to the left") { screen in
                screen.row(0).hasPrefix("  Test Deck") && screen.row(0).count == 78
            }
            try await terminal.waitUntil("the title back at column 1") { screen in
                screen.row(0).hasPrefix(" Test Deck") && screen.row(0).count == 79
            }
        }
    }

    // MARK: 9

    @Test("a storm of resizes leaves a clean slide at the final size, and the kiosk running")
    func resizeStorm() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments(), width: 80, height: 24) { terminal in
            let pid = try await Self.started(terminal)
            let sizes = [(132, 43), (40, 12), (20, 5), (80, 24)]
            for _ in 0..<12 {
                for (width, height) in sizes {
                    try await terminal.resize(width: width, height: height)
                }
            }
            // One more round that ends on a size other than the start, then the final 80x24 again.
            try await terminal.resize(width: 132, height: 43)
            try await terminal.waitUntil("a clean slide at 132x43") { screen in
                KioskScreenReading.isCleanSlide(screen, width: 132, height: 43)
            }
            for (width, height) in sizes {
                try await terminal.resize(width: width, height: height)
            }
            #expect(try await terminal.display("#{window_width}x#{window_height}") == "80x24")
            // Each slide in turn, drawn cleanly at 80x24.
            var clean: Set<Int> = []
            try await terminal.waitUntil("every slide clean at 80x24") { screen in
                if KioskScreenReading.isCleanSlide(screen, width: 80, height: 24),
                   let slide = KioskScreenReading.slide(on: screen)
                {
                    clean.insert(slide)
                }
                return clean.count == 3
            }
            let screen = try await terminal.capture()
            #expect(KioskProcess.isRunning(pid), "\(screen)")
            #expect(!screen.contains("EXIT="))
        }
    }

    // MARK: 10

    /// Opening hours or days that leave the current moment out.
    struct Closed: Sendable, CustomTestStringConvertible {
        var option: String
        var value: String
        var testDescription: String { "\(option) \(value)" }

        /// Opens two hours from now and closes three hours from now.
        static func hours() -> Closed {
            Closed(option: "--hours", value: KioskScreenReading.localClock(minutesFromNow: 120) + "-"
                + KioskScreenReading.localClock(minutesFromNow: 180))
        }

        /// Every day but today and tomorrow (so midnight during the test changes nothing).
        static func days() -> Closed {
            var seconds = time(nil)
            var parts = tm()
            localtime_r(&seconds, &parts)
            let today = parts.tm_wday == 0 ? 7 : Int(parts.tm_wday)  // ISO: 1 = Monday … 7 = Sunday
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            let open = (1...7).filter { $0 != today && $0 != today % 7 + 1 }.map { names[$0 - 1] }
            return Closed(option: "--days", value: open.joined(separator: ","))
        }
    }

    @Test("outside opening hours (or days) the screen is blank; a key wakes it",
          arguments: [Closed.hours(), Closed.days()])
    func outsideOpeningHours(_ closed: Closed) async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(fixture.arguments([closed.option, closed.value])) { terminal in
            let pid = try await terminal.programID()
            try await terminal.waitUntilDisplay("#{alternate_on}", is: "1")
            try await Self.watch(terminal, for: .milliseconds(2_500), "a blank screen (\(closed.testDescription))") {
                screen in
                screen.lines.isEmpty
            }
            #expect(KioskProcess.isRunning(pid))
            try await terminal.press("Space")
            let awake = try await terminal.waitUntil("a slide after a key") { screen in
                KioskScreenReading.slide(on: screen) != nil
            }
            #expect(KioskScreenReading.clock(on: awake) != nil, "\(awake)")
            // Awake, the loop runs.
            var seen: Set<Int> = []
            try await terminal.waitUntil("the slides advancing while awake") { screen in
                if let slide = KioskScreenReading.slide(on: screen) { seen.insert(slide) }
                return seen.count >= 2
            }
        }
    }

    @Test("inside --hours the slides show without a key")
    func insideOpeningHours() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        // Opened an hour ago, closes in two hours.
        let hours = KioskScreenReading.localClock(minutesFromNow: -60) + "-"
            + KioskScreenReading.localClock(minutesFromNow: 120)
        try await withTmuxTerminal(fixture.arguments(["--hours", hours])) { terminal in
            _ = try await Self.started(terminal)
        }
    }

    // MARK: 11

    /// The shipped deck's title, first heading and first body line, read from the file (its text may change).
    static func shippedDeckFacts() throws -> (title: String, heading: String, body: String, slides: Int) {
        let path = BinaryRunner.packageRoot.appendingPathComponent("Content/decks/waiting-room.md").path
        let lines = RunResult.lines(of: try String(contentsOfFile: path, encoding: .utf8))
        let title = try #require(lines.first { $0.hasPrefix("title:") }).dropFirst(6)
            .trimmingCharacters(in: .whitespaces)
        let headings = lines.filter { $0.hasPrefix("# ") }
        let first = try #require(headings.first)
        let firstIndex = try #require(lines.firstIndex(of: first))
        let body = try #require(lines[(firstIndex + 1)...].first { !$0.isEmpty && !$0.hasPrefix("[") })
        // The first words of the body: short enough to be on the first wrapped line.
        let words = body.split(separator: " ").prefix(4).joined(separator: " ")
        return (title, String(first.dropFirst(2)), words, headings.count)
    }

    @Test("the shipped deck: 'kiosk' shows the first slide of Content/decks/waiting-room.md")
    func shippedDeck() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        let deck = try Self.shippedDeckFacts()
        try await withTmuxTerminal(["kiosk", "--no-large"], environment: ["XDG_STATE_HOME": fixture.stateHome]) { terminal in
            let screen = try await terminal.waitUntil("the first slide, “\(deck.heading)”") { screen in
                screen.lines.dropFirst().contains { $0.trimmingCharacters(in: .whitespaces) == deck.heading }
            }
            #expect(screen.row(0).hasPrefix(" " + deck.title), "the deck's title on top:\n\(screen)")
            #expect(screen.contains(deck.body), "\(screen)")
            #expect(KioskScreenReading.dots(on: screen) == KioskScreenReading.dots(index: 0, count: deck.slides),
                    "\(screen)")
            #expect(KioskScreenReading.clock(on: screen) != nil, "\(screen)")
            // The shipped content has no problems to log.
            #expect(!FileManager.default.fileExists(atPath: fixture.stateHome + "/session-guide/kiosk.log"))
        }
    }
}

/// The kiosk's default: slide headings in block letters, read from across a waiting room.
@Suite("kiosk: large headings by default")
struct KioskLargeHeadingTests {
    @Test func blockLettersUnlessNoLarge() async throws {
        let fixture = try KioskDeckFixture(dwell: "60s")
        defer { fixture.remove() }
        let arguments = fixture.arguments().filter { $0 != "--no-large" }
        try await withTmuxTerminal(arguments + ["--exit-key", "ctrl-x"]) { terminal in
            let screen = try await terminal.waitUntil("a heading in block letters") { $0.text.contains("███") }
            #expect(!screen.text.contains("Slide Alpha"), "the heading is drawn, not written:\n\(screen.text)")
            try await terminal.press("C-x", "C-x", "C-x")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }
}
