import SessionGuideContent
import SessionGuideEngine

/// The waiting-room screen: one slide, large and centred, with the deck's title, a clock and a row of progress
/// dots. It draws slides and nothing else: no keys, no errors, no therapist text.
public enum KioskScreen {
    /// - Parameter large: slide headings in block letters where they fit (`--large`).
    /// - Parameter pixels: how block letters are drawn (full blocks where only ASCII reaches the screen).
    public static func render(_ engine: KioskEngine, at now: Moment, wall: WallTime, size: Size,
                              large: Bool = false, pixels: BigFont.Pixels = .halfBlocks) -> Grid {
        var grid = Grid(size: size)
        guard size.width >= 20, size.height >= 6 else { return grid }  // too small to say anything useful
        if engine.isBlank(at: now, wall: wall) { return grid }
        let (shiftX, shiftY) = engine.shift(at: now)

        guard let slide = engine.slide else {
            fallback(&grid, title: engine.deck.title)
            grid.write(wall.clock, column: size.width - 6 - shiftX, row: 0, style: Style(.dim))
            return grid
        }
        // The top line: the deck's title and the time, quietly.
        grid.write(truncated(engine.deck.title, to: size.width - 10), column: 1 + shiftX, row: 0, style: Style(.dim))
        grid.write(wall.clock, column: size.width - 6 - shiftX, row: 0, style: Style(.dim))

        let roomy = size.width >= 100 && size.height >= 30
        let textWidth = min(size.width - 6, roomy ? 90 : 72)
        let available = size.height - 5  // the top line and a gap above; a gap, the dots and a margin below
        var lines = slideLines(slide, width: textWidth, available: available, large: roomy)
        // --large (a kiosk's default): the headline in block letters across the whole width, as large as leaves
        // room for the slide's text (each line at most a quarter of the rows), on one line if it can, else two.
        var headline: BigFont.Drawing?
        if large {
            let body = BlockLayout(width: textWidth, showScripts: false).lines(for: slide.blocks)
            let lineHeight = max(BigFont.height(scale: BigFont.Scale(columns: 1, rows: 1), pixels: pixels),
                                 available / 4)
            // One line across the width before two lines of larger letters.
            let heading = { (lines: Int) in
                BigFont.heading(slide.title.plainText, width: size.width - 6, height: available - 1 - body.count,
                                lineHeight: lineHeight, maximumLines: lines, centred: true, pixels: pixels)
            }
            if let big = heading(1) ?? heading(2) {
                headline = big
                lines = Array(repeating: [], count: big.height) + [[]] + body
            }
        }
        let left = (size.width - textWidth) / 2 + shiftX
        // The burn-in shift moves the slide down only when that costs no line.
        let top = 2 + max(0, (available - lines.count) / 2) + (lines.count < available ? shiftY : 0)
        for (index, line) in lines.enumerated() {
            grid.write(line, column: left, row: top + index, limit: left + textWidth)
        }
        if let headline {
            let headlineLeft = (size.width - headline.width) / 2 + shiftX
            for (index, line) in headline.lines.enumerated() {
                grid.write(line, column: headlineLeft, row: top + index, style: Style(.heading, bold: true))
            }
        }

        // Progress dots: which slide of how many, without words; they move with the slide.
        let count = engine.deck.slides.count
        var dots: StyledLine = []
        for index in 0..<count {
            dots.append(Span(index == engine.slideIndex ? "●" : "○", Style(index == engine.slideIndex ? .heading : .dim)))
            if index < count - 1 { dots.append(Span(" ")) }
        }
        if dots.width > size.width - 4 {
            dots = [Span("\(engine.slideIndex + 1) / \(count)", Style(.dim))]
        }
        grid.write(dots, column: (size.width - dots.width) / 2 + shiftX, row: size.height - 2)
        return grid
    }

    /// A slide's heading, rule and text, fitted to `available` rows: spacing goes first, and text that still
    /// doesn't fit ends in "…" rather than stopping without a sign. On a large screen the text gets a blank line
    /// between lines, to be read from across the room.
    static func slideLines(_ slide: Slide, width: Int, available: Int, large: Bool) -> [StyledLine] {
        let headingSpans = RichWrapper.spans(of: slide.title, base: Style(.heading, bold: true))
        let heading = RichWrapper.wrap(headingSpans, width: width).map { centred($0, width: width) }
        let rule = centred([Span(String(repeating: "─", count: min(width, max(8, heading.map(\.width).max() ?? 8))),
                                 Style(.heading))], width: width)
        let body = BlockLayout(width: width, showScripts: false).lines(for: slide.blocks)
        let airy = Array(body.flatMap { $0.isEmpty ? [$0] : [$0, []] }.dropLast())
        let candidates: [[StyledLine]] = (large ? [heading + [rule, []] + airy] : []) + [
            heading + [rule, []] + body,
            heading + [[]] + body,
            heading + body,
        ]
        if let fitting = candidates.first(where: { $0.count <= available }) { return fitting }
        var cut = Array(candidates.last!.prefix(max(1, available)))
        if let last = cut.last {
            let text = last.map(\.text).joined()
            cut[cut.count - 1] = [Span(truncated(text + " …", to: width), last.first?.style ?? .normal)]
        }
        return cut
    }

    /// The plain slide shown when there is no usable deck: just a title (the deck's, or the clinic's name).
    public static func fallback(_ grid: inout Grid, title: String) {
        let text = truncated(title, to: grid.size.width - 4)
        grid.write(text, column: (grid.size.width - DisplayWidth.of(text)) / 2, row: grid.size.height / 2,
                   style: Style(.heading, bold: true))
    }

    private static func centred(_ line: StyledLine, width: Int) -> StyledLine {
        let padding = max(0, (width - line.width) / 2)
        return padding > 0 ? [Span(String(repeating: " ", count: padding))] + line : line
    }
}
