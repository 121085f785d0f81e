import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
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
    private var connection: PostgresConnection?
    private let logger = Logger(label: "session-guide.history", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Connects and brings the server's tables up to date (several machines starting at once take turns);
    /// refuses a server that a newer version set up.
    public init(server: PostgresLocation, programVersion: String = "unknown",
                machine: String = MachineName.current) throws(HistoryError) {
        self.server = server
        self.machine = machine
        self.programVersion = programVersion
        try migrate()
    }

    deinit {
        try? connection?.close().wait()
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
            var applied: [(name: String, writtenBy: String)] = []
            for row in try connection.run("SELECT name, written_by FROM session_guide_migration ORDER BY applied_at") {
                applied.append(try row.decode((String, String).self))
            }
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
                for statement in migration.statements { try connection.run(PostgresQuery(unsafeSQL: statement)) }
                try connection.run("INSERT INTO session_guide_migration (name, written_by) VALUES (\(migration.name), \(programVersion))")
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
            var earlier: [Int] = []
            for row in try connection.run("SELECT patient, version FROM programme") {
                let (patient, version) = try row.decode((String, Int).self)
                if PatientLabel.matches(patient, programme.patient) { earlier.append(version) }
            }
            saved.version = (earlier.max() ?? 0) + 1
            let drills = programme.drills.enumerated().map { index, drill in
                var numbered = drill
                numbered.id = Int64(index + 1)
                return numbered
            }
            let document = try Self.json(ProgrammeDocument(programme: saved, drills: drills))
            let id = try connection.run("""
                INSERT INTO programme (record_key, machine, patient, version, created_at, record)
                VALUES (\(saved.recordKey), \(saved.machine), \(saved.patient), \(saved.version), \(created),
                        \(document)::jsonb)
                RETURNING id
                """).first.map { try $0.decode(Int64.self) }
            saved.id = id
            saved.drills = Self.owned(drills, by: \.programmeID, id: id)
            return saved
        }
    }

    public func programmes(patient: String?) throws(HistoryError) -> [ProgrammeRecord] {
        let rows = try read { connection in
            try connection.run("SELECT id, record::text FROM programme ORDER BY created_at, id")
                .map { try $0.decode((Int64, String).self) }
        }
        var programmes: [ProgrammeRecord] = []
        for (id, text) in rows {
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
                let ids = try connection.run(PostgresQuery(unsafeSQL: "SELECT id, patient FROM \(table)"))
                    .map { try $0.decode((Int64, String?).self) }
                    .filter { PatientLabel.matches($0.1, patient) }.map(\.0)
                if !ids.isEmpty {
                    var binds = PostgresBindings()
                    binds.append(ids)
                    try connection.run(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE id = ANY($1)", binds: binds))
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
                try connection.run(PostgresQuery(unsafeSQL: "SELECT patient FROM \(table)"))
                    .map { try $0.decode(String?.self) }
                    .filter { PatientLabel.matches($0, patient) }.count
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
                INSERT INTO \(unescaped: table) (record_key, machine, patient, \(unescaped: document.column), started_at,
                    ended_at, record)
                VALUES (\(key), \(machine), \(patient), \(document.value), \(started), \(ended), \(json)::jsonb)
                ON CONFLICT (record_key) DO UPDATE SET machine = EXCLUDED.machine, patient = EXCLUDED.patient,
                    \(unescaped: document.column) = EXCLUDED.\(unescaped: document.column),
                    started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, record = EXCLUDED.record
                RETURNING id
                """).first.map { try $0.decode(Int64.self) }
        }
    }

    /// Whether the version stored under `key` supersedes one that ended at `date` (`SavedVersion`'s rule).
    private func isNewer(key: String, table: String, than date: Date, open: Bool) throws(HistoryError) -> Bool {
        let stored = try read { connection in
            try connection.run(PostgresQuery(unsafeSQL: """
                SELECT ended_at, COALESCE(record->'run', record->'session')->>'in_progress' FROM \(table)
                WHERE record_key = $1
                """, binds: Self.binds(key)))
                .first.map { try $0.decode((String?, String?).self) }
        }
        guard let (endedAt, inProgress) = stored, let text = endedAt, let saved = HistoryDate.date(fromText: text)
        else { return false }
        return SavedVersion(endedAt: saved, open: inProgress == "true").supersedes(endedAt: date, open: open)
    }

    /// Each row's id and document, oldest first, from `since` on.
    private func documents<Document: Decodable>(table: String, since: Date?, as type: Document.Type)
        throws(HistoryError) -> [(Int64, Document)]
    {
        let rows = try read { connection in
            let query = since.map { since in
                PostgresQuery(unsafeSQL: "SELECT id, record::text FROM \(table) WHERE started_at >= $1 "
                    + "ORDER BY started_at, id", binds: Self.binds(HistoryDate.text(since)))
            } ?? PostgresQuery(unsafeSQL: "SELECT id, record::text FROM \(table) ORDER BY started_at, id")
            return try connection.run(query).map { try $0.decode((Int64, String).self) }
        }
        var documents: [(Int64, Document)] = []
        for (id, text) in rows { documents.append((id, try Self.decode(type, from: text))) }
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

    private static func binds(_ value: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(value)
        return binds
    }

    // MARK: - Connection and errors

    private func read<T>(_ body: (PostgresConnection) throws -> T) throws(HistoryError) -> T {
        try withConnection("can't read the history on", body)
    }

    /// `body` in one transaction: all of it is kept or none.
    private func transaction<T>(_ action: String, _ body: (PostgresConnection) throws -> T) throws(HistoryError) -> T {
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

    private func withConnection<T>(_ action: String, _ body: (PostgresConnection) throws -> T) throws(HistoryError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            if connection == nil || connection?.isClosed == true { connection = try connect() }
            guard let connection else { throw HistoryError(action, path: location, reason: "no connection") }
            return try body(connection)
        } catch {
            let failure = describe(error, action: action)
            if failure.kind == .unreachable {
                try? connection?.close().wait()
                connection = nil
            }
            throw failure
        }
    }

    private func connect() throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.user, password: server.password,
            database: server.database, tls: try tls())
        configuration.options.connectTimeout = .seconds(Int64(server.connectTimeout))
        return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                              configuration: configuration, id: 1, logger: logger).wait()
    }

    /// TLS as libpq's sslmode words mean it.
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let root = server.rootCertificate { configuration.trustRoots = .file(root) }
        switch server.tls {
        case .disable: return .disable
        case .allow, .prefer:
            configuration.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: configuration))
        case .require:
            configuration.certificateVerification = server.rootCertificate == nil ? .none : .noHostnameVerification
            return .require(try NIOSSLContext(configuration: configuration))
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: configuration))
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
            return .require(try NIOSSLContext(configuration: configuration))
        }
    }

    /// One line for the error, with the kind that tells the caller what to do (keep the record for later when
    /// the server can't be reached).
    private func describe(_ error: any Error, action: String) -> HistoryError {
        if let history = error as? HistoryError { return history }
        func failure(_ reason: String, _ kind: HistoryError.Kind) -> HistoryError {
            HistoryError(kind == .unreachable ? "can't reach the history server" : action, path: location,
                         reason: reason, kind: kind)
        }
        if let transaction = error as? PostgresTransactionError {
            return describe(transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error,
                            action: action)
        }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .server:
                let message = psql.serverInfo?[.message] ?? "the server refused"
                let state = psql.serverInfo?[.sqlState] ?? ""
                if state.hasPrefix("28") { return failure("the server refused the login: \(message)", .refused) }
                if state == "42501" { return failure("the server refused: \(message)", .refused) }
                if state == "53100" { return failure("the server's disk is full", .full) }
                if state.hasPrefix("08") || state.hasPrefix("57P") { return failure(message, .unreachable) }
                return failure(message, .other)
            case .sslUnsupported:
                return failure("the server does not offer TLS, which sslmode=\(server.tls.rawValue) asks for", .refused)
            case .authMechanismRequiresPassword:
                return failure("the server asks for a password: put it in a password file (PGPASSFILE or "
                    + "~/.pgpass, mode 600)", .refused)
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                if let underlying = psql.underlying, underlying is NIOSSLError || underlying is BoringSSLError {
                    return failure("TLS failed (sslmode=\(server.tls.rawValue)): the server's certificate is not "
                        + "one this machine trusts, or not for this host; name the clinic's authority with "
                        + "sslrootcert=FILE (\(underlying))", .refused)
                }
                let reason = psql.underlying.map(Self.networkReason) ?? "the connection was lost"
                return failure(reason, .unreachable)
            default:
                return failure("\(psql.code)", .other)
            }
        }
        if error is NIOConnectionError || error is IOError || error is ChannelError {
            return failure(Self.networkReason(error), .unreachable)
        }
        if error is NIOSSLError { return failure("TLS failed: \(error)", .refused) }
        return failure("\(error)", .other)
    }

    private static func networkReason(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError {
            if let first = connection.connectionErrors.first { return networkReason(first.error) }
            if connection.dnsAError != nil || connection.dnsAAAAError != nil { return "the host name is not known" }
            return "the server can't be reached"
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return "the server is not accepting connections (connection refused)"
            case ETIMEDOUT, EHOSTUNREACH, ENETUNREACH: return "the server can't be reached (\(String(cString: strerror(io.errnoCode))))"
            default: return String(cString: strerror(io.errnoCode))
            }
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel {
            return "the server did not answer in time"
        }
        return "the connection was lost"
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

extension PostgresConnection {
    /// The query's rows, waited for on this thread.
    @discardableResult
    fileprivate func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try self.query(query, logger: logger).wait()
    }
}
