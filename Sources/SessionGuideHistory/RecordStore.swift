import Foundation
import Glibc

/// Where the records are kept, behind one interface: the SQLite file (`HistoryStore`, the default, one machine)
/// or the clinic's PostgreSQL server (`PostgresStore`, several rooms). Every feature that reads or writes the
/// history goes through this, so it works the same on both; `RecordStoreTests` runs one suite on each.
///
/// Every record has a key that is the same wherever it goes (`RecordProgress.key`, `ProgrammeRecord.recordKey`):
/// saving a record again under its key updates it in place, so a record is never counted twice, whether it is
/// saved as it happens, taken in from the outbox or imported from another machine.
public protocol RecordStore: AnyObject, Sendable {
    /// Where the records are, for messages: a file's path, or the server's address without any password.
    var location: String { get }
    /// The machine name this store saves with each new record.
    var machine: String { get }

    /// Saves a run with its drills in one transaction; a run whose key is already stored is updated in place.
    @discardableResult func record(_ run: RoutineRun) throws(HistoryError) -> RoutineRun
    /// Saves a session with its steps and notes in one transaction; updated in place under its key.
    @discardableResult func record(_ session: SessionRecord) throws(HistoryError) -> SessionRecord
    /// A run from the outbox or an import: saved unless the store has a version of it saved later.
    func recordRecovered(_ run: RoutineRun) throws(HistoryError)
    /// A session from the outbox or an import: saved unless the store has a version of it saved later.
    func recordRecovered(_ session: SessionRecord) throws(HistoryError)

    /// Runs started at or after `since` (all when nil), oldest first, with their drills; for one patient label
    /// when given (letter case and spaces at the ends don't count).
    func runs(since: Date?, patient: String?) throws(HistoryError) -> [RoutineRun]
    /// Sessions the same way, with their steps and notes.
    func sessions(since: Date?, patient: String?) throws(HistoryError) -> [SessionRecord]

    /// Saves a new programme as the patient's next version, with its drills, in one transaction.
    @discardableResult func prescribe(_ programme: ProgrammeRecord) throws(HistoryError) -> ProgrammeRecord
    /// Every programme of a patient (of every patient when nil), oldest first, with their drills.
    func programmes(patient: String?) throws(HistoryError) -> [ProgrammeRecord]

    /// Removes every record of a patient label, in one transaction.
    func forget(patient: String) throws(HistoryError) -> ForgottenRecords
    /// How many records a patient label has, for asking before `forget(patient:)`.
    func recordCount(patient: String) throws(HistoryError) -> ForgottenRecords
}

extension RecordStore {
    /// A programme from the outbox or an import: the one already stored under its key, else saved as the
    /// patient's next version.
    @discardableResult
    public func takeIn(_ programme: ProgrammeRecord) throws(HistoryError) -> ProgrammeRecord {
        if let key = programme.recordKey,
           let stored = try programmes(patient: programme.patient).first(where: { $0.recordKey == key }) {
            return stored
        }
        return try prescribe(programme)
    }

    public func runs() throws(HistoryError) -> [RoutineRun] { try runs(since: nil, patient: nil) }
    public func runs(since: Date?) throws(HistoryError) -> [RoutineRun] { try runs(since: since, patient: nil) }
    public func runs(patient: String?) throws(HistoryError) -> [RoutineRun] { try runs(since: nil, patient: patient) }
    public func sessions() throws(HistoryError) -> [SessionRecord] { try sessions(since: nil, patient: nil) }
    public func sessions(since: Date?) throws(HistoryError) -> [SessionRecord] {
        try sessions(since: since, patient: nil)
    }
    public func sessions(patient: String?) throws(HistoryError) -> [SessionRecord] {
        try sessions(since: nil, patient: patient)
    }
}

/// One saved version of a record, as far as choosing between two saves of it (the store's and one from the
/// outbox or an import): when it was last saved, and whether it was still open then.
public struct SavedVersion: Sendable {
    public var endedAt: Date
    public var open: Bool

    public init(endedAt: Date, open: Bool) {
        self.endedAt = endedAt
        self.open = open
    }

