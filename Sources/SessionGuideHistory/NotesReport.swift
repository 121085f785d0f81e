import Foundation

/// What `session-guide notes` prints: the therapist sessions kept in the history with their notes, as readable
/// text or Markdown (newest first, grouped by session), or exported as JSON or CSV (oldest first, as `history`
/// exports runs). Pure: the records and the calendar come in.
public struct NotesReport: Sendable {
    /// Oldest first, as `HistoryStore.sessions` returns them.
    public var sessions: [SessionRecord]
    public var calendar: Calendar
    /// Programmes given in these sessions (matched by the session's record key).
    public var programmes: [ProgrammeRecord]

    public init(sessions: [SessionRecord], calendar: Calendar = .current, programmes: [ProgrammeRecord] = []) {
        self.sessions = sessions
        self.calendar = calendar
        self.programmes = programmes
    }

    /// "Programme given: version 2 of Daily hip and low-back mobility, 5 days a week until 2026-12-11", for each
    /// programme prescribed during the session.
    public func programmeLines(_ session: SessionRecord) -> [String] {
        guard let key = session.progress?.key else { return [] }
        return programmes.filter { $0.sessionKey == key }.map { programme in
            var line = "Programme given: version \(programme.version) of \(Self.oneLine(programme.routineTitle)), "
                + "\(programme.daysPerWeek) day\(programme.daysPerWeek == 1 ? "" : "s") a week"
            if let until = programme.until { line += " until \(until)" }
            return line
        }
    }

    // MARK: - Text

