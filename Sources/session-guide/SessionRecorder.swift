import Foundation
import SessionGuideEngine
import SessionGuideHistory

/// Where a therapist session is recorded, and for whom.
struct SessionSetup {
    /// The history file; nil with `--no-log`. It is opened only when the session ends.
    var historyPath: String?
    /// The `--patient` label, already checked.
    var patient: String?

    static var unrecorded: SessionSetup { SessionSetup(historyPath: nil, patient: nil) }
}

/// Keeps a therapist session in the history, in the same file as the routine runs: its summary (time on each
/// step, drill timers) and the therapist's notes. It notes the wall-clock start when the session opens and
/// records once when it ends: `q`, back to the menu, Ctrl-C or a signal. A history that can't be used never
/// stops the session; afterwards the therapist gets one line saying why, and the notes on standard output, so
/// that no note is lost.
final class SessionRecorder {
    private let setup: SessionSetup
    private var startDate = Date()
    private var recorded = false
    /// What to tell the therapist about the history: a line for the menu or the plain session's last line.
    private(set) var notice: String?
    /// For standard output once the screen is closed: the notes that could not be saved.
    private(set) var unsavedNotes: [String] = []
    /// For standard error once the screen is closed.
    private(set) var messagesAfterExit: [String] = []

    init(setup: SessionSetup) {
        self.setup = setup
    }

    /// Call when a session opens.
    func begin() {
        startDate = Date()
        recorded = false
        notice = nil
    }

    /// Saves the session once. `interrupted`: a signal or Ctrl-C ended it rather than `q`.
    func record(_ engine: SessionEngine, at now: Moment, interrupted: Bool) {
        guard !recorded else { return }
        recorded = true
        guard let path = setup.historyPath else { return }
        let record = Self.makeRecord(engine, at: now, startDate: startDate, endDate: Date(), patient: setup.patient,
                                     interrupted: interrupted)
        do {
            try HistoryStore(path: path).record(record)
            notice = "Saved to the history ('session-guide notes' shows it)."
        } catch {
            notice = "This session was not saved: \(error.description)"
            messagesAfterExit.append("the session was not saved: \(error.description)")
            if !record.notes.isEmpty {
                unsavedNotes.append("Notes from \(record.sessionTitle) (not saved, copy them now):")
                unsavedNotes += record.notes.map { "  Step \($0.stepPosition), \($0.stepTitle): \($0.text)" }
            }
        }
    }

    /// What the session did, as the history keeps it. Moments on the monotonic clock become wall-clock times
    /// counted from the start.
    static func makeRecord(_ engine: SessionEngine, at now: Moment, startDate: Date, endDate: Date, patient: String?,
                           interrupted: Bool) -> SessionRecord {
        let times = engine.timeOnSteps(at: now)
        let steps = engine.steps.enumerated().map { index, step in
            let timer: SessionStepRecord.Timer? = step.drill == nil ? nil
                : engine.timersCompleted.contains(index) ? .completed
                : engine.timersStarted.contains(index) ? .started : .notStarted
            return SessionStepRecord(position: index + 1, title: step.title, group: step.group,
                                     seconds: Int(times[index] / 1000), drillID: step.drill?.drill.id, timer: timer)
        }
        let notes = engine.notesIncludingDraft(at: now).sorted { $0.key < $1.key }.map { index, note in
            SessionNoteRecord(stepPosition: index + 1, stepTitle: engine.steps[index].title, text: note.text,
                              writtenAt: startDate.addingTimeInterval(Double(note.writtenAt - engine.startedAt) / 1000))
        }
        return SessionRecord(sessionID: engine.session.id, sessionTitle: engine.session.title, patient: patient,
                             startedAt: startDate, endedAt: endDate, seconds: Int(engine.elapsed(at: now) / 1000),
                             interrupted: interrupted, drillSteps: engine.drillSteps.count,
                             timersStarted: engine.timersStarted.count, timersCompleted: engine.timersCompleted.count,
                             steps: steps, notes: notes)
    }

    /// Once the screen is closed: the unsaved notes on standard output, then the reason on standard error.
    func reportAfterExit() {
        if !unsavedNotes.isEmpty { Console.write(unsavedNotes.joined(separator: "\n") + "\n") }
        messagesAfterExit.forEach(Console.error)
    }
}
