import SessionGuideContent
import SessionGuideEngine

/// Lays out the therapist's session screen: header, step heading, drill timer, scrolling body, footer, and
/// the overlays (contents, help, quit confirmation) on top.
public enum SessionScreen {
    /// - Parameter large: headings in block letters where they fit (`--large`).
    /// - Parameter pixels: how big digits and letters are drawn (full blocks where only ASCII reaches the screen).
    /// - Parameter sinceLastVisit: what the patient did since the last visit, shown on the first step (the recap)
    ///   for the therapist; empty without a patient.
    public static func render(_ engine: SessionEngine, at now: Moment, size: Size, large: Bool = false,
                              pixels: BigFont.Pixels = .halfBlocks, sinceLastVisit: [String] = []) -> Screen {
        guard Chrome.fits(size) else { return Screen(grid: Chrome.tooSmall(size), maximumScroll: 0, pageSize: 1) }
        var grid = Grid(size: size)
        header(&grid, engine, now: now)

        let hasNextLine = size.height >= 12
        // A note being written takes the line above the keys, even on a screen too short for "Next: …".
        let footerTop = size.height - (hasNextLine || engine.noteEditor != nil ? 2 : 1)
        var top = 1
        let contentLeft = 1
        let contentWidth = size.width - 3  // a margin each side and the scroll bar
        var lines: [StyledLine]
        // The step's text (and its figures beside it) in a centred reading column on a wide screen.
        var column = ReadingColumn(left: contentLeft, width: contentWidth, figures: .omitted)
        if engine.showsSummary {
            grid.write(truncated("Session summary", to: contentWidth), column: contentLeft, row: top,
                       style: Style(.heading, bold: true))
            top += size.height >= 16 ? 2 : 1
            column = ReadingColumn.centred(left: contentLeft, width: contentWidth)
            lines = summaryLines(engine, now: now, width: column.width)
        } else {
            let step = engine.step
            let hasTimer = engine.timer(forStep: engine.currentStep) != nil
            top = drawHeading(step, on: &grid, top: top, bottom: footerTop, left: contentLeft, width: contentWidth,
                              large: large, roomNeededBelow: hasTimer ? TimerPanel.bigHeight + 5 : 4, pixels: pixels)
            if let timer = engine.timer(forStep: engine.currentStep) {
                let bodyRoom = footerTop - top
                // Big digits as soon as they leave a gap and two lines of the step under the panel.
                let big = bodyRoom >= TimerPanel.minimumDigitRows(pixels) + 6 && size.width >= 40
                let panel = TimerPanel(timer: timer, now: now, pixels: pixels)
                // The digits grow into two fifths of the room the panel and the step's text share, so the
                // therapist still reads the step under them.
                let digitRows = big ? panel.digitBox(width: contentWidth, rows: (bodyRoom - 4) * 2 / 5) : nil
                top += panel.draw(&grid, top: top, left: contentLeft, width: contentWidth, digitRows: digitRows)
                top += 1
            }
            column = ReadingColumn.choose(for: FigureLayout(step.drill?.drill.figures ?? []), left: contentLeft,
                                          width: contentWidth, height: size.height)
            lines = stepLines(step, width: column.width, showScripts: engine.showScripts, spacious: large,
                              figures: column.figures, note: engine.notes[engine.currentStep]?.text,
                              goal: engine.currentStep == 0 ? engine.session.goal : nil,
                              goalRows: max(1, (footerTop - top) / 3))
            // The recap: what the patient did since the last visit, first, for the therapist's eyes only.
            if engine.currentStep == 0, !sinceLastVisit.isEmpty, engine.showScripts {
                var report: [StyledLine] = [[Span("Since the last visit", Style(.heading, bold: true))]]
                for line in sinceLastVisit {
                    let indent = line.hasPrefix("  ") ? "    " : "  "
                    report += RichWrapper.wrap([Span(line.trimmingCharacters(in: .whitespaces))], width: column.width,
                                               prefix: [Span(indent)])
                }
                lines = report + [[]] + lines
            }
        }
        let bodyHeight = max(0, footerTop - top)
        let maximum = Chrome.scrolled(&grid, lines: lines, offset: engine.scrollOffset, top: top,
                                      height: bodyHeight, left: column.left, width: column.width)
        var noteFirstVisible: Int?
        if let editor = engine.noteEditor {
            noteFirstVisible = noteEditorLine(&grid, editor, row: size.height - 2)
            Chrome.keys(&grid, row: size.height - 1, hints: [
                .init(key: "Enter", action: "save", priority: 0), .init(key: "Esc", action: "cancel", priority: 0),
                .init(key: "←/→", action: "move", priority: 1), .init(key: "Home/End", action: "start/end", priority: 3),
                .init(key: "Backspace", action: "delete", priority: 2),
            ])
        } else {
            footer(&grid, engine, hasNextLine: hasNextLine)
        }
        if let overlay = engine.overlay {
            draw(overlay, on: &grid, engine: engine, now: now)
        }
        return Screen(grid: grid, maximumScroll: maximum, pageSize: max(1, bodyHeight - 1),
                      noteFirstVisible: noteFirstVisible)
    }

