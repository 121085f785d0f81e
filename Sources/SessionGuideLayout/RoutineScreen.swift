import SessionGuideContent
import SessionGuideEngine

/// Lays out the patient's routine: built to be read from across a room (big digits, few words), with the
/// safety rule on screen whenever the patient moves.
public enum RoutineScreen {
    /// - Parameter notice: a line for the finish screen, such as whether the run was saved.
    /// - Parameter pixels: how big digits and letters are drawn (full blocks where only ASCII reaches the screen).
    public static func render(_ engine: RoutineEngine, at now: Moment, size: Size, notice: String? = nil,
                              large: Bool = false, pixels: BigFont.Pixels = .halfBlocks) -> Screen {
        guard Chrome.fits(size) else { return Screen(grid: Chrome.tooSmall(size), maximumScroll: 0, pageSize: 1) }
        var grid = Grid(size: size)
        let routine = engine.routine
        let width = size.width - 2
        var maximumScroll = 0
        switch engine.stage {
        case .intro:
            Chrome.bar(&grid, row: 0, left: routine.title,
                       right: "\(DiagnosticFormatter.countPhrase(engine.drills.count, "drill")) · "
                           + DurationParser.describe(Int(engine.totalLength / 1000)))
            // The scroll bar takes the last column; on a wide screen the text is a centred reading column.
            let (textLeft, textWidth) = ReadingColumn.centred(left: 1, width: width - 1).span
            var lines: [StyledLine] = []
            if let goal = routine.goal { lines += RichWrapper.wrap([Span(goal)], width: textWidth) + [[]] }
            lines += RichWrapper.wrap([Span("⚠ Safety: ", Style(.warning, bold: true)), Span(routine.safety, Style(.warning))],
                                      width: textWidth)
            if !routine.introduction.isEmpty {
                lines += [[]] + BlockLayout(width: textWidth, showScripts: false).lines(for: routine.introduction)
            }
            lines += [[], [Span("The drills", Style(.heading))]]
            for (index, drill) in engine.drills.enumerated() {
                lines += RichWrapper.wrap([Span(" \(index + 1). ", Style(.heading)), Span(drill.drill.title),
                                           Span(" · " + TimingDescription.describe(drill.timing), Style(.dim))],
                                          width: textWidth, prefix: [Span("     ")])
            }
            let noticeLines = notice.map { RichWrapper.wrap([Span($0, Style(.warning))], width: width) } ?? []
            let bottom = size.height - 2 - noticeLines.count
            maximumScroll = Chrome.scrolled(&grid, lines: lines, offset: engine.introScroll, top: 2,
                                            height: max(1, bottom - 2), left: textLeft, width: textWidth)
            for (index, line) in noticeLines.enumerated() { grid.write(line, column: 1, row: bottom + index) }
            Chrome.note(&grid, row: size.height - 2, label: "", text: "Press Space when you are ready.")
            var hints: [Chrome.KeyHint] = [.init(key: "Space", action: "start"), .init(key: "q", action: "quit")]
            if maximumScroll > 0 { hints.insert(.init(key: "↑↓", action: "scroll", priority: 1), at: 1) }
            Chrome.keys(&grid, row: size.height - 1, hints: hints)
        case .painBefore, .painAfter:
            Chrome.bar(&grid, row: 0, left: routine.title, right: engine.stage == .painBefore ? "Before" : "After")
            let question = engine.stage == .painBefore
                ? "Before you start: how much pain do you feel right now?"
                : "How much pain do you feel now?"
            let groups: [[StyledLine]] = [
                RichWrapper.wrap([Span(question, Style(.heading, bold: true))], width: width),
                RichWrapper.wrap([Span("0 = no pain, 10 = the worst pain you can imagine.")], width: width),
                [[Span("0 1 2 3 4 5 6 7 8 9 10", Style(.timer, bold: true))]],
                RichWrapper.wrap([Span("Press a number (x for 10), or Enter to skip.", Style(.dim))], width: width),
            ]
            centredBlock(&grid, groups, top: 1, bottom: size.height - 1, width: width)
            Chrome.keys(&grid, row: size.height - 1, hints: [.init(key: "0-9 x", action: "answer"), .init(key: "Enter", action: "skip")])
        case .lastFeedback:
            Chrome.bar(&grid, row: 0, left: routine.title, right: "Done")
            if engine.showsHurtAdvice {
                centredBlock(&grid, hurtAdvice(engine, width: width), top: 1, bottom: size.height - 1, width: width)
                Chrome.keys(&grid, row: size.height - 1, hints: [.init(key: "Space", action: "go on")])
            } else {
                let title = engine.feedbackQuestion.map { engine.drills[$0].drill.title } ?? ""
                let groups: [[StyledLine]] = [
                    RichWrapper.wrap([Span("How was \(title)?", Style(.heading, bold: true))], width: width),
                    RichWrapper.wrap(feedbackChoices(), width: width),
                    RichWrapper.wrap([Span("Press a number, or Enter to skip.", Style(.dim))], width: width),
                ]
                centredBlock(&grid, groups, top: 1, bottom: size.height - 1, width: width)
                Chrome.keys(&grid, row: size.height - 1, hints: [.init(key: "1-4", action: "answer"),
                                                               .init(key: "Enter", action: "skip")])
            }
        case .running:
            running(&grid, engine, now: now, large: large, pixels: pixels)
        case .finished:
            finished(&grid, engine, now: now, notice: notice)
        }
        return Screen(grid: grid, maximumScroll: maximumScroll, pageSize: 5)
    }

