import Foundation
import GRDB
import Testing
@testable import SessionGuideHistory

private let day: TimeInterval = 86_400
/// 2026-12-01 09:00 UTC.
private let monday = Date(timeIntervalSince1970: 1_796_115_600)

/// The fixture history written by the release before programmes (format 3), copied for one test.
private func copyOfFormat3History(into folder: String) throws -> String {
    let fixture = try #require(Bundle.module.url(forResource: "history-format3", withExtension: "sqlite",
                                                 subdirectory: "Fixtures"))
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
    let path = folder + "/history.sqlite"
    try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
    _ = chmod(path, 0o600)
    return path
}

@Suite("Patients' programmes in the history")
struct ProgrammeStoreTests {
    @Test func aHistoryFromTheReleaseBeforeProgrammesIsMigratedKeepingEveryRecord() throws {
        try withTemporaryFolder { folder in
            let path = try copyOfFormat3History(into: folder)
            let store = try HistoryStore(path: path, programVersion: "test")
            #expect(HistoryStore.format == 5)
            let runs = try store.runs()
            #expect(runs.count == 3)
            #expect(runs.map(\.painBefore) == [4, 3, 2])
            #expect(runs.allSatisfy { $0.patient == nil && $0.programmeID == nil })
            #expect(runs[1].drills.map(\.status) == [.done, .skipped])
            #expect(runs.flatMap(\.drills).allSatisfy { $0.feedback == nil })
            let sessions = try store.sessions(patient: "JD")
            #expect(sessions.count == 1)
            #expect(sessions[0].notes.map(\.text) == ["Hip less stiff since last visit"])
            #expect(sessions[0].steps.count == 2)
            // Every record now has a key of its own (v5), the new tables work, and the file says it is format 5.
            #expect(Set(runs.compactMap(\.progress?.key)).count == 3)
            try store.prescribe(sampleProgramme("JD", at: monday, reps: 10))
            try store.record(patientRun("JD", at: monday, feedback: .aboutRight))
            #expect(try store.runs(patient: "JD").count == 1)
            let format = try DatabaseQueue(path: path).read { db in
                try String.fetchOne(db, sql: "SELECT value FROM history_info WHERE name = 'format'")
            }
            #expect(format == "5")
        }
    }

    @Test func aHistoryFromTheReleaseBeforeProgrammesIsReadWithoutBeingChanged() throws {
        try withTemporaryFolder { folder in
            let path = try copyOfFormat3History(into: folder)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let store = try #require(try HistoryStore.openExisting(path: path))
            #expect(try store.runs().count == 3)
            #expect(try store.runs(patient: "JD").isEmpty)
            #expect(try store.programmes(patient: "JD").isEmpty)
            #expect(try store.sessions(patient: "JD").count == 1)
            #expect(try store.recordCount(patient: "JD") == ForgottenRecords(sessions: 1, routineRuns: 0, programmes: 0))
            // Reading wrote nothing: the file is byte for byte the old release's, and SQLite's write-ahead log
            // beside it (which a reader in WAL mode may create) holds nothing.
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(wal == 0)
        }
    }
}

@Suite("Opening a history that is up to date")
struct UpToDateHistoryTests {
    @Test func theListOfMigrationsIsTheMigratorsOwn() {
        #expect(HistoryStore.Migration.all == HistoryStore.migrator.migrations)
        #expect(HistoryStore.format == 5)
    }

    @Test func anUpToDateHistoryIsOpenedWithoutMigratingAndAnotherVersionStillSignsIt() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/history.sqlite"
            _ = try HistoryStore(path: path, programVersion: "1.0")
            let signed = { try DatabaseQueue(path: path).read { db in
                try String.fetchOne(db, sql: "SELECT value FROM history_info WHERE name = 'written_by'")
            } }
            #expect(try signed() == "1.0")
            // The same version again: nothing to do, and it still records.
            let again = try HistoryStore(path: path, programVersion: "1.0")
            try again.record(RoutineRun(routineID: "r", routineTitle: "R", startedAt: Date(), seconds: 1, completed: true))
            #expect(try again.runs().count == 1)
            // Another version brings its name.
            _ = try HistoryStore(path: path, programVersion: "1.1")
            #expect(try signed() == "1.1")
        }
    }
}
