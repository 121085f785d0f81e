import Foundation
import GRDB
import Testing
@testable import SessionGuideHistory

/// The history writes and reads its moments itself (without Foundation's date formatting, which costs memory):
/// the text must stay exactly what GRDB wrote before, so that older histories read and sort the same.
@Suite("moments in the history")
struct HistoryDateTests {
    private static let moments: [Date] = [
        Date(timeIntervalSince1970: 0),
        Date(timeIntervalSince1970: 1_780_000_000),
        Date(timeIntervalSince1970: 1_796_321_517.25),  // 2026-12-03 18:11:57.250
        Date(timeIntervalSince1970: 1_796_321_517.999_9),  // to the nearest millisecond, as GRDB writes it
        Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29, a leap day
        Date(timeIntervalSince1970: 4_102_444_799.5),  // 2099-12-31 23:59:59.500
        Date(timeIntervalSince1970: -86_400.75),  // before 1970
    ]

    @Test("each moment is stored as the very text GRDB's own date format gives", arguments: moments)
    func sameTextAsGRDB(_ date: Date) {
        let grdb = date.databaseValue.storage
        guard case .string(let expected) = grdb else {
            Issue.record("GRDB stored \(grdb)")
            return
        }
        #expect(HistoryDate.text(date) == expected)
    }

    @Test("each stored text reads back as the same millisecond", arguments: moments)
    func roundTrip(_ date: Date) throws {
        let text = HistoryDate.text(date)
        let read = try #require(HistoryDate.date(fromText: text))
        let expected = (date.timeIntervalSince1970 * 1000).rounded()
        #expect((read.timeIntervalSince1970 * 1000).rounded() == expected, "\(text)")
    }

    @Test("the shorter forms SQLite and GRDB know are read too, and anything else is refused")
    func otherForms() throws {
        let noon = Date(timeIntervalSince1970: 1_796_299_200)  // 2026-12-03 12:00 UTC
        #expect(HistoryDate.date(fromText: "2026-12-03 12:00") == noon)
        #expect(HistoryDate.date(fromText: "2026-12-03T12:00:00") == noon)
        #expect(HistoryDate.date(fromText: "2026-12-03 12:00:00.000") == noon)
        #expect(HistoryDate.date(fromText: "2026-12-03") == noon.addingTimeInterval(-12 * 3600))
        for bad in ["", "yesterday", "2026-13-01", "2026-12-03 25:00", "2026-12-03 12", "2026-12-03 12:00:00Z",
                    "2026-12-03  12:00", "12/03/2026"] {
            #expect(HistoryDate.date(fromText: bad) == nil, "\(bad)")
        }
    }

    @Test("a record read from a history GRDB wrote in its own way has the same moments")
    func readsWhatGRDBWrote() throws {
        let queue = try DatabaseQueue()
        let started = Date(timeIntervalSince1970: 1_796_321_517.25)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE moments (at DATETIME NOT NULL)")
            try db.execute(sql: "INSERT INTO moments (at) VALUES (?)", arguments: [started])  // GRDB's default
        }
        let stored = try queue.read { db in try DatabaseValue.fetchOne(db, sql: "SELECT at FROM moments") }
        #expect(HistoryDate.date(from: try #require(stored)) == started)
    }

    @Test("the folder of a path is what NSString's deletingLastPathComponent gives",
          arguments: ["/home/clinic/.local/state/session-guide/history.sqlite", "/history.sqlite", "history.sqlite",
                      "state/history.sqlite", "/a/b/", "/a//b", "/", ""])
    func folderOfPath(_ path: String) {
        #expect(HistoryFiles.folder(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
    }
}