    // MARK: - Header and footer

    /// The step's heading: in block letters when `large` and `roomNeededBelow` rows are left under them, else
    /// "Group › Step" in bold. The letters grow with the screen, each line at most a tenth of its height (and
    /// never less than the smallest letters). Returns the row after it.
    static func drawHeading(_ step: SessionStepModel, on grid: inout Grid, top: Int, bottom: Int, left: Int,
                            width: Int, large: Bool, roomNeededBelow: Int, pixels: BigFont.Pixels) -> Int {
        let lineHeight = max(BigFont.height(scale: BigFont.Scale(columns: 1, rows: 1), pixels: pixels),
                             grid.size.height / 10)
        if large, let big = BigFont.heading(step.title, width: width, height: bottom - top - roomNeededBelow,
                                            lineHeight: lineHeight,
                                            minimumLineHeight: BigFont.minimumLineRows, pixels: pixels) {
            for (offset, line) in big.lines.enumerated() {
                grid.writeDrawingLine(line, column: left, row: top + offset, style: Style(.heading, bold: true))
            }
            return top + big.height + 1
        }
        grid.write(heading(for: step, width: width), column: left, row: top, limit: left + width)
        return top + (grid.size.height >= 16 ? 2 : 1)
    }

    /// "Group › Step", or just the step when both don't fit; cut with "…" rather than mid-word.
    static func heading(for step: SessionStepModel, width: Int) -> StyledLine {
        let title = Span(step.title, Style(.heading, bold: true))
        if let group = step.group {
            let full: StyledLine = [Span(group + " › ", Style(.heading)), title]
            if full.width <= width { return full }
        }
        return [Span(truncated(step.title, to: width), Style(.heading, bold: true))]
    }

    private static func header(_ grid: inout Grid, _ engine: SessionEngine, now: Moment) {
        var right: [String] = []
        if let elsewhere = engine.timerRunningElsewhere {
            let seconds = elsewhere.timer.displayedSeconds(at: now).map(DurationParser.clock) ?? "reps"
            let name = engine.steps[elsewhere.step].drill?.drill.title ?? engine.steps[elsewhere.step].title
            right.append("● \(truncated(name, to: 14)) \(seconds)")
        }
        right.append(engine.showsSummary ? "Summary" : "Step \(engine.currentStep + 1)/\(engine.steps.count)")
        let minutes = Int(engine.elapsed(at: now) / 60_000)
        if let planned = engine.session.plannedSeconds {
            right.append("\(minutes) of \(planned / 60) min")
        } else {
            right.append("\(minutes) min")
        }
        Chrome.bar(&grid, row: 0, left: engine.session.title, right: right.joined(separator: " · "))
    }

