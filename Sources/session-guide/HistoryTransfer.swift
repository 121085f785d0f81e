import ArgumentParser
import Foundation
import Glibc
import SessionGuideContent
import SessionGuideHistory
import SessionGuideRuntime

/// `history export`: every record, whole, one JSON object per line (the outbox's format), for `history import`
/// on another machine or for keeping.
struct HistoryExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every record (programmes, routine runs, sessions with their notes) as JSON lines.",
        discussion: "The output is what 'history import' takes. It is health information: keep it private."
    )

    @OptionGroup var store: HistoryStoreOption

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (made private, 0600) instead of standard "
        + "output.", valueName: "file"))
    var output: String?

    func run() throws {
        let history = try HistoryLocation.inForce()
        var lines: [String] = []
        do {
            if let source = try history.openForReading() {
                let records = try source.programmes(patient: nil).map(HistoryRecord.programme)
                    + source.runs().map(HistoryRecord.routineRun) + source.sessions().map(HistoryRecord.session)
                lines = records.compactMap { RecoveryFile.line(for: $0, problem: "exported") }
            }
        } catch {
            Console.error("\(error.description)")
            throw ExitCode(SysExit.ioError)
        }
        let text = lines.map { $0 + "\n" }.joined()
        guard let output else {
            Console.write(SafeText(json: text))
            return
        }
        let descriptor = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            Console.error("can't write \(output): \(Console.reason(errno))" as SafeText)
            throw ExitCode(SysExit.cantCreate)
        }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        if let failure = Console.writeAll(Array(text.utf8), to: descriptor) {
            Console.error("can't write \(output): \(Console.reason(failure))" as SafeText)
            throw ExitCode(SysExit.ioError)
        }
        Console.error("\(lines.count) record\(lines.count == 1 ? "" : "s") written to \(output)" as SafeText)
    }
}

/// `history import FILE`: merges an export or another machine's history file into the store. Every record has
/// a key, so importing the same file again (or a file that overlaps) adds nothing twice.
struct HistoryImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Merge a history export, or another machine's history file, into the history.",
        discussion: """
            FILE is what 'history export' wrote, or a history.sqlite from another machine (read, never \
            changed). A record that is already in the history is not added again, so importing twice is safe.
            """
    )

    @Argument(help: ArgumentHelp("An export (JSON lines) or a history file (SQLite).", valueName: "file"))
    var file: String

    @OptionGroup var store: HistoryStoreOption

    func run() throws {
        let history = try HistoryLocation.inForce()
        let source = try openSource()
        do {
            let target = try history.openForWriting()
            let summary = try target.importRecords(from: source)
            let added = summary.added.total
            Console.write(("Imported \(added) record\(added == 1 ? "" : "s") from \(file) into \(history): "
                + "\(describe(summary.added)); \(summary.alreadyThere.total) \(summary.alreadyThere.total == 1 ? "was" : "were") "
                + "already there.\n") as SafeText)
        } catch {
            Console.error("\(error.description)")
            throw ExitCode(SysExit.ioError)
        }
    }

    /// The file as a store to read from, or one line and exit 66 (missing) or 65 (not a history).
    private func openSource() throws -> any RecordStore {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            Console.error("can't read \(file): \(Console.reason(errno))" as SafeText)
            throw ExitCode(SysExit.noInput)
        }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        if data.starts(with: Array("SQLite format 3\u{0}".utf8)) {
            do {
                guard let store = try HistoryStore.openExisting(path: file) else {
                    throw HistoryError("can't read", path: file, reason: "it is gone")
                }
                return store
            } catch {
                Console.error("\(String(describing: error))")
                throw ExitCode(SysExit.dataError)
            }
        }
        let records = RecoveryFile.records(in: data)
        guard !records.isEmpty || data.allSatisfy({ $0 == 0x0A || $0 == 0x20 }) else {
            Console.error("\(file) is neither a history export ('session-guide history export') nor a history file"
                as SafeText)
            throw ExitCode(SysExit.dataError)
        }
        return RecordList(records, location: file)
    }
}

/// The records of an export, as a store that can only be read: what `importRecords(from:)` takes.
final class RecordList: RecordStore {
    let location: String
    let machine = MachineName.current
    private let allRuns: [RoutineRun]
    private let allSessions: [SessionRecord]
    private let allProgrammes: [ProgrammeRecord]

    init(_ records: [HistoryRecord], location: String) {
        self.location = location
        var runs: [RoutineRun] = []
        var sessions: [SessionRecord] = []
        var programmes: [ProgrammeRecord] = []
        for record in records {
            switch record {
            case .routineRun(let run): runs.append(run)
            case .session(let session): sessions.append(session)
            case .programme(let programme): programmes.append(programme)
            }
        }
        allRuns = runs
        allSessions = sessions
        allProgrammes = programmes
    }

    private func readOnly() -> HistoryError {
        HistoryError("can't write to", path: location, reason: "an export is only read")
    }

    func record(_ run: RoutineRun) throws(HistoryError) -> RoutineRun { throw readOnly() }
    func record(_ session: SessionRecord) throws(HistoryError) -> SessionRecord { throw readOnly() }
    func recordRecovered(_ run: RoutineRun) throws(HistoryError) { throw readOnly() }
    func recordRecovered(_ session: SessionRecord) throws(HistoryError) { throw readOnly() }
    func prescribe(_ programme: ProgrammeRecord) throws(HistoryError) -> ProgrammeRecord { throw readOnly() }
    func forget(patient: String) throws(HistoryError) -> ForgottenRecords { throw readOnly() }

    func runs(since: Date?, patient: String?) throws(HistoryError) -> [RoutineRun] {
        allRuns.filter { run in
            since.map { run.startedAt >= $0 } ?? true && patient.map { PatientLabel.matches(run.patient, $0) } ?? true
        }
    }

    func sessions(since: Date?, patient: String?) throws(HistoryError) -> [SessionRecord] {
        allSessions.filter { session in
            since.map { session.startedAt >= $0 } ?? true
                && patient.map { PatientLabel.matches(session.patient, $0) } ?? true
        }
    }

    func programmes(patient: String?) throws(HistoryError) -> [ProgrammeRecord] {
        allProgrammes.filter { programme in patient.map { PatientLabel.matches(programme.patient, $0) } ?? true }
    }

    func recordCount(patient: String) throws(HistoryError) -> ForgottenRecords {
        ForgottenRecords(sessions: try sessions(since: nil, patient: patient).count,
                         routineRuns: try runs(since: nil, patient: patient).count,
                         programmes: try programmes(patient: patient).count)
    }
}
