import SessionGuideContent
import SessionGuideEngine

/// Lays out the patient-facing second screen (`follow NAME`): the step the therapist shows, in large print, with
/// the drill timer in big digits. Never a therapist script: those are not even sent.
public enum FollowScreen {
    /// - Parameter pixels: how big digits and letters are drawn (full blocks where only ASCII reaches the screen).
    public static func render(_ follower: FollowerEngine, at now: Moment, size: Size,
                              pixels: BigFont.Pixels = .halfBlocks) -> Screen {
        guard Chrome.fits(size) else { return Screen(grid: Chrome.tooSmall(size), maximumScroll: 0, pageSize: 1) }
        var grid = Grid(size: size)
        let state = follower.state(at: now)
        let right = state.map { $0.showsSummary ? "Done" : "Step \($0.stepIndex + 1) of \($0.stepCount)" } ?? ""
        Chrome.bar(&grid, row: 0, left: state?.sessionTitle ?? "session-guide", right: right)

        let footerTop = size.height - 1
        var hints: [Chrome.KeyHint] = []
        var maximum = 0
        var pageSize = 1
        if let state {
            let contentLeft = 1
            let contentWidth = size.width - 3
            var top = 1
            let lines: [StyledLine]
            var column = ReadingColumn(left: contentLeft, width: contentWidth, figures: .omitted)
            if state.showsSummary {
                // Two lines of letters where one doesn't fit: it was in letters at 80×24 in the narrower font.
                top = centeredHeading("Session complete", &grid, top: top, bottom: footerTop, width: contentWidth,
                                      maximumLines: 2, pixels: pixels)
                lines = RichWrapper.wrap([Span("Well done. Your therapist will go over what comes next.")],
                                         width: contentWidth)
            } else {
                let step = state.step
                // Block letters whenever they leave room for the big timer and three lines of the step.
                top = SessionScreen.drawHeading(step, on: &grid, top: top, bottom: footerTop, left: contentLeft,
                                                width: contentWidth, large: true,
                                                roomNeededBelow: state.timer == nil ? 4 : TimerPanel.bigHeight + 6,
                                                pixels: pixels)
                if let timer = state.timer {
                    let room = footerTop - top
                    let big = room >= TimerPanel.minimumDigitRows(pixels) + 5 && size.width >= 40
                    // The patient's keys don't run the timer, so its words name none. The digits are what the
                    // patient reads from the mat: they grow into the room below the heading, keeping 14 rows
                    // (the status, the bar and ten lines of the step) and at least two fifths of it for the rest.
                    let panel = TimerPanel(timer: timer, now: now, namesKeys: false, pixels: pixels)
                    let digitRows = big ? panel.digitBox(width: contentWidth, rows: min(room - 14, room * 3 / 5))
                        : nil
                    top += panel.draw(&grid, top: top, left: contentLeft, width: contentWidth, digitRows: digitRows)
                    top += 1
                }
                // The patient sees the movement: the drill's figures wherever they fit, beside the text in a
                // centred reading column on a wide screen.
                column = ReadingColumn.choose(for: FigureLayout(step.drill?.drill.figures ?? []), left: contentLeft,
                                              width: contentWidth, height: size.height)
                lines = SessionScreen.stepLines(step, width: column.width, showScripts: false, spacious: true,
                                                figures: column.figures)
            }
            let height = max(0, footerTop - top)
            maximum = Chrome.scrolled(&grid, lines: lines, offset: follower.scrollOffset, top: top, height: height,
                                      left: column.left, width: column.width)
            pageSize = max(1, height - 1)
            if maximum > 0 { hints.append(.init(key: "↑↓", action: "scroll", priority: 1)) }
        } else {
            let (title, detail): (String, String) = switch follower.status {
            case .ended: ("The session has ended", "Waiting for the next session shared as '\(follower.name)'…")
            case .connected: ("Connected", "The session will show here as soon as the therapist opens it.")
            default: ("Waiting for the session", "It shows here once the therapist starts it with --share \(follower.name).")
            }
            var row = max(1, (footerTop - 4) / 2)
            row = centeredHeading(title, &grid, top: row, bottom: footerTop, width: size.width - 2, pixels: pixels)
            for line in TextWrapper.wrap(detail, width: size.width - 4) where row < footerTop {
                grid.write(line, column: max(1, (size.width - DisplayWidth.of(line)) / 2), row: row)
                row += 1
            }
        }
        if let problem = follower.problem, footerTop - 1 > 1 {
            grid.write(truncated("⚠ " + problem, to: size.width - 2), column: 1, row: footerTop - 1,
                       style: Style(.warning))
        }
        hints.insert(.init(key: "Following", action: "'\(follower.name)'", priority: 2), at: 0)
        hints.append(.init(key: "q", action: "stop following", priority: 0))
        Chrome.keys(&grid, row: footerTop, hints: hints)
        return Screen(grid: grid, maximumScroll: maximum, pageSize: pageSize)
    }

    /// A heading in block letters when it fits in `maximumLines` lines of them (each a tenth of the screen's
    /// height at most), else in bold; returns the row after it.
    private static func centeredHeading(_ text: String, _ grid: inout Grid, top: Int, bottom: Int, width: Int,
                                        maximumLines: Int = 1, pixels: BigFont.Pixels) -> Int {
        let lineHeight = max(BigFont.height(scale: BigFont.Scale(columns: 1, rows: 1), pixels: pixels),
                             grid.size.height / 10)
        if let big = BigFont.heading(text, width: width, height: bottom - top - 3, lineHeight: lineHeight,
                                            minimumLineHeight: BigFont.minimumLineRows,
                                     maximumLines: maximumLines, centred: true, pixels: pixels) {
            for (offset, line) in big.lines.enumerated() {
                grid.writeDrawingLine(line, column: 1 + max(0, (width - big.width) / 2), row: top + offset,
                           style: Style(.heading, bold: true))
            }
            return top + big.height + 1
        }
        let shown = truncated(text, to: width)
        grid.write(shown, column: 1 + max(0, (width - DisplayWidth.of(shown)) / 2), row: top,
                   style: Style(.heading, bold: true))
        return top + 2
    }
}
