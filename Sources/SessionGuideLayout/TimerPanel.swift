import SessionGuideContent
import SessionGuideEngine

/// The countdown of a drill step: large digits when there is room, plain ones when not, the state in words
/// (so it never rests on colour), the set and side, a progress bar and what comes next.
struct TimerPanel {
    var timer: DrillTimer
    var now: Moment
    /// Whether the state words name the key that changes it ("Space starts"): not on a follower's screen,
    /// where Space does nothing to the timer.
    var namesKeys = true

    /// How big digits are drawn: half blocks, or full ones where only ASCII reaches the terminal.
    var pixels: BigFont.Pixels = .halfBlocks

    /// Rows the panel takes in each form: big digits get at least `minimumDigitRows` (the smallest big digits,
    /// padded to the rows the older 3×5 digits took, so that a screen keeps its shape), plus the status, the
    /// bar and what comes next.
    static let minimumDigitRows = BigFont.minimumLineRows
    static let bigHeight = minimumDigitRows + 3
    static let compactHeight = 3

    /// The rows big digits take at the least: 5, or 7 in full blocks (ASCII), where a pixel is a whole cell.
    static func minimumDigitRows(_ pixels: BigFont.Pixels) -> Int {
        max(minimumDigitRows, BigFont.height(scale: BigFont.Scale(columns: 1, rows: 1), pixels: pixels))
    }

    /// The rows the big digits get: as many as fit in `rows` (`width` across), at least the smallest's.
    func digitBox(width: Int, rows: Int) -> Int {
        let minimum = Self.minimumDigitRows(pixels)
        return max(minimum, digitRows(width: width, rows: max(minimum, rows)))
    }

    /// Rows of big digits that fit in `width` × `rows` (0 when none do), for callers that size the panel.
    func digitRows(width: Int, rows: Int) -> Int {
        guard let clock else { return 0 }
        return BigFont.fittingScales(clock, width: width, height: rows, pixels: pixels, condensed: true).first
            .map { BigFont.height(scale: $0, pixels: pixels) } ?? 0
    }

    /// Draws the panel at `top` and returns the rows used. With `digitRows` (at least `minimumDigitRows`) the
    /// clock is drawn in big digits, as large as fit in `width` × `digitRows`, centred in those rows; without,
    /// it is one plain line.
    func draw(_ grid: inout Grid, top: Int, left: Int, width: Int, digitRows: Int?) -> Int {
        var row = top
        let clockText = clock
        // The bar and "Then:" line up with what is above them: under big digits, a column as wide as the
        // digits (and their word), centred; else the panel's left edge.
        var column = (left: left, width: width, widestBar: Self.usualBarWidth)
        if let digitRows, let clockText, let (digits, word) = bigDigitsAndWord(clockText, width: width, rows: digitRows) {
            let gap = Self.wordGap(digits)
            let pairWidth = digits.width + (word.map { gap + $0.width } ?? 0)
            let x = left + max(0, (width - pairWidth) / 2)
            let digitsTop = row + (digitRows - digits.height) / 2
            for (offset, line) in digits.lines.enumerated() {
                grid.writeDrawingLine(line, column: x, row: digitsTop + offset, style: Style(digitStyle))
            }
            if let word {
                let wordTop = digitsTop + (digits.height - word.height) / 2
                for (offset, line) in word.lines.enumerated() {
                    grid.writeDrawingLine(line, column: x + digits.width + gap, row: wordTop + offset,
                               style: Style(look.role, bold: true))
                }
            }
            row += digitRows
            let columnWidth = min(width, max(Self.usualBarWidth + 12, pairWidth))
            column = (left + (width - columnWidth) / 2, columnWidth, columnWidth)
            let status = statusLine
            grid.write(status, column: left + max(0, (width - status.width) / 2), row: row, limit: left + width)
            row += 1
        } else {
            grid.write(compactLine(clock: clockText, width: width), column: left, row: row, limit: left + width)
            row += 1
        }
        grid.write(progressLine(width: column.width, widestBar: column.widestBar), column: column.left, row: row,
                   limit: column.left + column.width)
        row += 1
        // What follows inside this drill; the footer names the next step, so "Then" keeps the two apart.
        if let nextPhase {
            grid.write([Span("Then: ", Style(.dim)),
                        Span(truncated(nextPhase, to: max(0, column.width - 6)), Style(.dim))],
                       column: column.left, row: row, limit: column.left + column.width)
            row += 1
        }
        return row - top
    }

