import SessionGuideContent
import ArgumentParser
import Foundation
import SessionGuideHistory
import SessionGuideTerminal

struct NotesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes",
        abstract: "List the therapist sessions kept in the history with their notes; export them.",
        discussion: """
            Reads $XDG_STATE_HOME/session-guide/history.sqlite (default ~/.local/state/session-guide/), where \
            'session' saves each session. Text and --markdown show the newest session first; --json (one object \
            per session, with the time on each step) and --csv (one row per note) list the oldest first.
            """
    )

    enum Format: String, EnumerableFlag {
        case json
        case csv
        case markdown
    }

    @OptionGroup var patientOption: PatientOption
    var patient: String? { patientOption.label }

    @OptionGroup var store: HistoryStoreOption

    @Option(help: "Only sessions from the last N days.")
    var days: Int?

    @Flag(exclusivity: .exclusive, help: "Export: --json, --csv or --markdown.")
    var format: Format?

    @Option(help: ArgumentHelp("Remove every record of this patient label: sessions and notes, routine runs, "
        + "programmes (asks first).", valueName: "label"))
    var forgetPatient: String?

    @Flag(help: "With --forget-patient: don't ask.")
    var yes = false

    func validate() throws {
        if forgetPatient != nil, patient != nil || format != nil || days != nil {
            throw ValidationError("--forget-patient goes alone (with --yes at most)")
        }
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
    }

    func run() throws {
        if let forgetPatient { return try forgetPatientRecords(forgetPatient, confirmed: yes) }
        var programmes: [ProgrammeRecord] = []
        let (historyExists, sessions) = try readHistory(lastDays: days) { store, since in
            programmes = try store.programmes(patient: patient)
            return try store.sessions(since: since, patient: patient)
        }
        let report = NotesReport(sessions: sessions, programmes: programmes)
        switch format {
        // Exports keep the therapist's words exactly, whatever the locale: they are records, not a display.
        case .json?: Console.write(SafeText(json: report.json()))
        case .csv?: Console.write(SafeText(csv: report.csv()))
        case .markdown?: Console.write(SafeText(lines: report.markdown()))
        case nil:
            Console.asciiOnly = !Terminal.localeIsUTF8()
            if !sessions.isEmpty {
                Console.write(SafeText(lines: report.text()))
            } else if !historyExists {
                Console.write("No sessions recorded yet.\n")
            } else if let patient {
                Console.write("No sessions for patient \(patient.trimmingCharacters(in: .whitespaces))"
                    + (days == nil ? ".\n" : " in that time.\n" as SafeText))
            } else {
                Console.write(days == nil ? "No sessions recorded yet.\n" : "No sessions in that time.\n" as SafeText)
            }
        }
    }
}
