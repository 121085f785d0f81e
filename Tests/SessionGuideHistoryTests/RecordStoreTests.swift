import Foundation
import GRDB
import SessionGuidePostgres
import SessionGuideTestSupport
import Testing
@testable import SessionGuideHistory

/// The two places records can be kept; every test in `RecordStoreTests` runs on both.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { self == .sqlite ? "SQLite file" : "PostgreSQL server" }
}

/// A fresh, empty store of one kind, and a way to open it again as another program would.
struct StoreUnderTest {
    let store: any RecordStore
    let reopen: () throws -> any RecordStore
    /// The SQLite file, for the few checks that look inside it.
    let sqlitePath: String?
}

func withStore<T>(_ kind: StoreKind, machine: String = "room-1", _ body: (StoreUnderTest) throws -> T) throws -> T {
    switch kind {
    case .sqlite:
        return try withTemporaryFolder { folder in
            let path = folder + "/state/session-guide/history.sqlite"
            let store = try HistoryStore(path: path, programVersion: "test", machine: machine)
            return try body(StoreUnderTest(store: store, reopen: { try HistoryStore(path: path, machine: machine) },
                                           sqlitePath: path))
        }
    case .postgres:
        let url = try PostgresTestServer.shared().freshDatabase()
        let server = try PostgresLocation.parse(url)
        let store = try PostgresStore(server: server, programVersion: "test", machine: machine)
        return try body(StoreUnderTest(store: store, reopen: { try PostgresStore(server: server, machine: machine) },
                                       sqlitePath: nil))
    }
}

private let day: TimeInterval = 86_400
/// 2026-12-01 09:00 UTC.
private let monday = Date(timeIntervalSince1970: 1_796_115_600)

func sampleProgramme(_ patient: String, at date: Date, reps: Int, note: String = "", sessionKey: String? = nil)
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

func patientRun(_ patient: String?, at date: Date, feedback: DrillResult.Feedback? = nil,
                        programmeID: Int64? = 1) -> RoutineRun {
    RoutineRun(routineID: "daily-hip-back", routineTitle: "Daily hip and low-back mobility", startedAt: date,
               seconds: 600, completed: true, painBefore: 4, painAfter: 2, patient: patient, programmeID: programmeID,
               drills: [DrillResult(position: 1, drillID: "cat-cow", drillTitle: "Cat-cow", status: .done,
                                    feedback: feedback)])
}

private func keyed<Record>(_ record: Record, _ key: String, open: Bool = false, endedAt: Date? = nil) -> Record {
    if var run = record as? RoutineRun {
        run.progress = RecordProgress(key: key, writer: RecordWriter.current, open: open)
        if let endedAt { run.endedAt = endedAt }
        return run as! Record
    }
    var session = record as! SessionRecord
    session.progress = RecordProgress(key: key, writer: RecordWriter.current, open: open)
    if let endedAt { session.endedAt = endedAt }
    return session as! Record
}

@Suite("The record store, on SQLite and on PostgreSQL")
struct RecordStoreTests {
    // MARK: Routine runs

