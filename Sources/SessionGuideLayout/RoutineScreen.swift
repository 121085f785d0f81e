import SessionGuideContent
import SessionGuideEngine

/// Lays out the patient's routine: built to be read from across a room (big digits, few words), with the
/// safety rule on screen whenever the patient moves.
public enum RoutineScreen {
    /// - Parameter notice: a line for the finish screen, such as whether the run was saved.
    public static func render(_ engine: RoutineEngine, at now: Moment, size: Size, notice: String? = nil) -> Screen {
        guard Chrome.fits(size) else { return Screen(grid: Chrome.tooSmall(size), maximumScroll: 0, pageSize: 1) }
        var grid = Grid(size: size)
        let routine = engine.routine
        let width = size.width - 2
        switch engine.stage {
        case .intro:
            Chrome.bar(&grid, row: 0, left: routine.title,
                       right: "\(engine.drills.count) drills · \(DurationParser.describe(Int(engine.totalLength / 1000)))")
            var lines: [StyledLine] = []
            if let goal = routine.goal { lines += RichWrapper.wrap([Span(goal)], width: width) + [[]] }
            lines += RichWrapper.wrap([Span("⚠ Safety: ", Style(.warning, bold: true)), Span(routine.safety, Style(.warning))],
                                      width: width)
            if !routine.introduction.isEmpty {
                lines += [[]] + BlockLayout(width: width, showScripts: false).lines(for: routine.introduction)
            }
            lines += [[], [Span("The drills", Style(.heading))]]
            for (index, drill) in engine.drills.enumerated() {
                lines += RichWrapper.wrap([Span(" \(index + 1). ", Style(.heading)), Span(drill.drill.title),
                                           Span(" · " + TimingDescription.describe(drill.timing), Style(.dim))],
                                          width: width, prefix: [Span("     ")])
            }
            Chrome.scrolled(&grid, lines: lines, offset: 0, top: 2, height: size.height - 4, left: 1, width: width - 1)
            Chrome.note(&grid, row: size.height - 2, label: "", text: "Press Space when you are ready.")
            Chrome.keys(&grid, row: size.height - 1, hints: [.init(key: "Space", action: "start"), .init(key: "q", action: "quit")])
        case .painBefore, .painAfter:
            Chrome.bar(&grid, row: 0, left: routine.title, right: engine.stage == .painBefore ? "Before" : "After")
            let question = engine.stage == .painBefore
                ? "Before you start: how much pain do you feel right now?"
                : "How much pain do you feel now?"
            var lines = RichWrapper.wrap([Span(question, Style(.heading, bold: true))], width: width)
            lines += [[]] + RichWrapper.wrap([Span("0 = no pain, 10 = the worst pain you can imagine.")], width: width)
            lines += [[], [Span("0 1 2 3 4 5 6 7 8 9 10", Style(.timer, bold: true))], []]
            lines += RichWrapper.wrap([Span("Press a number (x for 10), or Enter to skip.", Style(.dim))], width: width)
            let top = max(2, (size.height - lines.count) / 2)
            for (index, line) in lines.enumerated() where top + index < size.height - 1 {
                grid.write(line, column: 1 + max(0, (width - line.width) / 2), row: top + index, limit: size.width - 1)
            }
            Chrome.keys(&grid, row: size.height - 1, hints: [.init(key: "0-9 x", action: "answer"), .init(key: "Enter", action: "skip")])
        case .running:
            running(&grid, engine, now: now)
        case .finished:
            finished(&grid, engine, now: now, notice: notice)
        }
        return Screen(grid: grid, maximumScroll: 0, pageSize: 1)
    }

    // MARK: - Running

