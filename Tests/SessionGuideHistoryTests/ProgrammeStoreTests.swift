import Foundation
import GRDB
import Testing
@testable import SessionGuideHistory

private let day: TimeInterval = 86_400
/// 2026-12-01 09:00 UTC.
private let monday = Date(timeIntervalSince1970: 1_796_115_600)

private func programme(_ patient: String, at date: Date, reps: Int, note: String = "", sessionKey: String? = nil)
    -> ProgrammeRecord
{
    ProgrammeRecord(patient: patient, routineID: "daily-hip-back", routineTitle: "Daily hip and low-back mobility",
                    createdAt: date, note: note, daysPerWeek: 5, until: "2026-12-08", sessionKey: sessionKey, drills: [
                        ProgrammeDrillRecord(position: 1, drillID: "cat-cow", drillTitle: "Cat-cow", reps: reps),
                        ProgrammeDrillRecord(position: 2, drillID: "hip-rocks", drillTitle: "Hip rocks", included: false),
                        ProgrammeDrillRecord(position: 3, drillID: "core-bracing", drillTitle: "Core bracing", sets: 3,
                                             seconds: 20, rest: 10, version: "easier"),
                    ])
}

private func run(_ patient: String?, at date: Date, feedback: DrillResult.Feedback? = nil) -> RoutineRun {
    RoutineRun(routineID: "daily-hip-back", routineTitle: "Daily hip and low-back mobility", startedAt: date,
               seconds: 600, completed: true, painBefore: 4, painAfter: 2, patient: patient, programmeID: 1, drills: [
                   DrillResult(position: 1, drillID: "cat-cow", drillTitle: "Cat-cow", status: .done, feedback: feedback),
               ])
}

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
    @Test func aProgrammeIsSavedWithItsDrillsAsVersionOne() throws {
        try withTemporaryFolder { folder in
            let store = try HistoryStore(path: folder + "/history.sqlite")
            let saved = try store.prescribe(programme("JD", at: monday, reps: 12, note: "Keep the range small"))
            #expect(saved.id != nil && saved.version == 1)
            let read = try store.programmes(patient: "jd ")  // letter case and spaces don't count
            #expect(read.count == 1)
            #expect(read[0].note == "Keep the range small" && read[0].daysPerWeek == 5 && read[0].until == "2026-12-08")
            #expect(read[0].drills.map(\.drillID) == ["cat-cow", "hip-rocks", "core-bracing"])
            #expect(read[0].drills[0].reps == 12 && read[0].drills[0].sets == nil)
            #expect(read[0].drills[1].included == false)
            #expect(read[0].drills[2].sets == 3 && read[0].drills[2].seconds == 20 && read[0].drills[2].version == "easier")
            #expect(abs(read[0].createdAt.timeIntervalSince(monday)) < 0.001)
        }
    }

    @Test func aSecondProgrammeReplacesTheFirstAndBothAreKept() throws {
        try withTemporaryFolder { folder in
            let store = try HistoryStore(path: folder + "/history.sqlite")
            try store.prescribe(programme("JD", at: monday, reps: 12))
            try store.prescribe(programme("AB", at: monday.addingTimeInterval(60), reps: 8))
            let second = try store.prescribe(programme("JD", at: monday.addingTimeInterval(7 * day), reps: 15,
                                                       sessionKey: "session-2"))
            #expect(second.version == 2)
            let jd = try store.programmes(patient: "JD")
            #expect(jd.map(\.version) == [1, 2])
            #expect(jd.last?.drills.first?.reps == 15)  // the current one is the last
            #expect(jd.first?.drills.first?.reps == 12)  // the previous one stays as it was
            #expect(jd.last?.sessionKey == "session-2")
            #expect(try store.programmes(patient: "AB").map(\.version) == [1])
            #expect(try store.programmes(patient: nil).count == 3)
        }
    }

    @Test func runsAreRecordedForAPatientWithTheirFeedback() throws {
        try withTemporaryFolder { folder in
            let store = try HistoryStore(path: folder + "/history.sqlite")
            try store.record(run("JD", at: monday, feedback: .tooHard))
            try store.record(run(nil, at: monday.addingTimeInterval(60)))
            try store.record(run("AB", at: monday.addingTimeInterval(120), feedback: .hurt))
            let jd = try store.runs(patient: "jd")
            #expect(jd.count == 1)
            #expect(jd[0].patient == "JD" && jd[0].programmeID == 1)
            #expect(jd[0].drills[0].feedback == .tooHard)
            #expect(try store.runs().count == 3)
            #expect(try store.runs(patient: "AB").first?.drills.first?.feedback == .hurt)
        }
    }

    @Test func forgettingAPatientRemovesEveryRecordOfTheirsAndNothingElse() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/history.sqlite"
            let store = try HistoryStore(path: path)
            try store.prescribe(programme("JD", at: monday, reps: 12))
            try store.prescribe(programme("jd", at: monday.addingTimeInterval(day), reps: 14))
            try store.prescribe(programme("AB", at: monday, reps: 8))
            try store.record(run("JD", at: monday))
            try store.record(run("JD", at: monday.addingTimeInterval(day)))
            try store.record(run("AB", at: monday))
            try store.record(run(nil, at: monday))
            try store.record(SessionRecord(sessionID: "treatment-08", sessionTitle: "Treatment 8", patient: "JD",
                                           startedAt: monday, endedAt: monday.addingTimeInterval(3000), seconds: 3000,
                                           notes: [SessionNoteRecord(stepPosition: 1, stepTitle: "Recap",
                                                                     text: "Stiff in the morning", writtenAt: monday)]))
            #expect(try store.recordCount(patient: "JD") == ForgottenRecords(sessions: 1, routineRuns: 2, programmes: 2))
            let forgotten = try store.forget(patient: " jd")
            #expect(forgotten == ForgottenRecords(sessions: 1, routineRuns: 2, programmes: 2))
            #expect(forgotten.total == 5)
            #expect(try store.programmes(patient: "JD").isEmpty)
            #expect(try store.runs(patient: "JD").isEmpty)
            #expect(try store.sessions(patient: "JD").isEmpty)
            // The other patient's and nobody's records are untouched.
            #expect(try store.programmes(patient: "AB").count == 1)
            #expect(try store.runs().count == 2)
            // No row of theirs is left behind in a child table.
            let orphans = try DatabaseQueue(path: path).read { db in
                try Int.fetchOne(db, sql: """
                    SELECT (SELECT count(*) FROM session_note) + (SELECT count(*) FROM session_step)
                         + (SELECT count(*) FROM programme_drill WHERE programme_id NOT IN (SELECT id FROM programme))
                         + (SELECT count(*) FROM drill_result WHERE run_id NOT IN (SELECT id FROM routine_run))
                    """)
            }
            #expect(orphans == 0)
            #expect(try store.forget(patient: "JD").total == 0)
        }
    }

    @Test func aHistoryFromTheReleaseBeforeProgrammesIsMigratedKeepingEveryRecord() throws {
        try withTemporaryFolder { folder in
            let path = try copyOfFormat3History(into: folder)
            let store = try HistoryStore(path: path, programVersion: "test")
            #expect(HistoryStore.format == 4)
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
            // The new tables work, and the file now says it is format 4.
            try store.prescribe(programme("JD", at: monday, reps: 10))
            try store.record(run("JD", at: monday, feedback: .aboutRight))
            #expect(try store.runs(patient: "JD").count == 1)
            let format = try DatabaseQueue(path: path).read { db in
                try String.fetchOne(db, sql: "SELECT value FROM history_info WHERE name = 'format'")
            }
            #expect(format == "4")
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
        #expect(HistoryStore.format == 4)
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
