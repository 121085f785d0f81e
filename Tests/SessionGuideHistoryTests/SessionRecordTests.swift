import Foundation
import GRDB
import Testing
@testable import SessionGuideHistory

private let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
}()

private func date(day: Int, hour: Int, minute: Int = 0) -> Date {
    utc.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
}

/// A Treatment 8 session on 2026-11-`day` at 09:00 UTC, 52 minutes, with two notes (or `notes`).
func sampleSession(day: Int = 24, patient: String? = "AB", notes: [(Int, String, String)]? = nil) -> SessionRecord {
    let start = date(day: day, hour: 9)
    let notes = notes ?? [(2, "The Hip–Lumbar Connection", "Left hip stiffer in the morning."),
                          (5, "Cat-cow for spinal motion", "Easy; no pain.")]
    return SessionRecord(
        sessionID: "treatment-08", sessionTitle: "Treatment 8 – Hip–Lumbar Connection", patient: patient,
        startedAt: start, endedAt: start.addingTimeInterval(52 * 60), seconds: 52 * 60 + 10, interrupted: false,
        drillSteps: 3, timersStarted: 2, timersCompleted: 1,
        steps: [
            SessionStepRecord(position: 1, title: "Simple Recap", seconds: 120),
            SessionStepRecord(position: 2, title: "The Hip–Lumbar Connection", seconds: 280),
            SessionStepRecord(position: 5, title: "Cat-cow for spinal motion", group: "Functional Examples",
                              seconds: 300, drillID: "cat-cow", timer: .completed),
            SessionStepRecord(position: 6, title: "Hip rocks", group: "Functional Examples", seconds: 65,
                              drillID: "hip-rocks", timer: .started),
            SessionStepRecord(position: 7, title: "Lumbar rotations", group: "Functional Examples", seconds: 0,
                              drillID: "lumbar-rotations", timer: .notStarted),
        ],
        notes: notes.enumerated().map { index, note in
            SessionNoteRecord(stepPosition: note.0, stepTitle: note.1, text: note.2,
                              writtenAt: start.addingTimeInterval(Double(60 * (index + 1) * 5)))
        })
}

@Suite("Session records in the history")
struct SessionRecordStoreTests {
    @Test("a history that only has routine runs gets the session tables, and keeps its runs")
    func migratesAnExistingHistory() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/history.sqlite"
            // The history as the previous version left it: the first migration only, and one run.
            do {
                let queue = try DatabaseQueue(path: path)
                try HistoryStore.migrator.migrate(queue, upTo: HistoryStore.Migration.routineRuns)
                // As the first version wrote it: its own columns only.
                try queue.write { db in
                    try db.execute(sql: """
                        INSERT INTO routine_run (routine_id, routine_title, started_at, seconds, completed)
                        VALUES ('daily-hip-back', 'Daily hips', '2026-11-24 09:00:00.000', 610, 1)
                        """)
                    let id = db.lastInsertedRowID
                    for position in 1...2 {
                        try db.execute(sql: """
                            INSERT INTO drill_result (run_id, position, drill_id, drill_title, status)
                            VALUES (?, ?, 'cat-cow', 'Cat-cow', 'done')
                            """, arguments: [id, position])
                    }
                }
                let tables = try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
                #expect(!tables.contains("session_record"))
                try queue.close()
            }
            let store = try HistoryStore(path: path)
            #expect(try store.runs().count == 1)
            #expect(try store.runs().first?.drills.count == 2)
            #expect(try store.sessions().isEmpty)
            try store.record(sampleSession())
            #expect(try store.sessions().count == 1)
            let applied = try DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            }
            #expect(applied == HistoryStore.Migration.all)
        }
    }

    @Test func sessionTablesArePrivateToo() throws {
        try withTemporaryFolder { folder in
            let store = try HistoryStore(path: folder + "/session-guide/history.sqlite")
            try store.record(sampleSession())
            let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func corruptFileGivesOneLineOnSave() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/history.sqlite"
            try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
            do {
                try HistoryStore(path: path).record(sampleSession())
                Issue.record("saved into a corrupt file")
            } catch let error as HistoryError {
                #expect(error.description.contains("damaged or is not a history database"), "\(error)")
                #expect(!error.description.contains("\n"))
            }
        }
    }
}

