import Foundation
import GRDB
import Glibc

/// Why the history could not be used; always one line a patient or a clinic's IT person can act on.
public struct HistoryError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// Not a history database, or a damaged one: it can be moved aside and a fresh one started.
        case damaged
        /// Another program holds the lock: worth trying again.
        case busy
        /// The clinic's history server can't be reached (down, or the network): records wait in the outbox.
        case unreachable
        case full
        /// A symbolic link, another user's folder, modes that can't be made private, a newer history: never
        /// written to until a person fixes it.
        case refused
        case other
    }

    public var kind: Kind
    public var description: String

    public init(_ action: String, path: String, reason: String, kind: Kind = .other) {
        self.kind = kind
        description = "\(action) \(path): \(reason)"
    }

    init(_ action: String, path: String, _ error: any Error) {
        let kind: Kind
        let reason: String
        if let history = error as? HistoryError {
            self = history
            return
        } else if let database = error as? DatabaseError {
            switch database.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                (kind, reason) = (.damaged, "the file is damaged or is not a history database")
            case .SQLITE_FULL: (kind, reason) = (.full, HistoryFiles.fullDiskReason(near: path))
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
                (kind, reason) = (.other, "it can't be written here (a read-only file or folder?)")
            case .SQLITE_BUSY, .SQLITE_LOCKED: (kind, reason) = (.busy, "another program is holding it")
            case .SQLITE_IOERR where HistoryFiles.isFull(near: path):
                (kind, reason) = (.full, HistoryFiles.fullDiskReason(near: path))
            default: (kind, reason) = (.other, database.message ?? "\(database.resultCode)")
            }
        } else if let cocoa = error as? CocoaError {
            (kind, reason) = (.other, cocoa.localizedDescription)
        } else {
            (kind, reason) = (.other, "\(error)")
        }
        self.init(action, path: path, reason: reason, kind: kind)
    }
}

/// The SQLite file of routine runs and therapist sessions (with their notes). It is health information: the
/// folder is kept 0700 and the files 0600, never behind a symbolic link. WAL mode lets two programs write at
/// once; the migrator lets later versions change the schema, and a history from a newer version is never
/// written to. Reading needs no write access at all.
public final class HistoryStore: RecordStore {
    public let path: String
    public var location: String { path }
    /// The name saved with each new record (`MachineName.current` unless a test says otherwise).
    public let machine: String
    private let reader: any DatabaseReader
    /// Nil when opened for reading only.
    private let writer: (any DatabaseWriter)?

    /// The history format this version writes: the number of migrations it knows.
    public static var format: Int { Migration.all.count }

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

    /// Opens (creating if needed) the history at `path` for writing: checks and tightens the folder and file,
    /// refuses a newer history, and brings an older one up to date.
    ///
    /// - Parameters:
    ///   - programVersion: kept in the file, so that an older version can name the one that wrote it.
    ///   - busyTimeout: how long one write waits for another program's lock before it gives up.
    public init(path: String, programVersion: String = "unknown", busyTimeout: TimeInterval = 10,
                machine: String = MachineName.current) throws(HistoryError) {
        self.path = path
        self.machine = machine
        try HistoryFiles.prepareForWriting(path)
        let folder = HistoryFiles.folder(of: path)
        // Two programs opening a new history at once would both set up the schema: they take turns, with a
        // lock on the folder (never on the database file: closing any descriptor of a file that SQLite has
        // open drops SQLite's own locks on it).
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        if folderDescriptor >= 0 { flock(folderDescriptor, LOCK_EX) }
        defer {
            if folderDescriptor >= 0 {
                flock(folderDescriptor, LOCK_UN)
                close(folderDescriptor)
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "session-guide history"
        // WAL with NORMAL: a commit survives the program being killed at once; only a power cut can lose the
        // last few commits, never the file. One connection (a queue, not a pool of readers): a program writes
        // its own records and reads little, and each connection costs memory (docs/benchmarks.md).
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let upToDate = try Self.refuseNewer(queue, path: path, programVersion: programVersion)
            // A history this version already brought up to date is used as it is: the migrator (and the memory
            // its code takes) is needed only for a new or an older history.
            if !upToDate {
                try Self.migrator.migrate(queue)
                try queue.write { db in
                    try db.execute(sql: "INSERT OR REPLACE INTO history_info (name, value) VALUES ('format', ?), "
                        + "('written_by', ?)", arguments: ["\(Self.format)", programVersion])
                }
            }
            try HistoryFiles.tightenCompanions(of: path)
            writer = queue
            reader = queue
        } catch {
            throw HistoryError("can't open the history", path: path, error)
        }
    }

    private init(path: String, reader: any DatabaseReader) {
        self.path = path
        machine = MachineName.current
        self.reader = reader
        writer = nil
    }

    /// Opens an existing history for reading only (nil when there is none yet). Nothing is written, not even
    /// the shared-memory file where it can't be: a read-only file or folder, or a full disk, can still be read.
    public static func openExisting(path: String) throws(HistoryError) -> HistoryStore? {
        guard try HistoryFiles.checkForReading(path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        configuration.label = "session-guide history (read-only)"
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return HistoryStore(path: path, reader: queue)
        } catch let error as DatabaseError where ![.SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_BUSY].contains(error.resultCode) {
            // SQLite could not set up the shared memory that WAL readers use (read-only folder, full disk).
            // With no other program writing, the file on its own is the whole history: read it as immutable.
            do {
                let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
                let queue = try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration)
                try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
                return HistoryStore(path: path, reader: queue)
            } catch {
                throw HistoryError("can't read the history", path: path, error)
            }
        } catch {
            throw HistoryError("can't read the history", path: path, error)
        }
    }

