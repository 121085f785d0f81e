import Foundation
import GRDB

/// One run of a routine, finished or stopped early, as kept in the history.
public struct RoutineRun: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
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
    /// Not a column: the drills, filled in when runs are read.
    public var drills: [DrillResult] = []

    enum CodingKeys: String, CodingKey {
        case id
        case routineID = "routine_id"
        case routineTitle = "routine_title"
        case startedAt = "started_at"
        case seconds, completed
        case painBefore = "pain_before"
        case painAfter = "pain_after"
    }

    public init(id: Int64? = nil, routineID: String, routineTitle: String, startedAt: Date, seconds: Int,
                completed: Bool, painBefore: Int? = nil, painAfter: Int? = nil, drills: [DrillResult] = []) {
        self.id = id
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

    public var drillsDone: Int { drills.filter { $0.status == .done }.count }
    public var drillsSkipped: Int { drills.filter { $0.status == .skipped }.count }
}

/// What became of one drill in a run.
public struct DrillResult: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "drill_result"

    public enum Status: String, Codable, Hashable, Sendable, DatabaseValueConvertible {
        case done
        case skipped
        /// The run was stopped before this drill.
        case notReached = "not-reached"
    }

    public var id: Int64?
    public var runID: Int64?
    public var position: Int
    public var drillID: String
    public var drillTitle: String
    public var status: Status

    enum CodingKeys: String, CodingKey {
        case id
        case runID = "run_id"
        case position
        case drillID = "drill_id"
        case drillTitle = "drill_title"
        case status
    }

    public init(position: Int, drillID: String, drillTitle: String, status: Status) {
        self.position = position
        self.drillID = drillID
        self.drillTitle = drillTitle
        self.status = status
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
