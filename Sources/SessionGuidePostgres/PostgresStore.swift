import Foundation
import SessionGuideHistory

/// The clinic's shared history on a PostgreSQL server: the same records, the same keys and the same answers as
/// the SQLite file (`RecordStoreTests` runs one suite on both). Each record is one row under its key, with the
/// columns a query picks records by (patient, dates, machine) and the whole record, with its drills, steps or
/// notes, as a JSON document beside them; saving under a key that is already there updates that row, so two
/// machines (or an import) never count a record twice.
///
/// The program is synchronous, so each call waits for its answer on the calling thread; one connection per
/// program, opened at first use and opened again after the server went away. A server that can't be reached
/// throws `.unreachable`, and the caller keeps the record in its outbox.
public final class PostgresStore: RecordStore, @unchecked Sendable {
    public let server: PostgresLocation
    public let machine: String
    public var location: String { server.displayed }
    private let programVersion: String
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var connection: LibPQConnection?

    /// Connects and brings the server's tables up to date (several machines starting at once take turns);
    /// refuses a server that a newer version set up.
    public init(server: PostgresLocation, programVersion: String = "unknown",
                machine: String = MachineName.current) throws(HistoryError) {
        self.server = server
        self.machine = machine
        self.programVersion = programVersion
        try migrate()
    }

    // MARK: - Schema

    /// The migrations, in order, each one transaction. Never rename one: the server records them by name.
    static let migrations: [(name: String, statements: [String])] = [
        ("v1: records under their keys, with the machine each came from", [
            """
            CREATE TABLE routine_run (id bigserial PRIMARY KEY, record_key text NOT NULL UNIQUE, machine text,
                patient text, routine_id text NOT NULL, started_at text NOT NULL, ended_at text,
                record jsonb NOT NULL)
            """,
            "CREATE INDEX routine_run_on_started_at ON routine_run (started_at)",
            """
            CREATE TABLE session_record (id bigserial PRIMARY KEY, record_key text NOT NULL UNIQUE, machine text,
                patient text, session_id text NOT NULL, started_at text NOT NULL, ended_at text NOT NULL,
                record jsonb NOT NULL)
            """,
            "CREATE INDEX session_record_on_started_at ON session_record (started_at)",
            """
            CREATE TABLE programme (id bigserial PRIMARY KEY, record_key text NOT NULL UNIQUE, machine text,
                patient text NOT NULL, version integer NOT NULL, created_at text NOT NULL, record jsonb NOT NULL)
            """,
        ]),
    ]