    /// The four answers to "How was it?", keys first.
    static func feedbackChoices() -> StyledLine {
        var spans: [Span] = []
        for (index, answer) in DrillFeedback.allCases.enumerated() {
            if index > 0 { spans.append(Span(" · ", Style(.dim))) }
            spans += [Span(String(answer.key), Style(.key, bold: true)), Span(" " + answer.title.lowercased())]
        }
        return spans
    }

    /// What "it hurt" brings up: the routine's safety rule, and the choice to go on or stop.
    private static func hurtAdvice(_ engine: RoutineEngine, width: Int) -> [[StyledLine]] {
        var groups: [[StyledLine]] = [
            RichWrapper.wrap([Span(engine.stage == .running ? "You said it hurt: the clock is paused." : "You said it hurt.",
                                   Style(.heading, bold: true))], width: width),
            RichWrapper.wrap([Span("⚠ " + engine.routine.safety, Style(.warning, bold: true))], width: width),
        ]
        if engine.stage == .running {
            groups.append([[Span("Space", Style(.key)), Span(" go on, more gently    "), Span("q", Style(.key)),
                            Span(" stop here")]])
        } else {
            groups.append(RichWrapper.wrap([Span("Tell your therapist at your next visit.")], width: width))
        }
        return groups
    }

    /// Draws groups of lines centred on the screen, with a blank line between groups when there is room for it.
    private static func centredBlock(_ grid: inout Grid, _ groups: [[StyledLine]], top: Int, bottom: Int, width: Int) {
        let room = bottom - top
        let plain = groups.flatMap { $0 }
        let spaced = groups.enumerated().flatMap { index, group in index == 0 ? group : [[]] + group }
        let lines = spaced.count <= room ? spaced : Array(plain.prefix(room))
        let first = top + max(0, (room - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            grid.write(line, column: 1 + max(0, (width - line.width) / 2), row: first + index, limit: grid.size.width - 1)
        }
    }

    // MARK: - Running

    /// One row of the running screen, and how willingly it is given up on a small screen (higher goes first).
    private struct Row {
        var lines: [StyledLine]
        var dropOrder: Int
        var centred: Bool
        /// The drill's figures go right under this row (the timer's status line).
        var figuresFollow = false
        /// The rows are the clock's, drawn in big digits as large as fit in them.
        var digits = false
        /// The row is the phase's word (GET READY, WORK, REST…), drawn in big letters when they fit.
        var phaseWord = false
        /// The row is a progress bar, drawn once the column's width is known.
        var bar: Bar?
    }

    private struct Bar {
        var label: String
        var fraction: Double
        var suffix: String
    }

    private static func running(_ grid: inout Grid, _ engine: RoutineEngine, now: Moment, large: Bool,
                                pixels: BigFont.Pixels) {
        let size = grid.size
        let width = size.width - 2
        let segment = engine.segment
        let left = DurationParser.clock(Int((engine.totalRemaining(at: now) + 999) / 1000))
        Chrome.bar(&grid, row: 0, left: engine.routine.title,
                   right: "Drill \(min(segment.drillIndex + 1, engine.drills.count)) of \(engine.drills.count) · \(left) left")

        // The clinic's rule stays on screen whenever the patient moves: whole, on up to three lines (two on a
        // very small screen, cut with "…" only there), at most a reading width across, centred.
        let readingWidth = min(width, ReadingColumn.maximumTextWidth)
        var safety = RichWrapper.wrap([Span("⚠ " + engine.routine.safety, Style(.warning))], width: readingWidth)
        let safetyRows = size.height >= 10 ? 3 : 2
        if safety.count > safetyRows {
            let rest = safety.dropFirst(safetyRows - 1).map { $0.map(\.text).joined() }.joined(separator: " ")
            safety = Array(safety.prefix(safetyRows - 1)) + [[Span(truncated(rest, to: width), Style(.warning))]]
        }
        let footerTop = size.height - 1 - safety.count
        let safetyLeft = 1 + (width - (safety.map(\.width).max() ?? 0)) / 2
        for (index, line) in safety.enumerated() { grid.write(line, column: safetyLeft, row: footerTop + index) }
        footer(&grid, engine)

        let drill = engine.currentDrill
        let (title, subtitle) = headline(engine, drill: drill)
        let look = phaseLook(engine, now: now)
        let remaining = engine.remaining(at: now)
        // Running digits in the terminal's own attributes (no bold either), so a tick sends only characters.
        let digitRole = engine.isPaused ? StyleRole.warning : look.digitRole(remaining: remaining)
        let digitStyle = Style(digitRole, bold: digitRole != .normal)
        let clock = engine.displayedSeconds(at: now).map(DurationParser.clock)
        var clockLines: [StyledLine] = []
        // A question that takes the place of the clock: stopping, or what to do after "it hurt".
        let interrupting = engine.confirmingStop || engine.showsHurtAdvice
        if engine.showsHurtAdvice {
            clockLines = hurtAdvice(engine, width: min(width, ReadingColumn.maximumTextWidth)).flatMap { $0 }
        } else if engine.confirmingStop {
            clockLines = [[Span("Stop the routine here?", Style(.warning, bold: true))],
                          [Span("y", Style(.key)), Span(" stop    "), Span("n", Style(.key)), Span(" keep going")]]
        } else if let clock {
            clockLines = [[Span(clock, digitStyle)]]
        } else if case .drillPhase(let phase) = segment.kind, case .reps(let count, _) = phase.kind {
            clockLines = [[Span("\(count) reps", digitStyle)]]
        }
        var rows: [Row] = [
            Row(lines: [[Span(title, Style(.heading, bold: true))]], dropOrder: 0, centred: true),
            Row(lines: [[Span(subtitle, Style(.dim))]], dropOrder: 5, centred: true),
            Row(lines: [], dropOrder: 7, centred: false),
            Row(lines: clockLines, dropOrder: 0, centred: true),
            // The phase in its own word and colour, told apart from the floor without reading the small print.
            Row(lines: interrupting ? [] : [[Span(look.words.first { DisplayWidth.of($0) <= width }
                                                              ?? look.words.last ?? "", Style(look.role, bold: true))]],
                dropOrder: 0, centred: true, phaseWord: true),
            Row(lines: interrupting ? [] : [status(engine, now: now)], dropOrder: 0, centred: true,
                figuresFollow: true),
            Row(lines: [], dropOrder: 8, centred: false),
            Row(lines: [[]], dropOrder: 4, centred: false,
                bar: Bar(label: "Drill", fraction: engine.drillProgress(at: now), suffix: "")),
            Row(lines: [[]], dropOrder: 3, centred: false,
                bar: Bar(label: "Routine", fraction: engine.routineProgress(at: now), suffix: " \(left) left")),
            Row(lines: engine.nextSegment.map { [[Span("Next: ", Style(.dim)), Span(truncated(describe($0, engine), to: width - 6), Style(.dim))]] } ?? [],
                dropOrder: 6, centred: false),
        ]
        // After a drill of a programme: how it went, one key, for as long as the rest after it lasts.
        if !interrupting, let drill = engine.feedbackQuestion, let status = rows.firstIndex(where: \.figuresFollow) {
            let question = RichWrapper.wrap([Span("How was \(engine.drills[drill].drill.title)?  ",
                                                  Style(.heading, bold: true))] + feedbackChoices(), width: width)
            rows.insert(Row(lines: question, dropOrder: 2, centred: true), at: status + 1)
        }
        // Blank rows stand for one line each; big digits replace the plain clock when they fit.
        func height(_ rows: [Row]) -> Int { rows.reduce(0) { $0 + max($1.lines.count, 1) } }
        let room = footerTop - 1
        // --large: the drill's name in block letters, when everything else still fits with it.
        let lineHeight = max(BigFont.height(scale: BigFont.Scale(columns: 1, rows: 1), pixels: pixels), size.height / 10)
        if large, let big = BigFont.heading(title, width: width, height: room, lineHeight: lineHeight,
                                            minimumLineHeight: BigFont.minimumLineRows,
                                            maximumLines: 1, pixels: pixels) {
            var withBig = rows
            withBig[0].lines = big.lines.map { [Span($0, Style(.heading, bold: true))] }
            if height(withBig) + TimerPanel.minimumDigitRows(pixels) <= room { rows = withBig }
        }
        // Big digits replace the plain clock when they fit, even if the blank rows, the cue and "Next:" have to
        // go for them: the clock is what the patient reads from the mat.
        if let clock, !interrupting, size.width >= 40,
           BigFont.fitting(clock, width: width, height: TimerPanel.minimumDigitRows(pixels), pixels: pixels,
                           condensed: true) != nil {
            var big = rows
            big[3].lines = Array(repeating: [], count: TimerPanel.minimumDigitRows(pixels))
            big[3].digits = true
            while height(big) > room, let drop = big.indices.filter({ big[$0].dropOrder >= 5 })
                .max(by: { big[$0].dropOrder < big[$1].dropOrder }) {
                big.remove(at: drop)
            }
            if height(big) <= room { rows = big }
        }
        while height(rows) > room, let drop = rows.indices.filter({ rows[$0].dropOrder > 0 }).max(by: { rows[$0].dropOrder < rows[$1].dropOrder }) {
            rows.remove(at: drop)
        }
        // The drill's figures (the one on now, or the one coming up during a rest) go under the timer, only in
        // the room left once the timer, the words and the progress have theirs, and not while the patient is
        // asked whether to stop.
        let figures = FigureLayout(interrupting ? [] : drill?.drill.figures ?? [])
        if !figures.isEmpty, figures.rowWidth <= width, height(rows) + figures.rowHeight <= room,
           let anchor = rows.firstIndex(where: \.figuresFollow) {
            var inserted = [Row(lines: figures.row(), dropOrder: 0, centred: true)]
            // A blank row above them, unless the status row before them is blank already.
            let anchorIsBlank = rows[anchor].lines.allSatisfy { $0.allSatisfy { $0.text.isEmpty } }
            if !anchorIsBlank, height(rows) + figures.rowHeight + 1 <= room {
                inserted.insert(Row(lines: [], dropOrder: 0, centred: false), at: 0)
            }
            rows.insert(contentsOf: inserted, at: anchor + 1)
        }
        // The digits grow into the room left over, keeping a blank row above and below the screen's block. The
        // phase's word takes a quarter of that room in big letters first (a blank row between it and the
        // digits), when its smallest letters fit.
        var digits: BigFont.Drawing?
        var word: BigFont.Drawing?
        if let clock, let index = rows.firstIndex(where: \.digits) {
            var spare = max(0, room - height(rows) - 2)
            if let wordIndex = rows.firstIndex(where: \.phaseWord), !rows[wordIndex].lines.isEmpty {
                let budget = (spare + rows[index].lines.count) / 4
                if let drawing = look.drawing(width: width, height: min(budget, spare), pixels: pixels) {
                    word = drawing
                    rows[wordIndex].lines = Array(repeating: [], count: drawing.height)
                    rows.insert(Row(lines: [], dropOrder: 0, centred: false), at: wordIndex)
                    spare -= drawing.height
                }
            }
            // They stop growing at a third of the screen's height (the first scale that reaches it): that reads
            // from the mat, and a second's change of digits costs bytes in proportion to their area, so that
            // on a waiting-room TV (200×60) the routine sends no more than 4× what it does at 80×24.
            let tallest = BigFont.rowsReaching((size.height + 2) / 3, pixels: pixels)
            let box = min(rows[index].lines.count + spare, max(tallest, TimerPanel.minimumDigitRows(pixels)))
            digits = BigFont.fitting(clock, width: width, height: box, pixels: pixels, condensed: true)
            rows[index].lines = Array(repeating: [], count: max(TimerPanel.minimumDigitRows(pixels), digits?.height ?? 0))
        }
        // Bars and "Next:" form one column under the digits, as wide as they are on a wide screen (never
        // narrower than the bars' usual width), and from the left margin on an ordinary one.
        let columnWidth = width <= ReadingColumn.maximumTextWidth ? width : min(width, max(72, digits?.width ?? 0))
        let columnLeft = 1 + (width - columnWidth) / 2
        let barWidth = width <= ReadingColumn.maximumTextWidth ? max(4, min(50, width - 10 - 12)) : columnWidth - 10 - 12
        var row = 1 + max(0, (room - height(rows)) / 2)
        for entry in rows {
            if let bar = entry.bar {
                if row < footerTop {
                    grid.write(progress(bar.label, bar.fraction, width: barWidth, suffix: bar.suffix),
                               column: columnLeft, row: row, limit: size.width - 1)
                }
                row += 1
                continue
            }
            if entry.lines.isEmpty { row += 1; continue }
            if entry.digits, let digits {
                // Centred in its rows, as the session's timer panel draws them.
                let first = row + (entry.lines.count - digits.height) / 2
                for (offset, line) in digits.lines.enumerated() where first + offset < footerTop {
                    grid.writeDrawingLine(line, column: 1 + max(0, (width - digits.width) / 2), row: first + offset,
                               style: digitStyle)
                }
                row += entry.lines.count
                continue
            }
            if entry.phaseWord, let word {
                for (offset, line) in word.lines.enumerated() where row + offset < footerTop {
                    grid.writeDrawingLine(line, column: 1 + max(0, (width - word.width) / 2), row: row + offset,
                               style: Style(look.role, bold: true))
                }
                row += entry.lines.count
                continue
            }
            for line in entry.lines where row < footerTop {
                if entry.centred {
                    centered(&grid, line, row: row, width: width)
                } else {
                    grid.write(line, column: columnLeft, row: row, limit: size.width - 1)
                }
                row += 1
            }
        }
    }

    private static func footer(_ grid: inout Grid, _ engine: RoutineEngine) {
        if engine.showsHurtAdvice {
            Chrome.keys(&grid, row: grid.size.height - 1, hints: [.init(key: "Space", action: "go on"),
                                                                   .init(key: "q", action: "stop")])
            return
        }
        if engine.confirmingStop {
            Chrome.keys(&grid, row: grid.size.height - 1, hints: [.init(key: "y", action: "stop"),
                                                                   .init(key: "n", action: "keep going")])
            return
        }
        var hints: [Chrome.KeyHint] = [
            .init(key: "Space", action: engine.isWaitingForReps ? "done" : engine.isPaused ? "resume" : "pause"),
            .init(key: "→", action: "skip", priority: 1), .init(key: "←", action: "back", priority: 2),
        ]
        if engine.segment.isRest { hints.append(.init(key: "+", action: "15s rest", priority: 3)) }
        if engine.feedbackQuestion != nil { hints.insert(.init(key: "1-4", action: "how was it"), at: 1) }
        hints.append(.init(key: "q", action: "stop"))
        Chrome.keys(&grid, row: grid.size.height - 1, hints: hints)
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
                // The side is read from across the room, so it goes in the big line.
                return (drill.drill.title + (phase.side.map { " · " + $0.title } ?? ""), cue)
            }
        }
    }

    private static func status(_ engine: RoutineEngine, now: Moment) -> StyledLine {
        let segment = engine.segment
        var words: [String] = []
        // The phase itself (and the rep under way) is the large word above; this line adds the set and what
        // the keys do now.
        if case .drillPhase(let phase) = segment.kind, phase.sets > 1 {
            words.append("Set \(phase.set) of \(phase.sets)")
        }
        let state: Span?
        if engine.isPaused {
            // Reverse video: a paused screen looks different from across the room, whatever the colours.
            state = Span(" ❚❚ PAUSED · Space resumes ", Style(.warning, bold: true, reverse: true))
        } else if engine.isWaitingForReps {
            state = Span("Space when done", Style(.timer, bold: true))
        } else {
            state = nil
        }
        let detail = words.isEmpty ? [] : [Span(words.joined(separator: " · "))]
        guard let state else { return detail }
        return detail.isEmpty ? [state] : [state, Span("  ")] + detail
    }

    /// The current segment's word and colour: get ready, the drill's phase, or the rest between drills.
    private static func phaseLook(_ engine: RoutineEngine, now: Moment) -> PhaseLook {
        switch engine.segment.kind {
        case .getReady: return .getReady
        case .restBetween: return .rest
        case .drillPhase(let phase):
            var next: DrillPhase?
            if let following = engine.nextSegment, case .drillPhase(let nextPhase) = following.kind { next = nextPhase }
            return PhaseLook.of(phase, next: next, rep: engine.repNumber(at: now))
        }
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
        let left = size.width >= 50 ? 1 + (width - 40) / 2 : 1
        if let notice {
            lines += [[]] + RichWrapper.wrap([Span(notice, Style(.warning))], width: max(10, size.width - left - 1))
        }
        // Blank lines go first when the screen is short, so the notice is never cut.
        if lines.count > size.height - 2 { lines = lines.filter { !$0.isEmpty } }
        let top = max(1, (size.height - 1 - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < size.height - 1 {
            grid.write(line, column: left, row: top + index, limit: size.width - 1)
        }
        Chrome.keys(&grid, row: size.height - 1, hints: [.init(key: "q", action: "close")])
    }
}
