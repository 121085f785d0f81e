import Foundation
import Testing

/// What a new user sees after a slip of the keyboard: the command they meant, never a bare "unexpected
/// arguments" or the general help.
@Suite("First contact: mistyped commands and documents of the wrong kind")
struct FirstContactTests {
    @Test(arguments: [
        (["sesion", "treatment-08"], "unknown command 'sesion'; did you mean 'session'?"),
        (["lst"], "unknown command 'lst'; did you mean 'list'?"),
        (["histroy"], "unknown command 'histroy'; did you mean 'history'?"),
        (["help", "sesion"], "help: unknown command 'sesion'; did you mean 'session'?"),
        (["xyzzy"], "unknown command 'xyzzy' ('session-guide --help' lists the commands)"),
    ])
    func aMistypedCommandNamesTheOneMeant(arguments: [String], line: String) async throws {
        let result = try await BinaryRunner.run(arguments)
        #expect(result.exitCode == 64, Comment(rawValue: result.summary))
        #expect(result.stderr.contains(line), Comment(rawValue: result.summary))
        #expect(result.stdout.isEmpty, Comment(rawValue: result.summary))
    }

    @Test func helpForAKnownCommandStillShowsItsHelp() async throws {
        let result = try await BinaryRunner.run(["help", "session"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdout.contains("Run a treatment session"), Comment(rawValue: result.summary))
    }

    @Test(arguments: [
        (["session", "daily-hip-back"], "'daily-hip-back' is a routine, not a session; try 'session-guide routine daily-hip-back'"),
        (["routine", "treatment-08"], "'treatment-08' is a session, not a routine; try 'session-guide session treatment-08'"),
        (["session", "cat-cow"], "'cat-cow' is a drill, not a session; try 'session-guide preview cat-cow'"),
    ])
    func aDocumentOfAnotherKindNamesTheCommandForIt(arguments: [String], line: String) async throws {
        let result = try await BinaryRunner.run(arguments)
        #expect(result.exitCode == 64, Comment(rawValue: result.summary))
        #expect(result.stderr.contains(line), Comment(rawValue: result.summary))
    }
}