    private static func footer(_ grid: inout Grid, _ engine: SessionEngine, hasNextLine: Bool) {
        let height = grid.size.height
        if hasNextLine {
            if engine.showsSummary {
                Chrome.note(&grid, row: height - 2, label: "End of session. ", text: "q quits, ← goes back.")
            } else if let next = engine.nextStep {
                Chrome.note(&grid, row: height - 2, label: "Next: ", text: next.title)
            } else {
                Chrome.note(&grid, row: height - 2, label: "Next: ", text: "session summary")
            }
        }
        var hints: [Chrome.KeyHint] = []
        let isDrill = !engine.showsSummary && engine.step.drill != nil
        if isDrill { hints.append(.init(key: "Space", action: "timer", priority: 0)) }
        if !engine.showsSummary { hints.append(.init(key: "→", action: "next", priority: 0)) }
        hints.append(.init(key: "←", action: "back", priority: engine.showsSummary ? 0 : 1))
        if isDrill {
            hints.append(.init(key: "r", action: "reset", priority: 4))
            hints.append(.init(key: "+/-", action: "15s", priority: 4))
        }
        if !engine.showsSummary { hints.append(.init(key: "w", action: "note", priority: 3)) }
        // The homework step (and the summary) is where the patient's programme is prescribed.
        if engine.showsSummary || engine.step.title.lowercased().contains("homework") {
            hints.append(.init(key: "e", action: "programme", priority: 3))
        }
        hints.append(.init(key: "t", action: "steps", priority: 2))
        // Hidden scripts must stay easy to bring back, so the hint rises in importance while they are hidden.
        hints.append(engine.showScripts ? .init(key: "s", action: "scripts", priority: 3)
            : .init(key: "s", action: "show scripts", priority: 0))
        hints.append(.init(key: "?", action: "help", priority: 1))
        hints.append(.init(key: "q", action: "quit", priority: 0))
        Chrome.keys(&grid, row: height - 1, hints: hints)
    }

    /// The note being written: "Note: " and an underlined field with the cursor in reverse video.
    /// Returns where the field starts in the note, for the engine to keep for the next frame.
    private static func noteEditorLine(_ grid: inout Grid, _ editor: NoteEditor, row: Int) -> Int {
        grid.fill(columns: 0..<grid.size.width, row: row, style: .normal)
        let left = grid.write("Note: ", column: 1, row: row, style: Style(.key, bold: true))
        let width = grid.size.width - 1 - left
        let field = NoteField.window(before: editor.beforeCursor, after: editor.afterCursor,
                                     firstVisible: editor.firstVisible, width: width)
        let fieldStyle = Style(underline: true)
        grid.fill(columns: left..<(left + width), row: row, style: fieldStyle)
        grid.write(field.text, column: left, row: row, style: fieldStyle, limit: left + width)
        let cursor = left + field.cursorColumn
        if cursor < grid.size.width {
            grid[cursor, row].style = Style(bold: true, reverse: true)
            if cursor + 1 < grid.size.width, grid[cursor + 1, row].isContinuation {
                grid[cursor + 1, row].style = Style(bold: true, reverse: true)
            }
        }
        return field.firstVisible
    }

    // MARK: - Body

