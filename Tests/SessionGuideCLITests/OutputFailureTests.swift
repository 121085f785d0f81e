import Foundation
import Testing

/// Every command with its standard output on a full disk (`/dev/full`) or a pipe nobody reads: never a trap
/// or a signal, the documented code, and at most one line saying why.
@Suite("output that can't be written: /dev/full and a closed pipe, for every command")
struct OutputFailureTests {
    struct Command: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// Writes to standard output when all goes well (else it ends before, with `code`, as without a terminal).
        var writesOutput = true
        var code: Int32 = 0
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let commands: [Command] = [
        Command(arguments: ["list"]),
        Command(arguments: ["check"]),
        Command(arguments: ["print", "treatment-08"]),
        Command(arguments: ["print", "treatment-08", "--format", "markdown"]),
        Command(arguments: ["print", "daily-hip-back", "--format", "html"]),
        Command(arguments: ["history"]),
        Command(arguments: ["history", "--json"]),
        Command(arguments: ["history", "--csv"]),
        Command(arguments: ["notes"]),
        Command(arguments: ["notes", "--json"]),
        Command(arguments: ["notes", "--csv"]),
        Command(arguments: ["notes", "--markdown"]),
        Command(arguments: ["config"]),
        Command(arguments: ["--help"]),
        Command(arguments: ["history", "--help"]),
        Command(arguments: ["--version"]),
        // Without a terminal on standard input: the session printed, the routine run hands-free (and saved).
        Command(arguments: ["session", "treatment-08", "--plain"]),
        Command(arguments: ["routine", "daily-hip-back", "--plain", "--quiet"]),
        // The full-screen modes need a terminal: one line on standard error and 69, whatever stdout is.
        Command(arguments: ["session", "treatment-08"], writesOutput: false, code: 69),
        Command(arguments: ["routine", "daily-hip-back"], writesOutput: false, code: 69),
        Command(arguments: ["kiosk"], writesOutput: false, code: 69),
        Command(arguments: ["follow", "room-1"], writesOutput: false, code: 69),
        Command(arguments: [], writesOutput: false, code: 69),
    ]

    @Test("standard output on a full disk: 74 and one line that says the disk is full (69 where it never writes)",
          arguments: commands)
    func fullDisk(_ command: Command) async throws {
        let result = try await BinaryRunner.run(command.arguments, stdout: .full)
        #expect(!result.signalled, Comment(rawValue: result.summary))
        #expect(result.exitCode == (command.writesOutput ? 74 : command.code), Comment(rawValue: result.summary))
        if command.writesOutput {
            #expect(result.stderrLines == ["session-guide: can't write to standard output: the disk is full"],
                    Comment(rawValue: result.summary))
        } else {
            #expect(result.stderrLines.count == 1, Comment(rawValue: result.summary))
        }
    }

    @Test("standard output a pipe nobody reads: ends quietly with 141, as a broken pipe does (69 where it never writes)",
          arguments: commands)
    func closedPipe(_ command: Command) async throws {
        let result = try await BinaryRunner.run(command.arguments, stdout: .closedPipe)
        #expect(!result.signalled, Comment(rawValue: result.summary))
        #expect(result.exitCode == (command.writesOutput ? 141 : command.code), Comment(rawValue: result.summary))
        #expect(result.stderrLines.count == (command.writesOutput ? 0 : 1), Comment(rawValue: result.summary))
    }

    /// Commands that fail, with their message going nowhere.
    static let failures: [Command] = [
        Command(arguments: ["print", "no-such-id"], writesOutput: false, code: 66),
        Command(arguments: ["list", "--content", "/nonexistent/content"], writesOutput: false, code: 66),
        Command(arguments: ["sesion"], writesOutput: false, code: 64),
        Command(arguments: ["session", "treatment-08"], writesOutput: false, code: 69),
        Command(arguments: ["routine", "daily-hip-back", "--plain", "--quiet"]),
    ]

    @Test("standard error on a full disk or a closed pipe: the same exit code, never a trap", arguments: failures)
    func errorsNowhere(_ command: Command) async throws {
        for target in [BinaryRunner.Output.full, .closedPipe] {
            let result = try await BinaryRunner.run(command.arguments, stderr: target)
            #expect(!result.signalled, Comment(rawValue: result.summary))
            #expect(result.exitCode == command.code, Comment(rawValue: result.summary))
        }
    }

    @Test("a routine with its output on a full disk still saves its run")
    func routineStillSaved() async throws {
        let state = try TemporaryFolder()
        defer { state.remove() }
        let result = try await BinaryRunner.run(["routine", "daily-hip-back", "--plain", "--quiet"],
                                                environment: ["XDG_STATE_HOME": state.path], stdout: .full)
        #expect(result.exitCode == 74, Comment(rawValue: result.summary))
        let history = try await BinaryRunner.run(["history", "--csv"], environment: ["XDG_STATE_HOME": state.path])
        let rows = history.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 2 && rows[1].contains("daily-hip-back"), Comment(rawValue: history.summary))
    }
}
