import ArgumentParser
import SessionGuideContent
import SessionGuideHistory
import Glibc
import SessionGuideEngine

@main
struct SessionGuideCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "session-guide",
        abstract: "Run therapy treatment sessions, patient drill routines and waiting-room slides in a terminal.",
        discussion: """
            Content comes from markdown-like files in a content folder (see Content/FORMAT.md). Settings \
            can live in ~/.config/session-guide/config.yaml ('session-guide config' shows them). \
            Exit codes: 0 success, 64 usage error, 65 content with errors, 66 missing input (an unknown id, \
            a missing folder), 69 the full-screen modes can't run here, 73 a file can't be made, 74 the \
            history or the output can't be read or written, 77 not permitted (a follower's restricted key \
            asked for another command), 128+N ended by signal N (130 for Ctrl-C), 141 output to a closed pipe.
            """,
        version: version,
        subcommands: [SessionCommand.self, FollowCommand.self, RoutineCommand.self, KioskCommand.self, HistoryCommand.self, NotesCommand.self, ConfigCommand.self,
                      ListCommand.self,
                      CheckCommand.self, PrintCommand.self, NewCommand.self, PreviewCommand.self]
    )

    @OptionGroup var options: ContentOptions
    @OptionGroup(title: "Routine options (for routines opened from the menu)") var routineOptions: RoutineOptions
    @OptionGroup var history: HistoryOptions

    @OptionGroup var patientOption: PatientOption
    var patient: String? { patientOption.label }

    /// Parses and runs the command with all output through `Console`, so that a full disk or a closed pipe on
    /// standard output or error never ends the program with a trap, and changes the exit code as documented.
    static func main() {
        Console.prepare()
        var code: Int32 = 0
        if let mistyped = CommandSuggestion.unknownCommand(in: Array(CommandLine.arguments.dropFirst())) {
            Console.error("\(mistyped)")
            Glibc.exit(Console.exitCode(SysExit.usage))
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let message = fullMessage(for: error)
            code = exitCode(for: error).rawValue
            if !message.isEmpty { Console.write("\(lines: message)\n", to: code == 0 ? .output : .error) }
        }
        Glibc.exit(Console.exitCode(code))
    }

    /// With no subcommand: the home menu of sessions, routines and decks.
    func run() throws {
        let library = try options.loadLibrary()
        let code = try FullScreenApp.run(library: library, start: .menu(HomeMenu(library: library)),
                                         display: options.terminalOptions(), large: options.effectiveLarge, routineSetup: routineOptions.makeSetup(history: history.location),
                                         sessionSetup: SessionSetup.forPatient(
                                             patient
                                                 ?? LastPatient.recalled(),
                                             history: history.location),
                                         reloader: options.contentReloader())
        if code != 0 { throw ExitCode(code) }
    }
}

/// The command that opens a document of each kind, for "'X' is a routine, not a session; try …".
enum DocumentCommand {
    static func `for`(_ kind: DocumentKind, _ id: String) -> String {
        switch kind {
        case .session: "'session-guide session \(id)'"
        case .routine: "'session-guide routine \(id)'"
        case .deck: "'session-guide kiosk \(id)'"
        case .drill: "'session-guide preview \(id)' or 'session-guide print \(id)'"
        }
    }
}

/// A mistyped command name (`sesion`, `lst`, `histroy`, `help sesion`): one line that names it and the command
/// meant, instead of "2 unexpected arguments" or the general help.
enum CommandSuggestion {
    static var names: [String] {
        SessionGuideCommand.configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// The line to print for `arguments` (without the program's name), or nil when the command is known (or
    /// the first argument is an option, which the parser judges).
    static func unknownCommand(in arguments: [String]) -> String? {
        guard var word = arguments.first, !word.hasPrefix("-") else { return nil }
        var prefix = ""
        if word == "help" {
            guard arguments.count > 1, !arguments[1].hasPrefix("-") else { return nil }
            word = arguments[1]
            prefix = "help: "
        }
        guard !names.contains(word) else { return nil }
        let meant = Suggestion.closest(to: word, in: names.filter { $0 != "help" })
        return "\(prefix)unknown command '\(word)'" + (meant.map { "; did you mean '\($0)'?" } ?? "")
            + " ('session-guide --help' lists the commands)"
    }
}