    /// Each session, newest first: when, what and for whom, a line of figures, then its notes.
    public func text() -> String {
        var blocks: [String] = []
        for session in sessions.reversed() {
            var lines = [headline(session)]
            lines.append("  " + figures(session))
            lines += programmeLines(session).map { "  " + $0 }
            if session.notes.isEmpty {
                lines.append("  No notes.")
            }
            for note in session.notes {
                lines.append("  Step \(note.stepPosition), \(Self.oneLine(note.stepTitle)): \(Self.oneLine(note.text))")
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private func headline(_ session: SessionRecord) -> String {
        var line = "\(dayAndTime(session.startedAt))–\(endTime(session))  \(Self.oneLine(session.sessionTitle))"
        if let patient = session.patient { line += "  patient \(Self.oneLine(patient))" }
        return line
    }

    /// "52 min, 9 steps; drill timers: 2 started, 1 completed (of 3 drill steps)", and how it ended when that
    /// was not `q`.
    private func figures(_ session: SessionRecord) -> String {
        var text = "\(Self.minutes(session.seconds)), \(Self.count(session.steps.count, "step"))"
        if session.drillSteps > 0 {
            text += "; drill timers: \(session.timersStarted) started, \(session.timersCompleted) completed "
                + "(of \(Self.count(session.drillSteps, "drill step")))"
        }
        if session.progress?.cutShort == true {
            text += "; interrupted: the program was stopped before the session ended (saved up to then)"
        } else if session.isOpen {
            text += "; still going on"
        } else if session.interrupted {
            text += "; ended by a signal or Ctrl-C"
        }
        return text
    }

    // MARK: - Markdown

    /// The same as the text, as a Markdown document: a heading per session, its figures, a table of the time
    /// on each step, and its notes as a list. Text from the history is escaped, so a note can't break the page.
    public func markdown() -> String {
        var lines = ["# Session notes", ""]
        if sessions.isEmpty { lines += ["No sessions recorded.", ""] }
        for session in sessions.reversed() {
            var heading = "## \(dayAndTime(session.startedAt)) · \(Self.markdownEscaped(session.sessionTitle))"
            if let patient = session.patient { heading += " · patient \(Self.markdownEscaped(patient))" }
            lines += [heading, ""]
            lines.append("Session \(Self.markdownEscaped(session.sessionID)), \(time(session.startedAt))–"
                + "\(endTime(session)): \(Self.markdownEscaped(figures(session))).")
            lines.append("")
            if !session.steps.isEmpty {
                lines += ["| Step | Time | Drill timer |", "|---|--:|---|"]
                for step in session.steps {
                    let timer = step.timer.map { $0 == .notStarted ? "not started" : $0.rawValue } ?? ""
                    lines.append("| \(step.position). \(Self.markdownEscaped(step.title)) | \(ReportFormat.clock(step.seconds)) "
                        + "| \(timer) |")
                }
                lines.append("")
            }
            if session.notes.isEmpty {
                lines += ["No notes.", ""]
            } else {
                lines += ["Notes:", ""]
                for note in session.notes {
                    lines.append("- **Step \(note.stepPosition), \(Self.markdownEscaped(note.stepTitle)):** "
                        + Self.markdownEscaped(note.text))
                }
                lines.append("")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Characters Markdown would read as formatting inside a line (emphasis, code, links, HTML, table cells),
    /// escaped with a backslash; line breaks become spaces. History text never starts a line, so list and
    /// heading markers need no escape, and the output stays easy to read as plain text.
    static func markdownEscaped(_ text: String) -> String {
        var escaped = ""
        let characters = Array(oneLine(text))
        for (index, character) in characters.enumerated() {
            // "&" only matters where it could start an entity such as "&amp;"; "A & B" stays as it is.
            let startsEntity = character == "&" && index + 1 < characters.count
                && (characters[index + 1].isLetter || characters[index + 1] == "#")
            if "\\`*_[]<>|~".contains(character) || startsEntity { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    // MARK: - JSON

    private struct ExportedSession: Encodable {
        var record: SessionRecord

        enum Keys: String, CodingKey {
            case id, session_id, session_title, patient, started_at, ended_at, seconds, interrupted, drill_steps,
                 timers_started, timers_completed, steps, notes
        }

        enum StepKeys: String, CodingKey { case position, title, group, seconds, drill_id, timer }
        enum NoteKeys: String, CodingKey { case step, step_title, text, written_at }

        // Written by hand so that an empty value is `null`, never a missing key: every object has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(record.id, forKey: .id)
            try container.encode(record.sessionID, forKey: .session_id)
            try container.encode(record.sessionTitle, forKey: .session_title)
            try container.encode(record.patient, forKey: .patient)
            try container.encode(ReportFormat.timestamp(record.startedAt), forKey: .started_at)
            try container.encode(ReportFormat.timestamp(record.endedAt), forKey: .ended_at)
            try container.encode(record.seconds, forKey: .seconds)
            try container.encode(record.wasInterrupted, forKey: .interrupted)
            try container.encode(record.drillSteps, forKey: .drill_steps)
            try container.encode(record.timersStarted, forKey: .timers_started)
            try container.encode(record.timersCompleted, forKey: .timers_completed)
            var steps = container.nestedUnkeyedContainer(forKey: .steps)
            for step in record.steps {
                var object = steps.nestedContainer(keyedBy: StepKeys.self)
                try object.encode(step.position, forKey: .position)
                try object.encode(step.title, forKey: .title)
                try object.encode(step.group, forKey: .group)
                try object.encode(step.seconds, forKey: .seconds)
                try object.encode(step.drillID, forKey: .drill_id)
                try object.encode(step.timer?.rawValue, forKey: .timer)
            }
            var notes = container.nestedUnkeyedContainer(forKey: .notes)
            for note in record.notes {
                var object = notes.nestedContainer(keyedBy: NoteKeys.self)
                try object.encode(note.stepPosition, forKey: .step)
                try object.encode(note.stepTitle, forKey: .step_title)
                try object.encode(note.text, forKey: .text)
                try object.encode(ReportFormat.timestamp(note.writtenAt), forKey: .written_at)
            }
        }
    }

    /// One object per session, oldest first, with its steps and notes; keys sorted, times in UTC.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(sessions.map(ExportedSession.init))) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: - CSV

    public static let csvHeader = "session_record_id,session_started_at,session_ended_at,session_id,session_title,"
        + "patient,step,step_title,note,written_at"

    /// One row per note, oldest session first, with the session it belongs to; RFC 4180 quoting, so commas,
    /// quotes and line breaks in a note survive a spreadsheet.
    public func csv() -> String {
        ReportFormat.csv(header: Self.csvHeader, rows: sessions.flatMap { session in
            session.notes.map { note in
                [session.id.map(String.init) ?? "", ReportFormat.timestamp(session.startedAt),
                 ReportFormat.timestamp(session.endedAt), session.sessionID, session.sessionTitle,
                 session.patient ?? "", "\(note.stepPosition)", note.stepTitle, note.text,
                 ReportFormat.timestamp(note.writtenAt)]
            }
        })
    }

    // MARK: - Formatting

    private func formatted(_ date: Date, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    private func dayAndTime(_ date: Date) -> String { formatted(date, "yyyy-MM-dd HH:mm") }
    private func time(_ date: Date) -> String { formatted(date, "HH:mm") }

    /// The end time, with its date when the session ran past midnight.
    private func endTime(_ session: SessionRecord) -> String {
        calendar.isDate(session.startedAt, inSameDayAs: session.endedAt) ? time(session.endedAt)
            : dayAndTime(session.endedAt)
    }

    /// Text from the history on one line: a line break in a note or title would break the layout.
    public static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    static func minutes(_ seconds: Int) -> String {
        seconds < 60 ? "under a minute" : "\(seconds / 60) min"
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