    private static func running(_ grid: inout Grid, _ engine: RoutineEngine, now: Moment) {
        let size = grid.size
        let width = size.width - 2
        let segment = engine.segment
        let left = DurationParser.clock(Int((engine.totalRemaining(at: now) + 999) / 1000))
        Chrome.bar(&grid, row: 0, left: engine.routine.title,
                   right: "Drill \(min(segment.drillIndex + 1, engine.drills.count)) of \(engine.drills.count) · \(left) left")

        let drill = engine.drills.indices.contains(segment.drillIndex) ? engine.drills[segment.drillIndex] : nil
        let (title, subtitle) = headline(engine, drill: drill)
        let compact = size.height < 20
        var row = compact ? 1 : 2
        centered(&grid, [Span(title, Style(.heading, bold: true))], row: row, width: width)
        row += 1
        centered(&grid, [Span(subtitle, Style(.dim))], row: row, width: width)
        row += compact ? 1 : 2

        let clock = engine.displayedSeconds(at: now).map(DurationParser.clock)
        let room = size.height - row - 5
        let digitStyle = Style(engine.isPaused ? .warning : .timer, bold: true)
        if let clock, room >= BigDigits.height + 1, size.width >= 40 {
            let pixelWidth = BigDigits.width(of: clock, pixelWidth: 2) <= width ? 2 : 1
            for line in BigDigits.render(clock, pixelWidth: pixelWidth) {
                centered(&grid, [Span(line, digitStyle)], row: row, width: width)
                row += 1
            }
        } else if let clock {
            centered(&grid, [Span(clock, digitStyle)], row: row, width: width)
            row += 1
        } else if case .drillPhase(let phase) = segment.kind, case .reps(let count, _) = phase.kind {
            centered(&grid, [Span("\(count) reps", digitStyle)], row: row, width: width)
            row += 1
        }
        centered(&grid, status(engine, now: now), row: row, width: width)
        row += compact ? 1 : 2

        let barWidth = max(4, min(50, width - 18))
        grid.write(progress("Drill", engine.drillProgress(at: now), width: barWidth, suffix: ""), column: 1, row: row)
        row += 1
        grid.write(progress("Routine", engine.routineProgress(at: now), width: barWidth, suffix: " \(left) left"),
                   column: 1, row: row)
        row += 1
        if let next = engine.nextSegment, row < size.height - 2 {
            Chrome.note(&grid, row: row, label: "Next: ", text: describe(next, engine))
        }
        // The clinic's rule stays on screen whenever the patient moves.
        grid.write(truncated("⚠ " + engine.routine.safety, to: width), column: 1, row: size.height - 2,
                   style: Style(.warning))
        var hints: [Chrome.KeyHint] = [
            .init(key: "Space", action: engine.isWaitingForReps ? "done" : engine.isPaused ? "resume" : "pause"),
            .init(key: "→", action: "skip"), .init(key: "←", action: "back"),
        ]
        if segment.isRest { hints.append(.init(key: "+", action: "15s rest", priority: 1)) }
        hints.append(.init(key: "q", action: "stop"))
        Chrome.keys(&grid, row: size.height - 1, hints: hints)

        if engine.confirmingStop {
            let inner = Chrome.box(&grid, title: "Stop?", width: 40, height: 5)
            grid.write(truncated("Stop the routine here?", to: inner.width), column: inner.left, row: inner.top)
            let x = grid.write("y", column: inner.left, row: inner.top + inner.height - 1, style: Style(.key))
            let y = grid.write(" stop   ", column: x, row: inner.top + inner.height - 1)
            let z = grid.write("n", column: y, row: inner.top + inner.height - 1, style: Style(.key))
            grid.write(" keep going", column: z, row: inner.top + inner.height - 1, limit: inner.left + inner.width)
        }
    }

    /// The big line and the small one under it: the drill and its cue, or "Rest" and what comes next.
    private static func headline(_ engine: RoutineEngine, drill: ResolvedDrill?) -> (String, String) {
        let segment = engine.segment
        switch segment.kind {
        case .getReady:
            return ("Get ready", "First: \(drill?.drill.title ?? "")")
        case .restBetween:
            return ("Rest", "Next: \(drill?.drill.title ?? "")")
        case .drillPhase(let phase):
            guard let drill else { return ("", "") }
            switch phase.kind {
            case .switchSides: return (drill.drill.title, "Switch sides")
            case .rest: return (drill.drill.title, "Rest between sets")
            default:
                let cues = drill.drill.cues
                let cue = cues.isEmpty ? drill.drill.purpose : cues[(phase.set - 1) % cues.count].plainText
                return (drill.drill.title, cue)
            }
        }
    }