    /// Cells between the digits and the phase's word beside them: three of the digits' pixels at least, wider
    /// than a space in the font, so the two read as two things (and `BigFont.find` reads them apart).
    static func wordGap(_ digits: BigFont.Drawing) -> Int { wordGap(columns: digits.scale.columns) }
    static func wordGap(columns: Int) -> Int { max(6, 3 * columns) }

    /// The digits, as large as fit in `width` × `rows`, and the phase's word beside them in letters from the
    /// smallest size up to half the digits' height. When the word doesn't fit beside the largest digits, the
    /// digits shrink a size at a time until it does (never below the smallest); when it never fits, the
    /// largest digits alone (the status line names the phase).
    private func bigDigitsAndWord(_ clock: String, width: Int, rows: Int) -> (BigFont.Drawing, BigFont.Drawing?)? {
        let scales = BigFont.fittingScales(clock, width: width, height: rows, pixels: pixels, condensed: true)
        guard let largest = scales.first else { return nil }
        let smallestWord = BigFont.height(scale: BigFont.Scale(columns: 1, rows: 1), pixels: pixels)
        for scale in scales {
            // Measured, not drawn, until a size is chosen: layout runs every frame.
            let (digitsWidth, digitsHeight) = (BigFont.width(of: clock, scale: scale),
                                               BigFont.height(scale: scale, pixels: pixels))
            let wordHeight = min(digitsHeight, max(smallestWord, digitsHeight / 2))
            let wordWidth = width - digitsWidth - Self.wordGap(columns: scale.columns)
            if let word = look.drawing(width: wordWidth, height: wordHeight, pixels: pixels) {
                return (BigFont.render(clock, scale: scale, pixels: pixels), word)
            }
        }
        return (BigFont.render(clock, scale: largest, pixels: pixels), nil)
    }

    /// The clock and status on one line, dropping the least useful words first so it always fits.
    private func compactLine(clock: String?, width: Int) -> StyledLine {
        let clockSpan = clock.map { [Span($0 + "  ", Style(digitStyle))] } ?? []
        let candidates: [StyledLine] = [
            clockSpan + statusLine,
            clockSpan + [shortState] + whereSpan,
            clockSpan + [shortState],
            clockSpan,
        ]
        if let fitting = candidates.first(where: { $0.width <= width }) { return fitting }
        return [Span(truncated(candidates.last!.map(\.text).joined(), to: width), Style(digitStyle, bold: true))]
    }

    /// m:ss of the current phase, or nil for reps the person counts.
    private var clock: String? {
        guard let seconds = timer.displayedSeconds(at: now) else { return nil }
        return DurationParser.clock(seconds)
    }

    /// The digits take the phase's colour (red in its last seconds), paused ones the warning colour under the
    /// reverse-video PAUSED. Within a phase a running second changes only the digits' cells, with no
    /// attribute change (docs/benchmarks.md).
    private var digitStyle: StyleRole {
        switch timer.state {
        case .finished: .done
        case .paused: .warning
        case .running: look.digitRole(remaining: timer.remaining(at: now))
        default: look.role
        }
    }

    /// The phase as a word and a colour of its own: GET READY before the start, then WORK, HOLD, the rep
    /// under way, REST, SWITCH SIDES → side, and DONE.
    var look: PhaseLook {
        switch timer.state {
        case .ready: return .getReady
        case .finished: return PhaseLook(words: ["DONE"], role: .done)
        default:
            let next = timer.phaseIndex + 1 < timer.phases.count ? timer.phases[timer.phaseIndex + 1] : nil
            return PhaseLook.of(timer.currentPhase, next: next, rep: timer.repNumber(at: now))
        }
    }