    /// The body of a step: the session's goal on its first step, then its note (the therapist's own words), then
    /// its drill (with its figures where they fit) and its text. The goal and the note are written for the
    /// therapist ("Explain how…"), so both are hidden with the scripts when the screen is turned toward the patient.
    /// The goal takes at most `goalRows` lines, the last cut with "…" when it needs more.
    static func stepLines(_ step: SessionStepModel, width: Int, showScripts: Bool, spacious: Bool = false,
                          figures: FigurePlacement = .omitted, note: String? = nil,
                          goal: String? = nil, goalRows: Int = .max) -> [StyledLine] {
        let layout = BlockLayout(width: width, showScripts: showScripts, spacious: spacious)
        var lines: [StyledLine] = []
        if let drill = step.drill {
            lines += [[Span(drill.drill.title, Style(.heading, bold: true))]]
            lines += DrillTextLayout(width: width).lines(for: drill, figures: figures)
        }
        let otherBlocks = step.blocks.filter { $0.drillReference == nil }
        if !otherBlocks.isEmpty {
            if !lines.isEmpty { lines.append([]) }
            lines += layout.lines(for: otherBlocks)
        }
        if let note, showScripts {
            let noteLines = RichWrapper.wrap([Span(note)], width: width,
                                             firstPrefix: [Span("Note: ", Style(.key, bold: true))],
                                             prefix: [Span("      ")])
            lines = noteLines + (lines.first?.isEmpty == false ? [[]] : []) + lines
        }
        if let goal, showScripts, !goal.isEmpty {
            // At most a third of the body, so that on a small screen the step itself still starts in view.
            var goalLines = goalLines(goal, width: width)
            if goalLines.count > goalRows {
                goalLines = Array(goalLines.prefix(goalRows))
                goalLines[goalRows - 1] = withEllipsis(goalLines[goalRows - 1], width: width)
            }
            lines = goalLines + (lines.first?.isEmpty == false ? [[]] : []) + lines
        }
        return lines
    }

    /// "Goal: …" wrapped to `width`, the label in the heading style.
    static func goalLines(_ goal: String, width: Int) -> [StyledLine] {
        RichWrapper.wrap([Span(goal)], width: width, firstPrefix: [Span("Goal: ", Style(.heading, bold: true))],
                         prefix: [Span("      ")])
    }

    private static func summaryLines(_ engine: SessionEngine, now: Moment, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        let minutes = Int(engine.elapsed(at: now) / 60_000)
        var total = "Time so far: \(minutes) min"
        if let planned = engine.session.plannedSeconds { total += " (planned \(planned / 60) min)" }
        lines.append([Span(total)])
        let drills = engine.drillSteps
        let done = engine.completedDrills.count
        lines.append([Span("Drills completed: \(done) of \(drills.count)")])
        lines += [[], [Span("Time on each step", Style(.heading))]]
        for (index, milliseconds) in engine.timeOnSteps(at: now).enumerated() {
            let clock = DurationParser.clock(Int(milliseconds / 1000))
            let mark = engine.completedDrills.contains(index) ? " ✓" : ""
            let padded = String(repeating: " ", count: max(0, 6 - clock.count)) + clock + "  "
            lines += RichWrapper.wrap([Span(engine.steps[index].title + mark)], width: width,
                                      firstPrefix: [Span(padded, Style(.dim))],
                                      prefix: [Span(String(repeating: " ", count: padded.count))])
        }
        let notes = engine.notes.sorted { $0.key < $1.key }
        if !notes.isEmpty, engine.showScripts {
            lines += [[], [Span("Notes", Style(.heading))]]
            for (index, note) in notes {
                lines += RichWrapper.wrap([Span("\(index + 1). \(engine.steps[index].title): ", Style(.dim)), Span(note.text)],
                                          width: width, prefix: [Span("   ")])
            }
        }
        if let homework = engine.steps.last(where: { $0.title.lowercased().contains("homework") })
            ?? engine.steps.last
        {
            lines += [[], [Span(homework.title, Style(.heading))]]
            lines += BlockLayout(width: width, showScripts: false).lines(for: homework.blocks)
        }
        return lines
    }

    // MARK: - Overlays

