import Foundation
import SessionGuideContent
import SessionGuideHistory

/// What a therapist sees of one patient at the next visit: days done against days prescribed since the last
/// visit, the pain before and after, drills marked too hard or painful, and the last session's notes. Pure:
/// records, now and the clinic's calendar come in (`localDay` turns a moment into the local day, so midnight and
/// daylight-saving changes fall where the patient lived them).
public struct PatientReport: Sendable {
    public var patient: String
    public var programmes: [ProgrammeRecord]
    public var runs: [RoutineRun]
    public var sessions: [SessionRecord]
    public var now: Date
    public var localDay: @Sendable (Date) -> CalendarDay

    public init(patient: String, programmes: [ProgrammeRecord], runs: [RoutineRun], sessions: [SessionRecord],
                now: Date, localDay: @escaping @Sendable (Date) -> CalendarDay) {
        self.patient = patient
        self.programmes = programmes.sorted { ($0.createdAt, $0.id ?? 0) < ($1.createdAt, $1.id ?? 0) }
        self.runs = runs.sorted { $0.startedAt < $1.startedAt }
        self.sessions = sessions.sorted { $0.startedAt < $1.startedAt }
        self.now = now
        self.localDay = localDay
    }

    public var isEmpty: Bool { programmes.isEmpty && runs.isEmpty && sessions.isEmpty }

    /// The patient's programme now: the last one given before now.
    public var currentProgramme: ProgrammeRecord? { programmes.last { $0.createdAt <= now } }

    /// The last session before now: the visit the period starts from.
    public var lastVisit: SessionRecord? { sessions.last { $0.startedAt <= now } }

    /// The first day counted: the day of the last visit (a routine done later that day counts), else the day
    /// the programme was given, else the first run's day.
    public var periodStart: CalendarDay? {
        if let lastVisit { return localDay(lastVisit.startedAt) }
        if let programme = currentProgramme { return localDay(programme.createdAt) }
        return runs.first.map { localDay($0.startedAt) }
    }

    public var today: CalendarDay { localDay(now) }

    /// The last day counted: today, or the programme's last day when that was earlier.
    public var periodEnd: CalendarDay {
        if let until = currentProgramme?.until.flatMap(CalendarDay.init), until < today { return until }
        return today
    }

    /// Runs in the period (from the start day on, up to now).
    public var runsInPeriod: [RoutineRun] {
        guard let start = periodStart else { return [] }
        return runs.filter { localDay($0.startedAt) >= start && $0.startedAt <= now }
    }

    /// The days in the period with at least one drill done.
    public var daysDone: [CalendarDay] {
        let end = periodEnd
        return Array(Set(runsInPeriod.filter { $0.drillsDone > 0 }.map { localDay($0.startedAt) }.filter { $0 <= end })).sorted()
    }

    /// Days in the period, both ends counted.
    public var daysInPeriod: Int {
        guard let start = periodStart else { return 0 }
        return max(0, periodEnd.ordinal - start.ordinal + 1)
    }

    /// The days the programme asked for in the period: its days a week spread over the period's days, rounded
    /// up, never more than the days there were. Nil without a programme.
    public var daysPrescribed: Int? {
        guard let programme = currentProgramme else { return nil }
        let days = daysInPeriod
        return min(days, (programme.daysPerWeek * days + 6) / 7)
    }

    /// Runs in the period with pain asked before and after, oldest first.
    public var painRuns: [RoutineRun] { runsInPeriod.filter { $0.painBefore != nil && $0.painAfter != nil } }

    /// Drills the patient marked too hard or painful in the period, each with how often and on which days.
    public struct Flag: Hashable, Sendable {
        public var drillTitle: String
        public var feedback: DrillResult.Feedback
        public var days: [CalendarDay]
    }

    public var flags: [Flag] {
        var found: [String: Flag] = [:]
        var order: [String] = []
        for run in runsInPeriod {
            for drill in run.drills {
                guard let feedback = drill.feedback, feedback == .tooHard || feedback == .hurt else { continue }
                let key = "\(drill.drillID) \(feedback.rawValue)"
                if found[key] == nil {
                    found[key] = Flag(drillTitle: drill.drillTitle, feedback: feedback, days: [])
                    order.append(key)
                }
                found[key]?.days.append(localDay(run.startedAt))
            }
        }
        // What hurt first, then what was too hard, each in the order first met.
        return order.compactMap { found[$0] }.sorted { ($0.feedback == .hurt ? 0 : 1) < ($1.feedback == .hurt ? 0 : 1) }
    }

    /// The last visit's notes.
    public var lastNotes: [SessionNoteRecord] { lastVisit?.notes ?? [] }

    // MARK: - Text

