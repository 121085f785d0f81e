import ArgumentParser
import Foundation
import Glibc
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideRuntime
import SessionGuideTerminal

/// The clinic's local calendar day at a date, as the system's time zone has it then (daylight saving
/// included), from the C library rather than Foundation's calendar.
func localDay(_ date: Date) -> CalendarDay {
    CalendarDay(Instant(moment: Moment(milliseconds: 0), date: date, utcOffset: SystemClock.utcOffset(at: date)))
}

/// `history --patient` and the session's recap: everything the history has on one patient.
func patientReport(_ patient: String, store: (any RecordStore)?) throws(HistoryError) -> PatientReport {
    let now = TestControl.shared.clock.now().date
    guard let store else {
        return PatientReport(patient: patient, programmes: [], runs: [], sessions: [], now: now, localDay: localDay)
    }
    return PatientReport(patient: patient, programmes: try store.programmes(patient: patient),
                         runs: try store.runs(patient: patient), sessions: try store.sessions(patient: patient),
                         now: now, localDay: localDay)
}

/// `--forget-patient LABEL` for `history` and `notes`: counts the label's records, asks on a terminal (or takes
/// `--yes`), removes them all in one transaction and says how many went.
func forgetPatientRecords(_ raw: String, confirmed: Bool) throws {
    let patient: String
    switch PatientLabel.validated(raw) {
    case .success(let label): patient = label
    case .failure(let problem):
        Console.error("\(problem.description.replacingOccurrences(of: "--patient", with: "--forget-patient"))")
        throw ExitCode(SysExit.usage)
    }
    let history = try HistoryLocation.inForce()
    // Records still waiting in the outbox go into the history first, so none of the patient's is left behind to
    // come back later.
    for line in RecordKeeper(history: history).takeInRecovered() { Console.error("\(line)") }
    let count: ForgottenRecords
    do {
        guard let reader = try history.openForReading() else {
            Console.write("No history yet: nothing to forget for \(patient).\n" as SafeText)
            return
        }
        count = try reader.recordCount(patient: patient)
    } catch {
        Console.error("\(String(describing: error))")
        throw ExitCode(SysExit.ioError)
    }
    guard count.total > 0 else {
        Console.write("Nothing recorded for \(patient): nothing to forget.\n" as SafeText)
        return
    }
    let what = describe(count)
    if !confirmed {
        guard isatty(STDIN_FILENO) == 1 else {
            Console.error("this removes \(what) for \(patient) and can't be undone; run it on a terminal to be asked, "
                + "or add --yes")
            throw ExitCode(SysExit.usage)
        }
        Console.write("Remove every record of \(patient): \(what)? This can't be undone. [y/N] " as SafeText)
        let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            Console.write("Nothing was removed.\n")
            return
        }
    }
    do {
        let store = try history.openForWriting()
        let forgotten = try store.forget(patient: patient)
        Console.write("Removed \(describe(forgotten)) for \(patient) (\(forgotten.total) record"
            + "\(forgotten.total == 1 ? "" : "s") in all).\n" as SafeText)
    } catch {
        Console.error("\(String(describing: error))")
        throw ExitCode(SysExit.ioError)
    }
}

/// "1 session, 3 routine runs, 2 programmes", for forgetting a patient and for `history import`.
func describe(_ count: ForgottenRecords) -> String {
    func phrase(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
    return [phrase(count.sessions, "session"), phrase(count.routineRuns, "routine run"),
            phrase(count.programmes, "programme")].joined(separator: ", ")
}

/// `--patient LABEL`, for the menu and every command that works for one patient. One type everywhere, so that
/// the value reaches the subcommand it was written after (swift-argument-parser hands an option group decoded
/// for the parent to a subcommand's group of the same type; two options of the same name would not see it).
struct PatientOption: ParsableArguments {
    @Option(help: ArgumentHelp("""
        The patient's initials or clinic code (never a name): sessions and routine runs are recorded for them, \
        routines run their programme, history and print show theirs.
        """, valueName: "label"))
    var patient: String?

    /// The label as it is kept (spaces at the ends trimmed); `validate()` has refused one that isn't a label.
    var label: String? { patient.flatMap { try? PatientLabel.validated($0).get() } }

    func validate() throws {
        if let patient, case .failure(let problem) = PatientLabel.validated(patient) {
            throw ValidationError(problem.description)
        }
    }
}

/// The menu's last patient, for a machine set to `remember-patient: yes`: one line in the state folder, private
/// like the history. Without that setting nothing is written, and a label written before is removed.
enum LastPatient {
    static var path: String {
        ((try? HistoryLocation.current.get())?.stateFolder ?? HistoryFiles.folder(of: HistoryStore.defaultPath()))
            + "/last-patient"
    }

    static var isOn: Bool { Configuration.current.file.rememberPatient?.value == true }

    /// The label kept last time, when remembering is on and it is still a valid label.
    static func recalled() -> String? {
        guard isOn else {
            unlink(path)
            return nil
        }
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return try? PatientLabel.validated(String(decoding: buffer[0..<count], as: UTF8.self)
            .trimmingCharacters(in: .newlines)).get()
    }

    static func remember(_ label: String) {
        guard isOn else { return }
        let folder = HistoryFiles.folder(of: path)
        if mkdir(folder, 0o700) != 0, errno != EEXIST { return }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = Console.writeAll(Array((label + "\n").utf8), to: descriptor)
    }
}
