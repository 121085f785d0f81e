import Foundation
import Testing

/// `session --plain` for screen readers: line by line, no curses.
@Suite("session --plain")
struct PlainSessionTests {
    @Test("without a terminal it prints the whole session, like print")
    func withoutATerminal() async throws {
        let plain = try await BinaryRunner.run(["session", "treatment-08", "--plain"])
        let printed = try await BinaryRunner.run(["print", "treatment-08", "--width", "0"])
        #expect(plain.exitCode == 0, Comment(rawValue: plain.summary))
        #expect(plain.stdout == printed.stdout)
        #expect(!plain.stdout.contains("\u{1B}"), "no escape sequences")
    }

    @Test("in a terminal: each step is read when reached, the timer's phases and last seconds are announced")
    func inATerminal() async throws {
        let content = try TemporaryFolder(quickDrillContent)
        defer { content.remove() }
        try await withTmuxTerminal(["session", "timer-test", "--plain", "--content", content.path],
                                   recordOutput: true) { terminal in
            try await terminal.waitFor("Timer test", "Step 1 of 1: Quick drill step", "Space starts the timer.")
            try await terminal.press("Space")
            try await terminal.waitFor("Quick drill: Work, 3 s.")
            // The phase and its last seconds are read as the test's clock reaches them.
            try await terminal.advance(by: 3_000)
            try await terminal.waitFor("Quick drill: done.")
            let screen = try await terminal.capture()
            let lines = screen.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            // "2" and "1" are announced (the first second of a phase already had its phase line).
            #expect(lines.contains("2") && lines.contains("1"), "\(screen.text)")
            // Plain means plain: no cursor addressing, no alternate screen.
            #expect(!terminal.recordedOutput().contains(Array("\u{1B}[?1049h".utf8)), "the alternate screen was used")
            try await terminal.press("n")
            try await terminal.waitFor("Session summary.", "Drills completed: 1 of 1.")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
    }
}

extension Array where Element == UInt8 {
    func contains(_ sequence: [UInt8]) -> Bool {
        guard sequence.count <= count else { return false }
        return (0...(count - sequence.count)).contains { Array(self[$0..<$0 + sequence.count]) == sequence }
    }
}
