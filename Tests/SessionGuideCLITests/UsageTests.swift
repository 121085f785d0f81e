import Foundation
import Testing

@Suite("usage, help and colour")
struct UsageTests {
    struct UsageError: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var testDescription: String { "session-guide " + arguments.joined(separator: " ") }
    }

    @Test("usage errors exit 64 with a message and the usage line on stderr", arguments: [
        UsageError(arguments: ["--bogus"], message: "Error: Unknown option '--bogus'"),
        UsageError(arguments: ["check", "--bogus"], message: "Error: Unknown option '--bogus'"),
        UsageError(arguments: ["print"], message: "Error: give the id of a document to print (see 'session-guide list'), "
                       + "or --patient LABEL"),
        UsageError(arguments: ["print", "treatment-08", "--width", "5"],
                   message: "Error: --width must be at least 20 columns, or 0 not to wrap; 5 is too narrow"),
        UsageError(arguments: ["print", "treatment-08", "--width", "19"],
                   message: "Error: --width must be at least 20 columns, or 0 not to wrap; 19 is too narrow"),
        // Not "Missing value": a negative number is read as the width it is meant to be, and refused as one.
        UsageError(arguments: ["print", "treatment-08", "--width", "-1"],
                   message: "Error: --width must be a positive number of columns (at least 20), or 0 not to wrap; "
                       + "-1 is negative"),
        UsageError(arguments: ["print", "treatment-08", "--width", "wide"], message: "Error: The value 'wide' is invalid"),
        UsageError(arguments: ["print", "treatment-08", "--format", "pdf"],
                   message: "Error: The value 'pdf' is invalid for '--format <format>'"),
        UsageError(arguments: ["print", "treatment-08", "--content"], message: "Error: Missing value for '--content"),
        UsageError(arguments: ["list", "extra"], message: "Error: Unexpected argument 'extra'"),
    ])
    func usageError(_ example: UsageError) async throws {
        let result = try await BinaryRunner.run(example.arguments)
        #expect(result.exitCode == 64, Comment(rawValue: result.summary))
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.first?.hasPrefix(example.message) == true, Comment(rawValue: result.summary))
        #expect(result.stderr.contains("Usage: session-guide"))
    }

    @Test("--version prints the version and exits 0")
    func version() async throws {
        let result = try await BinaryRunner.run(["--version"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        let lines = result.stdoutLines
        #expect(lines.count == 1)
        let parts = (lines.first ?? "").split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) },
                "not a version: \(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    @Test("--help works on the root and on every subcommand", arguments: [[], ["check"], ["list"], ["print"]])
    func help(command: [String]) async throws {
        for arguments in [command + ["--help"], command + ["-h"], ["help"] + command] {
            let result = try await BinaryRunner.run(arguments)
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdout.hasPrefix("OVERVIEW: "), Comment(rawValue: result.summary))
            #expect(result.stdout.contains("USAGE: session-guide" + command.map { " " + $0 }.joined()))
            #expect(result.stderr.isEmpty)
        }
    }

    @Test("root help lists every subcommand and the exit codes")
    func rootHelpContents() async throws {
        let result = try await BinaryRunner.run(["--help"])
        #expect(result.exitCode == 0)
        for name in ["list", "check", "print"] {
            #expect(result.stdout.contains("  \(name) "), "subcommand \(name) not in help")
        }
        #expect(result.stdout.contains("64 usage error"))
        #expect(result.stdout.contains("66 missing input"))
    }

    // MARK: - No colour when the output is not a terminal

    @Test("output to a pipe holds no escape byte, diagnostics included")
    func noEscapeCodes() async throws {
        var generator = SeededGenerator(seed: 0x1B)
        let noise = (0..<2048).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let escapes = FileContents.text("---\nkind: deck\nid: esc-deck\ntitle: Hi \u{1B}[31mred\u{1B}[0m\n---\n"
            + "# Slide \u{1B}]0;title\u{07}\nText \u{1B}[2J and \u{9B}31m.\n")
        let files: [String: FileContents] = [
            "escapes.md": escapes, "noise.md": .bytes(noise), "cat-cow.md": .text(validCatCowDrill),
            "warn.md": "---\nkind: deck\nid: warn-deck\ntitle: W\n---\n# Empty slide\n# Second\nText.\n",
        ]
        try await withTemporaryFolder(files) { folder in
            let runs: [[String]] = [
                ["check", folder.path],
                ["list", "--content", folder.path],
                ["print", "esc-deck", "--content", folder.path],
                ["print", "cat-cow", "--content", folder.path],
                ["print", "cat-cw", "--content", folder.path],
                ["check"], ["list"], ["print", "treatment-08"], ["print", "treatment-08", "--format", "markdown"],
                ["--help"], ["--bogus"],
            ]
            for arguments in runs {
                let result = try await BinaryRunner.run(arguments, environment: BinaryRunner.colourfulEnvironment)
                #expect(!result.signalled, Comment(rawValue: result.summary))
                #expect(!result.stdoutData.contains(0x1B), "ESC on stdout: \(result.summary)")
                #expect(!result.stderrData.contains(0x1B), "ESC on stderr: \(result.summary)")
                // C1 controls (U+009B is a one-character CSI) must not get through either.
                #expect(!result.stdout.unicodeScalars.contains { (0x80...0x9F).contains($0.value) })
            }
            let check = try await BinaryRunner.run(["check", folder.path], environment: BinaryRunner.colourfulEnvironment)
            #expect(check.exitCode == 65)
            #expect(check.stdoutLines.last?.hasSuffix("1 warning") == true, Comment(rawValue: check.summary))
            #expect(check.stdout.contains("error: control character ESC (U+001B)"))
        }
    }
}
