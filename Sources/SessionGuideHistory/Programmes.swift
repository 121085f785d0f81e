import Foundation
import GRDB

/// A programme a therapist prescribed a patient, as kept in the history: the routine, each drill's dose, a note,
/// how often and until when. Programmes are never changed: prescribing again adds a new version, so the previous
/// one stays visible.
public struct ProgrammeRecord: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord, HistoryDated {
    public static let databaseTableName = "programme"

    public var id: Int64?
    public var patient: String
    /// 1 for the patient's first programme, then 2, 3…: given by the history when it is saved.
    public var version: Int
    public var routineID: String
    public var routineTitle: String
    public var createdAt: Date
    public var note: String
    public var daysPerWeek: Int
    /// The last day, `YYYY-MM-DD` on the clinic's calendar, or nil for no end set.
    public var until: String?
    /// The record key of the session it was given in (`RecordProgress.key`), nil when given from the menu.
    public var sessionKey: String?
    /// The programme's own key, the same on every machine and in every export (given when it is first saved),
    /// so that importing a history twice never adds it twice.
    public var recordKey: String?
    /// The name of the machine it was prescribed on (set by the store when saved; nil before v5).
    public var machine: String?
    /// Not a column: the drills, filled in when programmes are read.
    public var drills: [ProgrammeDrillRecord] = []

    enum CodingKeys: String, CodingKey {
        case id, patient, version
        case routineID = "routine_id"
        case routineTitle = "routine_title"
        case createdAt = "created_at"
        case note
        case daysPerWeek = "days_per_week"
        case until
        case sessionKey = "session_key"
        case recordKey = "record_key"
        case machine
    }

