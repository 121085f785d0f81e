import Foundation
import Glibc
import SessionGuideContent
import SessionGuideHistory
import SessionGuideRuntime

/// Carries out the programs' saves: each record goes into the history as it happens, under a key, so that a
/// later save updates it. Whatever the history can't take (a full disk, a lock held too long, a damaged or
/// newer file, a history server that can't be reached) is appended to the outbox, the recovery file in this
/// machine's state folder, instead, and taken into the history the next time a session or routine starts.
/// No run and no note is lost.
final class RecordKeeper {
    let history: HistoryLocation
    let recoveryPath: String
    /// Where records go when the state folder itself can't take them (a full or read-only disk): the
    /// session's runtime folder (`XDG_RUNTIME_DIR`, in memory), when there is one.
    let fallbackRecoveryPath: String?
    private var store: (any RecordStore)?
    /// Saves made as the record goes wait until then after a failure (doubling, up to a minute).
    private var retryAfter: Date?
    private var backoff: TimeInterval = 1
    /// Lines for standard error once the screen is closed (a history moved aside, a recovery file used).
    private(set) var messages: [String] = []

    /// The recovery file (the outbox): in this machine's state folder, beside the history file when it is one.
    static func recoveryPath(history: HistoryLocation) -> String {
        history.stateFolder + "/unsaved-records.jsonl"
    }

    init(history: HistoryLocation, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.history = history
        recoveryPath = Self.recoveryPath(history: history)
        fallbackRecoveryPath = Self.fallbackRecoveryPath(environment: environment)
    }

    static func fallbackRecoveryPath(environment: [String: String]) -> String? {
        guard let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") else { return nil }
        return runtime + "/session-guide/unsaved-records.jsonl"
    }

    // MARK: - Saving

    /// Saves the record (the key is given here on its first save); the record with its key, and why it could
    /// not go into the history when it couldn't.
    func save(_ record: HistoryRecord) -> (record: HistoryRecord, problem: String?) {
        var record = record
        var progress = record.progress ?? RecordProgress(key: "", writer: "", open: false)
        if progress.key.isEmpty { progress.key = UUID().uuidString.lowercased() }
        progress.writer = RecordWriter.current
        record.progress = progress
        // A programme's key is given before its first save, so a save tried again (from the outbox) can't add it
        // twice.
        if case .programme(var programme) = record, programme.recordKey == nil {
            programme.recordKey = UUID().uuidString.lowercased()
            record = .programme(programme)
        }
        if record.isOpen, let retryAfter, Date() < retryAfter {
            return (record, keepForLater(record, because: "the history is not taking records just now"))
        }
        // The closing save is worth waiting for: another program's lock is tried again for about ten seconds.
        let waits: [UInt32] = record.isOpen ? [] : [250_000, 500_000, 1_000_000, 2_000_000, 4_000_000]
        var attempt = 0
        while true {
            do {
                let saved = try write(record)
                retryAfter = nil
                backoff = 1
                return (saved, nil)
            } catch {
                if error.kind == .damaged, let fresh = startFreshHistory() {
                    messages.append(fresh)
                    continue
                }
                if error.kind == .busy, attempt < waits.count {
                    usleep(waits[attempt])
                    attempt += 1
                    continue
                }
                retryAfter = Date().addingTimeInterval(backoff)
                backoff = min(60, backoff * 2)
                return (record, keepForLater(record, because: error.description))
            }
        }
    }

    /// The record as saved: a programme comes back with its id and version.
    private func write(_ record: HistoryRecord) throws(HistoryError) -> HistoryRecord {
        if store == nil { store = try history.openForWriting(busyTimeout: 0.5) }
        guard let store else { return record }
        do {
            switch record {
            case .routineRun(let run): try store.record(run)
            case .session(let session): try store.record(session)
            case .programme(let programme): return .programme(try store.takeIn(programme))
            }
            return record
        } catch {
            if error.kind == .damaged || error.kind == .unreachable { self.store = nil }
            throw error
        }
    }

    /// Moves a damaged history aside; the line that says where it went, or nil when it can't be moved.
    private func startFreshHistory() -> String? {
        store = nil
        guard case .file(let historyPath) = history,
              let kept = try? HistoryStore.moveAside(path: historyPath, at: Date()) else { return nil }
        return "the history file was damaged: it is kept as \(kept), and a fresh history was started"
    }

    /// Appends the record to the recovery file; the problem to report, saying where the record went.
    private func keepForLater(_ record: HistoryRecord, because problem: String) -> String {
        var failure = RecoveryFile(path: recoveryPath).append(record, problem: problem)
        var kept = recoveryPath
        if failure != nil, let fallbackRecoveryPath, RecoveryFile(path: fallbackRecoveryPath).append(record,
                                                                                                   problem: problem) == nil {
            (failure, kept) = (nil, fallbackRecoveryPath)
        }
        if let failure {
            return "\(problem), and it could not be kept in \(recoveryPath) either (\(failure))"
        }
        return "\(problem); it is kept in \(kept) and goes into the history the next time a session or routine "
            + "starts"
    }

