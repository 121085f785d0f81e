import Foundation
import GRDB

/// One run of a routine, finished or stopped early, as kept in the history.
public struct RoutineRun: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord, HistoryDated {
    public static let databaseTableName = "routine_run"

    public var id: Int64?
    public var routineID: String
    public var routineTitle: String
    public var startedAt: Date
    public var seconds: Int
    /// False when the patient stopped before the end.
    public var completed: Bool
    public var painBefore: Int?
    public var painAfter: Int?
    /// The wall-clock time of the last save: the end once the run is over (nil in histories from before v3).
    public var endedAt: Date?
    /// True when a signal ended the run, or the program was killed before it could finish the record.
    public var interrupted: Bool?
    /// See `RecordProgress`.
    public var progress: RecordProgress?
    /// The patient's label (`--patient`), nil for a run nobody was named for (and in histories before v4).
    public var patient: String?
    /// The programme the run followed (`ProgrammeRecord.id`), nil for the routine as written.
    public var programmeID: Int64?
    /// The name of the machine that recorded it (set by the store when saved; nil in histories before v5).
    public var machine: String?
    /// Not a column: the drills, filled in when runs are read.
    public var drills: [DrillResult] = []

    enum CodingKeys: String, CodingKey {
        case id
        case patient
        case programmeID = "programme_id"
        case machine
        case routineID = "routine_id"
        case routineTitle = "routine_title"
        case startedAt = "started_at"
        case seconds, completed
        case painBefore = "pain_before"
        case painAfter = "pain_after"
        case endedAt = "ended_at"
        case interrupted
        case progressKey = "record_key"
        case progressWriter = "writer"
        case progressOpen = "in_progress"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int64.self, forKey: .id)
        routineID = try container.decode(String.self, forKey: .routineID)
        routineTitle = try container.decode(String.self, forKey: .routineTitle)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        seconds = try container.decode(Int.self, forKey: .seconds)
        completed = try container.decode(Bool.self, forKey: .completed)
        painBefore = try container.decodeIfPresent(Int.self, forKey: .painBefore)
        painAfter = try container.decodeIfPresent(Int.self, forKey: .painAfter)
        endedAt = try container.decodeIfPresent(Date.self, forKey: .endedAt)
        interrupted = try container.decodeIfPresent(Bool.self, forKey: .interrupted)
        progress = try RecordProgress.decode(from: container, key: .progressKey, writer: .progressWriter,
                                             open: .progressOpen)
        patient = try container.decodeIfPresent(String.self, forKey: .patient)
        programmeID = try container.decodeIfPresent(Int64.self, forKey: .programmeID)
        machine = try container.decodeIfPresent(String.self, forKey: .machine)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(patient, forKey: .patient)
        try container.encodeIfPresent(programmeID, forKey: .programmeID)
        try container.encodeIfPresent(machine, forKey: .machine)
        try container.encode(routineID, forKey: .routineID)
        try container.encode(routineTitle, forKey: .routineTitle)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(completed, forKey: .completed)
        try container.encode(painBefore, forKey: .painBefore)
        try container.encode(painAfter, forKey: .painAfter)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(interrupted, forKey: .interrupted)
        try progress.encode(to: &container, key: .progressKey, writer: .progressWriter, open: .progressOpen)
    }

    public init(id: Int64? = nil, routineID: String, routineTitle: String, startedAt: Date, seconds: Int,
                completed: Bool, painBefore: Int? = nil, painAfter: Int? = nil, endedAt: Date? = nil,
                interrupted: Bool? = nil, progress: RecordProgress? = nil, patient: String? = nil,
                programmeID: Int64? = nil, drills: [DrillResult] = []) {
        self.id = id
        self.patient = patient
        self.programmeID = programmeID
        self.endedAt = endedAt
        self.interrupted = interrupted
        self.progress = progress
        self.routineID = routineID
        self.routineTitle = routineTitle
        self.startedAt = startedAt
        self.seconds = seconds
        self.completed = completed
        self.painBefore = painBefore
        self.painAfter = painAfter
        self.drills = drills
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Ended by a signal, or cut short by a kill or a power cut (the record was never finished).
    public var wasInterrupted: Bool { interrupted == true || progress?.cutShort == true }
    /// Still going on: saved as it happens, not closed yet (or cut short).
    public var isOpen: Bool { progress?.open == true }

    public var drillsDone: Int { drills.filter { $0.status == .done }.count }
    public var drillsSkipped: Int { drills.filter { $0.status == .skipped }.count }
}

