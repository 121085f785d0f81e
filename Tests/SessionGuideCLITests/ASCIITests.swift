import Foundation
import Testing

/// Old laptops over SSH and the Linux console may run with LANG=C: nothing may reach them but ASCII.
@Suite("ASCII-only output when the locale isn't UTF-8, or with --ascii")
struct ASCIITests {
    static let cLocale: [String: String?] = ["LANG": "C", "LC_ALL": "C", "LC_CTYPE": nil]

    static func nonASCII(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.isASCII }))
    }

    @Test("print, list and a plain routine under LANG=C write only ASCII", arguments: [
        ["print", "treatment-08"], ["print", "daily-hip-back", "--format", "markdown"], ["list"],
        ["print", "waiting-room"],
    ])
    func commandsInTheCLocale(arguments: [String]) async throws {
        let result = try await BinaryRunner.run(arguments, environment: Self.cLocale)
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(Self.nonASCII(result.stdout).isEmpty, "non-ASCII: \(Self.nonASCII(result.stdout))")
        #expect(result.stdout.count > 100)
    }

    @Test("--ascii does the same in a UTF-8 locale, and the text keeps its meaning")
    func asciiFlag() async throws {
        let result = try await BinaryRunner.run(["print", "treatment-08", "--ascii", "--width", "0"],
                                                environment: ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(Self.nonASCII(result.stdout).isEmpty)
        #expect(result.stdout.contains("When hips are tight, the low back is forced to move more -> strain."))
        #expect(result.stdout.contains("\"Free hips mean less work for the low back -- they function as a team.\""))
    }

    @Test("the session screen under LANG=C shows only ASCII, with every step readable")
    func sessionScreenInTheCLocale() async throws {
        try await withTmuxTerminal(["session", "treatment-08"], environment: Self.cLocale) { terminal in
            try await terminal.waitFor("Step 1/9", "Simple Recap", "Suggested Therapist Script")
            for key in ["Right", "Right", "Right", "Right"] { try await terminal.press(key) }
            try await terminal.waitFor("Step 5/9", "Functional Examples > Cat-cow for spinal motion", "READY")
            let screen = try await terminal.capture()
            #expect(Self.nonASCII(screen.text).isEmpty, "non-ASCII on screen:\n\(screen.text)")
            #expect(screen.text.contains("##"), "the big digits are drawn with #")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
    }
}
