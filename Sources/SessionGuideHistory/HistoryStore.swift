import Foundation
import GRDB

/// Why the history could not be used; always one line a patient can act on.
public struct HistoryError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ action: String, path: String, reason: String) {
        description = "\(action) \(path): \(reason)"
    }

    init(_ action: String, path: String, _ error: any Error) {
        let reason: String
        if let database = error as? DatabaseError {
            switch database.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: reason = "the file is damaged or is not a history database"
            case .SQLITE_FULL: reason = "the disk is full"
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH: reason = "it can't be written here"
            case .SQLITE_BUSY, .SQLITE_LOCKED: reason = "another program is holding it"
            default: reason = database.message ?? "\(database.resultCode)"
            }
        } else if let cocoa = error as? CocoaError {
            reason = cocoa.localizedDescription
        } else {
            reason = "\(error)"
        }
        description = "\(action) \(path): \(reason)"
    }
}

/// The SQLite file of routine runs and therapist sessions (with their notes). It is health information: its
/// folder is made 0700 and the file 0600. WAL mode lets two programs write at once; the migrator lets later
/// versions change the schema.
public final class HistoryStore: Sendable {
    public let path: String
    private let pool: DatabasePool

    /// `$XDG_STATE_HOME/session-guide/history.sqlite`, or `~/.local/state/session-guide/history.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            state = xdg
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            state = home + "/.local/state"
        }
        return state + "/session-guide/history.sqlite"
    }

    /// Opens (creating if needed) the history at `path`.
    public init(path: String) throws(HistoryError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw HistoryError("can't create the history", path: path, error)
        }
        // Two programs opening a new history at once would both set up the schema: they take turns, with a
        // lock on the folder (never on the database file: closing any descriptor of a file that SQLite has
        // open drops SQLite's own locks on it).
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 { flock(folderDescriptor, LOCK_EX) }
        defer {
            if folderDescriptor >= 0 {
                flock(folderDescriptor, LOCK_UN)
                close(folderDescriptor)
            }
        }
        // Create the file in place, private from the first moment (FileManager would write a temporary file
        // and rename it over one another program may already be using). SQLite gives the -wal and -shm files
        // the same permissions.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw HistoryError("can't create the history", path: path, reason: String(cString: strerror(errno)))
        }
        close(descriptor)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "session-guide history"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw HistoryError("can't open the history", path: path, error)
        }
    }

    /// Opens an existing history for reading only; nil when there is none yet.
    public static func openExisting(path: String) throws(HistoryError) -> HistoryStore? {
        guard FileManager.default.fileExists(atPath: path) else {
            // No file is fine (nothing recorded yet); a file where the folder should be is not.
            var isFolder: ObjCBool = false
            let folder = (path as NSString).deletingLastPathComponent
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
                throw HistoryError("can't read the history", path: path, reason: "\(folder) is a file, not a folder")
            }
            return nil
        }
        return try HistoryStore(path: path)
    }

    /// The migrations, in order. Never rename one: a history records the ones it has had by name.
    enum Migration {
        static let routineRuns = "v1: routine runs and drill results"
        static let sessionRecords = "v2: session records, time on each step and notes"
    }

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(Migration.routineRuns) { db in
            try db.create(table: RoutineRun.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("routine_id", .text).notNull()
                table.column("routine_title", .text).notNull()
                table.column("started_at", .datetime).notNull().indexed()
                table.column("seconds", .integer).notNull()
                table.column("completed", .boolean).notNull()
                table.column("pain_before", .integer)
                table.column("pain_after", .integer)
            }
            try db.create(table: DrillResult.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("run_id", .integer).notNull().indexed()
                    .references(RoutineRun.databaseTableName, onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("drill_id", .text).notNull()
                table.column("drill_title", .text).notNull()
                table.column("status", .text).notNull()
            }
        }
        // Added to histories that already hold routine runs; an older program that opens the file later leaves
        // these tables alone (it runs only the migrations it knows).
        migrator.registerMigration(Migration.sessionRecords) { db in
            try db.create(table: SessionRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("session_id", .text).notNull()
                table.column("session_title", .text).notNull()
                table.column("patient", .text).indexed()
                table.column("started_at", .datetime).notNull().indexed()
                table.column("ended_at", .datetime).notNull()
                table.column("seconds", .integer).notNull()
                table.column("interrupted", .boolean).notNull()
                table.column("drill_steps", .integer).notNull()
                table.column("timers_started", .integer).notNull()
                table.column("timers_completed", .integer).notNull()
            }
            try db.create(table: SessionStepRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("record_id", .integer).notNull().indexed()
                    .references(SessionRecord.databaseTableName, onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("title", .text).notNull()
                table.column("group_title", .text)
                table.column("seconds", .integer).notNull()
                table.column("drill_id", .text)
                table.column("timer", .text)
            }
            try db.create(table: SessionNoteRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("record_id", .integer).notNull().indexed()
                    .references(SessionRecord.databaseTableName, onDelete: .cascade)
                table.column("step_position", .integer).notNull()
                table.column("step_title", .text).notNull()
                table.column("text", .text).notNull()
                table.column("written_at", .datetime).notNull()
            }
        }
        return migrator
    }()

    /// Saves a run and its drills in one transaction: either all of it is kept or none.
    @discardableResult
    public func record(_ run: RoutineRun) throws(HistoryError) -> RoutineRun {
        do {
            return try pool.write { db in
                var saved = run
                try saved.insert(db)
                for var drill in run.drills {
                    drill.runID = saved.id
                    try drill.insert(db)
                }
                return saved
            }
        } catch {
            throw HistoryError("can't save the run to", path: path, error)
        }
    }

    /// Runs started at or after `since` (all when nil), oldest first, with their drills.
    public func runs(since: Date? = nil) throws(HistoryError) -> [RoutineRun] {
        do {
            return try pool.read { db in
                var request = RoutineRun.order(Column("started_at"), Column("id"))
                if let since { request = request.filter(Column("started_at") >= since) }
                var runs = try request.fetchAll(db)
                let ids = runs.compactMap(\.id)
                let drills = try DrillResult.filter(ids.contains(Column("run_id")))
                    .order(Column("run_id"), Column("position")).fetchAll(db)
                let byRun = Dictionary(grouping: drills, by: { $0.runID ?? -1 })
                for index in runs.indices {
                    runs[index].drills = byRun[runs[index].id ?? -2] ?? []
                }
                return runs
            }
        } catch {
            throw HistoryError("can't read the history", path: path, error)
        }
    }

    // MARK: - Sessions

    /// Saves a session with its steps and notes in one transaction: either all of it is kept or none.
    @discardableResult
    public func record(_ session: SessionRecord) throws(HistoryError) -> SessionRecord {
        do {
            return try pool.write { db in
                var saved = session
                try saved.insert(db)
                for var step in session.steps {
                    step.recordID = saved.id
                    try step.insert(db)
                }
                for var note in session.notes {
                    note.recordID = saved.id
                    try note.insert(db)
                }
                return saved
            }
        } catch {
            throw HistoryError("can't save the session to", path: path, error)
        }
    }

    /// Sessions started at or after `since` (all when nil), for one patient label when given (letter case and
    /// spaces at the ends don't count), oldest first, with their steps and notes.
    public func sessions(since: Date? = nil, patient: String? = nil) throws(HistoryError) -> [SessionRecord] {
        do {
            return try pool.read { db in
                var request = SessionRecord.order(Column("started_at"), Column("id"))
                if let since { request = request.filter(Column("started_at") >= since) }
                var records = try request.fetchAll(db)
                if let patient { records = records.filter { PatientLabel.matches($0.patient, patient) } }
                let ids = records.compactMap(\.id)
                let steps = try SessionStepRecord.filter(ids.contains(Column("record_id")))
                    .order(Column("record_id"), Column("position")).fetchAll(db)
                let notes = try SessionNoteRecord.filter(ids.contains(Column("record_id")))
                    .order(Column("record_id"), Column("step_position"), Column("id")).fetchAll(db)
                let stepsByRecord = Dictionary(grouping: steps, by: { $0.recordID ?? -1 })
                let notesByRecord = Dictionary(grouping: notes, by: { $0.recordID ?? -1 })
                for index in records.indices {
                    records[index].steps = stepsByRecord[records[index].id ?? -2] ?? []
                    records[index].notes = notesByRecord[records[index].id ?? -2] ?? []
                }
                return records
            }
        } catch {
            throw HistoryError("can't read the history", path: path, error)
        }
    }
}