    private static func status(_ engine: RoutineEngine, now: Moment) -> StyledLine {
        let segment = engine.segment
        var words: [String] = []
        if case .drillPhase(let phase) = segment.kind {
            if phase.sets > 1 { words.append("Set \(phase.set) of \(phase.sets)") }
            if let side = phase.side { words.append(side.title) }
            if case .reps(let count, let tempo?) = phase.kind, let left = engine.remaining(at: now),
               let seconds = segment.seconds {
                let done = Int((Int64(seconds) * 1000 - left) / (Int64(tempo) * 1000))
                words.append("Rep \(min(count, done + 1)) of \(count)")
            } else {
                words.append(phase.title)
            }
        } else {
            words.append(segment.kind == .getReady ? "Get ready" : "Rest")
        }
        let state: Span
        if engine.isPaused {
            state = Span("❚❚ PAUSED", Style(.warning, bold: true))
        } else if engine.isWaitingForReps {
            state = Span("Space when done", Style(.timer, bold: true))
        } else {
            state = Span("▶", Style(.timer, bold: true))
        }
        return [state, Span("  " + words.joined(separator: " · "))]
    }

    private static func describe(_ segment: RoutineEngine.Segment, _ engine: RoutineEngine) -> String {
        let title = engine.drills.indices.contains(segment.drillIndex) ? engine.drills[segment.drillIndex].drill.title : ""
        var parts: [String]
        switch segment.kind {
        case .getReady: parts = ["Get ready"]
        case .restBetween: parts = ["Rest"]
        case .drillPhase(let phase):
            switch phase.kind {
            case .switchSides: parts = ["Switch sides"]
            case .rest: parts = ["Rest"]
            default:
                parts = [title]
                if let side = phase.side { parts.append(side.title) }
                if phase.sets > 1 { parts.append("set \(phase.set)") }
            }
        }
        if let seconds = segment.seconds { parts.append(DurationParser.describe(seconds)) }
        return parts.joined(separator: " · ")
    }

    private static func progress(_ label: String, _ fraction: Double, width: Int, suffix: String) -> StyledLine {
        let filled = Int((fraction * Double(width)).rounded(.down))
        let padded = label + String(repeating: " ", count: max(0, 8 - label.count))
        return [Span(padded, Style(.dim)), Span("[", Style(.dim)), Span(String(repeating: "█", count: filled), Style(.timer)),
                Span(String(repeating: "░", count: width - filled), Style(.dim)), Span("]", Style(.dim)), Span(suffix)]
    }

    private static func centered(_ grid: inout Grid, _ line: StyledLine, row: Int, width: Int) {
        guard row < grid.size.height else { return }
        let text = line.width > width ? [Span(truncated(line.map(\.text).joined(), to: width), line.first?.style ?? .normal)] : line
        grid.write(text, column: 1 + max(0, (width - text.width) / 2), row: row, limit: grid.size.width - 1)
    }

    // MARK: - Finish

    private static func finished(_ grid: inout Grid, _ engine: RoutineEngine, now: Moment, notice: String?) {
        let size = grid.size
        let width = size.width - 2
        Chrome.bar(&grid, row: 0, left: engine.routine.title, right: engine.stoppedEarly ? "Stopped" : "Finished")
        let done = engine.outcomes.filter { $0 == .done }.count
        let skipped = engine.outcomes.filter { $0 == .skipped }.count
        let headline = engine.stoppedEarly ? "Routine stopped" : done > 0 ? "Well done!" : "Routine finished"
        var lines: [StyledLine] = [[Span(headline, Style(.done, bold: true))], []]
        lines.append([Span("Drills done: ", Style(.dim)), Span("\(done) of \(engine.drills.count)")])
        lines.append([Span("Skipped: ", Style(.dim)), Span("\(skipped)")])
        lines.append([Span("Time: ", Style(.dim)), Span(DurationParser.clock(Int(engine.timeSpent(at: now) / 1000)))])
        let before = engine.painBefore.map(String.init) ?? "–"
        let after = engine.painAfter.map(String.init) ?? "–"
        lines.append([Span("Pain before → after: ", Style(.dim)), Span("\(before) → \(after)")])
        let left = 1 + max(0, (width - 40) / 2)
        if let notice {
            lines += [[]] + RichWrapper.wrap([Span(notice, Style(.warning))], width: max(10, size.width - left - 1))
        }
        let top = max(2, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < size.height - 1 {
            grid.write(line, column: left, row: top + index, limit: size.width - 1)
        }
        Chrome.keys(&grid, row: size.height - 1, hints: [.init(key: "q", action: "close")])
    }
}