@Suite("Patient labels")
struct PatientLabelTests {
    @Test(arguments: ["AB", "  AB ", "Ö-12", "clinic 4711", "膝-7", String(repeating: "x", count: 24)])
    func accepted(label: String) throws {
        let kept = try PatientLabel.validated(label).get()
        #expect(kept == label.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: ["", "   ", "A\nB", "A\tB", "A\u{1B}[31mB", "A\u{202E}B", "A\u{2028}B",
                      String(repeating: "x", count: 25)])
    func refused(label: String) {
        switch PatientLabel.validated(label) {
        case .success(let kept): Issue.record("accepted \(kept.debugDescription)")
        case .failure(let error):
            #expect(error.description.hasPrefix("--patient "))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func matchingIgnoresCaseAndSpaces() {
        #expect(PatientLabel.matches("AB", "ab"))
        #expect(PatientLabel.matches(" ab", "AB "))
        #expect(!PatientLabel.matches("AB", "ABC"))
        #expect(!PatientLabel.matches(nil, "AB"))
    }
}

@Suite("The notes report")
struct NotesReportTests {
    let sessions = [sampleSession(day: 20, patient: nil, notes: []), sampleSession(day: 24)]

    @Test func textIsGroupedBySessionNewestFirst() {
        let text = NotesReport(sessions: sessions, calendar: utc).text()
        #expect(text == """
            2026-11-24 09:00–09:52  Treatment 8 – Hip–Lumbar Connection  patient AB
              52 min, 5 steps; drill timers: 2 started, 1 completed (of 3 drill steps)
              Step 2, The Hip–Lumbar Connection: Left hip stiffer in the morning.
              Step 5, Cat-cow for spinal motion: Easy; no pain.

            2026-11-20 09:00–09:52  Treatment 8 – Hip–Lumbar Connection
              52 min, 5 steps; drill timers: 2 started, 1 completed (of 3 drill steps)
              No notes.

            """)
    }

    @Test func textKeepsEveryNoteOnOneLine() {
        var session = sampleSession(notes: [(1, "Recap", "first line\nsecond line")])
        session.interrupted = true
        session.endedAt = date(day: 25, hour: 0, minute: 5)
        let text = NotesReport(sessions: [session], calendar: utc).text()
        #expect(text.contains("  Step 1, Recap: first line second line\n"))
        #expect(text.hasPrefix("2026-11-24 09:00–2026-11-25 00:05  "))
        #expect(text.contains("; ended by a signal or Ctrl-C"))
    }

    @Test("CSV: a header, one row per note, RFC 4180 quoting of commas, quotes and line breaks")
    func csvQuoting() {
        var session = sampleSession(notes: [(2, "Hips, \"gently\"", "Said: \"it's better\", then\nlaughed"),
                                            (3, "Plain", "no quoting needed")])
        session.id = 7
        let csv = NotesReport(sessions: [sessions[0], session], calendar: utc).csv()
        #expect(csv == NotesReport.csvHeader + "\r\n"
            + "7,2026-11-24T09:00:00Z,2026-11-24T09:52:00Z,treatment-08,Treatment 8 – Hip–Lumbar Connection,AB,2,"
            + "\"Hips, \"\"gently\"\"\",\"Said: \"\"it's better\"\", then\nlaughed\",2026-11-24T09:05:00Z\r\n"
            + "7,2026-11-24T09:00:00Z,2026-11-24T09:52:00Z,treatment-08,Treatment 8 – Hip–Lumbar Connection,AB,3,"
            + "Plain,no quoting needed,2026-11-24T09:10:00Z\r\n")
        // Read back with a small RFC 4180 reader: the fields are exactly the originals.
        let rows = parseCSV(csv)
        #expect(rows.count == 3)
        #expect(rows[1][7] == "Hips, \"gently\"")
        #expect(rows[1][8] == "Said: \"it's better\", then\nlaughed")
        #expect(rows.allSatisfy { $0.count == 10 })
    }

    @Test func csvOfNoNotesIsTheHeaderAlone() {
        #expect(NotesReport(sessions: [], calendar: utc).csv() == NotesReport.csvHeader + "\r\n")
    }

    @Test("JSON: valid, one object per session oldest first, every key present (null when empty), stable")
    func json() throws {
        let report = NotesReport(sessions: sessions, calendar: utc)
        let json = report.json()
        #expect(json == report.json())
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(decoded.count == 2)
        let keys: Set<String> = ["id", "session_id", "session_title", "patient", "started_at", "ended_at", "seconds",
                                 "interrupted", "drill_steps", "timers_started", "timers_completed", "steps", "notes"]
        #expect(decoded.allSatisfy { Set($0.keys) == keys })
        #expect(decoded[0]["patient"] is NSNull)
        #expect(decoded[0]["started_at"] as? String == "2026-11-20T09:00:00Z")
        #expect(decoded[1]["patient"] as? String == "AB")
        #expect(decoded[1]["timers_completed"] as? Int == 1)
        let notes = try #require(decoded[1]["notes"] as? [[String: Any]])
        #expect(notes.map { $0["text"] as? String } == ["Left hip stiffer in the morning.", "Easy; no pain."])
        #expect(notes.first?["step"] as? Int == 2)
        #expect(notes.first?["written_at"] as? String == "2026-11-24T09:05:00Z")
        let steps = try #require(decoded[1]["steps"] as? [[String: Any]])
        #expect(steps.map { $0["timer"] as? String } == [nil, nil, "completed", "started", "not-started"])
        #expect(steps[0]["group"] is NSNull)
        #expect(steps[2]["drill_id"] as? String == "cat-cow")
        // Keys come sorted, so the same records always give the same bytes.
        #expect(json.range(of: "\"drill_steps\"")!.lowerBound < json.range(of: "\"ended_at\"")!.lowerBound)
        let empty = NotesReport(sessions: [], calendar: utc).json()
        #expect((try JSONSerialization.jsonObject(with: Data(empty.utf8)) as? [Any])?.isEmpty == true)
    }

    @Test("Markdown: a heading per session, newest first, a table of steps, notes as a list, text escaped")
    func markdown() {
        let awkward = sampleSession(day: 25, notes: [(1, "Simple Recap", "Uses *stars*, a | pipe and <b>tags</b>")])
        let markdown = NotesReport(sessions: sessions + [awkward], calendar: utc).markdown()
        let lines = markdown.components(separatedBy: "\n")
        #expect(lines.first == "# Session notes")
        let headings = lines.filter { $0.hasPrefix("## ") }
        #expect(headings == [
            "## 2026-11-25 09:00 · Treatment 8 – Hip–Lumbar Connection · patient AB",
            "## 2026-11-24 09:00 · Treatment 8 – Hip–Lumbar Connection · patient AB",
            "## 2026-11-20 09:00 · Treatment 8 – Hip–Lumbar Connection",
        ])
        #expect(lines.contains("Session treatment-08, 09:00–09:52: 52 min, 5 steps; drill timers: 2 started, 1 completed (of 3 drill steps)."))
        #expect(lines.contains("| Step | Time | Drill timer |"))
        #expect(lines.contains("| 5. Cat-cow for spinal motion | 5:00 | completed |"))
        #expect(lines.contains("| 7. Lumbar rotations | 0:00 | not started |"))
        #expect(lines.contains("- **Step 2, The Hip–Lumbar Connection:** Left hip stiffer in the morning."))
        #expect(lines.contains("- **Step 1, Simple Recap:** Uses \\*stars\\*, a \\| pipe and \\<b\\>tags\\</b\\>"))
        #expect(lines.contains("No notes."))
        #expect(NotesReport(sessions: [], calendar: utc).markdown().contains("No sessions recorded."))
        #expect(NotesReport.markdownEscaped("Hips & back, &amp; snake_case\nnext") == "Hips & back, \\&amp; snake\\_case next")
    }
}

/// A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF rows), to check the CSV round-trips.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
        if quoted {
            if character == "\"" {
                if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            quoted = true
        } else if character == "," {
            row.append(field)
            field = ""
        } else if character == "\r\n" || character == "\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.append(character)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