    /// The table of contents: the session's goal under its title, then every step, under its group's name, with
    /// the current step, running and finished timers marked, and arrows when there is more above or below.
    private static func contents(on grid: inout Grid, engine: SessionEngine, selection: Int) {
        enum Row { case group(String), step(Int) }
        var rows: [Row] = []
        var lastGroup: String?
        for (index, step) in engine.steps.enumerated() {
            if let group = step.group, group != lastGroup { rows.append(.group(group)) }
            lastGroup = step.group
            rows.append(.step(index))
        }
        let longest = engine.steps.map { DisplayWidth.of($0.title) + ($0.group == nil ? 0 : 2) }.max() ?? 20
        let boxWidth = max(40, longest + 12)
        // The steps, a blank line and the keys want rows.count + 2 rows inside the box. The goal takes what is
        // left over (and a gap line); when the steps have to scroll anyway it keeps one line, cut with "…", on
        // a box with room for it and at least three steps.
        let innerWidth = Chrome.boxInnerWidth(grid, width: boxWidth)
        let roomInside = max(0, grid.size.height - 4)
        let goal = engine.showScripts ? engine.session.goal.flatMap { $0.isEmpty ? nil : goalLines($0, width: innerWidth) } ?? [] : []
        var goalShown = min(goal.count, max(0, roomInside - (rows.count + 2) - 1))
        if goalShown == 0, !goal.isEmpty, roomInside >= 6 { goalShown = 1 }
        let goalRows = goalShown == 0 ? 0 : goalShown + 1
        let inner = Chrome.box(&grid, title: "Contents", width: boxWidth, height: rows.count + 4 + goalRows)
        for index in 0..<goalShown {
            var line = goal[index]
            if index == goalShown - 1, goalShown < goal.count { line = withEllipsis(line, width: inner.width) }
            grid.write(line, column: inner.left, row: inner.top + index, limit: inner.left + inner.width)
        }
        let listTop = inner.top + goalRows
        let visible = max(1, inner.height - goalRows - 1)
        let selectedRow = rows.firstIndex { if case .step(selection) = $0 { true } else { false } } ?? 0
        let first = min(max(0, selectedRow - visible / 2), max(0, rows.count - visible))
        for offset in 0..<visible where first + offset < rows.count {
            let y = listTop + offset
            switch rows[first + offset] {
            case .group(let group):
                grid.write(truncated("   " + group, to: inner.width), column: inner.left, row: y, style: Style(.dim))
            case .step(let index):
                let step = engine.steps[index]
                var marker = index == engine.currentStep && !engine.showsSummary ? "▸" : " "
                if let timer = engine.timers[index] {
                    marker = timer.isFinished ? "✓" : timer.isRunning ? "●" : marker
                }
                let text = "\(marker) \(index + 1). \(step.group == nil ? "" : "  ")\(step.title)"
                let style = index == selection ? Style(.selected) : .normal
                if index == selection {
                    grid.fill(columns: inner.left..<(inner.left + inner.width), row: y, style: style)
                }
                grid.write(truncated(text, to: inner.width - 1), column: inner.left, row: y, style: style)
            }
        }
        if first > 0 { grid.write("↑", column: inner.left + inner.width - 1, row: listTop, style: Style(.key)) }
        if first + visible < rows.count {
            grid.write("↓", column: inner.left + inner.width - 1, row: listTop + visible - 1, style: Style(.key))
        }
        let keys = "↑↓ choose · Enter go · Esc close"
        grid.write(truncated(DisplayWidth.of(keys) <= inner.width ? keys : "Enter go · Esc close", to: inner.width),
                   column: inner.left,
                   row: inner.top + inner.height - 1, style: Style(.dim))
    }

    /// `line` ending in "…" within `width`, to say that more of it was left out: whole words are dropped from
    /// its end until the mark fits (characters only when a single word is left).
    static func withEllipsis(_ line: StyledLine, width: Int) -> StyledLine {
        var cells = line.flatMap { span in span.text.map { (character: $0, style: span.style) } }
        let used = { cells.reduce(0) { $0 + DisplayWidth.of($1.character) } }
        while !cells.isEmpty, used() + 1 > width {
            // Back to the space before the last word, or one character when no space is left.
            if let space = cells.lastIndex(where: { $0.character == " " }), space > 0 {
                cells.removeSubrange(space...)
            } else {
                cells.removeLast()
            }
        }
        while cells.last?.character == " " { cells.removeLast() }
        var spans: StyledLine = []
        for cell in cells {
            if spans.last?.style == cell.style { spans[spans.count - 1].text.append(cell.character) }
            else { spans.append(Span(String(cell.character), cell.style)) }
        }
        return spans + [Span("…", spans.last?.style ?? .normal)]
    }