    private func migrate() throws(HistoryError) {
        try transaction("can't set up the history on") { connection in
            // One machine at a time sets the tables up; the others wait here, then find them done.
            try connection.run("SELECT pg_advisory_xact_lock(7310402519)")
            try connection.run("""
                CREATE TABLE IF NOT EXISTS session_guide_migration (name text PRIMARY KEY, written_by text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let applied = try connection.run("SELECT name, written_by FROM session_guide_migration ORDER BY applied_at")
                .map { (name: $0[0] ?? "", writtenBy: $0[1] ?? "") }
            let known = Set(Self.migrations.map(\.name))
            if let unknown = applied.first(where: { !known.contains($0.name) }) {
                throw HistoryError(
                    "won't write to the history on", path: server.displayed,
                    reason: "session-guide \(unknown.writtenBy) set it up for a newer history format "
                        + "(\(unknown.name)), and this is session-guide \(programVersion); install that version or a "
                        + "later one here; nothing was written", kind: .refused)
            }
            let done = Set(applied.map(\.name))
            for migration in Self.migrations where !done.contains(migration.name) {
                for statement in migration.statements { try connection.run(statement) }
                try connection.run("INSERT INTO session_guide_migration (name, written_by) VALUES ($1, $2)",
                                   [migration.name, programVersion])
            }
        }
    }

    // MARK: - Routine runs

    /// A run as its row holds it: the run with its drills.
    private struct RunDocument: Codable {
        var run: RoutineRun
        var drills: [DrillResult]
    }

    private struct SessionDocument: Codable {
        var session: SessionRecord
        var steps: [SessionStepRecord]
        var notes: [SessionNoteRecord]
    }

    private struct ProgrammeDocument: Codable {
        var programme: ProgrammeRecord
        var drills: [ProgrammeDrillRecord]
    }

    @discardableResult
    public func record(_ run: RoutineRun) throws(HistoryError) -> RoutineRun {
        var saved = run
        if saved.machine == nil { saved.machine = machine }
        saved.id = nil
        let id = try upsert(into: "routine_run", action: "can't save the run to", key: run.progress?.key,
                            machine: saved.machine, patient: saved.patient, document: ("routine_id", saved.routineID),
                            startedAt: run.startedAt, endedAt: run.endedAt,
                            json: try Self.json(RunDocument(run: saved, drills: run.drills)))
        saved.id = id
        saved.drills = run.drills
        return saved
    }

    public func recordRecovered(_ run: RoutineRun) throws(HistoryError) {
        if let key = run.progress?.key, let endedAt = run.endedAt,
           try isNewer(key: key, table: "routine_run", than: endedAt, open: run.isOpen) { return }
        try record(run)
    }

    public func runs(since: Date?, patient: String?) throws(HistoryError) -> [RoutineRun] {
        let rows = try documents(table: "routine_run", since: since, as: RunDocument.self)
        return rows.compactMap { id, document in
            var run = document.run
            guard patient.map({ PatientLabel.matches(run.patient, $0) }) ?? true else { return nil }
            run.id = id
            run.drills = Self.owned(document.drills, by: \.runID, id: id)
            let cutShort = run.progress.map { RecordWriter.wasCutShort($0, lastSaved: run.endedAt) } ?? false
            run.progress?.cutShort = cutShort
            return run
        }
    }

    // MARK: - Sessions

    @discardableResult
    public func record(_ session: SessionRecord) throws(HistoryError) -> SessionRecord {
        var saved = session
        if saved.machine == nil { saved.machine = machine }
        saved.id = nil
        let id = try upsert(into: "session_record", action: "can't save the session to", key: session.progress?.key,
                            machine: saved.machine, patient: saved.patient, document: ("session_id", saved.sessionID),
                            startedAt: session.startedAt, endedAt: session.endedAt,
                            json: try Self.json(SessionDocument(session: saved, steps: session.steps,
                                                                notes: session.notes)))
        saved.id = id
        saved.steps = session.steps
        saved.notes = session.notes
        return saved
    }

    public func recordRecovered(_ session: SessionRecord) throws(HistoryError) {
        if let key = session.progress?.key,
           try isNewer(key: key, table: "session_record", than: session.endedAt, open: session.isOpen) {
            return
        }
        try record(session)
    }

    public func sessions(since: Date?, patient: String?) throws(HistoryError) -> [SessionRecord] {
        let rows = try documents(table: "session_record", since: since, as: SessionDocument.self)
        return rows.compactMap { id, document in
            var session = document.session
            guard patient.map({ PatientLabel.matches(session.patient, $0) }) ?? true else { return nil }
            session.id = id
            session.steps = Self.owned(document.steps, by: \.recordID, id: id)
            session.notes = Self.owned(document.notes, by: \.recordID, id: id)
            let cutShort = session.progress.map { RecordWriter.wasCutShort($0, lastSaved: session.endedAt) } ?? false
            session.progress?.cutShort = cutShort
            return session
        }
    }

    // MARK: - Programmes

    @discardableResult
    public func prescribe(_ programme: ProgrammeRecord) throws(HistoryError) -> ProgrammeRecord {
        var saved = programme
        saved.id = nil
        if saved.machine == nil { saved.machine = machine }
        if saved.recordKey == nil { saved.recordKey = UUID().uuidString.lowercased() }
        let created = HistoryDate.text(programme.createdAt)
        return try transaction("can't save the programme to") { connection in
            // Two rooms prescribing for one patient at once still get versions 1 and 2, not two 1s.
            try connection.run("LOCK TABLE programme IN SHARE ROW EXCLUSIVE MODE")
            let earlier = try connection.run("SELECT patient, version FROM programme")
                .filter { PatientLabel.matches($0[0], programme.patient) }.compactMap { $0[1].flatMap { Int($0) } }
            saved.version = (earlier.max() ?? 0) + 1
            let drills = programme.drills.enumerated().map { index, drill in
                var numbered = drill
                numbered.id = Int64(index + 1)
                return numbered
            }
            let document = try Self.json(ProgrammeDocument(programme: saved, drills: drills))
            let id = try connection.run("""
                INSERT INTO programme (record_key, machine, patient, version, created_at, record)
                VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id
                """, [saved.recordKey, saved.machine, saved.patient, "\(saved.version)", created, document])
                .first.flatMap(Self.id)
            saved.id = id
            saved.drills = Self.owned(drills, by: \.programmeID, id: id)
            return saved
        }
    }

    public func programmes(patient: String?) throws(HistoryError) -> [ProgrammeRecord] {
        let rows = try read { connection in
            try connection.run("SELECT id, record::text FROM programme ORDER BY created_at, id")
        }
        var programmes: [ProgrammeRecord] = []
        for row in rows {
            guard let id = Self.id(row), let text = row[1] else { continue }
            let document = try Self.decode(ProgrammeDocument.self, from: text)
            var programme = document.programme
            guard patient.map({ PatientLabel.matches(programme.patient, $0) }) ?? true else { continue }
            programme.id = id
            programme.drills = Self.owned(document.drills, by: \.programmeID, id: id)
            programmes.append(programme)
        }
        return programmes
    }

    // MARK: - Patients

    public func forget(patient: String) throws(HistoryError) -> ForgottenRecords {
        try transaction("can't remove the records from") { connection in
            func remove(_ table: String) throws -> Int {
                let ids = try connection.run("SELECT id, patient FROM \(table)")
                    .filter { PatientLabel.matches($0[1], patient) }.compactMap(Self.id)
                if !ids.isEmpty {
                    let array = "{" + ids.map(String.init).joined(separator: ",") + "}"
                    try connection.run("DELETE FROM \(table) WHERE id = ANY($1::bigint[])", [array])
                }
                return ids.count
            }
            return ForgottenRecords(sessions: try remove("session_record"), routineRuns: try remove("routine_run"),
                                    programmes: try remove("programme"))
        }
    }

    public func recordCount(patient: String) throws(HistoryError) -> ForgottenRecords {
        try read { connection in
            func count(_ table: String) throws -> Int {
                try connection.run("SELECT patient FROM \(table)").filter { PatientLabel.matches($0[0], patient) }.count
            }
            return ForgottenRecords(sessions: try count("session_record"), routineRuns: try count("routine_run"),
                                    programmes: try count("programme"))
        }
    }

    // MARK: - Queries

    /// Saves a run's or a session's row under its key in one statement: inserted, or updated in place when the
    /// key is already there (saved again as it goes, from the outbox, or by an import). The row's id.
    private func upsert(into table: String, action: String, key: String?, machine: String?, patient: String?,
                        document: (column: String, value: String), startedAt: Date, endedAt: Date?,
                        json: String) throws(HistoryError) -> Int64? {
        let key = key ?? "unkeyed-" + UUID().uuidString.lowercased()
        let started = HistoryDate.text(startedAt)
        let ended = endedAt.map(HistoryDate.text)
        return try transaction(action) { connection in
            try connection.run("""
                INSERT INTO \(table) (record_key, machine, patient, \(document.column), started_at, ended_at, record)
                VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
                ON CONFLICT (record_key) DO UPDATE SET machine = EXCLUDED.machine, patient = EXCLUDED.patient,
                    \(document.column) = EXCLUDED.\(document.column),
                    started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, record = EXCLUDED.record
                RETURNING id
                """, [key, machine, patient, document.value, started, ended, json]).first.flatMap(Self.id)
        }
    }

    /// Whether the version stored under `key` supersedes one that ended at `date` (`SavedVersion`'s rule).
    private func isNewer(key: String, table: String, than date: Date, open: Bool) throws(HistoryError) -> Bool {
        let stored = try read { connection in
            try connection.run("""
                SELECT ended_at, COALESCE(record->'run', record->'session')->>'in_progress' FROM \(table)
                WHERE record_key = $1
                """, [key]).first
        }
        guard let stored, let text = stored[0], let saved = HistoryDate.date(fromText: text) else { return false }
        let inProgress = stored[1]
        return SavedVersion(endedAt: saved, open: inProgress == "true").supersedes(endedAt: date, open: open)
    }

    /// Each row's id and document, oldest first, from `since` on.
    private func documents<Document: Decodable>(table: String, since: Date?, as type: Document.Type)
        throws(HistoryError) -> [(Int64, Document)]
    {
        let rows = try read { connection in
            if let since {
                return try connection.run("SELECT id, record::text FROM \(table) WHERE started_at >= $1 "
                    + "ORDER BY started_at, id", [HistoryDate.text(since)])
            }
            return try connection.run("SELECT id, record::text FROM \(table) ORDER BY started_at, id")
        }
        var documents: [(Int64, Document)] = []
        for row in rows {
            guard let id = Self.id(row), let text = row[1] else { continue }
            documents.append((id, try Self.decode(type, from: text)))
        }
        return documents
    }

    /// The child rows (drills, steps, notes) as the record's own: each with its owner's id, as the SQLite file
    /// gives them back.
    private static func owned<Child>(_ children: [Child], by owner: WritableKeyPath<Child, Int64?>, id: Int64?)
        -> [Child]
    {
        children.map { child in
            var owned = child
            owned[keyPath: owner] = id
            return owned
        }
    }

    /// A row's first column as a row id.
    private static func id(_ row: [String?]) -> Int64? {
        row.first.flatMap { $0 }.flatMap { Int64($0) }
    }

    // MARK: - Connection and errors

    private func read<T>(_ body: (LibPQConnection) throws -> T) throws(HistoryError) -> T {
        try withConnection("can't read the history on", body)
    }

    /// `body` in one transaction: all of it is kept or none.
    private func transaction<T>(_ action: String, _ body: (LibPQConnection) throws -> T) throws(HistoryError) -> T {
        try withConnection(action) { connection in
            try connection.run("BEGIN")
            do {
                let result = try body(connection)
                try connection.run("COMMIT")
                return result
            } catch {
                _ = try? connection.run("ROLLBACK")
                throw error
            }
        }
    }

    private func withConnection<T>(_ action: String, _ body: (LibPQConnection) throws -> T) throws(HistoryError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            if connection?.isUsable != true { connection = try connect() }
            guard let connection else { throw HistoryError(action, path: location, reason: "no connection") }
            return try body(connection)
        } catch {
            let failure = describe(error, action: action)
            if failure.kind == .unreachable || connection?.isUsable == false { connection = nil }
            throw failure
        }
    }

    /// libpq's connection keywords for the server the URL names. The password is the one the location found
    /// (its password file, read under the same rules as libpq's), never a file libpq would look for itself.
    private func connect() throws(LibPQConnection.Failure) -> LibPQConnection {
        try LibPQConnection([
            "host": server.host,
            "port": "\(server.port)",
            "user": server.user,
            "dbname": server.database,
            "password": server.password,
            // Not ~/.pgpass behind the location's back (a file no one could read, so libpq stays silent).
            "passfile": server.password == nil ? "/nonexistent/session-guide/no-password-file" : nil,
            "sslmode": server.tls.rawValue,
            "sslrootcert": server.rootCertificate,
            "connect_timeout": "\(server.connectTimeout)",
            "application_name": "session-guide",
            "client_encoding": "UTF8",
        ])
    }

    /// One line for the error, with the kind that tells the caller what to do (keep the record for later when
    /// the server can't be reached).
    private func describe(_ error: any Error, action: String) -> HistoryError {
        if let history = error as? HistoryError { return history }
        func failure(_ reason: String, _ kind: HistoryError.Kind) -> HistoryError {
            HistoryError(kind == .unreachable ? "can't reach the history server" : action, path: location,
                         reason: reason, kind: kind)
        }
        guard let libpq = error as? LibPQConnection.Failure else { return failure("\(error)", .other) }
        switch libpq {
        case .noClientLibrary(let reason):
            return failure("PostgreSQL's client library is not installed on this machine (Debian's libpq5: "
                + "apt-get install libpq5): \(reason)", .refused)
        case .connect(_, needsPassword: true):
            return failure("the server asks for a password: put it in a password file (PGPASSFILE or "
                + "~/.pgpass, mode 600)", .refused)
        case .connect(let reason, needsPassword: false):
            let lowered = reason.lowercased()
            if lowered.contains("ssl") || lowered.contains("certificate") {
                return failure("TLS failed (sslmode=\(server.tls.rawValue)): \(reason); if the server's certificate "
                    + "is the clinic's own, name its authority with sslrootcert=FILE", .refused)
            }
            // The server answered, and said no: to the login, or to the database for this user.
            if lowered.contains("authentication") || lowered.contains("password") {
                return failure("the server refused the login: \(reason)", .refused)
            }
            if lowered.contains("fatal:") { return failure("the server refused: \(reason)", .refused) }
            return failure(reason, .unreachable)
        case .statement(let reason, let state, let lost):
            let state = state ?? ""
            if lost || state.hasPrefix("08") || state.hasPrefix("57P") { return failure(reason, .unreachable) }
            if state.hasPrefix("28") { return failure("the server refused the login: \(reason)", .refused) }
            if state == "42501" { return failure("the server refused: \(reason)", .refused) }
            if state == "53100" { return failure("the server's disk is full", .full) }
            return failure(reason, .other)
        }
    }

    // MARK: - Documents

    private static func json<Document: Encodable>(_ document: Document) throws(HistoryError) -> String {
        let encoder = JSONEncoder()
        // Dates as the SQLite file keeps them, to the millisecond, so both stores give back the same records.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(HistoryDate.text(date))
        }
        do {
            return String(decoding: try encoder.encode(document), as: UTF8.self)
        } catch {
            throw HistoryError("can't write out", path: "a record", reason: "\(error)")
        }
    }

    private static func decode<Document: Decodable>(_ type: Document.Type, from text: String) throws(HistoryError)
        -> Document
    {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = HistoryDate.date(fromText: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date: \(text)")
            }
            return date
        }
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw HistoryError("can't read a record from", path: "the history server",
                               reason: "it is not one this version can read (\(error))", kind: .damaged)
        }
    }
}
