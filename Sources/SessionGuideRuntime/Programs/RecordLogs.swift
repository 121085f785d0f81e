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
    /// Whether routines opened from the home menu ask about pain before and after (false with
    /// `--no-pain-check` or `pain-check: no`); a routine started directly carries this in its engine.
    public var asksAboutPain: Bool
    /// The `--patient` label runs are recorded for, already checked; nil for nobody in particular.
    public var patient: String?
    /// The patient's programme: runs of its routine are recorded as following it.
    public var programme: PatientProgramme?

    public init(bell: Bool = true, records: Bool = false, notices: [String] = [], asksAboutPain: Bool = true,
                patient: String? = nil, programme: PatientProgramme? = nil) {
        self.bell = bell
        self.records = records
        self.notices = notices
        self.asksAboutPain = asksAboutPain
        self.patient = patient
        self.programme = programme
    }
}

/// Whether a therapist session is recorded, and for whom.
public struct SessionSettings: Sendable {
    public var records: Bool
    /// The `--patient` label, already checked.
    public var patient: String?
    /// The patient's current programme, which the programme editor starts from.
    public var programme: PatientProgramme?
    /// What the patient did since the last visit, for the recap step (`PatientReport`): empty without a patient.
    public var sinceLastVisit: [String]

    public init(records: Bool = false, patient: String? = nil, programme: PatientProgramme? = nil,
                sinceLastVisit: [String] = []) {
        self.records = records
        self.patient = patient
        self.programme = programme
        self.sinceLastVisit = sinceLastVisit
    }
}

/// How often a record still being made is saved again when nothing else changed (the time on it).
let checkpointMilliseconds: Int64 = 15_000

/// Keeps a routine run for the history as it happens: the record is created when the routine starts, saved
/// again at each change (a drill, a set, a pain answer) and every 15 seconds, and closed once when it finishes
/// or is stopped (by a key or a signal). A `kill -9` or a power cut loses the last seconds at most; the history
/// then shows the run as interrupted. A history that can't be used never stops the routine; it only changes
/// what the patient is told at the end.
public struct RoutineRunLog: Sendable {
    let settings: RoutineSettings
    private var startDate: Date?
    private var recorded = false
    /// Given by the history's answer to the first save; the later saves update that record.
    private var progress: RecordProgress?
    private var lastShape: RoutineRun?
    private var lastSave: Moment?
    /// The finish screen's line about the history.
    public private(set) var notice: String?

    public init(settings: RoutineSettings) {
        self.settings = settings
    }

    /// Call after every change to the engine.
    public mutating func follow(_ engine: RoutineEngine, at now: Instant) -> [ProgramCommand] {
        if startDate == nil, engine.startedAt != nil { startDate = now.date }
        if engine.stage == .finished { return record(engine, at: now) }
        guard settings.records, startDate != nil, !recorded else { return [] }
        let run = makeRun(engine, at: now, open: true, interrupted: false)
        var shape = run
        (shape.seconds, shape.endedAt, shape.progress) = (0, nil, nil)
        if shape == lastShape, let lastSave, now.moment - lastSave < checkpointMilliseconds { return [] }
        (lastShape, lastSave) = (shape, now.moment)
        return [.save(.routineRun(run))]
    }

    /// When the record should next be saved for its time alone.
    public func nextDeadline() -> Moment? {
        guard settings.records, !recorded, startDate != nil, let lastSave else { return nil }
        return lastSave + checkpointMilliseconds
    }

    /// Forgets the last run, for the next routine opened from the menu.
    public mutating func reset() {
        self = RoutineRunLog(settings: settings)
    }

    /// Saves the run, finished or stopped early, once; a run that never started is not a run. `interrupted`:
    /// a signal ended it.
    public mutating func record(_ engine: RoutineEngine, at now: Instant, interrupted: Bool = false) -> [ProgramCommand] {
        guard startDate != nil, !recorded else { return [] }
        recorded = true
        guard settings.records else { return [] }
        return [.save(.routineRun(makeRun(engine, at: now, open: false, interrupted: interrupted)))]
    }

    private func makeRun(_ engine: RoutineEngine, at now: Instant, open: Bool, interrupted: Bool) -> RoutineRun {
        let drills = engine.drills.enumerated().map { index, drill in
            DrillResult(position: index + 1, drillID: drill.drill.id, drillTitle: drill.drill.title,
                        status: engine.outcomes[index] == .done ? .done
                            : engine.outcomes[index] == .skipped ? .skipped : .notReached,
                        feedback: engine.feedback[index].flatMap { DrillResult.Feedback(rawValue: $0.rawValue) })
        }
        let programme = settings.programme.flatMap { $0.record.routineID == engine.routine.id ? $0.record.id : nil }
        let reachedEnd = [.finished, .painAfter, .lastFeedback].contains(engine.stage)
        var progress = self.progress ?? RecordProgress(key: "", writer: "", open: open)
        progress.open = open
        return RoutineRun(routineID: engine.routine.id, routineTitle: engine.routine.title,
                          startedAt: startDate ?? now.date, seconds: Int(engine.timeSpent(at: now.moment) / 1000),
                          completed: !open && reachedEnd && !engine.stoppedEarly, painBefore: engine.painBefore,
                          painAfter: engine.painAfter, endedAt: now.date, interrupted: interrupted,
                          progress: progress, patient: settings.patient, programmeID: programme, drills: drills)
    }