    /// Moves a damaged history (and its WAL files) aside, next to it, and returns where it went. Nothing is
    /// deleted: someone may still get records out of it.
    public static func moveAside(path: String, at date: Date) throws(HistoryError) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                           parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        var target = "\(path).damaged-\(stamp)"
        var suffix = 2
        while access(target, F_OK) == 0 {
            target = "\(path).damaged-\(stamp)-\(suffix)"
            suffix += 1
        }
        guard rename(path, target) == 0 else {
            throw HistoryError("can't move the damaged history", path: path,
                               reason: String(cString: strerror(errno)))
        }
        for companion in ["-wal", "-shm"] where access(path + companion, F_OK) == 0 {
            _ = rename(path + companion, target + companion)
        }
        return target
    }

    /// The migrations, in order. Never rename one: a history records the ones it has had by name.
    enum Migration {
        static let routineRuns = "v1: routine runs and drill results"
        static let sessionRecords = "v2: session records, time on each step and notes"
        static let savedAsTheyHappen = "v3: records saved as they happen, and the history's own format"
        static let patients = "v4: patients' programmes, routine runs for a patient, feedback on each drill"
        static let machines = "v5: the machine that made each record, and a key for every record"

        /// Every migration, in order: the ones `migrator` registers.
        static let all = [routineRuns, sessionRecords, savedAsTheyHappen, patients, machines]
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
        // Records are created when they start and saved again as they go, under a key; `history_info` says
        // which format and program wrote the file, so an older program can refuse it by name.
        migrator.registerMigration(Migration.savedAsTheyHappen) { db in
            try db.alter(table: RoutineRun.databaseTableName) { table in
                table.add(column: "ended_at", .datetime)
                table.add(column: "interrupted", .boolean)
                table.add(column: "record_key", .text)
                table.add(column: "writer", .text)
                table.add(column: "in_progress", .boolean)
            }
            try db.alter(table: SessionRecord.databaseTableName) { table in
                table.add(column: "record_key", .text)
                table.add(column: "writer", .text)
                table.add(column: "in_progress", .boolean)
            }
            try db.create(index: "routine_run_on_record_key", on: RoutineRun.databaseTableName,
                          columns: ["record_key"], unique: true)
            try db.create(index: "session_record_on_record_key", on: SessionRecord.databaseTableName,
                          columns: ["record_key"], unique: true)
            try db.create(table: "history_info") { table in
                table.primaryKey("name", .text)
                table.column("value", .text).notNull()
            }
        }
        // Only adds: every existing record keeps its rows, and its new columns start empty (a run nobody was
        // named for, a drill nobody was asked about).
        migrator.registerMigration(Migration.patients) { db in
            try db.alter(table: RoutineRun.databaseTableName) { table in
                table.add(column: "patient", .text)
                table.add(column: "programme_id", .integer)
            }
            try db.create(index: "routine_run_on_patient", on: RoutineRun.databaseTableName, columns: ["patient"])
            try db.alter(table: DrillResult.databaseTableName) { table in
                table.add(column: "feedback", .text)
            }
            try db.create(table: ProgrammeRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("patient", .text).notNull().indexed()
                table.column("version", .integer).notNull()
                table.column("routine_id", .text).notNull()
                table.column("routine_title", .text).notNull()
                table.column("created_at", .datetime).notNull()
                table.column("note", .text).notNull()
                table.column("days_per_week", .integer).notNull()
                table.column("until", .text)
                table.column("session_key", .text)
            }
            try db.create(table: ProgrammeDrillRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("programme_id", .integer).notNull().indexed()
                    .references(ProgrammeRecord.databaseTableName, onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("drill_id", .text).notNull()
                table.column("drill_title", .text).notNull()
                table.column("included", .boolean).notNull()
                table.column("sets", .integer)
                table.column("reps", .integer)
                table.column("seconds", .integer)
                table.column("rest", .integer)
                table.column("per_side", .boolean)
                table.column("version", .text).notNull()
            }
        }
        // Every record gets a key that stays the same wherever it is copied (an import, the clinic's server), and
        // the name of the machine it came from; records from before keep a random key, made here once.
        migrator.registerMigration(Migration.machines) { db in
            for table in [RoutineRun.databaseTableName, SessionRecord.databaseTableName] {
                try db.alter(table: table) { $0.add(column: "machine", .text) }
                try db.execute(sql: "UPDATE \(table) SET record_key = lower(hex(randomblob(16))) WHERE record_key IS NULL")
            }
            try db.alter(table: ProgrammeRecord.databaseTableName) { table in
                table.add(column: "record_key", .text)
                table.add(column: "machine", .text)
            }
            try db.execute(sql: "UPDATE programme SET record_key = lower(hex(randomblob(16)))")
            try db.create(index: "programme_on_record_key", on: ProgrammeRecord.databaseTableName,
                          columns: ["record_key"], unique: true)
        }
        return migrator
    }()

    /// Throws before anything is written when the file holds a migration this version doesn't know, or says
    /// a newer format wrote it; true when the file has every migration and says this version wrote it.
    private static func refuseNewer(_ queue: DatabaseQueue, path: String, programVersion: String) throws -> Bool {
        let known = Set(Migration.all)
        let applied = try queue.read { db -> Set<String> in
            try db.tableExists("grdb_migrations") ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
        }
        let (unknown, info) = try queue.read { db -> ([String], [String: String]) in
            let unknown = try db.tableExists("grdb_migrations")
                ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").filter { !known.contains($0) }
                : []
            let info = try db.tableExists("history_info")
                ? Dictionary(try Row.fetchAll(db, sql: "SELECT name, value FROM history_info")
                    .map { (row: Row) in (row["name"] as String, row["value"] as String) }, uniquingKeysWith: { $1 })
                : [:]
            return (unknown, info)
        }
        let storedFormat = info["format"].flatMap(Int.init)
        guard !unknown.isEmpty || (storedFormat ?? 0) > format else {
            return applied == known && storedFormat == format && info["written_by"] == programVersion
        }
        let writtenBy = info["written_by"].map { "session-guide \($0)" } ?? "a newer session-guide"
        let theirFormat = storedFormat.map(String.init) ?? "\(format + unknown.count)"
        throw HistoryError(
            "won't write to the history", path: path,
            reason: "it was written by \(writtenBy) (history format \(theirFormat)), and this is session-guide "
                + "\(programVersion) (history format \(format)). Install that version or a later one here, or use "
                + "--no-log; nothing was written to it",
            kind: .refused)
    }

    /// `body` reading the history; any failure as one line naming the file.
    func read<T>(_ body: @escaping (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try reader.read(body)
        } catch {
            throw HistoryError("can't read the history", path: path, error)
        }
    }

    /// `body` in one write transaction: all of it is kept or none.
    func write<T>(_ action: String, _ body: @escaping (Database) throws -> T) throws(HistoryError) -> T {
        guard let writer else {
            throw HistoryError(action, path: path, reason: "the history was opened for reading only")
        }
        do {
            return try writer.write(body)
        } catch {
            throw HistoryError(action, path: path, error)
        }
    }

    /// The id of the row already saved under `key` in `table`, with its child rows deleted so the caller can
    /// write the record anew in place; nil when there is none (the caller inserts).
    private static func clearRecord(_ db: Database, key: String?, table: String,
                                    children: [(table: String, column: String)]) throws -> Int64? {
        guard let key, let id = try Int64.fetchOne(db, sql: "SELECT id FROM \(table) WHERE record_key = ?",
                                                    arguments: [key]) else { return nil }
        for child in children {
            try db.execute(sql: "DELETE FROM \(child.table) WHERE \(child.column) = ?", arguments: [id])
        }
        return id
    }

    /// Saves a run and its drills in one transaction: either all of it is kept or none. A run with a
    /// `progress` key that is already in the history is updated in place (its drills replaced).
    @discardableResult
    public func record(_ run: RoutineRun) throws(HistoryError) -> RoutineRun {
        try write("can't save the run to") { [machine] db in
            var saved = run
            saved.id = nil
            if saved.machine == nil { saved.machine = machine }
            if let existing = try Self.clearRecord(db, key: run.progress?.key, table: RoutineRun.databaseTableName,
                                                   children: [(DrillResult.databaseTableName, "run_id")]) {
                saved.id = existing
                try saved.update(db)
            } else {
                try saved.insert(db)
            }
            for var drill in run.drills {
                drill.id = nil
                drill.runID = saved.id
                try drill.insert(db)
            }
            return saved
        }
    }

    /// A record from the recovery file: saved unless the history already has a version of it saved later.
    public func recordRecovered(_ run: RoutineRun) throws(HistoryError) {
        if let key = run.progress?.key, let endedAt = run.endedAt,
           try isNewer(key: key, table: "routine_run", than: endedAt, open: run.isOpen) {
            return
        }
        try record(run)
    }

    /// A session from the recovery file: saved unless the history already has a version saved later.
    public func recordRecovered(_ session: SessionRecord) throws(HistoryError) {
        if let key = session.progress?.key,
           try isNewer(key: key, table: "session_record", than: session.endedAt, open: session.isOpen) {
            return
        }
        try record(session)
    }

    /// Whether the version saved under `key` supersedes one that ended at `date` (`SavedVersion`'s rule).
    private func isNewer(key: String, table: String, than date: Date, open: Bool) throws(HistoryError) -> Bool {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT ended_at, in_progress FROM \(table) WHERE record_key = ?",
                                             arguments: [key]),
                  let saved = HistoryDate.date(from: row["ended_at"]) else { return false }
            return SavedVersion(endedAt: saved, open: (row["in_progress"] as Bool?) ?? false)
                .supersedes(endedAt: date, open: open)
        }
    }

    /// Runs started at or after `since` (all when nil), oldest first, with their drills; for one patient label
    /// when given (letter case and spaces at the ends don't count).
    public func runs(since: Date?, patient: String?) throws(HistoryError) -> [RoutineRun] {
        try read { db in
            var request = RoutineRun.order(Column("started_at"), Column("id"))
            if let since { request = request.filter(Column("started_at") >= HistoryDate.text(since)) }
            var runs = try request.fetchAll(db)
            // Filtered here, not in SQL: a history from before v4, read without migrating, has no such column.
            if let patient { runs = runs.filter { PatientLabel.matches($0.patient, patient) } }
            let ids = runs.compactMap(\.id)
            let drills = try DrillResult.filter(ids.contains(Column("run_id")))
                .order(Column("run_id"), Column("position")).fetchAll(db)
            let byRun = Dictionary(grouping: drills, by: { $0.runID ?? -1 })
            for index in runs.indices {
                runs[index].drills = byRun[runs[index].id ?? -2] ?? []
                let cutShort = runs[index].progress.map {
                    RecordWriter.wasCutShort($0, lastSaved: runs[index].endedAt)
                } ?? false
                runs[index].progress?.cutShort = cutShort
            }
            return runs
        }
    }

    // MARK: - Sessions

    /// Saves a session with its steps and notes in one transaction: either all of it is kept or none. A
    /// session with a `progress` key already in the history is updated in place.
    @discardableResult
    public func record(_ session: SessionRecord) throws(HistoryError) -> SessionRecord {
        try write("can't save the session to") { [machine] db in
            var saved = session
            saved.id = nil
            if saved.machine == nil { saved.machine = machine }
            if let existing = try Self.clearRecord(db, key: session.progress?.key,
                                                   table: SessionRecord.databaseTableName,
                                                   children: [(SessionStepRecord.databaseTableName, "record_id"),
                                                              (SessionNoteRecord.databaseTableName, "record_id")]) {
                saved.id = existing
                try saved.update(db)
            } else {
                try saved.insert(db)
            }
            for var step in session.steps {
                step.id = nil
                step.recordID = saved.id
                try step.insert(db)
            }
            for var note in session.notes {
                note.id = nil
                note.recordID = saved.id
                try note.insert(db)
            }
            return saved
        }
    }

    /// Sessions started at or after `since` (all when nil), for one patient label when given (letter case and
    /// spaces at the ends don't count), oldest first, with their steps and notes.
    public func sessions(since: Date?, patient: String?) throws(HistoryError) -> [SessionRecord] {
        try read { db in
            // A history from before sessions were recorded has no sessions table (and may not be given one:
            // reading never writes).
            guard try db.tableExists(SessionRecord.databaseTableName) else { return [] }
            var request = SessionRecord.order(Column("started_at"), Column("id"))
            if let since { request = request.filter(Column("started_at") >= HistoryDate.text(since)) }
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
                let cutShort = records[index].progress.map {
                    RecordWriter.wasCutShort($0, lastSaved: records[index].endedAt)
                } ?? false
                records[index].progress?.cutShort = cutShort
            }
            return records
        }
    }
}

