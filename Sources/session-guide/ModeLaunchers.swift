import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout
import SessionGuideRuntime
import SessionGuideTerminal

/// Where a therapist session is recorded, and for whom.
struct SessionSetup {
    /// Where the session is recorded; nil with `--no-log`. Opened when the session's record is first saved.
    var history: HistoryLocation?
    /// The `--patient` label, already checked.
    var patient: String?
    /// The patient's current programme and what they did since the last visit, read when the session opens.
    var programme: PatientProgramme?
    var sinceLastVisit: [String] = []

    static var unrecorded: SessionSetup { SessionSetup(history: nil, patient: nil) }

    /// The setup for `patient`, with their programme and next-visit summary from the history (read only).
    static func forPatient(_ patient: String?, history: HistoryLocation?) -> SessionSetup {
        var setup = SessionSetup(history: history, patient: patient)
        guard let patient else { return setup }
        do {
            let store = try HistoryLocation.current.get().openForReading()
            let report = try patientReport(patient, store: store)
            setup.programme = report.currentProgramme.map(PatientProgramme.init)
            setup.sinceLastVisit = report.lines()
        } catch {
            setup.sinceLastVisit = ["The history could not be read: \(error)"]
        }
        return setup
    }

    var settings: SessionSettings {
        SessionSettings(records: history != nil, patient: patient, programme: programme, sinceLastVisit: sinceLastVisit)
    }
}

extension RoutineSetup {
    var settings: RoutineSettings { RoutineSettings(bell: bell, records: history != nil, notices: notices,
                                           asksAboutPain: asksAboutPain, patient: patient, programme: programme) }
}

/// The full-screen modes (menu, session, routine, reader, deck preview) on the runtime.
enum FullScreenApp {
    static func run(library: ContentLibrary, start: FullScreenProgram.Mode, display: TerminalOptions,
                    large: Bool = false, routineSetup: RoutineSetup = .silent, sessionSetup: SessionSetup = .unrecorded,
                    share: ShareServer? = nil, reloader: ContentReloader? = nil) throws -> Int32 {
        let keeper = Launcher.recordKeeper(history: routineSetup.history ?? sessionSetup.history)
        let terminal = try Launcher.openTerminal(display)
        defer { terminal.stop() }
        let program = FullScreenProgram(library: library, start: start, large: large, routine: routineSetup.settings,
                                        session: sessionSetup.settings, shares: share != nil,
                                        version: SessionGuideCommand.version, pixels: BigFont.Pixels(ascii: display.ascii))
        var ports: [RuntimePort] = []
        if let reloader { ports.append(ContentPort(reloader)) }
        if let share { ports.append(SharePort(share)) }
        let effects = AppEffects(speaker: routineSetup.speaker, keeper: keeper, share: share)
        return Launcher.run(program, io: terminal, ports: ports, effects: effects, stop: terminal.stop)
    }
}

/// `session --plain` and `routine --plain` on the runtime, speaking in lines.
enum PlainModes {
    /// Without a terminal on standard input the whole session is printed, as `print` does (and nothing is
    /// recorded: no session was run).
    static func session(_ session: Session, library: ContentLibrary, ascii: Bool, setup: SessionSetup) -> Int32 {
        let console = PlainConsole()
        console.ascii = ascii
        defer { console.stop() }
        guard console.readsKeys else {
            DocumentPrinter(library: library, format: .text, width: 0).render(.session(session))
                .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .forEach { console.line(SafeText(lines: $0)) }
            if let failure = console.outputFailure { Console.outputFailed(errno: failure) }
            return 0
        }
        let keeper = Launcher.recordKeeper(history: setup.history)
        let program = PlainSessionProgram(session: session, library: library, settings: setup.settings)
        let code = Launcher.run(program, io: console, effects: AppEffects(keeper: keeper), stop: console.stop)
        if let failure = console.outputFailure { Console.outputFailed(errno: failure) }
        return code
    }

    static func routine(_ engine: RoutineEngine, setup: RoutineSetup, ascii: Bool) -> Int32 {
        let console = PlainConsole()
        console.ascii = ascii
        defer { console.stop() }
        let keeper = Launcher.recordKeeper(history: setup.history)
        let program = PlainRoutineProgram(engine: engine, settings: setup.settings, readsKeys: console.readsKeys)
        let code = Launcher.run(program, io: console, effects: AppEffects(speaker: setup.speaker, keeper: keeper),
                                stop: console.stop)
        if let failure = console.outputFailure { Console.outputFailed(errno: failure) }
        return code
    }
}
