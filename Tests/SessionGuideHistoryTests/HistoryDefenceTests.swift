import Foundation
import GRDB
import Testing
@testable import SessionGuideHistory

/// The history defends itself: links, other people's files, loose modes, newer versions, locks, damage, and
/// records saved as they happen.
@Suite("the history defends itself")
struct HistoryDefenceTests {
    private func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test("a history file that is a symbolic link, even to nowhere, is refused for writing and reading")
    func symlinkedFile() throws {
        try withTemporaryFolder { folder in
            let history = folder + "/session-guide/history.sqlite"
            try FileManager.default.createDirectory(atPath: folder + "/session-guide", withIntermediateDirectories: true)
            let target = folder + "/elsewhere.sqlite"
            #expect(symlink(target, history) == 0)
            let error = #expect(throws: HistoryError.self) { try HistoryStore(path: history) }
            #expect(error?.kind == .refused)
            #expect(error?.description.contains("symbolic link") == true, "\(String(describing: error))")
            #expect(!FileManager.default.fileExists(atPath: target), "the history was created through the link")
            let reading = #expect(throws: HistoryError.self) { try HistoryStore.openExisting(path: history) }
            #expect(reading?.description.contains("symbolic link") == true)
        }
    }

    @Test("a history folder that is a symbolic link is refused; nothing is written into its target")
    func symlinkedFolder() throws {
        try withTemporaryFolder { folder in
            let real = folder + "/real"
            try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
            #expect(symlink(real, folder + "/session-guide") == 0)
            let error = #expect(throws: HistoryError.self) {
                try HistoryStore(path: folder + "/session-guide/history.sqlite")
            }
            #expect(error?.description.contains("symbolic link") == true, "\(String(describing: error))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: real).isEmpty)
        }
    }

    @Test("a folder and file others can read (0755, 0666) are made private (0700, 0600) before anything is written")
    func looseModesAreTightened() throws {
        try withTemporaryFolder { folder in
            let history = folder + "/session-guide/history.sqlite"
            try FileManager.default.createDirectory(atPath: folder + "/session-guide", withIntermediateDirectories: true)
            _ = try HistoryStore(path: history)
            #expect(chmod(folder + "/session-guide", 0o755) == 0 && chmod(history, 0o666) == 0)
            let store = try HistoryStore(path: history)
            try store.record(sampleRun())
            #expect(mode(folder + "/session-guide") == 0o700)
            #expect(mode(history) == 0o600)
            for companion in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: history + companion) {
                #expect(mode(history + companion) == 0o600, "\(companion)")
            }
        }
    }

    @Test("a history folder that belongs to another user is refused, saying why")
    func anotherUsersFolder() throws {
        guard geteuid() == 0 else { return }  // only root can give a folder away; CI runs as root
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/session-guide", withIntermediateDirectories: true)
            #expect(chown(folder + "/session-guide", 65_534, 65_534) == 0)
            let error = #expect(throws: HistoryError.self) {
                try HistoryStore(path: folder + "/session-guide/history.sqlite")
            }
            #expect(error?.kind == .refused)
            #expect(error?.description.contains("belongs to another user") == true, "\(String(describing: error))")
        }
    }

    /// A history as a later version might leave it: one more migration, a newer format, a NOT NULL column.
    private func makeNewer(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: devices')")
            try db.execute(sql: "UPDATE history_info SET value = '\(HistoryStore.format + 1)' WHERE name = 'format'")
            try db.execute(sql: "UPDATE history_info SET value = '9.9.9' WHERE name = 'written_by'")
            try db.execute(sql: "ALTER TABLE routine_run ADD COLUMN device TEXT NOT NULL DEFAULT 'box'")
        }
        try queue.close()
    }

    @Test("a history from a newer version is refused before anything is written, naming both versions; it can be read")
    func newerHistory() throws {
        try withTemporaryFolder { folder in
            let history = folder + "/session-guide/history.sqlite"
            try HistoryStore(path: history, programVersion: "0.1.0").record(sampleRun())
            try makeNewer(history)
            let error = #expect(throws: HistoryError.self) {
                try HistoryStore(path: history, programVersion: "0.1.0").record(sampleRun(1))
            }
            #expect(error?.kind == .refused)
            let message = error?.description ?? ""
            #expect(message.contains("written by session-guide 9.9.9 (history format \(HistoryStore.format + 1))"), "\(message)")
            #expect(message.contains("this is session-guide 0.1.0 (history format \(HistoryStore.format))"), "\(message)")
            // Nothing written: its own record of who wrote it, its migrations and its runs are as they were.
            let check = try DatabaseQueue(path: history)
            let (writtenBy, migrations, runs) = try check.read { db in
                (try String.fetchOne(db, sql: "SELECT value FROM history_info WHERE name = 'written_by'"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM routine_run"))
            }
            #expect(writtenBy == "9.9.9" && migrations == HistoryStore.format + 1 && runs == 1)
            try check.close()
            let reader = try #require(try HistoryStore.openExisting(path: history))
            #expect(try reader.runs().count == 1)
        }
    }

    @Test("an unknown migration alone (no format row) is enough to refuse")
    func unknownMigration() throws {
        try withTemporaryFolder { folder in
            let history = folder + "/history.sqlite"
            _ = try HistoryStore(path: history)
            let queue = try DatabaseQueue(path: history)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')")
                try db.execute(sql: "DELETE FROM history_info")
            }
            try queue.close()
            let error = #expect(throws: HistoryError.self) { try HistoryStore(path: history) }
            #expect(error?.description.contains("a newer session-guide (history format \(HistoryStore.format + 1))") == true,
                    "\(String(describing: error))")
        }
    }

    @Test("a history another program holds the write lock on: a busy error, which the caller may try again")
    func lockedHistory() throws {
        try withTemporaryFolder { folder in
            let history = folder + "/history.sqlite"
            let store = try HistoryStore(path: history, busyTimeout: 0.1)
            var holding = Configuration()
            holding.allowsUnsafeTransactions = true  // the lock stays held between the two accesses
            let other = try DatabaseQueue(path: history, configuration: holding)
            try other.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            let error = #expect(throws: HistoryError.self) { try store.record(sampleRun()) }
            #expect(error?.kind == .busy)
            #expect(error?.description.contains("another program is holding it") == true)
            try other.inDatabase { db in try db.execute(sql: "ROLLBACK") }
            try store.record(sampleRun())
            #expect(try store.runs().count == 1)
        }
    }

    @Test("a damaged file is moved aside unchanged, never deleted, and names where it went")
    func damagedIsMovedAside() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let history = folder + "/history.sqlite"
            let junk = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) })
            try junk.write(to: URL(fileURLWithPath: history))
            let error = #expect(throws: HistoryError.self) { try HistoryStore(path: history) }
            #expect(error?.kind == .damaged)
            let kept = try HistoryStore.moveAside(path: history, at: Date(timeIntervalSince1970: 1_780_000_000))
            #expect(kept == history + ".damaged-20260528-202640")
            #expect(try Data(contentsOf: URL(fileURLWithPath: kept)) == junk)
            try HistoryStore(path: history).record(sampleRun())
            let again = try HistoryStore.moveAside(path: history, at: Date(timeIntervalSince1970: 1_780_000_000))
            #expect(again == history + ".damaged-20260528-202640-2", "a second one must not replace the first")
        }
    }

    @Test("a record saved again under its key is updated in place; an open one whose writer is gone reads as cut short")
    func savedAsItHappens() throws {
        try withTemporaryFolder { folder in
            let store = try HistoryStore(path: folder + "/history.sqlite")
            var run = sampleRun(completed: false)
            run.endedAt = Date(timeIntervalSince1970: 1_780_000_000)
            run.progress = RecordProgress(key: "k1", writer: RecordWriter.current, open: true)
            try store.record(run)
            run.seconds = 700
            run.drills.removeLast()
            try store.record(run)
            var runs = try store.runs()
            #expect(runs.count == 1 && runs[0].seconds == 700 && runs[0].drills.count == 1)
            #expect(runs[0].isOpen && !runs[0].wasInterrupted, "this process is still writing it")

            run.progress = RecordProgress(key: "k1", writer: "another-boot/1", open: true)
            try store.record(run)
            runs = try store.runs()
            #expect(runs.count == 1 && runs[0].wasInterrupted, "a record left open by a program that is gone")

            // A recovered copy older than the saved one never replaces it.
            var older = run
            older.seconds = 10
            older.endedAt = Date.distantPast
            try store.recordRecovered(older)
            #expect(try store.runs()[0].seconds == 700)
        }
    }

    @Test("a history older than records saved as they happen is read as it is, without being changed")
    func readsOlderHistoryWithoutWriting() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let history = folder + "/history.sqlite"
            let queue = try DatabaseQueue(path: history)
            try HistoryStore.migrator.migrate(queue, upTo: HistoryStore.Migration.routineRuns)
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO routine_run (routine_id, routine_title, started_at, seconds, completed)
                    VALUES ('daily-hip-back', 'Daily hips', '2026-11-24 09:00:00.000', 610, 1)
                    """)
            }
            try queue.close()
            let before = try Data(contentsOf: URL(fileURLWithPath: history))
            let reader = try #require(try HistoryStore.openExisting(path: history))
            #expect(try reader.runs().count == 1)
            #expect(try reader.sessions().isEmpty)
            #expect(try Data(contentsOf: URL(fileURLWithPath: history)) == before)
        }
    }
}