    /// The state in one or two words, for narrow screens.
    private var shortState: Span {
        switch timer.state {
        case .ready: Span("READY", Style(.warning, bold: true))
        case .running: Span("▶", Style(.timer, bold: true))
        case .paused: Span("❚❚ PAUSED", Style(.warning, bold: true, reverse: true))
        case .waitingForReps: Span(namesKeys ? "Space: done" : "Do the reps", Style(.timer, bold: true))
        case .finished: Span("✓ DONE", Style(.done, bold: true))
        }
    }

    private var whereSpan: [Span] {
        timer.isFinished ? [] : [Span("  " + whereWords.joined(separator: " · "))]
    }

    private var statusLine: StyledLine {
        let state: Span
        switch timer.state {
        case .ready: state = Span(namesKeys ? "READY · Space starts" : "READY", Style(.warning, bold: true))
        case .running: state = Span("▶ RUNNING", Style(.timer, bold: true))
        // Reverse video, as in a routine: a paused timer looks different from across the room, whatever the colours.
        case .paused:
            state = Span(namesKeys ? "❚❚ PAUSED · Space resumes" : "❚❚ PAUSED", Style(.warning, bold: true, reverse: true))
        case .waitingForReps:
            state = Span(namesKeys ? "Do the reps · Space when done" : "Do the reps", Style(.timer, bold: true))
        case .finished: return [Span("✓ DONE · drill complete", Style(.done, bold: true))]
        }
        return [state] + whereSpan
    }

    /// Set, side and phase (or the rep under way): "Set 1 of 2 · Left side · Hold".
    private var whereWords: [String] {
        let phase = timer.currentPhase
        var where_: [String] = []
        if phase.sets > 1 { where_.append("Set \(phase.set) of \(phase.sets)") }
        if let side = phase.side { where_.append(side.title) }
        if let rep = timer.repUnderWay(at: now) {
            where_.append(rep)  // the timer counts the reps out: which one is under way, over the adjusted length
        } else {
            where_.append(phase.title)
        }
        return where_
    }

    /// The bar's width where nothing above sets it: as wide as the smallest big digits and their word.
    static let usualBarWidth = 40

    private func progressLine(width: Int, widestBar: Int) -> StyledLine {
        // A one-phase drill's clock already says what is left, so the bar names the whole length instead of
        // repeating the clock: one less number to read, and one less to send to the terminal every second. The
        // length is the adjusted one, as the fill and the clock are (DrillTimer.phaseLength).
        let label: String
        if timer.phases.count == 1, let total = timer.phaseLength {
            label = " of \(DurationParser.clock(Int((total + 999) / 1000)))"
        } else {
            label = " \(DurationParser.clock(Int((timer.totalRemaining(at: now) + 999) / 1000))) left"
        }
        let barWidth = max(4, min(widestBar, width - DisplayWidth.of(label) - 2))
        let filled = Int((timer.progress(at: now) * Double(barWidth)).rounded(.down))
        return [Span("[", Style(.dim)), Span(String(repeating: "█", count: filled), Style(.timer)),
                Span(String(repeating: "░", count: barWidth - filled), Style(.dim)), Span("]", Style(.dim)),
                Span(label)]
    }

    /// The phase after this one, or nil when this is the drill's last.
    private var nextPhase: String? {
        guard !timer.isFinished else { return nil }
        let index = timer.phaseIndex + 1
        guard index < timer.phases.count else { return nil }
        let phase = timer.phases[index]
        var parts: [String] = []
        if phase.isEffort, phase.sets > 1, phase.set != timer.currentPhase.set { parts.append("Set \(phase.set)") }
        if let side = phase.side { parts.append(side.title) }
        parts.append(phase.title)
        if let seconds = phase.seconds { parts.append(DurationParser.describe(seconds)) }
        return parts.joined(separator: " · ")
    }
}