    /// Whether this version is kept over one that ended at `endedAt`: saved later, or at the same moment and
    /// closed (or both open). Every store decides by this one rule.
    public func supersedes(endedAt other: Date, open otherOpen: Bool) -> Bool {
        endedAt > other || (endedAt == other && (!open || otherOpen))
    }
}

/// This machine's name as records carry it: the host name, as `hostname` prints it.
public enum MachineName {
    public static let current: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        let name = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "unknown" : name
    }()
}

// MARK: - Import

/// What `history import` did: records new to the store, and records it already had (by key).
public struct ImportSummary: Hashable, Sendable {
    public var added = ForgottenRecords()
    public var alreadyThere = ForgottenRecords()

    public init() {}
}

extension RecordStore {
    /// Merges every record of `source` into this store, idempotently: a record whose key is already here is
    /// kept as the later of the two versions and counted as already there, so importing the same file twice
    /// adds nothing the second time. Records from before keys existed get one worked out from what they hold.
    /// Programmes go first, so that runs that followed one point at its id in this store.
    public func importRecords(from source: any RecordStore) throws(HistoryError) -> ImportSummary {
        var summary = ImportSummary()
        let knownProgrammes = Set(try programmes(patient: nil).compactMap(\.recordKey))
        var programmeIDs: [Int64: Int64] = [:]
        for programme in try source.programmes(patient: nil) {
            var incoming = programme
            if incoming.recordKey == nil { incoming.recordKey = DerivedKey.of(programme) }
            let key = incoming.recordKey ?? ""
            let stored = try takeIn(incoming)
            if let old = programme.id, let new = stored.id { programmeIDs[old] = new }
            if knownProgrammes.contains(key) { summary.alreadyThere.programmes += 1 } else { summary.added.programmes += 1 }
        }
        let knownRuns = Set(try runs().compactMap(\.progress?.key))
        for run in try source.runs() {
            var incoming = run
            if incoming.progress == nil {
                incoming.progress = RecordProgress(key: DerivedKey.of(run), writer: "", open: false)
            }
            incoming.programmeID = run.programmeID.flatMap { programmeIDs[$0] }
            let key = incoming.progress?.key ?? ""
            try recordRecovered(incoming)
            if knownRuns.contains(key) { summary.alreadyThere.routineRuns += 1 } else { summary.added.routineRuns += 1 }
        }
        let knownSessions = Set(try sessions().compactMap(\.progress?.key))
        for session in try source.sessions() {
            var incoming = session
            if incoming.progress == nil {
                incoming.progress = RecordProgress(key: DerivedKey.of(session), writer: "", open: false)
            }
            let key = incoming.progress?.key ?? ""
            try recordRecovered(incoming)
            if knownSessions.contains(key) { summary.alreadyThere.sessions += 1 } else { summary.added.sessions += 1 }
        }
        return summary
    }
}

/// A key for a record saved before records had keys (history format 2 and earlier): worked out from what the
/// record holds, so the same old record gives the same key on every import.
enum DerivedKey {
    static func of(_ run: RoutineRun) -> String {
        digest(["run", run.routineID, HistoryDate.text(run.startedAt), "\(run.seconds)", run.patient ?? ""])
    }

    static func of(_ session: SessionRecord) -> String {
        digest(["session", session.sessionID, HistoryDate.text(session.startedAt), HistoryDate.text(session.endedAt),
                session.patient ?? ""])
    }

    static func of(_ programme: ProgrammeRecord) -> String {
        digest(["programme", programme.patient, "\(programme.version)", programme.routineID,
                HistoryDate.text(programme.createdAt)])
    }

    /// 64-bit FNV-1a of the parts, twice with different seeds: a stable name, not a secret.
    private static func digest(_ parts: [String]) -> String {
        let bytes = Array(parts.joined(separator: "\u{1F}").utf8)
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            return hash
        }
        let first = String(fnv(0xcbf29ce484222325), radix: 16)
        let second = String(fnv(0x84222325cbf29ce4), radix: 16)
        return "derived-" + String(repeating: "0", count: 16 - first.count) + first
            + String(repeating: "0", count: 16 - second.count) + second
    }
}
