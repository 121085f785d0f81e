import Foundation

/// The adherence summary `session-guide history` prints: days practised, the current streak, routines per week
/// and the pain trend. Pure: the runs, today and the calendar come in.
public struct HistoryReport: Sendable {
    public var runs: [RoutineRun]
    public var now: Date
    public var calendar: Calendar

    public init(runs: [RoutineRun], now: Date, calendar: Calendar = .current) {
        self.runs = runs
        self.now = now
        self.calendar = calendar
    }

    /// Days with at least one run in which a drill was done.
    private var practisedDays: Set<Date> {
        Set(runs.filter { $0.drillsDone > 0 }.map { calendar.startOfDay(for: $0.startedAt) })
    }

    /// Days practised among the last `days` days, today included.
    public func daysPractised(inLast days: Int) -> Int {
        let today = calendar.startOfDay(for: now)
        guard let first = calendar.date(byAdding: .day, value: -(days - 1), to: today) else { return 0 }
        return practisedDays.filter { $0 >= first && $0 <= today }.count
    }

    /// Consecutive days practised up to today, or up to yesterday when today has no practice yet.
    public var currentStreak: Int {
        let days = practisedDays
        var day = calendar.startOfDay(for: now)
        if !days.contains(day), let yesterday = calendar.date(byAdding: .day, value: -1, to: day) { day = yesterday }
        var streak = 0
        while days.contains(day), let previous = calendar.date(byAdding: .day, value: -1, to: day) {
            streak += 1
            day = previous
        }
        return streak
    }

    /// Runs per week over the last four weeks.
    public var routinesPerWeek: Double {
        guard let start = calendar.date(byAdding: .day, value: -27, to: calendar.startOfDay(for: now)) else { return 0 }
        return Double(runs.filter { $0.startedAt >= start && $0.startedAt <= now }.count) / 4
    }

    /// Runs that recorded pain both before and after, most recent last (at most `limit`).
    public func painRuns(limit: Int = 14) -> [RoutineRun] {
        Array(runs.filter { $0.painBefore != nil && $0.painAfter != nil }.suffix(limit))
    }

    /// One character per value 0–10: block heights, or ASCII marks that still rise with the value.
    public static func chart(_ values: [Int], ascii: Bool) -> String {
        let levels: [Character] = ascii ? Array("_.,:-=+*#%@") : Array("▁▁▂▃▃▄▅▅▆▇█")
        return String(values.map { levels[min(10, max(0, $0))] })
    }

    /// The report as plain text.
    public func text(ascii: Bool = false) -> String {
        var lines: [String] = []
        let arrow = ascii ? "->" : "→"
        lines.append("Days practised: \(daysPractised(inLast: 7)) of the last 7, \(daysPractised(inLast: 28)) of the last 28")
        let streak = currentStreak
        lines.append("Current streak: \(streak) day\(streak == 1 ? "" : "s")")
        lines.append("Routines per week: \(Self.oneDecimal(routinesPerWeek)) (last 4 weeks)")
        let pain = painRuns()
        if pain.isEmpty {
            lines.append("Pain before \(arrow) after: no pain checks recorded yet")
        } else {
            let before = pain.compactMap(\.painBefore), after = pain.compactMap(\.painAfter)
            lines.append("Pain before \(arrow) after (0-10, last \(pain.count) run\(pain.count == 1 ? "" : "s"), oldest first):")
            lines.append("  before  \(Self.chart(before, ascii: ascii))")
            lines.append("  after   \(Self.chart(after, ascii: ascii))")
            lines.append("  average \(Self.oneDecimal(Self.mean(before))) \(arrow) \(Self.oneDecimal(Self.mean(after)))")
        }
        if !runs.isEmpty {
            lines.append("")
            lines.append("Recent runs:")
            let formatter = DateFormatter()
            formatter.calendar = calendar
            formatter.timeZone = calendar.timeZone
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            for run in runs.suffix(10).reversed() {
                var line = "  \(formatter.string(from: run.startedAt))  \(NotesReport.oneLine(run.routineTitle))  "
                line += ReportFormat.clock(run.seconds)
                line += "  \(run.drillsDone) done, \(run.drillsSkipped) skipped"
                if run.progress?.cutShort == true {
                    line += ", interrupted"
                } else if run.isOpen {
                    line += ", going on now"
                } else if !run.completed {
                    line += run.interrupted == true ? ", stopped by a signal" : ", stopped early"
                }
                if let before = run.painBefore, let after = run.painAfter {
                    line += "  pain \(before)\(arrow)\(after)"
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Exports

    private struct ExportedRun: Encodable {
        struct Drill: Encodable {
            var drill_id: String
            var title: String
            var status: String
        }

        var id: Int64?
        var routine_id: String
        var routine_title: String
        var started_at: String
        var seconds: Int
        var completed: Bool
        var interrupted: Bool
        var pain_before: Int?
        var pain_after: Int?
        var drills: [Drill]
    }

    /// One JSON object per run, in an array, oldest first.
    public func json() -> String {
        let exported = runs.map { run in
            ExportedRun(id: run.id, routine_id: run.routineID, routine_title: run.routineTitle,
                        started_at: ReportFormat.timestamp(run.startedAt), seconds: run.seconds, completed: run.completed,
                        interrupted: run.wasInterrupted, pain_before: run.painBefore, pain_after: run.painAfter,
                        drills: run.drills.map { .init(drill_id: $0.drillID, title: $0.drillTitle, status: $0.status.rawValue) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(exported)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One CSV row per run, with a header row (RFC 4180 quoting).
    public func csv() -> String {
        ReportFormat.csv(
            header: "started_at,routine_id,routine_title,seconds,completed,drills_done,drills_skipped,pain_before,pain_after,"
                + "interrupted",
            rows: runs.map { run in
                [ReportFormat.timestamp(run.startedAt), run.routineID, run.routineTitle, "\(run.seconds)",
                 run.completed ? "yes" : "no", "\(run.drillsDone)", "\(run.drillsSkipped)",
                 run.painBefore.map(String.init) ?? "", run.painAfter.map(String.init) ?? "",
                 run.wasInterrupted ? "yes" : "no"]
            })
    }

    private static func mean(_ values: [Int]) -> Double {
        values.isEmpty ? 0 : Double(values.reduce(0, +)) / Double(values.count)
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
