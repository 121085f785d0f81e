import ArgumentParser
import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideRuntime

struct RoutineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routine",
        abstract: "Guide a patient through a drill routine, hands-free, with cues and a history of each run.",
        discussion: """
            The routine runs by itself: get ready, each drill, rests, sides and sets. Keys: Space pause/resume \
            (or: reps done), → skip a drill, ← back, + 15 more seconds of rest, q stop. The terminal bell and a \
            flash mark every change of phase and the last three seconds. Each run is saved in \
            $XDG_STATE_HOME/session-guide/history.sqlite (see 'session-guide history').
            """
    )

    @OptionGroup var options: ContentOptions
    @OptionGroup var cues: RoutineOptions
    @OptionGroup var history: HistoryOptions

    @Argument(help: ArgumentHelp("The id of a routine (see 'session-guide list').", valueName: "id"),
              completion: IDCompletion.ids(.routine))
    var id: String?

    @Flag(help: "Line-by-line text instead of the full screen, for screen readers (and scripts).")
    var plain = false

    @OptionGroup var patientOption: PatientOption
    var patient: String? { patientOption.label }

    func run() throws {
        let library = try options.loadLibrary()
        let routines = library.documents.compactMap { document -> Routine? in
            if case .routine(let routine) = document { return routine }
            return nil
        }
        let label = patient
        var programme: PatientProgramme?
        var notices: [String] = []
        if let label {
            let (found, problem) = PatientData.currentProgramme(for: label)
            programme = found
            if let problem {
                Console.error("can't read \(label)'s programme: \(problem)")
                notices.append("\(label)'s programme could not be read from the history: this is the routine as written.")
            }
        }
        let routine: Routine
        if id == nil, let programme, case .routine(let found)? = library.document(id: programme.record.routineID) {
            routine = found
        } else if let id {
            switch library.document(id: id) {
            case .routine(let found)?:
                routine = found
            case let other?:
                Console.error("'\(id)' is a \(other.kind.rawValue), not a routine; try \(DocumentCommand.for(other.kind, id))")
                throw ExitCode(SysExit.usage)
            case nil:
                try reportMissing(id, in: library, options: options)
            }
        } else if routines.count == 1 {
            routine = routines[0]
        } else {
            let names = routines.map(\.id).joined(separator: ", ")
            Console.error("which routine? give one of: \(names.isEmpty ? "(none in the content folder)" : names)")
            throw ExitCode(SysExit.usage)
        }
        var setup = cues.makeSetup(history: history.location)
        setup.patient = label
        let start = RoutineStart(routine, library: library, patient: label, programme: programme,
                                 asksAboutPain: cues.asksAboutPain, utcOffset: TestControl.shared.clock.now().utcOffset)
        let engine = start.engine
        setup.programme = start.programme
        // A history that couldn't be read has said so already.
        if notices.isEmpty, let notice = start.notice { notices.append(notice) }
        setup.notices += notices
        let code = plain ? PlainModes.routine(engine, setup: setup, ascii: options.asciiMode)
            : try FullScreenApp.run(library: library, start: .routine(engine), display: options.terminalOptions(), large: options.effectiveLarge,
                                    routineSetup: setup,
                                    reloader: options.contentReloader())
        if code != 0 { throw ExitCode(code) }
    }
}

/// The options of patient mode, shared by `routine` and the home menu.
struct RoutineOptions: ParsableArguments {
    @Flag(help: "Speak the cues with espeak-ng (install the espeak-ng package).")
    var voice = false

    @Flag(help: "No sound at all: no bell, no speech (the screen still flashes).")
    var quiet = false

    @Flag(help: "Don't ask about pain before and after.")
    var noPainCheck = false

    var effectiveQuiet: Bool { quiet || Configuration.current.file.quiet?.value == true }
    var effectiveVoice: Bool { voice || Configuration.current.file.voice?.value == true }
    var asksAboutPain: Bool { !noPainCheck && Configuration.current.file.painCheck?.value != false }

    /// - Parameter history: where runs are recorded; nil with `--no-log`.
    func makeSetup(history: HistoryLocation?) -> RoutineSetup {
        var notices: [String] = []
        var speaker: Speaker?
        let quiet = effectiveQuiet
        if effectiveVoice, !quiet {
            if let command = Speaker.findCommand() {
                speaker = Speaker(command: command)
            } else {
                let message = "--voice needs espeak-ng, which is not installed (apt-get install espeak-ng); "
                    + "cues will be the bell and the flash only"
                Console.error("\(message)")
                notices.append("No voice: espeak-ng is not installed.")
            }
        }
        return RoutineSetup(speaker: speaker, bell: !quiet, history: history,
                            notices: notices, asksAboutPain: asksAboutPain)
    }
}

/// `--no-log`, for `routine`, `session` and the home menu. Its own type, so that the value given to the menu's
/// command is the one its subcommands see (swift-argument-parser hands an option group decoded for the parent
/// to a subcommand with a group of the same type; a flag of the same name elsewhere would never see it).
struct HistoryOptions: ParsableArguments {
    @Flag(help: "Don't save this in the history (a routine run, or a session and its notes).")
    var noLog = false

    @OptionGroup var store: HistoryStoreOption

    /// Where to record runs and sessions; nil with `--no-log`.
    var location: HistoryLocation? { noLog ? nil : try? HistoryLocation.current.get() }

    /// A `history:` setting that can't be used stops the program before anything starts, rather than leaving
    /// every record in the outbox.
    func validate() throws {
        if !noLog, case .failure(let error) = HistoryLocation.current { throw ValidationError(error.description) }
    }
}

/// How a routine run gives its cues and where it is recorded.
struct RoutineSetup {
    var speaker: Speaker?
    var bell: Bool
    /// Where runs are recorded; nil with `--no-log`. The store is opened only when a run is recorded, so a
    /// routine that never starts leaves no history behind.
    var history: HistoryLocation?
    var notices: [String]
    var asksAboutPain = true
    /// The `--patient` label, checked, and their programme when the run follows it.
    var patient: String?
    var programme: PatientProgramme?

    static var silent: RoutineSetup { RoutineSetup(speaker: nil, bell: true, history: nil, notices: []) }
}