    private static func draw(_ overlay: SessionEngine.Overlay, on grid: inout Grid, engine: SessionEngine,
                             now: Moment) {
        switch overlay {
        case .help:
            // Most important first: a short window shows what matters and says how many keys it left out.
            let keys: [(String, String)] = [
                ("→ l n Enter", "next step"), ("← h p", "previous step"), ("Space", "start / pause the drill timer"),
                ("q", "quit"), ("w", "write / edit a note"), ("s", "show / hide scripts and notes"),
                ("t Tab", "table of contents"), ("e", "prescribe the patient's programme"),
                ("r", "reset the timer"), ("+ / -", "add / take 15 seconds"), ("↑ ↓ PgUp PgDn", "scroll"),
                ("?", "this help"),
            ]
            let inner = Chrome.box(&grid, title: "Keys", width: 52, height: keys.count + 4)
            let shown = keys.count <= inner.height - 1 ? keys.count : max(0, inner.height - 2)
            if shown < keys.count {
                grid.write(truncated("+\(keys.count - shown) more in a taller window", to: inner.width),
                           column: inner.left, row: inner.top + shown, style: Style(.dim))
            }
            for (index, key) in keys.enumerated() where index < shown {
                let x = grid.write(key.0, column: inner.left, row: inner.top + index, style: Style(.key),
                                   limit: inner.left + inner.width)
                grid.write(truncated(key.1, to: max(0, inner.left + inner.width - max(x + 1, inner.left + 15))),
                           column: max(x + 1, inner.left + 15), row: inner.top + index,
                           limit: inner.left + inner.width)
            }
            grid.write(truncated("Any key closes this.", to: inner.width), column: inner.left,
                       row: inner.top + inner.height - 1, style: Style(.dim))
        case .contents(let selection):
            contents(on: &grid, engine: engine, selection: selection)
        case .confirmQuit:
            // The timer itself is hidden under the box, so the box says which one runs and how long it has left.
            let running = engine.timers.filter { $0.value.isRunning }.sorted { $0.key < $1.key }
            let width = Chrome.boxInnerWidth(grid, width: 40)
            let message = running.count > 1 ? "\(running.count) drill timers are still running."
                : "A drill timer is still running."
            var lines = RichWrapper.wrap([Span(message, Style(.warning))], width: width)
            if let (step, timer) = running.first {
                let name = engine.steps[step].drill?.drill.title ?? engine.steps[step].title
                let time = timer.displayedSeconds(at: now).map(DurationParser.clock) ?? "reps"
                lines.append([Span("● ", Style(.timer)), Span(truncated(name, to: max(1, width - 2 - time.count - 1))),
                              Span(" " + time, Style(.timer, bold: true))])
            }
            // The keys' line is kept; on a short screen the timer's line goes, then the message is cut.
            let room = max(1, grid.size.height - 4)
            if lines.count + 1 > room, lines.count > 1, !running.isEmpty { lines.removeLast() }
            if lines.count + 1 > room { lines = Array(lines.prefix(max(0, room - 1))) }
            let gap = lines.count + 2 <= room ? 1 : 0
            let inner = Chrome.box(&grid, title: "Quit?", width: 40, height: lines.count + gap + 3)
            for (index, line) in lines.enumerated() {
                grid.write(line, column: inner.left, row: inner.top + index, limit: inner.left + inner.width)
            }
            let x = grid.write("y", column: inner.left, row: inner.top + inner.height - 1, style: Style(.key))
            let y = grid.write(" quit   ", column: x, row: inner.top + inner.height - 1, limit: inner.left + inner.width)
            let z = grid.write("n", column: y, row: inner.top + inner.height - 1, style: Style(.key),
                               limit: inner.left + inner.width)
            grid.write(" keep going", column: z, row: inner.top + inner.height - 1, limit: inner.left + inner.width)
        }
    }
}
