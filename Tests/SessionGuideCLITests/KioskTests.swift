import Foundation
import SessionGuideLayout
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
// own log file. The kiosk runs on the test's clock (`advance`), so a slide changes only when the test moves time
// on, and each test waits for the frame that move caused. The loop's logic (browse and idle, the chord's window,
// opening hours across midnight and DST, deck edits) is tested in-process in KioskProgramTests; these tests keep
// what only the real binary in a real terminal shows.

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

    /// The wall clock the kiosk tests run on: the manual clock's start (2026-05-28 20:26:40, a Thursday) in UTC.
    /// As the kiosk's unit runs it: systemd gives every service an INVOCATION_ID, which tells the kiosk that no
    /// person is at the keyboard (a deck that can't be shown gets the fallback slide, not a message and an exit).
    static let environment: [String: String?] = ["TZ": "UTC", "SESSION_GUIDE_TEST_CLOCK_START": "1780000000",
                                                 "INVOCATION_ID": "0123456789abcdef0123456789abcdef"]
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
    /// Polls the log file until `condition` holds; at the deadline the test fails with the log.
    @discardableResult
    static func waitForLog(
        _ path: String, _ what: String, timeout: Duration = TmuxTerminal.defaultTimeout,
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool
    ) async throws -> String {
        try await poll(what, timeout: timeout, sourceLocation: sourceLocation, failure: {
            "waited \(timeout) for \(what) in the log \(path); it holds:\n"
                + ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
        }) {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            return condition(text) ? text : nil
        }
    }

    /// Moves the clock on in 100 ms steps until the log satisfies `condition`: an edit is noticed by inotify and
    /// read after a settle delay on the program's clock.
    @discardableResult
    static func advanceUntilLog(
        _ terminal: TmuxTerminal, _ path: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (String) -> Bool
    ) async throws -> String {
        try await poll(what, sourceLocation: sourceLocation, failure: {
            "moved the clock on waiting for \(what) in the log \(path); it holds:\n"
                + ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
        }) {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if condition(text) { return text }
            try await terminal.advance(by: 100, sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The log's lines without their time stamps ("2026-…Z message" → "message").
    static func messages(in log: String) -> [String] {
        RunResult.lines(of: log).map { line in
            guard let space = line.firstIndex(of: " ") else { return line }
            return String(line[line.index(after: space)...])
        }
    }

    /// Waits until slide `index` is on screen. The clock stands still between the test's steps, so no other
    /// slide can come and go meanwhile.
    @discardableResult
    static func waitForSlide(
        _ index: Int, headings: [String] = KioskDeckFixture.headings, on terminal: TmuxTerminal,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TerminalScreen {
        try await terminal.waitUntil("slide \(index + 1) (“\(headings[index])”)", sourceLocation: sourceLocation) {
            KioskScreenReading.slide(on: $0, headings: headings) == index
        }
    }

    /// Moves the clock on by `milliseconds` and waits for slide `index`.
    @discardableResult
    static func step(
        _ terminal: TmuxTerminal, by milliseconds: Int64, toSlide index: Int,
        headings: [String] = KioskDeckFixture.headings, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TerminalScreen {
        try await terminal.advance(by: milliseconds, sourceLocation: sourceLocation)
        return try await waitForSlide(index, headings: headings, on: terminal, sourceLocation: sourceLocation)
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

    /// A kiosk on the test deck, on the kiosk tests' wall clock.
    static func withKiosk<T>(
        _ fixture: KioskDeckFixture, _ extra: [String] = [], width: Int = 80, height: Int = 24,
        recordOutput: Bool = false, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (TmuxTerminal) async throws -> T
    ) async throws -> T {
        try await withTmuxTerminal(fixture.arguments(extra), width: width, height: height,
                                   environment: KioskScreenReading.environment, recordOutput: recordOutput,
                                   sourceLocation: sourceLocation, body)
    }

    // MARK: 1

    @Test("slides advance at each dwell's end and loop (1 → 2 → 3 → 1), the dots follow, the clock shows HH:MM")
    func slidesLoop() async throws {
        let fixture = try KioskDeckFixture(dwell: "2s")
        defer { fixture.remove() }
        try await Self.withKiosk(fixture) { terminal in
            let first = try await Self.waitForSlide(0, on: terminal)
            #expect(KioskScreenReading.dots(on: first) == "● ○ ○", "\(first)")
            #expect(first.contains("First slide body."), "\(first)")
            #expect(first.row(0).hasPrefix(" " + KioskDeckFixture.deckTitle), "\(first)")
            // The wall clock is the test's: 20:26:40 UTC at the start.
            #expect(KioskScreenReading.clock(on: first) == "20:26", "\(first)")
            #expect(first.row(0).count == 79, "the clock should end one column before the edge:\n\(first)")

            // Not a moment before its dwell ends.
            try await terminal.advance(by: 1_999)
            #expect(KioskScreenReading.slide(on: try await terminal.capture()) == 0)
            let second = try await Self.step(terminal, by: 1, toSlide: 1)
            #expect(KioskScreenReading.dots(on: second) == "○ ● ○", "\(second)")
            #expect(second.contains("Second slide body."), "\(second)")
            let third = try await Self.step(terminal, by: 2_000, toSlide: 2)
            #expect(KioskScreenReading.dots(on: third) == "○ ○ ●", "\(third)")
            #expect(third.contains("Third slide body."), "\(third)")
            let again = try await Self.step(terminal, by: 2_000, toSlide: 0)
            #expect(KioskScreenReading.dots(on: again) == "● ○ ○", "\(again)")

            // 20:27:00: the clock turns with the minute.
            try await terminal.advance(by: 14_000)
            try await terminal.waitUntil("the clock at 20:27") { KioskScreenReading.clock(on: $0) == "20:27" }
        }
    }

    // MARK: 2

    @Test("Ctrl-C, Ctrl-Z, Ctrl-\\, q, Esc, kill -INT and kill -QUIT leave it running; nothing but slides shown")
    func visitorKeysDoNothing() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await Self.withKiosk(fixture, ["--exit-key", "ctrl-x"], recordOutput: true) { terminal in
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
                ("kill -INT", {
                    #expect(kill(pid, SIGINT) == 0)
                    try await terminal.settle(adding: 1)
                }),
                ("kill -QUIT", {
                    #expect(kill(pid, SIGQUIT) == 0)
                    try await terminal.settle(adding: 1)
                }),
                // Keys that arrive together may be read as fewer keys (Esc then q is Alt-q): no count to wait for.
                ("all keys at once", { try await terminal.send("C-c", "C-z", "C-\\", "q", "Escape", "q", "C-c") }),
            ]
            var slide = 0
            for (name, press) in presses {
                try await press()
                // Still running (not ended, not stopped), and the loop goes on: the next slide comes.
                slide = (slide + 1) % 3
                let screen = try await Self.step(terminal, by: 1_000, toSlide: slide)
                let state = KioskProcess.state(of: pid).map { String($0) } ?? "gone"
                #expect(KioskProcess.isRunning(pid), "after \(name), the process state is \(state)")
                #expect(onlySlides(screen), "after \(name):\n\(screen)")
                #expect(!terminal.hasExited, "after \(name)")
            }
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
        try await Self.withKiosk(fixture, ["--exit-key", chord.option]) { terminal in
            let pid = try await Self.started(terminal)

            // Two, then a pause longer than the chord's two seconds, then one more: not three within 2 s.
            try await terminal.press(chord.key)
            try await terminal.press(chord.key)
            try await terminal.advance(by: 2_300)
            try await terminal.press(chord.key)
            #expect(!terminal.hasExited, "a lone third press after the pause ended it")
            try await Self.step(terminal, by: 1_000, toSlide: 0)  // 3.3 s: the loop went round and on
            #expect(KioskProcess.isRunning(pid))

            // Three within two seconds end it.
            try await terminal.pressChord(chord.key)
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

    @Test("the exit chord pasted (hello^X^X^Xworld) or typed faster than a person can does nothing; by hand it ends it")
    func pastedChord() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await Self.withKiosk(fixture, ["--exit-key", "ctrl-x"]) { terminal in
            let pid = try await Self.started(terminal)
            try await terminal.paste(Data("hello\u{18}\u{18}\u{18}world".utf8))
            #expect(!terminal.hasExited && KioskProcess.isRunning(pid), "a pasted chord ended the kiosk")
            // Three presses on the program's clock at the same moment: a held key, not a person.
            try await terminal.press("C-x")
            try await terminal.press("C-x")
            try await terminal.press("C-x")
            #expect(!terminal.hasExited, "presses at the same moment ended the kiosk")
            try await terminal.advance(by: 1_000)
            try await terminal.pressChord("C-x")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }

    @Test("a 1 MB paste is thrown away, not read key by key: a few inputs taken, the slides go on, keys work after")
    func megabytePaste() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await Self.withKiosk(fixture, ["--exit-key", "ctrl-x"]) { terminal in
            let pid = try await Self.started(terminal)
            let before = terminal.inputsTaken
            var generator = SeededGenerator(seed: 1)
            let megabyte = Data((0..<1_048_576).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) })
            try await terminal.paste(megabyte)
            try await terminal.advance(by: 100)
            // Read key by key it would be a million inputs; flushed as it arrives, only the pieces smaller than
            // the flush limit are read: at most a few thousand keys.
            #expect(terminal.inputsTaken - before < 20_000, "\(terminal.inputsTaken - before) keys read from the paste")
            #expect(KioskProcess.isRunning(pid))
            try await terminal.advance(by: 1_000)
            try await terminal.waitUntil("a slide after the paste") { KioskScreenReading.slide(on: $0) != nil }
            try await terminal.pressChord("C-x")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }

    @Test("SIGTSTP stops the loop with the console given back; SIGCONT brings the slide back, its dwell where it was")
    func suspendedBySignal() async throws {
        let fixture = try KioskDeckFixture(dwell: "10s")
        defer { fixture.remove() }
        try await Self.withKiosk(fixture) { terminal in
            let pid = try await Self.started(terminal)
            try await terminal.advance(by: 4_000)
            #expect(kill(pid, SIGTSTP) == 0)
            try await terminal.waitUntilDisplay("#{alternate_on}", is: "0")
            try terminal.handClock(60_000)  // while stopped: time that never reaches the slides
            #expect(kill(pid, SIGCONT) == 0)
            try await terminal.waitUntilDisplay("#{alternate_on}", is: "1")
            _ = try await Self.waitForSlide(0, on: terminal)
            try await terminal.advance(by: 5_000)
            _ = try await Self.waitForSlide(0, on: terminal)
            try await terminal.advance(by: 1_000)
            _ = try await Self.waitForSlide(1, on: terminal)
            #expect(terminal.traceLines().contains { $0.hasPrefix("suspend ") })
        }
    }

    @Test("without --exit-key, three Ctrl-X do nothing")
    func noExitKeyNoChord() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await Self.withKiosk(fixture) { terminal in
            let pid = try await Self.started(terminal)
            try await terminal.press("C-x", "C-x", "C-x")
            try await Self.step(terminal, by: 1_000, toSlide: 1)
            #expect(!terminal.hasExited)
            #expect(KioskProcess.isRunning(pid))
        }
    }

    // MARK: 4

    struct Ending: Sendable, CustomTestStringConvertible {
        var name: String
        var signal: Int32
        var testDescription: String { name }
    }

    @Test("a signal from the system ends it with 128 + the signal (143, 129), as documented, and the terminal sane",
          arguments: [Ending(name: "SIGTERM", signal: SIGTERM), Ending(name: "SIGHUP", signal: SIGHUP)])
    func endedBySignal(_ ending: Ending) async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await Self.withKiosk(fixture) { terminal in
            let pid = try await Self.started(terminal)
            #expect(kill(pid, ending.signal) == 0)
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 128 + ending.signal, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            #expect(try await terminal.display("#{mouse_any_flag}") == "0", "mouse reporting left on")
        }
    }

    // MARK: 5

    @Test("→ and ← browse, and hold the loop until --idle seconds pass; then it advances again")
    func browsing() async throws {
        let fixture = try KioskDeckFixture(dwell: "1s")
        defer { fixture.remove() }
        try await Self.withKiosk(fixture, ["--idle", "2"]) { terminal in
            try await Self.waitForSlide(0, on: terminal)
            try await terminal.press("Right")
            try await Self.waitForSlide(1, on: terminal)
            // Slide 2's own second ends here; browsing holds it until two seconds after the key.
            try await terminal.advance(by: 1_999)
            #expect(KioskScreenReading.slide(on: try await terminal.capture()) == 1)
            // Then the loop takes over, and slide 2 has its full second from then.
            try await Self.step(terminal, by: 1_001, toSlide: 2)
            // ← from slide 3 goes back to slide 2, and → → from there round to slide 1.
            try await terminal.press("Left")
            try await Self.waitForSlide(1, on: terminal)
            try await terminal.press("Right", "Right")
            try await Self.waitForSlide(0, on: terminal)
        }
    }

    // MARK: 6

    @Test("an edit to the deck shows up without a restart; the old text is gone for good")
    func contentEdit() async throws {
        // Slides stay a minute, so the clock's small steps while the edit is read never change the slide.
        let fixture = try KioskDeckFixture(dwell: "60s")
        defer { fixture.remove() }
        try await Self.withKiosk(fixture) { terminal in
            let pid = try await Self.started(terminal)
            let edited = ["Hello Delta", "Slide Bravo", "Slide Charlie"]
            try fixture.writeDeck(KioskDeckFixture.deck(dwell: "60s", headings: edited))
            try await terminal.advance(by: 100, until: "the new heading “Hello Delta”") { screen in
                KioskScreenReading.slide(on: screen, headings: edited) == 0 && screen.contains("First slide body.")
            }
            // A whole loop and more without the old heading.
            for slide in [1, 2, 0] {
                let screen = try await Self.step(terminal, by: 60_000, toSlide: slide, headings: edited)
                #expect(!KioskScreenReading.shows("Slide Alpha", on: screen), "\(screen)")
            }
            #expect(KioskProcess.isRunning(pid))
            #expect(!fixture.log().contains("error"), "\(fixture.log())")
        }
    }

    // MARK: 7

    static let brokenHeadings = ["Broken Echo", "Slide Bravo", "Slide Charlie"]
    static let fixedHeadings = ["Fixed Foxtrot", "Slide Bravo", "Slide Charlie"]

    /// Goes once round the loop of the last good deck (60 s slides), never seeing “Broken Echo”.
    static func goRoundLastGoodDeck(_ terminal: TmuxTerminal, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        for slide in [1, 2, 0] {
            let screen = try await step(terminal, by: 60_000, toSlide: slide, sourceLocation: sourceLocation)
            #expect(!KioskScreenReading.shows("Broken Echo", on: screen), "\(screen)", sourceLocation: sourceLocation)
        }
    }

    @Test("a broken edit (dwell: 0s) keeps the last good slides and logs path:line:column: error; a fix shows again")
    func brokenEdit() async throws {
        let fixture = try KioskDeckFixture(dwell: "60s")
        defer { fixture.remove() }
        try await Self.withKiosk(fixture) { terminal in
            let pid = try await Self.started(terminal)
            try fixture.writeDeck(KioskDeckFixture.deck(dwell: "0s", headings: Self.brokenHeadings))

            let log = try await Self.advanceUntilLog(terminal, fixture.logPath, "the diagnostic of 'dwell: 0s'") {
                $0.contains("must be more than zero")
            }
            let diagnostics = Self.messages(in: log).compactMap(PrintedDiagnostic.parse)
            #expect(diagnostics.contains {
                $0.path == fixture.deckPath && $0.line == 5 && $0.column == 8 && $0.severity == "error"
                    && $0.message.contains("'0s'")
            }, "no '\(fixture.deckPath):5:8: error: …' in the log:\n\(log)")
            // The log's lines carry a time stamp.
            #expect(RunResult.lines(of: log).allSatisfy { $0.first?.isNumber == true }, "\(log)")

            // The last good deck stays: all three old slides come round, the broken heading never.
            try await Self.goRoundLastGoodDeck(terminal)
            // Logged once, not again and again.
            let count = fixture.log().components(separatedBy: "must be more than zero").count - 1
            #expect(count == 1, "\(fixture.log())")

            // Fixed: the new text shows.
            try fixture.writeDeck(KioskDeckFixture.deck(dwell: "60s", headings: Self.fixedHeadings))
            try await terminal.advance(by: 100, until: "the fixed heading “Fixed Foxtrot”") { screen in
                KioskScreenReading.slide(on: screen, headings: Self.fixedHeadings) == 0
            }
            try await Self.waitForLog(fixture.logPath, "a note that the deck loaded again") { $0.contains("loaded again") }
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
        let fixture = try KioskDeckFixture(dwell: "60s")
        defer { fixture.remove() }
        try await Self.withKiosk(fixture, choice.id.map { [$0] } ?? []) { terminal in
            _ = try await Self.started(terminal)
            try fixture.writeDeck(KioskDeckFixture.deck(dwell: "60s", headings: Self.brokenHeadings,
                                                        closeFrontMatter: false))
            let log = try await Self.advanceUntilLog(terminal, fixture.logPath, "a problem") { !$0.isEmpty }
            try await Self.goRoundLastGoodDeck(terminal)

            // The log carries the diagnostic `check` prints, though such a file declares no kind and no id.
            let diagnostics = Self.messages(in: log).compactMap(PrintedDiagnostic.parse)
            #expect(diagnostics.contains {
                $0.path == fixture.deckPath && $0.line == 1 && $0.severity == "error"
                    && $0.message.contains("front matter is not closed")
            }, "the log:\n\(log)")

            try fixture.writeDeck(KioskDeckFixture.deck(dwell: "60s", headings: Self.fixedHeadings))
            try await terminal.advance(by: 100, until: "the fixed heading “Fixed Foxtrot”") { screen in
                KioskScreenReading.slide(on: screen, headings: Self.fixedHeadings) == 0
            }
        }
    }

    // MARK: 8

    @Test("a deck id that doesn't exist: the clinic's name (--title) on screen, the reason in the default log")
    func missingDeck() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        let defaultLog = fixture.stateHome + "/session-guide/kiosk.log"
        var environment = KioskScreenReading.environment
        environment["XDG_STATE_HOME"] = fixture.stateHome
        try await withTmuxTerminal(["kiosk", "nosuchdeck", "--title", "Riverside Clinic"],
                                   environment: environment) { terminal in
            let screen = try await terminal.waitUntil("“Riverside Clinic” in the middle of the screen") { screen in
                screen.row(12).trimmingCharacters(in: .whitespaces) == "Riverside Clinic"
            }
            #expect(!screen.contains("nosuchdeck"), "\(screen)")
            #expect(!screen.contains("session-guide"), "\(screen)")
            let log = try await Self.waitForLog(defaultLog, "why there is no deck") { text in
                text.contains("no deck with id 'nosuchdeck'")
            }
            #expect(RunResult.lines(of: log).count == 1, "\(log)")
            // It stays, quietly, and logs nothing more.
            let pid = try await terminal.programID()
            try await terminal.advance(by: 120_000)
            let later = try await terminal.capture()
            #expect(later.row(12).trimmingCharacters(in: .whitespaces) == "Riverside Clinic", "\(later)")
            #expect(!later.contains("session-guide"), "\(later)")
            #expect(KioskProcess.isRunning(pid))
            #expect(RunResult.lines(of: (try? String(contentsOfFile: defaultLog, encoding: .utf8)) ?? "").count == 1)
        }
    }

    @Test("a session id: never any session text, the fallback title, and a log that only decks are shown")
    func sessionIsNotShown() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await withTmuxTerminal(["kiosk", "treatment-08", "--log", fixture.logPath],
                                   environment: KioskScreenReading.environment) { terminal in
            let forbidden = ["Simple Recap", "Suggested Therapist Script", "Treatment 8", "Did you notice",
                             "Mobility is controlled movement."]
            try await terminal.waitUntil("the fallback slide “Welcome”") { screen in
                screen.row(12).trimmingCharacters(in: .whitespaces) == "Welcome"
            }
            let log = try await Self.waitForLog(fixture.logPath, "that only decks are shown") { text in
                text.contains("'treatment-08' is a session") && text.contains("decks only")
            }
            #expect(!log.contains("Simple Recap"), "\(log)")
            try await terminal.advance(by: 60_000)
            let later = try await terminal.capture()
            #expect(!forbidden.contains(where: later.contains) && later.contains("Welcome"), "\(later)")
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
        try await Self.withKiosk(fixture, extra) { terminal in
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

            try fixture.writeDeck(KioskDeckFixture.deck(dwell: "60s"))
            try await terminal.advance(by: 100, until: "the slides once the deck is fixed") { screen in
                KioskScreenReading.slide(on: screen) == 0
            }
            try await Self.step(terminal, by: 60_000, toSlide: 1)
        }
    }

    @Test("--shift-every 1 moves the slide by a cell each second, and back")
    func burnInShift() async throws {
        let fixture = try KioskDeckFixture(dwell: "60s")
        defer { fixture.remove() }
        try await Self.withKiosk(fixture, ["--shift-every", "1"]) { terminal in
            try await terminal.waitUntil("the title at column 1") { $0.row(0).hasPrefix(" Test Deck") }
            try await terminal.advance(by: 1_000)
            try await terminal.waitUntil("the title shifted to column 2, the clock one to the left") { screen in
                screen.row(0).hasPrefix("  Test Deck") && screen.row(0).count == 78
            }
            try await terminal.advance(by: 3_000)
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
        try await Self.withKiosk(fixture, width: 80, height: 24) { terminal in
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
            var slide = try #require(KioskScreenReading.slide(on: try await terminal.waitUntil("a slide at 80x24") {
                KioskScreenReading.isCleanSlide($0, width: 80, height: 24)
            }))
            for _ in 0..<3 {
                slide = (slide + 1) % 3
                try await terminal.advance(by: 1_000)
                try await terminal.waitUntil("slide \(slide + 1) clean at 80x24") { screen in
                    KioskScreenReading.isCleanSlide(screen, width: 80, height: 24)
                        && KioskScreenReading.slide(on: screen) == slide
                }
            }
            let screen = try await terminal.capture()
            #expect(KioskProcess.isRunning(pid), "\(screen)")
            #expect(!screen.contains("EXIT="))
        }
    }

    // MARK: 10

    /// Opening hours or days that leave the test's moment (Thursday 20:26 UTC) out.
    struct Closed: Sendable, CustomTestStringConvertible {
        var option: String
        var value: String
        var testDescription: String { "\(option) \(value)" }
    }

    @Test("outside opening hours (or days) the screen is blank; a key wakes it and the loop runs",
          arguments: [Closed(option: "--hours", value: "08:00-18:00"),
                      Closed(option: "--days", value: "mon,tue,wed,fri,sat,sun")])
    func outsideOpeningHours(_ closed: Closed) async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await Self.withKiosk(fixture, [closed.option, closed.value]) { terminal in
            let pid = try await terminal.programID()
            try await terminal.waitUntilDisplay("#{alternate_on}", is: "1")
            try await terminal.advance(by: 2_500)
            let blank = try await terminal.capture()
            #expect(blank.lines.isEmpty, "a blank screen (\(closed.testDescription)):\n\(blank)")
            #expect(KioskProcess.isRunning(pid))
            try await terminal.press("Space")
            let awake = try await terminal.waitUntil("a slide after a key") { screen in
                KioskScreenReading.slide(on: screen) != nil
            }
            #expect(KioskScreenReading.clock(on: awake) != nil, "\(awake)")
            // Awake, the loop runs.
            let woken = try #require(KioskScreenReading.slide(on: awake))
            try await Self.step(terminal, by: 1_000, toSlide: (woken + 1) % 3)
        }
    }

    @Test("inside --hours the slides show without a key")
    func insideOpeningHours() async throws {
        let fixture = try KioskDeckFixture()
        defer { fixture.remove() }
        try await Self.withKiosk(fixture, ["--hours", "20:00-23:00"]) { terminal in
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
            let screen = try await terminal.waitUntil("a heading in block letters") {
                BigFont.find(["SLIDE ALPHA", "SLIDE"], in: $0.lines) != nil
            }
            #expect(!screen.text.contains("Slide Alpha"), "the heading is drawn, not written:\n\(screen.text)")
            try await terminal.pressChord("C-x")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }
}
