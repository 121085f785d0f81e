import Foundation
import SessionGuideContent
import Testing

/// Emoji, flags, ZWJ sequences and Devanagari in a session's title, heading and body, drawn in a real terminal
/// (tmux 3.3a): every row keeps the screen's width, so the right-aligned header, the scroll bar and the footers
/// stay where they belong. Before each cell carried its whole grapheme (or an exact stand-in), a family's
/// dangling ZWJ made tmux glue the next cell on and collapsed rows.
@Suite("whole graphemes in a real terminal (tmux)", .timeLimit(.minutes(5)))
struct GraphemeScreenTests {
    static let content: [String: FileContents] = [
        "sessions/graphemes.md": .text("""
            ---
            kind: session
            id: graphemes
            title: Grüße 👍🏽 🇺🇸 नमस्ते 👨‍👩‍👧 ❤️ क्षि
            ---
            # Step 👩🏽‍🔬 🇬🇧 हिन्दी ❤️ a\u{200D}b
            Body 👍🏽 then 🇺🇸🇯🇵 flags, नमस्ते हिन्दी क्षत्रिय, a family 👨‍👩‍👧‍👦 and 🏳️‍🌈, keycap 1️⃣, soft\u{AD}hyphen, \
            watch ⌚︎, hearts ❤️❤️❤️, 漢字 and the end. \(String(repeating: "👍🏽", count: 30)) \
            \(String(repeating: "👨‍👩‍👧", count: 25)) \(String(repeating: "🇺🇸", count: 30)) \
            \(String(repeating: "नमस्ते ", count: 20))

            \((1...12).map { "Line \($0) 👍🏽 🇺🇸 नमस्ते 👨‍👩‍👧." }.joined(separator: "\n\n"))

            # Second 🇺🇸
            Plain.

            """),
    ]

    /// Rows that end in the scroll bar's column: the bar, its track or an arrow.
    static let scrollBar: Set<Character> = ["┃", "│", "↑", "↓"]

    @Test("every row is exactly as wide as the screen", arguments: [(80, 24), (40, 12)])
    func rowsKeepTheScreenWidth(width: Int, height: Int) async throws {
        let folder = try TemporaryFolder(Self.content)
        defer { folder.remove() }
        try await withTmuxTerminal(["session", "graphemes", "--content", folder.path, "--no-log"],
                                   width: width, height: height) { terminal in
            let screen = try await terminal.waitFor("Step 1/2 · 0 min", "q quit")
            // What reaches the screen is drawn with characters every terminal counts alike (no joiner, no skin
            // tone, no regional indicator), so measuring the captured rows by the table measures the terminal.
            for (index, row) in screen.lines.enumerated() {
                #expect(DisplayWidth.of(row) <= width, "row \(index) is wider than the screen:\n\(screen)")
                #expect(!row.unicodeScalars.contains { $0.value == 0x200D || (0x1F3FB...0x1F3FF).contains($0.value)
                    || (0x1F1E6...0x1F1FF).contains($0.value) }, "row \(index): \(row.debugDescription)")
            }
            // The header: the title on the left, the step count right-aligned one cell from the edge.
            let header = screen.row(0)
            #expect(header.hasSuffix("Step 1/2 · 0 min"), "\(screen)")
            #expect(DisplayWidth.of(header) == width - 1, "the header is shifted:\n\(screen)")
            #expect(header.contains("Grüße 👍 US"), "\(screen)")
            // The body rows: the scroll bar in the last column of every one.
            let barred = screen.lines.filter { $0.last.map(Self.scrollBar.contains) ?? false }
            #expect(barred.count >= height - 5, "the scroll bar is broken:\n\(screen)")
            for row in barred {
                #expect(DisplayWidth.of(row) == width, "a body row is shifted: \(row.debugDescription)\n\(screen)")
            }
            #expect(screen.contains("नमस्ते"), "a Devanagari word lost a letter:\n\(screen)")
            #expect(screen.row(1).contains("Step 👩 GB हिन्दी"), "\(screen)")
            #expect(screen.lines.last?.hasSuffix("q quit") == true, "\(screen)")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }
}