/// Who is writing a record: this boot of this machine and this process, so a reader can tell a record still
/// being written from one whose program was killed.
public enum RecordWriter {
    public static var current: String { "\(bootID)/\(getpid())" }

    static let bootID: String = {
        // Read with the C library, not Foundation's file and character-set code: a program that keeps its
        // record needs this once, and Foundation's way would cost it memory for nothing (docs/benchmarks.md).
        let descriptor = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "unknown" }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(descriptor, &buffer, buffer.count)
        let text = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        let trimmed = text.filter { !$0.isWhitespace }
        return trimmed.isEmpty ? "unknown" : trimmed
    }()

    /// How long a record written on another machine (or before this boot) may go unsaved and still be taken
    /// as going on: records are saved at least every 15 seconds while they are open.
    public static let quietLimit: TimeInterval = 120

    /// An open record whose writer is gone: on this boot of this machine, a process that no longer runs; written
    /// elsewhere (another room's machine, an earlier boot), one not saved for `quietLimit`, since a process on
    /// another machine can't be asked.
    public static func wasCutShort(_ progress: RecordProgress, lastSaved: Date?, now: Date = Date()) -> Bool {
        guard progress.open else { return false }
        let parts = progress.writer.split(separator: "/")
        guard parts.count == 2, String(parts[0]) == bootID, let pid = Int32(parts[1]) else {
            guard let lastSaved else { return true }
            return now.timeIntervalSince(lastSaved) > quietLimit
        }
        return !(kill(pid, 0) == 0 || errno == EPERM)
    }
}

