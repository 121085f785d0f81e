import Foundation
import Testing

// The full-screen modes under the terminal types a clinic meets: a desktop terminal (xterm-256color), screen and
// tmux (an SSH session kept alive), the Linux console (the kiosk box), and the old DEC terminals that serial
// consoles announce (vt100, vt220; agetty's default is vt220), in a UTF-8 locale and, for the DEC ones, also in
// the C locale. Each case has its own tmux server (TmuxHarness.swift), so the cases run in parallel. Only `TERM`
// and the locale change: tmux itself always emulates the same terminal, so what these tests see is what the
// program *chose* to send for the terminal type it was told about.
//
// A terminal type whose terminfo entry isn't installed here is cancelled (skipped) with the reason, not failed.

/// A terminal type and a locale for the program.
struct TerminalTypeCase: Sendable, CustomTestStringConvertible {
    var term: String
    /// A UTF-8 locale (C.UTF-8); false: LANG=C.
    var utf8: Bool = true

    var testDescription: String { "TERM=\(term)" + (utf8 ? "" : " LANG=C") }

    /// The DEC terminals: no colour (bold, underline and reverse only), and no UTF-8: a VT100 shows ASCII and its
    /// line-drawing set, a VT220 adds an 8-bit (not UTF-8) character set.
    var isDECTerminal: Bool { ["vt100", "vt220"].contains(term) }

    /// The terminfo entry has colours (`colors#8` for linux, 256 for the others).
    var hasColour: Bool { !isDECTerminal }

    /// Only ASCII may reach the screen: the C locale, or a terminal that can't show UTF-8 at all.
    var onlyASCII: Bool { !utf8 || isDECTerminal }

    /// The environment the program gets (changes to `TmuxTerminal.programEnvironment`).
    var environment: [String: String?] {
        let locale = utf8 ? "C.UTF-8" : "C"
        return ["TERM": term, "LANG": locale, "LC_ALL": locale, "LC_CTYPE": nil]
    }

    static let utf8Cases = ["xterm-256color", "screen-256color", "tmux-256color", "linux", "vt100", "vt220"]
        .map { TerminalTypeCase(term: $0) }
    /// Every UTF-8 case, and the DEC terminals in the C locale too.
    static let all = utf8Cases + [TerminalTypeCase(term: "vt100", utf8: false),
                                  TerminalTypeCase(term: "vt220", utf8: false)]
}

/// Where ncurses looks for compiled terminfo entries, and whether `term` has one (`<dir>/x/xterm` on Linux,
/// `<dir>/78/xterm` on macOS).
func terminfoEntryExists(_ term: String) -> Bool {
    let environment = ProcessInfo.processInfo.environment
    var folders: [String] = []
    if let terminfo = environment["TERMINFO"], !terminfo.isEmpty { folders.append(terminfo) }
    if let home = environment["HOME"], !home.isEmpty { folders.append(home + "/.terminfo") }
    if let list = environment["TERMINFO_DIRS"] {
        folders += list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }
    folders += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo",
                "/usr/local/share/terminfo", "/opt/homebrew/share/terminfo"]
    guard let first = term.unicodeScalars.first else { return false }
    let subfolders = [String(first), String(first.value, radix: 16)]
    return folders.contains { folder in
        subfolders.contains { FileManager.default.fileExists(atPath: "\(folder)/\($0)/\(term)") }
    }
}

@Suite("terminal types: xterm, screen, tmux, the Linux console, VT100 and VT220 (tmux)", .timeLimit(.minutes(10)))
struct TerminalTypeTests {
    // MARK: - Helpers

    /// Cancels (skips) the current case when this machine has no terminfo entry for its TERM: the program can't
    /// run there at all, which is a fact about the image, not a bug.
    static func requireTerminfo(_ term: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard terminfoEntryExists(term) else {
            let reason = Comment(rawValue: "skipped: no terminfo entry for TERM=\(term) on this machine "
                + "(`infocmp \(term)` fails), so no program could draw there; install ncurses-term to run this case")
            // A warning, so the reason shows in the test output (a cancelled case alone is reported as passed).
            Issue.record(reason, severity: .warning, sourceLocation: sourceLocation)
            try Test.cancel(reason, sourceLocation: sourceLocation)
        }
    }