/// What became of one drill in a run.
public struct DrillResult: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord, HistoryDated {
    public static let databaseTableName = "drill_result"

    public enum Status: String, Codable, Hashable, Sendable, DatabaseValueConvertible {
        case done
        case skipped
        /// The run was stopped before this drill.
        case notReached = "not-reached"
    }

    /// The patient's one-key answer after the drill (nil: not asked, or skipped).
    public enum Feedback: String, Codable, Hashable, Sendable, DatabaseValueConvertible, CaseIterable {
        case tooEasy = "too-easy"
        case aboutRight = "about-right"
        case tooHard = "too-hard"
        case hurt

        /// In words, for reports: "too easy", "it hurt".
        public var words: String {
            switch self {
            case .tooEasy: "too easy"
            case .aboutRight: "about right"
            case .tooHard: "too hard"
            case .hurt: "it hurt"
            }
        }
    }

    public var id: Int64?
    public var runID: Int64?
    public var position: Int
    public var drillID: String
    public var drillTitle: String
    public var status: Status
    public var feedback: Feedback?

    enum CodingKeys: String, CodingKey {
        case id
        case runID = "run_id"
        case position
        case drillID = "drill_id"
        case drillTitle = "drill_title"
        case status
        case feedback
    }

    public init(position: Int, drillID: String, drillTitle: String, status: Status, feedback: Feedback? = nil) {
        self.position = position
        self.drillID = drillID
        self.drillTitle = drillTitle
        self.status = status
        self.feedback = feedback
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// How a record is saved as it happens: it is created when the run or session starts, saved again at each
/// step, drill and note under the same `key`, and closed (`open` false) when it ends. A record left open by a
/// program that is no longer running was cut short (a kill, a power cut): it is shown as interrupted.
public struct RecordProgress: Codable, Hashable, Sendable {
    /// Unique per record, so a later save (or the recovery file) updates the row instead of adding one.
    public var key: String
    /// `BOOT-ID/PID` of the program writing it, to tell a record still being written from one cut short.
    public var writer: String
    /// True until the run or session has ended.
    public var open: Bool
    /// Not stored: worked out when records are read.
    public var cutShort = false

    public init(key: String, writer: String, open: Bool) {
        self.key = key
        self.writer = writer
        self.open = open
    }

    enum CodingKeys: String, CodingKey { case key, writer, open }

    static func decode<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, key: Key, writer: Key,
                                       open: Key) throws -> RecordProgress? {
        guard let value = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        return RecordProgress(key: value, writer: try container.decodeIfPresent(String.self, forKey: writer) ?? "",
                              open: try container.decodeIfPresent(Bool.self, forKey: open) ?? false)
    }
}

extension RecordProgress? {
    func encode<Key: CodingKey>(to container: inout KeyedEncodingContainer<Key>, key: Key, writer: Key,
                                open: Key) throws {
        try container.encode(self?.key, forKey: key)
        try container.encode(self?.writer, forKey: writer)
        try container.encode(self?.open, forKey: open)
    }
}

// MARK: - Therapist sessions

/// One therapist session as kept in the history: what was run, for whom, how long, the drill timers, the time
/// on each step and the therapist's notes. Saved as it goes (see `RecordProgress`) and once more at the end.
public struct SessionRecord: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord, HistoryDated {
    public static let databaseTableName = "session_record"

    public var id: Int64?
    public var sessionID: String
    public var sessionTitle: String
    /// Initials or a clinic code (`--patient`); never a name the program asks for.
    public var patient: String?
    public var startedAt: Date
    public var endedAt: Date
    /// Length on the monotonic clock, which a change of the wall clock doesn't move.
    public var seconds: Int
    /// True when a signal or Ctrl-C ended it rather than `q`.
    public var interrupted: Bool
    /// Steps with a drill, timers started at least once, and timers that ran to the end.
    public var drillSteps: Int
    public var timersStarted: Int
    public var timersCompleted: Int
    /// See `RecordProgress`.
    public var progress: RecordProgress?
    /// The name of the machine that recorded it (set by the store when saved; nil in histories before v5).
    public var machine: String?
    /// Not columns: filled in when records are read.
    public var steps: [SessionStepRecord] = []
    public var notes: [SessionNoteRecord] = []