    /// The history's answer to a save. Only the last one (the closed record) is told to the patient.
    public mutating func saved(_ run: RoutineRun, problem: String?) -> [ProgramCommand] {
        if let given = run.progress, !given.key.isEmpty { progress = given }
        guard run.progress?.open != true else { return [] }
        guard let problem else {
            notice = "Saved to your history ('session-guide history' shows it)."
            return []
        }
        notice = "This run was not saved: \(problem)"
        return [.afterExit("the run was not saved: \(problem)", .standardError)]
    }
}

/// Keeps a therapist session for the history, in the same file as the routine runs: its summary (time on each
/// step, drill timers) and the therapist's notes. The record is created when the session opens, saved again at
/// every change (a step, a timer, each key of a note being typed) and every 15 seconds, and closed once when the
/// session ends: `q`, back to the menu, Ctrl-C or a signal. A `kill -9` or a power cut loses the last seconds
/// at most, and the notes typed before it are kept. A history that can't be used never stops the session;
/// afterwards the therapist gets one line saying why, and the notes on standard output, so that no note is lost
/// (the program also keeps them in its recovery file).
public struct SessionLog: Sendable {
    let settings: SessionSettings
    private var startDate = Date(timeIntervalSince1970: 0)
    private var recorded = true
    private var progress: RecordProgress?
    private var lastShape: SessionRecord?
    private var lastStep: Int?
    private var lastSave: Moment?
    /// What to tell the therapist about the history: a line for the menu or the plain session's last line.
    public private(set) var notice: String?

    public init(settings: SessionSettings) {
        self.settings = settings
    }

    /// The key the history gave this session's record, once it has; a programme given in it names it.
    public var recordKey: String? { recorded ? nil : progress?.key.isEmpty == false ? progress?.key : nil }

    /// Call when a session opens.
    public mutating func begin(at now: Instant) {
        self = SessionLog(settings: settings)
        startDate = now.date
        recorded = false
    }

    /// Call after every update while the session is on screen: saves the record when it changed, or when its
    /// times were last saved 15 seconds ago.
    public mutating func checkpoint(_ engine: SessionEngine, at now: Instant) -> [ProgramCommand] {
        guard settings.records, !recorded else { return [] }
        let record = makeRecord(engine, at: now, open: true, interrupted: false)
        var shape = record
        (shape.seconds, shape.endedAt, shape.progress) = (0, startDate, nil)
        for index in shape.steps.indices { shape.steps[index].seconds = 0 }
        for index in shape.notes.indices { shape.notes[index].writtenAt = startDate }
        if shape == lastShape, engine.currentStep == lastStep, let lastSave,
           now.moment - lastSave < checkpointMilliseconds { return [] }
        (lastShape, lastStep, lastSave) = (shape, engine.currentStep, now.moment)
        return [.save(.session(record))]
    }

    /// When the record should next be saved for its time alone.
    public func nextDeadline() -> Moment? {
        guard settings.records, !recorded, let lastSave else { return nil }
        return lastSave + checkpointMilliseconds
    }

    /// Saves the session once. `interrupted`: a signal or Ctrl-C ended it rather than `q`.
    public mutating func record(_ engine: SessionEngine, at now: Instant, interrupted: Bool) -> [ProgramCommand] {
        guard !recorded else { return [] }
        recorded = true
        guard settings.records else { return [] }
        return [.save(.session(makeRecord(engine, at: now, open: false, interrupted: interrupted)))]
    }

    private func makeRecord(_ engine: SessionEngine, at now: Instant, open: Bool, interrupted: Bool) -> SessionRecord {
        var record = Self.makeRecord(engine, at: now.moment, startDate: startDate, endDate: now.date,
                                     patient: settings.patient, interrupted: interrupted)
        var progress = self.progress ?? RecordProgress(key: "", writer: "", open: open)
        progress.open = open
        record.progress = progress
        return record
    }

    /// The history's answer to a save: when the closing save failed, the notes go to standard output once the
    /// screen is closed, and the reason to standard error.
    public mutating func saved(_ record: SessionRecord, problem: String?) -> [ProgramCommand] {
        if let given = record.progress, !given.key.isEmpty { progress = given }
        guard record.progress?.open != true else { return [] }
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
