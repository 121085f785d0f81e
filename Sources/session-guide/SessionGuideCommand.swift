import ArgumentParser
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
            Content comes from markdown-like files in a content folder (see Content/FORMAT.md). \
            Exit codes: 0 success, 64 usage error, 65 content with errors, 66 missing input.
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