    enum CodingKeys: String, CodingKey {
        case id
        case sessionID = "session_id"
        case sessionTitle = "session_title"
        case patient
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case seconds, interrupted
        case drillSteps = "drill_steps"
        case timersStarted = "timers_started"
        case timersCompleted = "timers_completed"
        case machine
        case progressKey = "record_key"
        case progressWriter = "writer"
        case progressOpen = "in_progress"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int64.self, forKey: .id)
        sessionID = try container.decode(String.self, forKey: .sessionID)
        sessionTitle = try container.decode(String.self, forKey: .sessionTitle)
        patient = try container.decodeIfPresent(String.self, forKey: .patient)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        endedAt = try container.decode(Date.self, forKey: .endedAt)
        seconds = try container.decode(Int.self, forKey: .seconds)
        interrupted = try container.decode(Bool.self, forKey: .interrupted)
        drillSteps = try container.decode(Int.self, forKey: .drillSteps)
        timersStarted = try container.decode(Int.self, forKey: .timersStarted)
        timersCompleted = try container.decode(Int.self, forKey: .timersCompleted)
        machine = try container.decodeIfPresent(String.self, forKey: .machine)
        progress = try RecordProgress.decode(from: container, key: .progressKey, writer: .progressWriter,
                                             open: .progressOpen)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode(sessionTitle, forKey: .sessionTitle)
        try container.encode(patient, forKey: .patient)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(interrupted, forKey: .interrupted)
        try container.encode(drillSteps, forKey: .drillSteps)
        try container.encode(timersStarted, forKey: .timersStarted)
        try container.encode(timersCompleted, forKey: .timersCompleted)
        try container.encodeIfPresent(machine, forKey: .machine)
        try progress.encode(to: &container, key: .progressKey, writer: .progressWriter, open: .progressOpen)
    }

    /// Ended by a signal or Ctrl-C, or cut short by a kill or a power cut (the record was never finished).
    public var wasInterrupted: Bool { interrupted || progress?.cutShort == true }
    /// Still going on: saved as it happens, not closed yet (or cut short).
    public var isOpen: Bool { progress?.open == true }

