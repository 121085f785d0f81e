import Foundation
import Testing

/// The full-screen modes with hostile text in every title, step, script, slide and figure (injected past the
/// parser with `SESSION_GUIDE_TEST_INJECT`, which refuses such content), in a real terminal, with every byte the
/// program writes to it logged: no escape sequence but the program's own drawing reaches the terminal, which
/// keeps its title and clipboard.
@Suite("hostile text on the full screen", .serialized)
struct HostileScreenTests {
    /// ESC-led sequences a terminal acts on (title, clipboard, cursor report, clear), an 8-bit CSI, a bidi
    /// override, a CR, a DEL and a backspace, around a marker each that shows where the rest of it went.
    static let payload = "\u{1B}]0;INJECTED-TITLE\u{07}\u{1B}]52;c;SU5KRUNURUQ=\u{07}\u{9B}2J\u{1B}[6n\u{202E}x\r\u{7F}\u{8}"

    static var hex: String { payload.utf8.map { String(format: "%02x", $0) }.joined() }

    /// Every way the log shows a leak: the ESC of an injected sequence, a C1 control, the bidi override.
    static func leaks(in log: [UInt8]) -> [String] {
        var found: [String] = []
        let bytes = log
        func occurrences(of needle: String) -> [Int] {
            let pattern = Array(needle.utf8)
            guard bytes.count >= pattern.count else { return [] }
            return (0...(bytes.count - pattern.count)).filter { Array(bytes[$0..<$0 + pattern.count]) == pattern }
        }
        for marker in ["]0;INJECTED-TITLE", "]52;c;", "[6n"] {
            for index in occurrences(of: marker) where index > 0 && bytes[index - 1] == 0x1B {
                found.append("ESC \(marker) at byte \(index - 1)")
            }
        }
        if !occurrences(of: "\u{9B}").isEmpty { found.append("a C1 CSI (U+009B)") }
        if !occurrences(of: "\u{202E}").isEmpty { found.append("a bidi override (U+202E)") }
        if !occurrences(of: "\u{7F}").isEmpty { found.append("DEL") }
        if bytes.contains(0x07) { found.append("BEL (none of these screens rings)") }
        return found
    }

    static func checkTerminal(_ terminal: TmuxTerminal, _ mode: String) async throws {
        let screen = try await terminal.capture()
        #expect(screen.contains("INJECTED-TITLE"), "the injected text is on the \(mode) screen (visibly):\n\(screen)")
        let leaks = Self.leaks(in: terminal.recordedOutput())
        #expect(leaks.isEmpty, "\(mode): \(leaks)")
        let title = try await terminal.display("#{pane_title}")
        #expect(!title.contains("INJECTED"), "\(mode): the pane title became \(title)")
        let buffers = try await terminal.tmux(["list-buffers"])
        #expect(buffers.isEmpty, "\(mode): the clipboard got \(buffers)")
    }

    @Test("a session: every step, its scripts and its drills' figures", arguments: [(120, 40), (40, 12)])
    func session(width: Int, height: Int) async throws {
        try await withTmuxTerminal(["session", "treatment-08"], width: width, height: height,
                                   environment: ["SESSION_GUIDE_TEST_INJECT": Self.hex], recordOutput: true) { terminal in
            try await terminal.waitFor("INJECTED-TITLE")
            for _ in 0..<9 { try await terminal.press("Right") }
            try await Self.checkTerminal(terminal, "session")
            try await terminal.press("q")
            _ = try await terminal.waitForExit()
        }
    }

    @Test("a routine's intro, pain check and first drill with its figures")
    func routine() async throws {
        try await withTmuxTerminal(["routine", "daily-hip-back", "--no-log", "--quiet"], width: 120, height: 40,
                                   environment: ["SESSION_GUIDE_TEST_INJECT": Self.hex], recordOutput: true) { terminal in
            try await terminal.waitFor("INJECTED-TITLE")
            try await terminal.press("Space")
            try await terminal.press("Enter")
            try await terminal.advance(by: 15_000)
            try await Self.checkTerminal(terminal, "routine")
            try await terminal.press("q")
        }
    }

    @Test("the kiosk's slides and the home menu's titles")
    func kioskAndMenu() async throws {
        try await withTmuxTerminal(["kiosk", "waiting-room"], width: 80, height: 24,
                                   environment: ["SESSION_GUIDE_TEST_INJECT": Self.hex], recordOutput: true) { terminal in
            try await terminal.waitFor("INJECTED-TITLE")
            for _ in 0..<4 { try await terminal.advance(by: 30_000) }
            try await Self.checkTerminal(terminal, "kiosk")
        }
        try await withTmuxTerminal([], width: 80, height: 24,
                                   environment: ["SESSION_GUIDE_TEST_INJECT": Self.hex], recordOutput: true) { terminal in
            try await terminal.waitFor("INJECTED-TITLE")
            try await terminal.press("Enter")
            try await terminal.waitFor("INJECTED-TITLE")
            try await Self.checkTerminal(terminal, "menu")
        }
    }
}
