import ArgumentParser
import Foundation
import SessionGuideHistory
import SessionGuideTerminal

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show how often routines were done, the current streak and the pain trend; export the runs.",
        discussion: "Reads $XDG_STATE_HOME/session-guide/history.sqlite (default ~/.local/state/session-guide/)."
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

    func validate() throws {
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
    }

    func run() throws {
        let path = HistoryStore.defaultPath()
        let store: HistoryStore?
        let runs: [RoutineRun]
        do {
            store = try HistoryStore.openExisting(path: path)
            let since = days.map { Date().addingTimeInterval(-Double($0) * 86_400) }
            runs = try store?.runs(since: since) ?? []
        } catch {
            Console.error(error.description)
            throw ExitCode(SysExit.ioError)
        }
        let report = HistoryReport(runs: runs, now: Date())
        let ascii = ascii || !Terminal.localeIsUTF8()
        Console.asciiOnly = ascii
        switch format {
        case .json?: Console.write(report.json())
        case .csv?: Console.write(report.csv())
        case nil:
            if runs.isEmpty {
                // A history may exist with sessions in it and no routine run yet.
                Console.write(store == nil || days == nil ? "No routine runs recorded yet.\n"
                    : "No routine runs in that time.\n")
            } else {
                Console.write(report.text(ascii: ascii))
            }
        }
    }
}