/// The checks around the history's files: no symbolic links, the user's own folder and files, private modes.
public enum HistoryFiles {
    /// The folder a path is in, as `NSString.deletingLastPathComponent` gives it ("/" for "/a", "" for "a"),
    /// without going through Foundation's string bridging.
    public static func folder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var folder = trimmed[..<slash]
        while folder.count > 1, folder.hasSuffix("/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// Creates the folder (0700) and file (0600) where needed; refuses links and other users' files; makes an
    /// existing folder or file that others could read private.
    static func prepareForWriting(_ path: String) throws(HistoryError) {
        let folder = HistoryFiles.folder(of: path)
        var info = stat()
        if lstat(folder, &info) != 0 {
            guard errno == ENOENT else { throw failure("can't use the history folder", folder, errno) }
            let parent = HistoryFiles.folder(of: folder)
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw HistoryError("can't create the history folder", path: folder, error)
            }
            if mkdir(folder, 0o700) != 0, errno != EEXIST {
                throw failure("can't create the history folder", folder, errno)
            }
            guard lstat(folder, &info) == 0 else { throw failure("can't use the history folder", folder, errno) }
        }
        try checkOwnPrivate(folder, info, isFolder: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw linkRefusal(path) }
            throw failure("can't create the history", path, errno)
        }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { throw failure("can't use the history", path, errno) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw HistoryError("can't use the history", path: path, reason: "it is not a regular file",
                               kind: .refused)
        }
        try checkOwnPrivate(path, info, isFolder: false, descriptor: descriptor)
        try tightenCompanions(of: path)
    }

    /// The WAL files SQLite keeps beside the history get the same checks.
    static func tightenCompanions(of path: String) throws(HistoryError) {
        for companion in [path + "-wal", path + "-shm", path + "-journal"] {
            var info = stat()
            guard lstat(companion, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFLNK { throw linkRefusal(companion) }
            try checkOwnPrivate(companion, info, isFolder: false)
        }
    }

    /// For reading: whether there is a history, refusing links. A missing file is fine (nothing recorded yet);
    /// a file where the folder should be is not.
    static func checkForReading(_ path: String) throws(HistoryError) -> Bool {
        let folder = HistoryFiles.folder(of: path)
        var info = stat()
        if lstat(folder, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFLNK { throw linkRefusal(folder) }
            if info.st_mode & S_IFMT != S_IFDIR {
                throw HistoryError("can't read the history", path: path, reason: "\(folder) is a file, not a folder")
            }
        }
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return false }
            throw failure("can't read the history", path, errno)
        }
        if info.st_mode & S_IFMT == S_IFLNK { throw linkRefusal(path) }
        return true
    }

    private static func checkOwnPrivate(_ path: String, _ info: stat, isFolder: Bool,
                                        descriptor: Int32? = nil) throws(HistoryError) {
        let kind = isFolder ? "folder" : "file"
        if info.st_mode & S_IFMT == S_IFLNK { throw linkRefusal(path) }
        if isFolder, info.st_mode & S_IFMT != S_IFDIR {
            throw HistoryError("can't use the history folder", path: path, reason: "it is not a folder",
                               kind: .refused)
        }
        guard info.st_uid == geteuid() else {
            throw HistoryError("won't keep the history in", path: path,
                               reason: "this \(kind) belongs to another user; patient records need a \(kind) of "
                                   + "your own (set XDG_STATE_HOME, or move it away)",
                               kind: .refused)
        }
        let wanted: mode_t = isFolder ? 0o700 : 0o600
        guard info.st_mode & 0o077 != 0 else { return }
        let changed = descriptor.map { fchmod($0, wanted) } ?? chmod(path, wanted)
        if changed != 0 {
            throw HistoryError("won't write to the history", path: path,
                               reason: "others can read this \(kind) and its mode can't be changed "
                                   + "(\(String(cString: strerror(errno)))); run: chmod \(String(wanted, radix: 8)) "
                                   + "'\(path)'",
                               kind: .refused)
        }
    }

    private static func linkRefusal(_ path: String) -> HistoryError {
        HistoryError("won't use the history", path: path,
                     reason: "it is a symbolic link, and patient records are never kept through a link; put the real "
                         + "file or folder in its place (or set XDG_STATE_HOME to where it is)",
                     kind: .refused)
    }

    private static func failure(_ action: String, _ path: String, _ number: Int32) -> HistoryError {
        switch number {
        case ENOSPC, EDQUOT: HistoryError(action, path: path, reason: fullDiskReason(near: path), kind: .full)
        case EROFS, EACCES, EPERM:
            HistoryError(action, path: path, reason: "it can't be written here (\(String(cString: strerror(number))))")
        default: HistoryError(action, path: path, reason: String(cString: strerror(number)))
        }
    }

    /// Whether the disk holding `path` has no room left (or the process may not make files any bigger).
    static func isFull(near path: String) -> Bool {
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            var info = stat()
            if stat(path, &info) == 0, rlim_t(max(0, info.st_size)) + 65_536 >= limit.rlim_cur { return true }
        }
        var disk = statvfs()
        var folder = path
        while statvfs(folder, &disk) != 0, folder != "/" { folder = HistoryFiles.folder(of: folder) }
        return disk.f_bavail == 0 || (disk.f_bavail * UInt(disk.f_frsize)) < 65_536
    }

    static func fullDiskReason(near path: String) -> String {
        "the disk is full"
    }
}
