import Foundation
import Testing
@testable import SessionGuideHistory

/// A fresh folder for one test's history, removed afterwards.
func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

func sampleRun(_ day: Int = 0, pain: (Int, Int)? = (5, 3), completed: Bool = true, hour: Int = 9) -> RoutineRun {
    var components = DateComponents()
    components.year = 2026
    components.month = 11
    components.day = 24 - day
    components.hour = hour
    let date = Calendar(identifier: .gregorian).date(from: components)!
    return RoutineRun(routineID: "daily-hip-back", routineTitle: "Daily hip and low-back mobility", startedAt: date,
                      seconds: 610, completed: completed, painBefore: pain?.0, painAfter: pain?.1, drills: [
                          DrillResult(position: 1, drillID: "cat-cow", drillTitle: "Cat-cow", status: .done),
                          DrillResult(position: 2, drillID: "hip-rocks", drillTitle: "Hip rocks",
                                      status: completed ? .done : .skipped),
                      ])
}

@Suite("History in SQLite")
struct HistoryStoreTests {
    @Test func privateFolderAndFile() throws {
        try withTemporaryFolder { folder in
            let store = try HistoryStore(path: folder + "/session-guide/history.sqlite")
            try store.record(sampleRun())
            let manager = FileManager.default
            let folderMode = try manager.attributesOfItem(atPath: folder + "/session-guide")[.posixPermissions] as? Int
            let fileMode = try manager.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
            #expect(folderMode == 0o700)
            #expect(fileMode == 0o600)
            for suffix in ["-wal", "-shm"] where manager.fileExists(atPath: store.path + suffix) {
                let mode = try manager.attributesOfItem(atPath: store.path + suffix)[.posixPermissions] as? Int
                #expect(mode.map { $0 & 0o077 } == 0, "\(suffix) is readable by others")
            }
        }
    }

    @Test func corruptFileGetsOneClearMessage() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/history.sqlite"
            try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
            do {
                _ = try HistoryStore(path: path)
                Issue.record("a corrupt file opened")
            } catch let error as HistoryError {
                #expect(error.description.contains("damaged or is not a history database"), "\(error)")
                #expect(!error.description.contains("\n"))
            }
        }
    }

    @Test func unwritableFolderGetsOneClearMessage() throws {
        guard getuid() != 0 else { return }  // root can write anywhere; the CLI test covers a file in the way
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o500])
            #expect(throws: HistoryError.self) { _ = try HistoryStore(path: folder + "/sub/history.sqlite") }
        }
    }

    @Test func aFileWhereTheFolderShouldBe() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: folder + "/session-guide", contents: Data("x".utf8))
            do {
                _ = try HistoryStore(path: folder + "/session-guide/history.sqlite")
                Issue.record("opened a history under a file")
            } catch let error as HistoryError {
                #expect(error.description == "can't use the history folder \(folder)/session-guide: it is not a folder",
                        "\(error)")
            }
        }
    }

    @Test func defaultPathFollowsXDG() {
        #expect(HistoryStore.defaultPath(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/p"])
            == "/x/state/session-guide/history.sqlite")
        #expect(HistoryStore.defaultPath(environment: ["HOME": "/home/p"])
            == "/home/p/.local/state/session-guide/history.sqlite")
        // A relative XDG value is invalid by the spec and ignored.
        #expect(HistoryStore.defaultPath(environment: ["XDG_STATE_HOME": "rel", "HOME": "/home/p"])
            == "/home/p/.local/state/session-guide/history.sqlite")
    }
}

@Suite("The history report")
struct HistoryReportTests {
    let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    var now: Date { utc.date(from: DateComponents(year: 2026, month: 11, day: 24, hour: 20))! }

    @Test func daysStreakAndWeeklyRate() {
        // Practised today, yesterday, the day before, then a gap, then 10 days ago twice.
        let runs = [sampleRun(10), sampleRun(10, hour: 18), sampleRun(2), sampleRun(1), sampleRun(0)]
        let report = HistoryReport(runs: runs, now: now, calendar: utc)
        #expect(report.daysPractised(inLast: 7) == 3)
        #expect(report.daysPractised(inLast: 28) == 4)
        #expect(report.currentStreak == 3)
        #expect(report.routinesPerWeek == 1.25)
    }

    @Test func streakCountsUpToYesterdayWhenTodayIsNotDoneYet() {
        let report = HistoryReport(runs: [sampleRun(2), sampleRun(1)], now: now, calendar: utc)
        #expect(report.currentStreak == 2)
        let broken = HistoryReport(runs: [sampleRun(3), sampleRun(2)], now: now, calendar: utc)
        #expect(broken.currentStreak == 0)
    }

    @Test func runsWithNothingDoneAreNotPractice() {
        var run = sampleRun(0)
        run.drills = run.drills.map { var drill = $0; drill.status = .skipped; return drill }
        #expect(HistoryReport(runs: [run], now: now, calendar: utc).daysPractised(inLast: 7) == 0)
    }

    @Test func painTrendChart() {
        let runs = [sampleRun(3, pain: (8, 6)), sampleRun(2, pain: nil), sampleRun(1, pain: (6, 4)), sampleRun(0, pain: (4, 1))]
        let text = HistoryReport(runs: runs, now: now, calendar: utc).text()
        #expect(text.contains("Pain before → after (0-10, last 3 runs, oldest first):"))
        #expect(text.contains("  before  " + HistoryReport.chart([8, 6, 4], ascii: false)))
        #expect(text.contains("  average 6.0 → 3.7"))
        let ascii = HistoryReport(runs: runs, now: now, calendar: utc).text(ascii: true)
        #expect(ascii.allSatisfy { $0.isASCII })
        #expect(ascii.contains("average 6.0 -> 3.7"))
        #expect(HistoryReport.chart([0, 5, 10], ascii: false) == "▁▄█")
        #expect(HistoryReport.chart([0, 5, 10], ascii: true) == "_=@")
    }

    @Test func jsonHasOneObjectPerRun() throws {
        let runs = [sampleRun(1), sampleRun(0, pain: nil, completed: false)]
        let json = HistoryReport(runs: runs, now: now, calendar: utc).json()
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(decoded.count == 2)
        #expect(decoded[0]["routine_id"] as? String == "daily-hip-back")
        #expect(decoded[0]["pain_before"] as? Int == 5)
        #expect(decoded[1]["completed"] as? Bool == false)
        #expect((decoded[1]["drills"] as? [[String: Any]])?.last?["status"] as? String == "skipped")
    }

    @Test func csvQuotesFields() {
        var run = sampleRun(0)
        run.routineTitle = "Hips, \"gently\""
        let csv = HistoryReport(runs: [run], now: now, calendar: utc).csv()
        let lines = csv.split(separator: "\r\n")
        let header = "started_at,routine_id,routine_title,seconds,completed,drills_done,drills_skipped,pain_before,"
            + "pain_after,interrupted"
        #expect(lines.first.map(String.init) == header)
        #expect(lines.last == "2026-11-24T09:00:00Z,daily-hip-back,\"Hips, \"\"gently\"\"\",610,yes,2,0,5,3,no")
    }
}
