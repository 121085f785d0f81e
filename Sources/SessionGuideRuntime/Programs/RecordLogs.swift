import Foundation
import SessionGuideEngine
import SessionGuideHistory

/// How a routine gives its cues and whether it is recorded.
public struct RoutineSettings: Sendable {
    public var bell: Bool
    /// Whether runs are saved in the history (false with `--no-log`).
    public var records: Bool
    /// Lines for the intro screen (no voice, say).
    public var notices: [String]

    public init(bell: Bool = true, records: Bool = false, notices: [String] = []) {
        self.bell = bell
        self.records = records
        self.notices = notices
    }
}

/// Whether a therapist session is recorded, and for whom.
public struct SessionSettings: Sendable {
    public var records: Bool
    /// The `--patient` label, already checked.
    public var patient: String?

    public init(records: Bool = false, patient: String? = nil) {
        self.records = records
        self.patient = patient
    }
}

/// Keeps a routine run for the history: notes the wall-clock start when the routine starts and asks for the
/// run to be saved once, when it finishes or is stopped (by a key or a signal). A history that can't be used
/// never stops the routine; it only changes what the patient is told at the end.
public struct RoutineRunLog: Sendable {
    let settings: RoutineSettings
    private var startDate: Date?
    private var recorded = false
    /// The finish screen's line about the history.
    public private(set) var notice: String?

    public init(settings: RoutineSettings) {
        self.settings = settings
    }

    /// Call after every change to the engine.
    public mutating func follow(_ engine: RoutineEngine, at now: Instant) -> [ProgramCommand] {
        if startDate == nil, engine.startedAt != nil { startDate = now.date }
        return engine.stage == .finished ? record(engine, at: now.moment) : []
    }

    /// Forgets the last run, for the next routine opened from the menu.
    public mutating func reset() {
        startDate = nil
        recorded = false
        notice = nil
    }

    /// Saves the run, finished or stopped early, once; a run that never started is not a run.
    public mutating func record(_ engine: RoutineEngine, at now: Moment) -> [ProgramCommand] {
        guard let startDate, !recorded else { return [] }
        recorded = true
        guard settings.records else { return [] }
        let drills = engine.drills.enumerated().map { index, drill in
            DrillResult(position: index + 1, drillID: drill.drill.id, drillTitle: drill.drill.title,
                        status: engine.outcomes[index] == .done ? .done
                            : engine.outcomes[index] == .skipped ? .skipped : .notReached)
        }
        let reachedEnd = engine.stage == .finished || engine.stage == .painAfter
        let run = RoutineRun(routineID: engine.routine.id, routineTitle: engine.routine.title, startedAt: startDate,
                             seconds: Int(engine.timeSpent(at: now) / 1000),
                             completed: reachedEnd && !engine.stoppedEarly, painBefore: engine.painBefore,
                             painAfter: engine.painAfter, drills: drills)
        return [.save(.routineRun(run))]
    }

    /// The history's answer to the save.
    public mutating func saved(problem: String?) -> [ProgramCommand] {
        guard let problem else {
            notice = "Saved to your history ('session-guide history' shows it)."
            return []
        }
        notice = "This run was not saved: \(problem)"
        return [.afterExit("the run was not saved: \(problem)", .standardError)]
    }
}

/// Keeps a therapist session for the history, in the same file as the routine runs: its summary (time on each
/// step, drill timers) and the therapist's notes. It notes the wall-clock start when the session opens and asks
/// for one save when it ends: `q`, back to the menu, Ctrl-C or a signal. A history that can't be used never
/// stops the session; afterwards the therapist gets one line saying why, and the notes on standard output, so
/// that no note is lost.
public struct SessionLog: Sendable {
    let settings: SessionSettings
    private var startDate = Date(timeIntervalSince1970: 0)
    private var recorded = false
    /// What to tell the therapist about the history: a line for the menu or the plain session's last line.
    public private(set) var notice: String?

    public init(settings: SessionSettings) {
        self.settings = settings
    }

    /// Call when a session opens.
    public mutating func begin(at now: Instant) {
        startDate = now.date
        recorded = false
        notice = nil
    }

    /// Saves the session once. `interrupted`: a signal or Ctrl-C ended it rather than `q`.
    public mutating func record(_ engine: SessionEngine, at now: Instant, interrupted: Bool) -> [ProgramCommand] {
        guard !recorded else { return [] }
        recorded = true
        guard settings.records else { return [] }
        return [.save(.session(Self.makeRecord(engine, at: now.moment, startDate: startDate, endDate: now.date,
                                               patient: settings.patient, interrupted: interrupted)))]
    }

    /// The history's answer to the save: when it failed, the notes go to standard output once the screen is
    /// closed, and the reason to standard error.
    public mutating func saved(_ record: SessionRecord, problem: String?) -> [ProgramCommand] {
        guard let problem else {
            notice = "Saved to the history ('session-guide notes' shows it)."
            return []
        }
        notice = "This session was not saved: \(problem)"
        var commands: [ProgramCommand] = []
        if !record.notes.isEmpty {
            let lines = ["Notes from \(record.sessionTitle) (not saved, copy them now):"]
                + record.notes.map { "  Step \($0.stepPosition), \($0.stepTitle): \($0.text)" }
            commands.append(.afterExit(lines.joined(separator: "\n") + "\n", .standardOutput))
        }
        commands.append(.afterExit("the session was not saved: \(problem)", .standardError))
        return commands
    }

    /// What the session did, as the history keeps it. Moments on the monotonic clock become wall-clock times
    /// counted from the start.
    public static func makeRecord(_ engine: SessionEngine, at now: Moment, startDate: Date, endDate: Date,
                                  patient: String?, interrupted: Bool) -> SessionRecord {
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
}
