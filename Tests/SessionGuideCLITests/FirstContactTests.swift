import Foundation
import SessionGuideContent
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

/// Completion of document ids, as the generated bash, zsh and fish scripts ask the program for them.
@Suite("Shell completion of document ids")
struct IDCompletionTests {
    /// What the shell's script asks for: `---completion COMMAND -- positional@0 WORD CURSOR` and the words.
    static func complete(_ command: String, _ typed: String, extra: [String] = []) async throws -> [String] {
        let words = ["session-guide", command] + extra + [typed]
        let result = try await BinaryRunner.run(["---completion", command, "--", "positional@0", "\(words.count - 1)",
                                                 "\(typed.count)"] + words)
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stderr.isEmpty, Comment(rawValue: result.summary))
        return result.stdoutLines.filter { !$0.isEmpty }
    }

    @Test func eachCommandCompletesTheIdsOfItsOwnKind() async throws {
        #expect(try await Self.complete("session", "tr") == ["treatment-08"])
        #expect(try await Self.complete("routine", "") == ["daily-hip-back", "starter-5"])
        #expect(try await Self.complete("kiosk", "wait") == ["waiting-room"])
        let printable = try await Self.complete("print", "")
        #expect(printable.contains("cat-cow") && printable.contains("treatment-08") && printable.contains("waiting-room"))
    }

    @Test func theContentFolderTypedOnTheLineIsTheOneCompletedFrom() async throws {
        let folder = try TemporaryFolder(["content/own.md": .text("""
            ---
            id: own-session
            kind: session
            title: Own session
            ---
            # A step
            Text.
            """)])
        defer { folder.remove() }
        #expect(try await Self.complete("session", "", extra: ["--content", folder.path(of: "content")]) == ["own-session"])
    }
}

/// The README, `--help` and the config file's own list must tell a clinic's IT person the same settings and the
/// same exit codes.
@Suite("README, --help and the config file agree")
struct DocumentationAgreementTests {
    static let readme: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    /// The paragraph of the README that starts with `start`, up to the next blank line.
    static func paragraph(startingWith start: String) -> String {
        guard let range = readme.range(of: start) else { return "" }
        let rest = readme[range.lowerBound...]
        return String(rest[..<(rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex)])
    }

    /// The numbers written as exit codes in `text` (`128+N` counts as 128).
    static func codes(in text: String) -> Set<Int> {
        var found = Set<Int>()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard CharacterSet.decimalDigits.contains(scalars[index]) else { index += 1; continue }
            var number = 0
            let start = index
            while index < scalars.count, CharacterSet.decimalDigits.contains(scalars[index]) {
                number = number * 10 + Int(scalars[index].value - 48)
                index += 1
            }
            let before = start > 0 ? scalars[start - 1] : " "
            if [0, 64, 65, 66, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 128, 141].contains(number), before != "." {
                found.insert(number)
            }
        }
        return found
    }

    @Test func everyConfigSettingIsInTheREADMEAndInConfigsHelp() async throws {
        let help = try await BinaryRunner.run(["config", "--help"])
        let readmeList = Self.paragraph(startingWith: "It takes `content`")
        #expect(!readmeList.isEmpty)
        let flattened = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for key in ConfigFile.keys {
            #expect(readmeList.contains("`\(key)`"), "README's list of settings lacks \(key)")
            #expect(flattened.contains(key), "config --help lacks \(key):\n\(help.stdout)")
        }
    }

    @Test func theExitCodesAreTheSameInTheREADMEAndInHelp() async throws {
        let help = try await BinaryRunner.run(["--help"])
        let helpText = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let helpCodes = Self.codes(in: String(helpText[(helpText.range(of: "Exit codes:")?.lowerBound ?? helpText.endIndex)...]))
        let readmeCodes = Self.codes(in: Self.paragraph(startingWith: "Exit codes follow"))
        let used: Set<Int> = [0, 64, 65, 66, 69, 73, 74, 77, 128, 141]
        #expect(helpCodes == used, "--help: \(helpCodes.sorted())")
        #expect(readmeCodes == used, "README: \(readmeCodes.sorted())")
    }
}