    /// The report as lines, for `history --patient` and the session's recap step.
    public func lines(ascii: Bool = false) -> [String] {
        let arrow = ascii ? "->" : "→"
        guard !isEmpty else { return ["Nothing recorded for \(patient) yet: no programme, no routine runs, no sessions."] }
        var lines: [String] = []
        if let programme = currentProgramme {
            var line = "Programme: version \(programme.version) of \(programme.routineTitle), given \(localDay(programme.createdAt)), "
                + "\(programme.daysPerWeek) day\(programme.daysPerWeek == 1 ? "" : "s") a week"
            if let until = programme.until { line += " until \(until)" }
            lines.append(line)
            if !programme.note.isEmpty { lines.append("  Note for the patient: \(NotesReport.oneLine(programme.note))") }
        } else {
            lines.append("Programme: none prescribed yet")
        }
        if let start = periodStart {
            let since = lastVisit.map { "since the last visit (\(localDay($0.startedAt)))" } ?? "since \(start)"
            let done = daysDone.count
            if let prescribed = daysPrescribed {
                lines.append("Days done \(since): \(done) of \(prescribed) prescribed (\(daysInPeriod) day\(daysInPeriod == 1 ? "" : "s"))")
            } else {
                lines.append("Days done \(since): \(done) (no programme to compare with)")
            }
        }
        let pain = painRuns
        if pain.isEmpty {
            lines.append("Pain before \(arrow) after: not asked in this time")
        } else {
            let pairs = pain.suffix(7).map { "\($0.painBefore ?? 0)\(arrow)\($0.painAfter ?? 0)" }.joined(separator: ", ")
            let before = Double(pain.compactMap(\.painBefore).reduce(0, +)) / Double(pain.count)
            let after = Double(pain.compactMap(\.painAfter).reduce(0, +)) / Double(pain.count)
            lines.append("Pain before \(arrow) after (0-10): \(pairs); average \(Self.oneDecimal(before)) \(arrow) \(Self.oneDecimal(after))")
        }
        let flags = self.flags
        if flags.isEmpty {
            lines.append("Drills marked too hard or painful: none")
        } else {
            lines.append("Drills marked too hard or painful:")
            for flag in flags {
                let times = flag.days.count == 1 ? "once" : "\(flag.days.count) times"
                lines.append("  \(NotesReport.oneLine(flag.drillTitle)): \(flag.feedback.words), \(times) (last \(flag.days.last.map(String.init(describing:)) ?? ""))")
            }
        }
        let recent = runsInPeriod.suffix(5)
        if !recent.isEmpty {
            lines.append("Recent runs:")
            for run in recent.reversed() {
                var line = "  \(localDay(run.startedAt))  \(NotesReport.oneLine(run.routineTitle))  \(run.drillsDone) done"
                if run.drillsSkipped > 0 { line += ", \(run.drillsSkipped) skipped" }
                if run.programmeID == nil { line += " (the routine as written)" }
                if !run.completed { line += ", stopped early" }
                lines.append(line)
            }
        }
        if let visit = lastVisit {
            if visit.notes.isEmpty {
                lines.append("Notes from the last visit: none")
            } else {
                lines.append("Notes from the last visit (\(NotesReport.oneLine(visit.sessionTitle))):")
                for note in visit.notes {
                    lines.append("  \(NotesReport.oneLine(note.stepTitle)): \(NotesReport.oneLine(note.text))")
                }
            }
        }
        return lines
    }

    // MARK: - Exports

    private struct Exported: Encodable {
        struct Programme: Encodable {
            var version: Int
            var routine_id: String
            var given: String
            var days_per_week: Int
            var until: String?
            var note: String
        }

        struct Flagged: Encodable {
            var drill: String
            var feedback: String
            var days: [String]
        }

        var patient: String
        var programme: Programme?
        var period_start: String?
        var period_end: String
        var last_visit: String?
        var days_done: [String]
        var days_prescribed: Int?
        var pain: [[Int]]
        var flagged: [Flagged]
        var last_notes: [String]
    }

    private var exported: Exported {
        Exported(
            patient: patient,
            programme: currentProgramme.map {
                .init(version: $0.version, routine_id: $0.routineID, given: localDay($0.createdAt).description,
                      days_per_week: $0.daysPerWeek, until: $0.until, note: $0.note)
            },
            period_start: periodStart?.description, period_end: periodEnd.description,
            last_visit: lastVisit.map { localDay($0.startedAt).description },
            days_done: daysDone.map(\.description), days_prescribed: daysPrescribed,
            pain: painRuns.map { [$0.painBefore ?? 0, $0.painAfter ?? 0] },
            flagged: flags.map { .init(drill: $0.drillTitle, feedback: $0.feedback.rawValue, days: $0.days.map(\.description)) },
            last_notes: lastNotes.map { "\($0.stepTitle): \($0.text)" })
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(exported)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One row per figure: `measure,value`.
    public func csv() -> String {
        let report = exported
        var rows: [[String]] = [
            ["patient", report.patient],
            ["programme_version", report.programme.map { "\($0.version)" } ?? ""],
            ["routine_id", report.programme?.routine_id ?? ""],
            ["days_per_week", report.programme.map { "\($0.days_per_week)" } ?? ""],
            ["until", report.programme?.until ?? ""],
            ["period_start", report.period_start ?? ""],
            ["period_end", report.period_end],
            ["last_visit", report.last_visit ?? ""],
            ["days_done", "\(report.days_done.count)"],
            ["days_prescribed", report.days_prescribed.map(String.init) ?? ""],
        ]
        for (index, pair) in report.pain.enumerated() { rows.append(["pain_\(index + 1)", "\(pair[0])-\(pair[1])"]) }
        for flag in report.flagged { rows.append(["flagged", "\(flag.drill): \(flag.feedback) x\(flag.days.count)"]) }
        return ReportFormat.csv(header: "measure,value", rows: rows)
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
