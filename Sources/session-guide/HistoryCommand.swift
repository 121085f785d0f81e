import SessionGuideContent
import ArgumentParser
import Foundation
import SessionGuideHistory
import SessionGuideTerminal

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show how often routines were done, the current streak and the pain trend; export the runs.",
        discussion: """
            Reads $XDG_STATE_HOME/session-guide/history.sqlite (default ~/.local/state/session-guide/), or the \
            store that --history or the config file's history: setting names (a file, or the clinic's \
            PostgreSQL server). 'history export' writes every record out; 'history import' merges such an \
            export, or another machine's history file, into the store.
            """,
        subcommands: [HistoryExportCommand.self, HistoryImportCommand.self]
    )

    enum Format: String, EnumerableFlag {
        case json
        case csv
    }

    @Option(help: "Only runs from the last N days.")
    var days: Int?

    @Flag(exclusivity: .exclusive, help: "Export the runs: --json (one object per run) or --csv.")
    var format: Format?

    @Flag(help: "ASCII characters only in the chart.")
    var ascii = false

    @OptionGroup var patientOption: PatientOption
    var patient: String? { patientOption.label }

    @OptionGroup var store: HistoryStoreOption

    @Option(help: ArgumentHelp("Remove every record of this patient label (asks first).", valueName: "label"))
    var forgetPatient: String?

    @Flag(help: "With --forget-patient: don't ask.")
    var yes = false

    func validate() throws {
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
        if forgetPatient != nil, patient != nil || format != nil || days != nil {
            throw ValidationError("--forget-patient goes alone (with --yes at most)")
        }
    }

    func run() throws {
        if let forgetPatient { return try forgetPatientRecords(forgetPatient, confirmed: yes) }
        if let patient = patient { return try runForPatient(patient) }
        let (historyExists, runs) = try readHistory(lastDays: days) { store, since in try store.runs(since: since) }
        let report = HistoryReport(runs: runs, now: TestControl.shared.clock.now().date)
        write(json: report.json, csv: report.csv) { ascii in
            // A history may exist with sessions in it and no routine run yet.
            if runs.isEmpty {
                return !historyExists || days == nil ? "No routine runs recorded yet.\n" : "No routine runs in that time.\n"
            }
            return SafeText(lines: report.text(ascii: ascii))
        }
    }

    /// The export the format asks for, or the text (ASCII-only where asked or where the locale needs it).
    private func write(json: () -> String, csv: () -> String, text: (_ ascii: Bool) -> SafeText) {
        let ascii = ascii || !Terminal.localeIsUTF8()
        Console.asciiOnly = ascii
        switch format {
        case .json?: Console.write(SafeText(json: json()))
        case .csv?: Console.write(SafeText(csv: csv()))
        case nil: Console.write(text(ascii))
        }
    }
}

extension HistoryCommand {
    /// `history --patient`: the next-visit summary, or its export.
    private func runForPatient(_ patient: String) throws {
        let (_, reports) = try readHistory(lastDays: nil) { store, _ in [try patientReport(patient, store: store)] }
        let report = try reports.first ?? patientReport(patient, store: nil)
        write(json: report.json, csv: report.csv) { ascii in
            SafeText(lines: (["Patient \(patient)"] + report.lines(ascii: ascii)).joined(separator: "\n") + "\n")
        }
    }
}

/// What `history` and `notes` read: whether a history exists yet, and its records from the last `days` days
/// (all when nil). A history that can't be read is one line on stderr and exit 74.
func readHistory<Record>(lastDays days: Int?, _ read: (any RecordStore, Date?) throws -> [Record]) throws
    -> (exists: Bool, records: [Record])
{
    let history = try HistoryLocation.inForce()
    let recoveryFiles = [RecordKeeper.recoveryPath(history: history),
                         RecordKeeper.fallbackRecoveryPath(environment: ProcessInfo.processInfo.environment)]
    for recovery in recoveryFiles.compactMap({ $0 }) where RecoveryFile(path: recovery).exists {
        Console.error("some records could not be saved earlier and wait in \(recovery); they go into the history "
            + "the next time a session or routine starts" as SafeText)
    }
    do {
        guard let store = try history.openForReading() else { return (false, []) }
        let since = days.map { TestControl.shared.clock.now().date.addingTimeInterval(-Double($0) * 86_400) }
        return (true, try read(store, since))
    } catch {
        Console.error("\(String(describing: error))")
        throw ExitCode(SysExit.ioError)
    }
}
