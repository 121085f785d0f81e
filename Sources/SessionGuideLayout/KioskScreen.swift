import SessionGuideContent
import SessionGuideEngine

/// The waiting-room screen: one slide, large and centred, with the deck's title, a clock and a row of progress
/// dots. It draws slides and nothing else: no keys, no errors, no therapist text.
public enum KioskScreen {
    public static func render(_ engine: KioskEngine, at now: Moment, wall: WallTime, size: Size) -> Grid {
        var grid = Grid(size: size)
        guard size.width >= 20, size.height >= 6 else { return grid }  // too small to say anything useful
        if engine.isBlank(at: now, wall: wall) { return grid }
        let (shiftX, shiftY) = engine.shift(at: now)

        // The top line: the deck's title and the time, quietly.
        grid.write(truncated(engine.deck.title, to: size.width - 10), column: 1 + shiftX, row: 0, style: Style(.dim))
        grid.write(wall.clock, column: size.width - 6 - shiftX, row: 0, style: Style(.dim))

        guard let slide = engine.slide else {
            fallback(&grid, title: engine.deck.title)
            return grid
        }
        let textWidth = min(size.width - 6, 72)
        let left = (size.width - textWidth) / 2 + shiftX
        var lines: [StyledLine] = []
        let heading = RichWrapper.wrap(RichWrapper.spans(of: slide.title, base: Style(.heading, bold: true)),
                                       width: textWidth)
        lines += heading.map { centred($0, width: textWidth) }
        lines.append(centred([Span(String(repeating: "─", count: min(textWidth, max(8, heading.map(\.width).max() ?? 8))),
                                   Style(.heading))], width: textWidth))
        lines.append([])
        lines += BlockLayout(width: textWidth, showScripts: false).lines(for: slide.blocks)

        let available = size.height - 4  // title line, a gap, the dots and a margin
        let shown = Array(lines.prefix(available))
        let top = 1 + max(1, (available - shown.count) / 2) + shiftY
        for (index, line) in shown.enumerated() where top + index < size.height - 2 {
            grid.write(line, column: left, row: top + index, limit: left + textWidth)
        }

        // Progress dots: which slide of how many, without words.
        let count = engine.deck.slides.count
        var dots: StyledLine = []
        for index in 0..<count {
            dots.append(Span(index == engine.slideIndex ? "●" : "○", Style(index == engine.slideIndex ? .heading : .dim)))
            if index < count - 1 { dots.append(Span(" ")) }
        }
        if dots.width > size.width - 2 {
            dots = [Span("\(engine.slideIndex + 1) / \(count)", Style(.dim))]
        }
        grid.write(dots, column: (size.width - dots.width) / 2, row: size.height - 2)
        return grid
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