    public init(id: Int64? = nil, sessionID: String, sessionTitle: String, patient: String? = nil, startedAt: Date,
                endedAt: Date, seconds: Int, interrupted: Bool = false, drillSteps: Int = 0, timersStarted: Int = 0,
                timersCompleted: Int = 0, progress: RecordProgress? = nil, steps: [SessionStepRecord] = [],
                notes: [SessionNoteRecord] = []) {
        self.id = id
        self.progress = progress
        self.sessionID = sessionID
        self.sessionTitle = sessionTitle
        self.patient = patient
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.seconds = seconds
        self.interrupted = interrupted
        self.drillSteps = drillSteps
        self.timersStarted = timersStarted
        self.timersCompleted = timersCompleted
        self.steps = steps
        self.notes = notes
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// How long a session spent on one of its steps, and what became of the step's drill timer.
public struct SessionStepRecord: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord, HistoryDated {
    public static let databaseTableName = "session_step"

    public enum Timer: String, Codable, Hashable, Sendable, DatabaseValueConvertible {
        case notStarted = "not-started"
        case started
        /// Ran to the end at least once.
        case completed
    }

    public var id: Int64?
    public var recordID: Int64?
    /// 1-based, as the screen numbers steps.
    public var position: Int
    public var title: String
    public var group: String?
    public var seconds: Int
    public var drillID: String?
    /// nil for a step without a drill.
    public var timer: Timer?

    enum CodingKeys: String, CodingKey {
        case id
        case recordID = "record_id"
        case position, title
        case group = "group_title"
        case seconds
        case drillID = "drill_id"
        case timer
    }

    public init(position: Int, title: String, group: String? = nil, seconds: Int, drillID: String? = nil,
                timer: Timer? = nil) {
        self.position = position
        self.title = title
        self.group = group
        self.seconds = seconds
        self.drillID = drillID
        self.timer = timer
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A therapist's note on a step of a session.
public struct SessionNoteRecord: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord, HistoryDated {
    public static let databaseTableName = "session_note"

    public var id: Int64?
    public var recordID: Int64?
    /// The step it was written on, 1-based, and its title then (content files change; the note shouldn't).
    public var stepPosition: Int
    public var stepTitle: String
    public var text: String
    public var writtenAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case recordID = "record_id"
        case stepPosition = "step_position"
        case stepTitle = "step_title"
        case text
        case writtenAt = "written_at"
    }

    public init(stepPosition: Int, stepTitle: String, text: String, writtenAt: Date) {
        self.stepPosition = stepPosition
        self.stepTitle = stepTitle
        self.text = text
        self.writtenAt = writtenAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// The label `--patient` tags a session with: initials or a clinic code, so the history never needs a name.
public enum PatientLabel {
    public static let maximumLength = 24

    /// The label as it is kept (spaces trimmed), or why it can't be one, in words for the command line.
    public static func validated(_ raw: String) -> Result<String, LabelError> {
        let label = raw.trimmingCharacters(in: .whitespaces)
        if label.isEmpty { return .failure(LabelError("--patient needs a label, such as initials or a clinic code")) }
        let printable = label.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: false
            default: true
            }
        }
        if !printable {
            return .failure(LabelError("--patient must be one line of printable text (initials or a clinic code)"))
        }
        if label.count > maximumLength {
            return .failure(LabelError("--patient must be at most \(maximumLength) characters: initials or a clinic "
                + "code, not a full name"))
        }
        return .success(label)
    }

    /// Whether two labels name the same patient: spaces at the ends and letter case don't count.
    public static func matches(_ label: String?, _ wanted: String) -> Bool {
        guard let label else { return false }
        return label.trimmingCharacters(in: .whitespaces).lowercased()
            == wanted.trimmingCharacters(in: .whitespaces).lowercased()
    }

    public struct LabelError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}

// MARK: - Writing rows without Codable

// Each record writes its own columns. GRDB would otherwise run the record's `Encodable` conformance through its
// generic encoder, whose type metadata and code a program that keeps its record as it goes pays for in memory
// (docs/benchmarks.md); the `Codable` conformances stay for reading rows and for the JSON of the recovery file.

extension RecordProgress? {
    func write(to container: inout PersistenceContainer) {
        container["record_key"] = self?.key
        container["writer"] = self?.writer
        container["in_progress"] = self?.open
    }
}

extension RoutineRun {
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["routine_id"] = routineID
        container["routine_title"] = routineTitle
        container["started_at"] = HistoryDate.text(startedAt)
        container["seconds"] = seconds
        container["completed"] = completed
        container["pain_before"] = painBefore
        container["pain_after"] = painAfter
        container["ended_at"] = endedAt.map(HistoryDate.text)
        container["interrupted"] = interrupted
        container["patient"] = patient
        container["programme_id"] = programmeID
        container["machine"] = machine
        progress.write(to: &container)
    }
}

extension DrillResult {
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["run_id"] = runID
        container["position"] = position
        container["drill_id"] = drillID
        container["drill_title"] = drillTitle
        container["status"] = status
        container["feedback"] = feedback
    }
}

extension SessionRecord {
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["session_id"] = sessionID
        container["session_title"] = sessionTitle
        container["patient"] = patient
        container["started_at"] = HistoryDate.text(startedAt)
        container["ended_at"] = HistoryDate.text(endedAt)
        container["seconds"] = seconds
        container["interrupted"] = interrupted
        container["machine"] = machine
        container["drill_steps"] = drillSteps
        container["timers_started"] = timersStarted
        container["timers_completed"] = timersCompleted
        progress.write(to: &container)
    }
}

extension SessionStepRecord {
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["record_id"] = recordID
        container["position"] = position
        container["title"] = title
        container["group_title"] = group
        container["seconds"] = seconds
        container["drill_id"] = drillID
        container["timer"] = timer
    }
}

extension SessionNoteRecord {
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["record_id"] = recordID
        container["step_position"] = stepPosition
        container["step_title"] = stepTitle
        container["text"] = text
        container["written_at"] = HistoryDate.text(writtenAt)
    }
}