    // MARK: - Taking records in from the recovery file

    /// Takes the recovery file's records into the history; lines that say what happened (none when there was
    /// no recovery file).
    func takeInRecovered() -> [String] {
        ([recoveryPath] + [fallbackRecoveryPath].compactMap { $0 }).flatMap(takeIn(from:))
    }

    private func takeIn(from recoveryPath: String) -> [String] {
        let file = RecoveryFile(path: recoveryPath)
        guard file.exists else { return [] }
        let result = file.takeIn { record throws(HistoryError) in
            if store == nil { store = try history.openForWriting(busyTimeout: 2) }
            switch record {
            case .routineRun(let run): try store?.recordRecovered(run)
            case .session(let session): try store?.recordRecovered(session)
            case .programme(let programme): try store?.takeIn(programme)
            }
        }
        switch result {
        case .success(0): return []
        case .success(let count):
            return ["\(count == 1 ? "1 record" : "\(count) records") that could not be saved earlier "
                + "\(count == 1 ? "is" : "are") now in the history (from \(recoveryPath))"]
        case .failure(let problem):
            return ["records that could not be saved earlier still wait in \(recoveryPath): \(problem)"]
        }
    }
}

/// The recovery file: one JSON object per line, appended with `O_APPEND` (whole lines, so two programs can
/// append at once), private (0600), never through a symbolic link. A record saved again under the same key
/// supersedes its earlier lines.
struct RecoveryFile {
    let path: String

    private struct Line: Codable {
        var routineRun: RoutineRun?
        var drills: [DrillResult]?
        var session: SessionRecord?
        var steps: [SessionStepRecord]?
        var notes: [SessionNoteRecord]?
        var programme: ProgrammeRecord?
        var programmeDrills: [ProgrammeDrillRecord]?
        var problem: String

        var record: HistoryRecord? {
            if var run = routineRun {
                run.drills = drills ?? []
                return .routineRun(run)
            }
            if var session {
                session.steps = steps ?? []
                session.notes = notes ?? []
                return .session(session)
            }
            if var programme {
                programme.drills = programmeDrills ?? []
                return .programme(programme)
            }
            return nil
        }
    }

    var exists: Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The records of the lines in `data`, the last version of each key, in the order they first appeared. A
    /// line cut short by a crash while it was written, or one that isn't a record, is left out.
    static func records(in data: Data) -> [HistoryRecord] {
        var latest: [String: Int] = [:]
        var records: [HistoryRecord] = []
        for raw in data.split(separator: 0x0A) {
            guard let line = try? JSONDecoder().decode(Line.self, from: Data(raw)), let record = line.record else {
                continue
            }
            let key = record.progress?.key ?? UUID().uuidString
            if let index = latest[key] {
                records[index] = record
            } else {
                latest[key] = records.count
                records.append(record)
            }
        }
        return records
    }

    /// One record as a line of the file (without its newline): the format of the outbox and of `history export`.
    static func line(for record: HistoryRecord, problem: String) -> String? {
        var line = Line(problem: problem)
        switch record {
        case .routineRun(let run): (line.routineRun, line.drills) = (run, run.drills)
        case .session(let session): (line.session, line.steps, line.notes) = (session, session.steps, session.notes)
        case .programme(let programme): (line.programme, line.programmeDrills) = (programme, programme.drills)
        }
        guard let encoded = try? JSONEncoder().encode(line) else { return nil }
        // Escaped, not cleaned: a note keeps its exact words when read back, and `cat` on the file is harmless.
        return SafeText(json: String(decoding: encoded, as: UTF8.self)).text
    }

    /// Nil when the record was appended, else why not.
    func append(_ record: HistoryRecord, problem: String) -> String? {
        guard let text = Self.line(for: record, problem: problem) else { return "the record could not be written out" }
        var bytes = Array(text.utf8)
        bytes.append(0x0A)
        let folder = HistoryFiles.folder(of: path)
        if mkdir(folder, 0o700) != 0, errno != EEXIST { return Console.reason(errno) }
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else {
            return "\(folder) is not a folder of this user's own (a symbolic link?)"
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            return errno == ELOOP ? "it is a symbolic link" : Console.reason(errno)
        }
        defer { close(descriptor) }
        if let failure = Console.writeAll(Array(bytes), to: descriptor) { return Console.reason(failure) }
        fsync(descriptor)
        return nil
    }

    /// Hands each record (the last version of each key) to `save`, then empties the file; the number taken
    /// in, or why they could not all be (the file is then left as it was).
    func takeIn(_ save: (HistoryRecord) throws(HistoryError) -> Void) -> Result<Int, HistoryError> {
        let descriptor = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(HistoryError("can't read", path: path, reason: Console.reason(errno)))
        }
        defer { close(descriptor) }
        flock(descriptor, LOCK_EX)  // two programs starting at once take the records in once
        defer { flock(descriptor, LOCK_UN) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        let records = Self.records(in: data)
        do {
            for record in records { try save(record) }
        } catch {
            return .failure(error)
        }
        ftruncate(descriptor, 0)
        unlink(path)
        return .success(records.count)
    }
}