    static func nonASCII(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.isASCII }))
    }

    /// Checks that every screen holds only characters the terminal type can show: nothing but ASCII for the C
    /// locale and the DEC terminals, and never a replacement character (U+FFFD, what a wrong encoding leaves).
    static func expectShowable(_ screens: [TerminalScreen], on type: TerminalTypeCase,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        for screen in screens {
            #expect(!screen.text.contains("\u{FFFD}"), "a replacement character on screen:\n\(screen)",
                    sourceLocation: sourceLocation)
        }
        guard type.onlyASCII else { return }
        let unshowable = Set(screens.flatMap { nonASCII($0.text) }).sorted()
        let check = {
            #expect(unshowable.isEmpty, Comment(rawValue: "\(type.testDescription) can't show \(unshowable) "
                + "(the terminal would print mojibake); the screen was:\n\(screens.last ?? TerminalScreen(lines: []))"),
                sourceLocation: sourceLocation)
        }
        // A VT100-family terminal gets ASCII whatever the locale says (a serial console: agetty's TERM=vt220 with
        // the system's en_US.UTF-8), so every case is held to the same rule.
        check()
    }

    // MARK: - 1. A session under each terminal type

    @Test("session treatment-08: step 1, a drill timer counting down, the contents, q; only showable characters",
          arguments: TerminalTypeCase.all)
    func session(_ type: TerminalTypeCase) async throws {
        try Self.requireTerminfo(type.term)
        try await withTmuxTerminal(["session", "treatment-08"], width: 80, height: 24,
                                   environment: type.environment) { terminal in
            var screens: [TerminalScreen] = []

            // Step 1: the recap and its script (the quotes around it are straight in ASCII, so not looked for).
            screens.append(try await terminal.waitUntil("step 1, “Simple Recap”, with its script") { screen in
                screen.row(0).contains("Step 1/9") && screen.row(1) == " Simple Recap"
                    && screen.contains("Mobility is controlled movement.")
                    && screen.contains("Suggested Therapist Script")
                    && screen.contains("Did you notice any changes in stiffness or ease of movement")
            })

            // The drill step: its timer, ready at 0:40.
            try await terminal.press("Right", "Right", "Right", "Right")
            screens.append(try await terminal.waitUntil("step 5, Cat-cow, its timer ready at 0:40") { screen in
                screen.row(0).contains("Step 5/9") && screen.contains("Cat-cow for spinal motion")
                    && screen.contains("READY") && secondsLeft(on: screen) == 40
            })

            // Space starts it, and the seconds count down.
            try await terminal.press("Space")
            let running = try await terminal.waitUntil("the timer running") { screen in
                screen.contains("RUNNING") && secondsLeft(on: screen) != nil
            }
            screens.append(running)
            let started = secondsLeft(on: running)!
            #expect(started == 40)
            try await terminal.advance(by: 2_000)
            screens.append(try await terminal.waitUntil("the countdown to go down two seconds from \(started)") {
                screen in
                screen.contains("RUNNING") && (secondsLeft(on: screen) ?? Int.max) <= started - 2
            })

            // t: the contents box over the running step; Esc closes it.
            try await terminal.press("t")
            screens.append(try await terminal.waitFor("Contents", "1. Simple Recap", "2. The Hip",
                                                      "5.   Cat-cow for spinal motion",
                                                      "9. Patient Homework / Reinforcement", "Enter go"))
            try await terminal.press("Escape")
            screens.append(try await terminal.waitUntil("the contents closed, the timer still running") { screen in
                !screen.contains("Enter go") && screen.row(0).contains("Step 5/9") && screen.contains("RUNNING")
            })

            // q asks first while the timer runs; y quits with 0.
            try await terminal.press("q")
            screens.append(try await terminal.waitFor("Quit?", "A drill timer is still running."))
            try await terminal.press("y")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")

            Self.expectShowable(screens, on: type)
        }
    }

    // MARK: - 2. Colour follows the terminal type, the theme and NO_COLOR

    /// A way of running the session, and whether colour is asked for.
    enum ColourRequest: String, Sendable, CaseIterable {
        case byDefault = "default theme"
        case mono = "--theme mono"
        case noColor = "NO_COLOR=1"

        var arguments: [String] { self == .mono ? ["--theme", "mono"] : [] }
        var environment: [String: String?] { self == .noColor ? ["NO_COLOR": "1"] : [:] }
    }

    @Test("colour only where the terminal type has it, never with --theme mono or NO_COLOR; else bold and reverse",
          arguments: TerminalTypeCase.utf8Cases, ColourRequest.allCases)
    func colour(_ type: TerminalTypeCase, _ request: ColourRequest) async throws {
        try Self.requireTerminfo(type.term)
        let environment = type.environment.merging(request.environment) { _, new in new }
        try await withTmuxTerminal(["session", "treatment-08"] + request.arguments, environment: environment,
                                   recordOutput: true) { terminal in
            // Step 1 (bar, heading, script label, keys), then the drill step (timer, READY).
            try await terminal.waitFor("Step 1/9", "Simple Recap")
            try await terminal.press("Right", "Right", "Right", "Right")
            try await terminal.waitFor("Step 5/9", "READY")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")

            let bytes = terminal.recordedOutput()
            let colours = colourParameters(in: bytes)
            let parameters = Set(sgrParameters(in: bytes))
            if type.hasColour && request == .byDefault {
                #expect(!colours.isEmpty, "no colour codes reached \(type.testDescription)")
            } else {
                #expect(colours.isEmpty, Comment(rawValue: "colour codes reached \(type.testDescription) "
                    + "(\(request.rawValue)): \(Set(colours).sorted())"))
                // Meaning never rests on colour: bold (1) and reverse video (7) still reach the terminal.
                #expect(parameters.contains(1) && parameters.contains(7),
                        "no bold or reverse without colour; SGR parameters sent: \(parameters.sorted())")
            }
        }
    }

    // MARK: - 3. The kiosk under each terminal type

    @Test("the kiosk draws the shipped deck's first slide and ends on the --exit-key chord (three Ctrl-X)",
          arguments: TerminalTypeCase.all)
    func kiosk(_ type: TerminalTypeCase) async throws {
        try Self.requireTerminfo(type.term)
        let deck = try KioskTests.shippedDeckFacts()
        let state = try TemporaryFolder()
        defer { state.remove() }
        let environment = type.environment.merging(["XDG_STATE_HOME": state.path]) { _, new in new }
        try await withTmuxTerminal(["kiosk", "--no-large", "--exit-key", "ctrl-x"], width: 80, height: 24,
                                   environment: environment) { terminal in
            let slide = try await terminal.waitUntil("the first slide, “\(deck.heading)” with its text") { screen in
                screen.lines.dropFirst().contains { KioskScreenReading.line($0, shows: deck.heading) }
                    && screen.row(0).hasPrefix(" " + deck.title) && KioskScreenReading.clock(on: screen) != nil
                    && screen.contains(deck.body)
            }
            Self.expectShowable([slide], on: type)

            try await terminal.pressChord("C-x")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            #expect(try await terminal.display("#{mouse_any_flag}") == "0", "mouse reporting left on")
        }
    }

    // MARK: - 4. Terminal types the full-screen modes can't use

    /// A TERM that can't draw a screen (nil: unset), and a full-screen command.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var term: String?
        var arguments: [String]
        var testDescription: String {
            (term.map { "TERM=\($0)" } ?? "TERM unset") + " "
                + (arguments.isEmpty ? "(home menu)" : arguments.joined(separator: " "))
        }

        static let terms: [String?] = ["dumb", "nosuchterminal", nil]
        static let all: [Refusal] = terms.flatMap { term in
            [["session", "treatment-08"], ["kiosk", "--exit-key", "ctrl-x"], []].map {
                Refusal(term: term, arguments: $0)
            }
        }
    }

    @Test("TERM dumb, unknown or unset: one line that suggests 'session-guide print', exit 69, nothing drawn",
          arguments: Refusal.all)
    func refusal(_ example: Refusal) async throws {
        if let term = example.term, term != "dumb" {
            #expect(!terminfoEntryExists(term), "the test needs \(term) to be unknown")
        }
        let state = try TemporaryFolder()
        defer { state.remove() }
        // Wide, so the line doesn't wrap.
        try await withTmuxTerminal(example.arguments, width: 200, height: 30,
                                   environment: ["TERM": example.term, "XDG_STATE_HOME": state.path],
                                   recordOutput: true) { terminal in
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 69, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            #expect(!exit.alternateScreenOn, "\(exit)")

            // Every byte that reached the pane: the program's line, then the script's `stty -a` and `EXIT=…`.
            let bytes = try await terminal.waitUntilOutput("the script's last line") { bytes in
                firstIndex(of: Array("EXIT=".utf8), in: bytes) != nil
            }
            #expect(!bytes.contains(0x1B), Comment(rawValue: "escape sequences reached the terminal: "
                + String(decoding: bytes.prefix(400), as: UTF8.self).debugDescription))
            // What the program wrote: everything before `stty -a`'s first line ("speed 38400 baud; …").
            let end = firstIndex(of: Array("speed ".utf8), in: bytes) ?? bytes.count
            let printed = String(decoding: bytes[..<end], as: UTF8.self)
            let lines = printed.split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(lines.count == 1 && printed.hasSuffix("\r\n"), "not one line: \(printed.debugDescription)")
            #expect(printed.hasPrefix("session-guide: ") && printed.contains("session-guide print"),
                    "\(printed.debugDescription)")
            #expect(printed.contains("TERM=" + (example.term ?? "unset")), "\(printed.debugDescription)")
            #expect(!printed.unicodeScalars.contains { $0.value < 0x20 && $0 != "\r" && $0 != "\n" },
                    "control characters in \(printed.debugDescription)")
            #expect(!exit.screen.contains("Simple Recap") && !exit.screen.contains("Hip mobility"),
                    "something was drawn:\n\(exit.screen)")
        }
    }
}