    @Test(arguments: StoreKind.allCases)
    func runsComeBackOldestFirstWithTheirDrills(kind: StoreKind) throws {
        try withStore(kind) { subject in
            let saved = try subject.store.record(sampleRun())
            #expect(saved.id != nil)
            try subject.store.record(sampleRun(1, pain: nil, completed: false))
            let runs = try subject.store.runs()
            #expect(runs.count == 2)
            #expect(runs.map(\.completed) == [false, true])
            #expect(runs[1].drills.map(\.drillID) == ["cat-cow", "hip-rocks"])
            #expect(runs[1].painBefore == 5 && runs[1].painAfter == 3)
            #expect(runs[0].painBefore == nil)
            #expect(runs[0].drills.map(\.status) == [.done, .skipped])
            #expect(runs.allSatisfy { $0.drills.allSatisfy { drill in drill.runID != nil } })
            // Another program opening the store finds the same runs, and sets nothing up again.
            #expect(try subject.reopen().runs().count == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func savingUnderTheSameKeyAgainUpdatesTheRecordInPlace(kind: StoreKind) throws {
        try withStore(kind) { subject in
            var run = keyed(sampleRun(), "run-1", open: true, endedAt: monday)
            run.drills = Array(run.drills.prefix(1))
            try subject.store.record(run)
            #expect(try subject.store.runs().first?.isOpen == true)
            var closed = keyed(sampleRun(), "run-1", endedAt: monday.addingTimeInterval(600))
            closed.seconds = 615
            try subject.store.record(closed)
            let runs = try subject.store.runs()
            #expect(runs.count == 1, "one record, however often it is saved")
            #expect(runs[0].seconds == 615 && runs[0].isOpen == false)
            #expect(runs[0].drills.count == 2, "the drills are replaced, not added to")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRecoveredRecordNeverReplacesALaterVersion(kind: StoreKind) throws {
        try withStore(kind) { subject in
            var later = keyed(sampleRun(), "run-2", endedAt: monday.addingTimeInterval(600))
            later.seconds = 600
            try subject.store.record(later)
            var earlier = keyed(sampleRun(), "run-2", open: true, endedAt: monday.addingTimeInterval(60))
            earlier.seconds = 60
            try subject.store.recordRecovered(earlier)
            #expect(try subject.store.runs().map(\.seconds) == [600])
            var newer = later
            newer.endedAt = monday.addingTimeInterval(900)
            newer.seconds = 900
            try subject.store.recordRecovered(newer)
            #expect(try subject.store.runs().map(\.seconds) == [900])
            // Saved at the same moment, the closed version wins over the open one, whichever came first.
            var open = keyed(sampleRun(), "run-3", open: true, endedAt: monday)
            open.seconds = 30
            try subject.store.record(open)
            var closed = keyed(sampleRun(), "run-3", endedAt: monday)
            closed.seconds = 31
            try subject.store.recordRecovered(closed)
            try subject.store.recordRecovered(open)
            #expect(try subject.store.runs().first { $0.progress?.key == "run-3" }?.seconds == 31)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func everyRecordCarriesTheMachineItCameFrom(kind: StoreKind) throws {
        try withStore(kind, machine: "treatment-room-2") { subject in
            try subject.store.record(sampleRun())
            try subject.store.record(sampleSession())
            let programme = try subject.store.prescribe(sampleProgramme("JD", at: monday, reps: 10))
            #expect(programme.recordKey?.isEmpty == false, "a programme gets a key that stays the same everywhere")
            #expect(try subject.store.runs().map(\.machine) == ["treatment-room-2"])
            #expect(try subject.store.sessions().map(\.machine) == ["treatment-room-2"])
            #expect(try subject.store.programmes(patient: nil).map(\.machine) == ["treatment-room-2"])
            // A record that already names its machine (an import) keeps it.
            var imported = sampleRun(3)
            imported.machine = "front-desk"
            try subject.store.record(imported)
            #expect(Set(try subject.store.runs().compactMap(\.machine)) == ["treatment-room-2", "front-desk"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func twoProgramsWritingAtOnceLoseNothing(kind: StoreKind) throws {
        try withStore(kind) { subject in
            let stores = [subject.store, try subject.reopen()]
            DispatchQueue.concurrentPerform(iterations: 2) { writer in
                for index in 0..<25 {
                    _ = try? stores[writer].record(sampleRun((index + writer * 7) % 20))
                }
            }
            let runs = try subject.store.runs()
            #expect(runs.count == 50)
            #expect(runs.allSatisfy { $0.drills.count == 2 })
        }
    }

    @Test func aRecordStillBeingWrittenInAnotherRoomIsNotCalledCutShort() {
        let saved = Date(timeIntervalSince1970: 1_796_115_600)
        let elsewhere = RecordProgress(key: "k", writer: "boot-of-room-2/4711", open: true)
        #expect(!RecordWriter.wasCutShort(elsewhere, lastSaved: saved, now: saved.addingTimeInterval(60)),
                "saved a minute ago on another machine: going on there")
        #expect(RecordWriter.wasCutShort(elsewhere, lastSaved: saved, now: saved.addingTimeInterval(600)),
                "not saved for ten minutes: its program is gone")
        #expect(RecordWriter.wasCutShort(elsewhere, lastSaved: nil, now: saved))
        var closed = elsewhere
        closed.open = false
        #expect(!RecordWriter.wasCutShort(closed, lastSaved: saved, now: saved.addingTimeInterval(600)))
    }

    // MARK: Sessions

    @Test(arguments: StoreKind.allCases)
    func sessionsComeBackWithTheirStepsAndNotes(kind: StoreKind) throws {
        try withStore(kind) { subject in
            let saved = try subject.store.record(sampleSession(day: 23))
            #expect(saved.id != nil)
            try subject.store.record(sampleSession(day: 24, patient: nil, notes: []))
            let sessions = try subject.store.sessions()
            try #require(sessions.count == 2)
            #expect(sessions.map(\.patient) == ["AB", nil], "oldest first")
            var expected = sampleSession(day: 23)
            expected.id = saved.id
            expected.machine = "room-1"
            for index in expected.steps.indices { expected.steps[index].recordID = saved.id }
            for index in expected.notes.indices { expected.notes[index].recordID = saved.id }
            var read = sessions[0]
            read.steps = read.steps.map { var step = $0; step.id = nil; return step }
            read.notes = read.notes.map { var note = $0; note.id = nil; return note }
            #expect(read == expected)
            #expect(sessions[1].notes.isEmpty)
            #expect(sessions[1].steps.count == 5)
            try subject.store.record(sampleRun())
            #expect(try subject.store.runs().count == 1, "routine runs and sessions live side by side")
            #expect(try subject.reopen().sessions().count == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unicodeAndAwkwardTextSurvive(kind: StoreKind) throws {
        try withStore(kind) { subject in
            let text = "Café 膝 👩‍⚕️, \"quoted\"; 'single' -- DROP TABLE session_note; \\ done $1 ::jsonb"
            try subject.store.record(sampleSession(patient: "Ö-12", notes: [(1, "Simple Recap", text)]))
            let read = try subject.store.sessions()
            #expect(read.first?.notes.first?.text == text)
            #expect(read.first?.patient == "Ö-12")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func sessionsAreFilteredByDayAndPatient(kind: StoreKind) throws {
        try withStore(kind) { subject in
            try subject.store.record(sampleSession(day: 20, patient: "AB"))
            try subject.store.record(sampleSession(day: 22, patient: "CD"))
            try subject.store.record(sampleSession(day: 24, patient: "ab"))
            try subject.store.record(sampleSession(day: 24, patient: nil))
            let day22 = try #require(HistoryDate.date(fromText: "2026-11-22 00:00:00.000"))
            let day21 = try #require(HistoryDate.date(fromText: "2026-11-21 00:00:00.000"))
            #expect(try subject.store.sessions(since: day22).count == 3)
            #expect(try subject.store.sessions(patient: "AB").map(\.patient) == ["AB", "ab"])
            #expect(try subject.store.sessions(patient: " ab ").count == 2)
            #expect(try subject.store.sessions(since: day21, patient: "AB").count == 1)
            #expect(try subject.store.sessions(patient: "XY").isEmpty)
        }
    }

    // MARK: Programmes and patients

    @Test(arguments: StoreKind.allCases)
    func aProgrammeIsSavedWithItsDrillsAsVersionOne(kind: StoreKind) throws {
        try withStore(kind) { subject in
            let saved = try subject.store.prescribe(sampleProgramme("JD", at: monday, reps: 12, note: "Keep the range small"))
            #expect(saved.id != nil && saved.version == 1)
            let read = try subject.store.programmes(patient: "jd ")  // letter case and spaces don't count
            #expect(read.count == 1)
            #expect(read[0].note == "Keep the range small" && read[0].daysPerWeek == 5 && read[0].until == "2026-12-08")
            #expect(read[0].drills.map(\.drillID) == ["cat-cow", "hip-rocks", "core-bracing"])
            #expect(read[0].drills[0].reps == 12 && read[0].drills[0].sets == nil)
            #expect(read[0].drills[1].included == false)
            #expect(read[0].drills[2].sets == 3 && read[0].drills[2].seconds == 20 && read[0].drills[2].version == "easier")
            #expect(read[0].drills.allSatisfy { $0.programmeID == saved.id })
            #expect(abs(read[0].createdAt.timeIntervalSince(monday)) < 0.001)
            #expect(read[0].recordKey == saved.recordKey)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSecondProgrammeReplacesTheFirstAndBothAreKept(kind: StoreKind) throws {
        try withStore(kind) { subject in
            try subject.store.prescribe(sampleProgramme("JD", at: monday, reps: 12))
            try subject.store.prescribe(sampleProgramme("AB", at: monday.addingTimeInterval(60), reps: 8))
            let second = try subject.store.prescribe(sampleProgramme("jd", at: monday.addingTimeInterval(7 * day), reps: 15,
                                                               sessionKey: "session-2"))
            #expect(second.version == 2)
            let jd = try subject.store.programmes(patient: "JD")
            #expect(jd.map(\.version) == [1, 2])
            #expect(jd.last?.drills.first?.reps == 15)  // the current one is the last
            #expect(jd.first?.drills.first?.reps == 12)  // the previous one stays as it was
            #expect(jd.last?.sessionKey == "session-2")
            #expect(try subject.store.programmes(patient: "AB").map(\.version) == [1])
            #expect(try subject.store.programmes(patient: nil).count == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aProgrammeTakenInTwiceUnderItsKeyIsKeptOnce(kind: StoreKind) throws {
        try withStore(kind) { subject in
            var incoming = sampleProgramme("JD", at: monday, reps: 12)
            incoming.recordKey = "programme-from-room-3"
            let first = try subject.store.takeIn(incoming)
            let second = try subject.store.takeIn(incoming)
            #expect(first.id == second.id && first.version == 1)
            #expect(try subject.store.programmes(patient: "JD").count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func runsAreRecordedForAPatientWithTheirFeedback(kind: StoreKind) throws {
        try withStore(kind) { subject in
            try subject.store.record(patientRun("JD", at: monday, feedback: .tooHard))
            try subject.store.record(patientRun(nil, at: monday.addingTimeInterval(60)))
            try subject.store.record(patientRun("AB", at: monday.addingTimeInterval(120), feedback: .hurt))
            let jd = try subject.store.runs(patient: "jd")
            #expect(jd.count == 1)
            #expect(jd[0].patient == "JD" && jd[0].programmeID == 1)
            #expect(jd[0].drills[0].feedback == .tooHard)
            #expect(try subject.store.runs().count == 3)
            #expect(try subject.store.runs(patient: "AB").first?.drills.first?.feedback == .hurt)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func forgettingAPatientRemovesEveryRecordOfTheirsAndNothingElse(kind: StoreKind) throws {
        try withStore(kind) { subject in
            let store = subject.store
            try store.prescribe(sampleProgramme("JD", at: monday, reps: 12))
            try store.prescribe(sampleProgramme("jd", at: monday.addingTimeInterval(day), reps: 14))
            try store.prescribe(sampleProgramme("AB", at: monday, reps: 8))
            try store.record(patientRun("JD", at: monday))
            try store.record(patientRun("JD", at: monday.addingTimeInterval(day)))
            try store.record(patientRun("AB", at: monday))
            try store.record(patientRun(nil, at: monday))
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
            #expect(try store.forget(patient: "JD").total == 0)
            if let path = subject.sqlitePath {
                // No row of theirs is left behind in a child table of the file.
                let orphans = try DatabaseQueue(path: path).read { db in
                    try Int.fetchOne(db, sql: """
                        SELECT (SELECT count(*) FROM session_note) + (SELECT count(*) FROM session_step)
                             + (SELECT count(*) FROM programme_drill WHERE programme_id NOT IN (SELECT id FROM programme))
                             + (SELECT count(*) FROM drill_result WHERE run_id NOT IN (SELECT id FROM routine_run))
                        """)
                }
                #expect(orphans == 0)
            }
        }
    }

    // MARK: Import

    @Test(arguments: StoreKind.allCases)
    func importingAnotherMachinesHistoryTwiceAddsItOnce(kind: StoreKind) throws {
        try withStore(kind) { subject in
            try withStore(.sqlite, machine: "room-3") { other in
                let given = try other.store.prescribe(sampleProgramme("JD", at: monday, reps: 12))
                try other.store.record(keyed(patientRun("JD", at: monday, programmeID: given.id), "run-a"))
                try other.store.record(sampleRun(2))  // unkeyed in spirit: its key was given by room 3's store
                try other.store.record(keyed(sampleSession(), "session-a"))
                // This store already has a record of its own, and one of room 3's from an earlier copy.
                try subject.store.record(keyed(sampleRun(5), "own-run"))
                try subject.store.record(keyed(sampleSession(), "session-a"))

                let first = try subject.store.importRecords(from: other.store)
                #expect(first.added == ForgottenRecords(sessions: 0, routineRuns: 2, programmes: 1))
                #expect(first.alreadyThere == ForgottenRecords(sessions: 1, routineRuns: 0, programmes: 0))
                let second = try subject.store.importRecords(from: other.store)
                #expect(second.added.total == 0)
                #expect(second.alreadyThere == ForgottenRecords(sessions: 1, routineRuns: 2, programmes: 1))

                let runs = try subject.store.runs()
                #expect(runs.count == 3)
                #expect(try subject.store.sessions().count == 1)
                let programmes = try subject.store.programmes(patient: "JD")
                #expect(programmes.count == 1 && programmes[0].machine == "room-3")
                // The imported run points at the programme as this store numbered it.
                #expect(runs.first { $0.progress?.key == "run-a" }?.programmeID == programmes[0].id)
                #expect(runs.first { $0.progress?.key == "run-a" }?.machine == "room-3")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aHistoryFromBeforeKeysIsImportedOnceToo(kind: StoreKind) throws {
        try withStore(kind) { subject in
            try withTemporaryFolder { folder in
                let fixture = try #require(Bundle.module.url(forResource: "history-format3", withExtension: "sqlite",
                                                             subdirectory: "Fixtures"))
                let path = folder + "/old.sqlite"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
                try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
                let old = try #require(try HistoryStore.openExisting(path: path))
                let expected = try old.runs().count + old.sessions().count
                #expect(expected > 0)
                let first = try subject.store.importRecords(from: old)
                let second = try subject.store.importRecords(from: old)
                #expect(first.added.total == expected && second.added.total == 0)
                #expect(try subject.store.runs().count + subject.store.sessions().count == expected)
            }
        }
    }
}
