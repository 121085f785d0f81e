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

    @Test("kiosk with a wrong id, started by a person: the reason on their screen and exit 66; the unit gets the fallback slide",
          arguments: [("waiting", "no deck with id 'waiting'"), ("treatment-08", "'treatment-08' is a session, not a deck")])
    func aWrongKioskIDIsExplainedToAPerson(id: String, reason: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let environment: [String: String?] = ["XDG_STATE_HOME": folder.path(of: "state"), "INVOCATION_ID": nil]
        try await withTmuxTerminal(["kiosk", id], environment: environment) { terminal in
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 66, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            let said = exit.screen.lines.joined(separator: " ")
            #expect(said.contains(reason), "\(exit)")
            #expect(said.contains("'session-guide list' lists the decks"), "\(exit)")
            if id == "waiting" { #expect(said.contains("did you mean 'waiting-room'"), "\(exit)") }
        }
        // Run by its unit (systemd's INVOCATION_ID set), the same kiosk keeps a fallback slide on screen.
        var unattended = environment
        unattended["INVOCATION_ID"] = "0123456789abcdef0123456789abcdef"
        try await withTmuxTerminal(["kiosk", id], environment: unattended) { terminal in
            try await terminal.waitUntil("the fallback slide “Welcome”") { screen in
                screen.row(12).trimmingCharacters(in: .whitespaces) == "Welcome"
            }
        }
    }
}