    public init(id: Int64? = nil, patient: String, version: Int = 0, routineID: String, routineTitle: String,
                createdAt: Date, note: String = "", daysPerWeek: Int = 7, until: String? = nil,
                sessionKey: String? = nil, drills: [ProgrammeDrillRecord] = []) {
        self.id = id
        self.patient = patient
        self.version = version
        self.routineID = routineID
        self.routineTitle = routineTitle
        self.createdAt = createdAt
        self.note = note
        self.daysPerWeek = daysPerWeek
        self.until = until
        self.sessionKey = sessionKey
        self.drills = drills
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["patient"] = patient
        container["version"] = version
        container["routine_id"] = routineID
        container["routine_title"] = routineTitle
        container["created_at"] = HistoryDate.text(createdAt)
        container["note"] = note
        container["days_per_week"] = daysPerWeek
        container["until"] = until
        container["session_key"] = sessionKey
        container["record_key"] = recordKey
        container["machine"] = machine
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// One drill of a programme: in or left out, and the dose (nil keeps the routine's own figure).
public struct ProgrammeDrillRecord: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord, HistoryDated {
    public static let databaseTableName = "programme_drill"

    public var id: Int64?
    public var programmeID: Int64?
    public var position: Int
    public var drillID: String
    public var drillTitle: String
    public var included: Bool
    public var sets: Int?
    public var reps: Int?
    /// Seconds of work or of holding.
    public var seconds: Int?
    public var rest: Int?
    public var perSide: Bool?
    /// "standard", "easier" or "harder".
    public var version: String

    enum CodingKeys: String, CodingKey {
        case id
        case programmeID = "programme_id"
        case position
        case drillID = "drill_id"
        case drillTitle = "drill_title"
        case included, sets, reps, seconds, rest
        case perSide = "per_side"
        case version
    }

    public init(position: Int, drillID: String, drillTitle: String, included: Bool = true, sets: Int? = nil,
                reps: Int? = nil, seconds: Int? = nil, rest: Int? = nil, perSide: Bool? = nil,
                version: String = "standard") {
        self.position = position
        self.drillID = drillID
        self.drillTitle = drillTitle
        self.included = included
        self.sets = sets
        self.reps = reps
        self.seconds = seconds
        self.rest = rest
        self.perSide = perSide
        self.version = version
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["programme_id"] = programmeID
        container["position"] = position
        container["drill_id"] = drillID
        container["drill_title"] = drillTitle
        container["included"] = included
        container["sets"] = sets
        container["reps"] = reps
        container["seconds"] = seconds
        container["rest"] = rest
        container["per_side"] = perSide
        container["version"] = version
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// How many records `forget(patient:)` removed.
public struct ForgottenRecords: Hashable, Sendable {
    public var sessions = 0
    public var routineRuns = 0
    public var programmes = 0

    public var total: Int { sessions + routineRuns + programmes }

    public init(sessions: Int = 0, routineRuns: Int = 0, programmes: Int = 0) {
        self.sessions = sessions
        self.routineRuns = routineRuns
        self.programmes = programmes
    }
}

extension HistoryStore {
    /// Saves a new programme for its patient as the next version (the patient's earlier ones stay), with its
    /// drills, in one transaction.
    @discardableResult
    public func prescribe(_ programme: ProgrammeRecord) throws(HistoryError) -> ProgrammeRecord {
        try write("can't save the programme to") { [machine] db in
            var saved = programme
            saved.id = nil
            if saved.machine == nil { saved.machine = machine }
            if saved.recordKey == nil { saved.recordKey = UUID().uuidString.lowercased() }
            let labels = try Row.fetchAll(db, sql: "SELECT patient, version FROM programme")
            let earlier = labels.filter { PatientLabel.matches($0["patient"], programme.patient) }
                .map { $0["version"] as Int }
            saved.version = (earlier.max() ?? 0) + 1
            try saved.insert(db)
            for var drill in programme.drills {
                drill.id = nil
                drill.programmeID = saved.id
                try drill.insert(db)
            }
            saved.drills = try ProgrammeDrillRecord.filter(Column("programme_id") == saved.id)
                .order(Column("position")).fetchAll(db)
            return saved
        }
    }

    /// Every programme of a patient (of every patient when nil), oldest first, with their drills; the last is the current one. Empty for
    /// a history from before programmes (which reading never changes).
    public func programmes(patient: String?) throws(HistoryError) -> [ProgrammeRecord] {
        try read { db in
            guard try db.tableExists(ProgrammeRecord.databaseTableName) else { return [] }
            var programmes = try ProgrammeRecord.order(Column("created_at"), Column("id")).fetchAll(db)
            if let patient { programmes = programmes.filter { PatientLabel.matches($0.patient, patient) } }
            let drills = try ProgrammeDrillRecord.filter(programmes.compactMap(\.id).contains(Column("programme_id")))
                .order(Column("programme_id"), Column("position")).fetchAll(db)
            let byProgramme = Dictionary(grouping: drills, by: { $0.programmeID ?? -1 })
            for index in programmes.indices { programmes[index].drills = byProgramme[programmes[index].id ?? -2] ?? [] }
            return programmes
        }
    }

    /// Removes every record of a patient label (letter case and spaces at the ends don't count): sessions with
    /// their steps and notes, routine runs with their drills, programmes with their drills. One transaction.
    public func forget(patient: String) throws(HistoryError) -> ForgottenRecords {
        try write("can't remove the records from") { db in
            var forgotten = ForgottenRecords()
            func ids(_ table: String) throws -> [Int64] {
                try Row.fetchAll(db, sql: "SELECT id, patient FROM \(table)")
                    .filter { PatientLabel.matches($0["patient"], patient) }.map { $0["id"] }
            }
            func delete(_ table: String, _ ids: [Int64], children: [(String, String)]) throws {
                for id in ids {
                    for (child, column) in children {
                        try db.execute(sql: "DELETE FROM \(child) WHERE \(column) = ?", arguments: [id])
                    }
                    try db.execute(sql: "DELETE FROM \(table) WHERE id = ?", arguments: [id])
                }
            }
            let sessions = try ids(SessionRecord.databaseTableName)
            try delete(SessionRecord.databaseTableName, sessions,
                       children: [(SessionStepRecord.databaseTableName, "record_id"),
                                  (SessionNoteRecord.databaseTableName, "record_id")])
            let runs = try ids(RoutineRun.databaseTableName)
            try delete(RoutineRun.databaseTableName, runs, children: [(DrillResult.databaseTableName, "run_id")])
            let programmes = try ids(ProgrammeRecord.databaseTableName)
            try delete(ProgrammeRecord.databaseTableName, programmes,
                       children: [(ProgrammeDrillRecord.databaseTableName, "programme_id")])
            forgotten.sessions = sessions.count
            forgotten.routineRuns = runs.count
            forgotten.programmes = programmes.count
            return forgotten
        }
    }

    /// How many records a patient label has, for asking before `forget(patient:)`.
    public func recordCount(patient: String) throws(HistoryError) -> ForgottenRecords {
        try read { db in
            func count(_ table: String) throws -> Int {
                guard try db.tableExists(table), try db.columns(in: table).contains(where: { $0.name == "patient" })
                else { return 0 }
                return try Row.fetchAll(db, sql: "SELECT patient FROM \(table)")
                    .filter { PatientLabel.matches($0["patient"], patient) }.count
            }
            return ForgottenRecords(sessions: try count(SessionRecord.databaseTableName),
                                    routineRuns: try count(RoutineRun.databaseTableName),
                                    programmes: try count(ProgrammeRecord.databaseTableName))
        }
    }
}
