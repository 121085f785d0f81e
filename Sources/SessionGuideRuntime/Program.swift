import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout

/// A signal that asks the program to end; delivered as input, never as an interrupting handler.
public enum TerminalSignal: Hashable, Sendable {
    case interrupt, terminate, hangup, quit

    /// The shell's convention for a program that ends because of a signal: 128 plus its number.
    public var exitCode: Int32 {
        switch self {
        case .hangup: 128 + 1
        case .interrupt: 128 + 2
        case .quit: 128 + 3
        case .terminate: 128 + 15
        }
    }
}

/// Content read again while a mode runs (see the executable's content port).
public enum ContentEdit: Sendable {
    case loaded(ContentLibrary)
    /// The edit has errors: the first one, as `path:line: message`.
    case broken(String)
}

/// What the follower's connection to a shared session reports.
public enum FollowEvent: Sendable {
    case connected
    case message(ShareMessage)
    case unreadable(ShareMessage.ReadError)
    case disconnected
}

/// A record for the history.
public enum HistoryRecord: Sendable, Hashable {
    case routineRun(RoutineRun)
    case session(SessionRecord)
    /// A programme prescribed for a patient: saved once, as a new version.
    case programme(ProgrammeRecord)

    /// How the record is saved as it happens; a program sends an empty key until the history has given one.
    public var progress: RecordProgress? {
        get {
            switch self {
            case .routineRun(let run): run.progress
            case .session(let session): session.progress
            case .programme: nil
            }
        }
        set {
            switch self {
            case .routineRun(var run):
                run.progress = newValue
                self = .routineRun(run)
            case .session(var session):
                session.progress = newValue
                self = .session(session)
            case .programme: break
            }
        }
    }

    /// True while the run or session goes on (a save as it happens, not the closing one).
    public var isOpen: Bool { progress?.open == true }
}

/// Everything a program is told. Each wake-up of the runtime starts with `.tick`, then what arrived.
public enum ProgramInput: Sendable {
    /// The first update, with the screen's size.
    case start(Size)
    case tick
    case key(KeyEvent)
    case resize(Size)
    case signal(TerminalSignal)
    case contentEdited(ContentEdit)
    /// The kiosk's deck, read again after its files changed (nil: it can't be shown; the reason is logged).
    case deckLoaded(Deck?)
    case follow(FollowEvent)
    /// The outcome of a `.save` command: the record with the key the history gave it, and nil when saved,
    /// else why not.
    case saved(HistoryRecord, problem: String?)
    /// The answer to `.loadPatient`: what the history has on the patient.
    case patientLoaded(patient: String, PatientRecords)
}

extension ProgramInput {
    /// A port's input, in a word or two, for the trace a test waits on (`port content-loaded`, …).
    var traceName: String? {
        switch self {
        case .contentEdited(.loaded): "content-loaded"
        case .contentEdited(.broken): "content-broken"
        case .deckLoaded(let deck): deck == nil ? "deck-broken" : "deck-loaded"
        case .follow(.connected): "follow-connected"
        case .follow(.message): "follow-message"
        case .follow(.unreadable): "follow-unreadable"
        case .follow(.disconnected): "follow-disconnected"
        case .start, .tick, .key, .resize, .signal, .saved, .patientLoaded: nil
        }
    }
}

/// Where text for after the screen is closed goes.
public enum OutputStream: Sendable, Hashable {
    case standardOutput, standardError
}

/// What a program asks the runtime to do. Programs do no input or output themselves.
public enum ProgramCommand: Sendable {
    case bell
    case flash
    case speak(String)
    /// Let speech already started finish (up to a few seconds) before the program ends.
    case finishSpeaking
    /// A line of text, for the plain (line-by-line) modes.
    case say(String)
    /// The plain modes: switch the terminal to reading a typed line (true) or back to single keys (false).
    case readLine(Bool)
    case publish(ShareMessage)
    case log(String)
    /// Save a record in the history; the runtime answers with `.saved`.
    case save(HistoryRecord)
    /// Read what the history has on a patient; the runtime answers with `.patientLoaded`.
    case loadPatient(String)
    /// The menu's patient was chosen (`u`): kept for the next start where the machine is set to remember it.
    case patientChosen(String)
    /// Text printed once the screen is closed.
    case afterExit(String, OutputStream)
    case quit(Int32)
}

/// A mode of the program: state, an update that turns input into commands, and a view of the state.
///
/// `update` is the only place state changes; it is handed the time and never reads a clock. `view` draws the
/// state as it is and changes nothing, so layout facts that keys depend on (page size, scroll limits) are worked
/// out from the size in `update`.
public protocol Program {
    mutating func update(_ input: ProgramInput, at now: Instant) -> [ProgramCommand]
    /// The next moment something changes on its own; nil sleeps until input.
    func nextDeadline(after now: Moment) -> Moment?
    /// The screen; nil for the plain modes, which speak in lines.
    func view(_ size: Size) -> Grid?
}
