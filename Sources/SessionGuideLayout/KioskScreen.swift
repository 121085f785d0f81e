import SessionGuideContent
import SessionGuideEngine

/// The waiting-room screen: one slide, large and centred, with the deck's title, a clock and a row of progress
/// dots. It draws slides and nothing else: no keys, no errors, no therapist text.
public enum KioskScreen {
    /// - Parameter large: slide headings in block letters where they fit (`--large`), and the slide's text in
    ///   smaller letters under them where it is short enough (in practice from about 200×60).
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
        let available = size.height - 5  // the top line and a gap above; a gap, the dots and a margin below
        // --large (a kiosk's default) on a screen with room: the slide's text in letters too, when it is short
        // enough; otherwise ordinary text under a headline in letters, as below.
        if large, let big = bigSlide(slide, width: size.width - 6, available: available, pixels: pixels) {
            let top = 2 + max(0, (available - big.height) / 2) + (big.height < available ? shiftY : 0)
            let headlineLeft = (size.width - big.headline.width) / 2 + shiftX
            for (index, line) in big.headline.lines.enumerated() {
                grid.writeDrawingLine(line, column: headlineLeft, row: top + index, style: Style(.heading, bold: true))
            }
            // The text as one block centred on the screen, its lines starting at the block's left edge.
            let bodyLeft = (size.width - big.bodyWidth) / 2 + shiftX
            for (index, line) in big.body.enumerated() {
                grid.write(line, column: bodyLeft, row: top + big.headline.height + 1 + index)
            }
            drawDots(&grid, engine: engine, shiftX: shiftX)
            return grid
        }

        let (textWidth, figures, textBlocks) = textColumn(slide, size: size)
        let blockWidth = textWidth + (figures.map { FigureLayout.gap + $0.columnWidth } ?? 0)
        let body = bodyLines(textBlocks, width: textWidth, figures: figures)
        var lines = slideLines(slide, body: BlockLayout(width: textWidth, showScripts: false).lines(for: textBlocks),
                               figures: figures, width: textWidth, available: available, large: roomy)
        // The headline in block letters across the whole width, as large as leaves room for the slide's text (each
        // line at most a quarter of the rows), on one line if it can, else two.
        var headline: BigFont.Drawing?
        if large {
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
        let left = (size.width - blockWidth) / 2 + shiftX
        // The burn-in shift moves the slide down only when that costs no line.
        let top = 2 + max(0, (available - lines.count) / 2) + (lines.count < available ? shiftY : 0)
        for (index, line) in lines.enumerated() {
            grid.write(line, column: left, row: top + index, limit: left + blockWidth)
        }
        if let headline {
            let headlineLeft = (size.width - headline.width) / 2 + shiftX
            for (index, line) in headline.lines.enumerated() {
                grid.writeDrawingLine(line, column: headlineLeft, row: top + index, style: Style(.heading, bold: true))
            }
        }
        drawDots(&grid, engine: engine, shiftX: shiftX)
        return grid
    }

    /// Ordinary text: a column of reading width (at most 90) centred on the screen, with the slide's figures
    /// (fenced drawings) beside it when there is room, so that the two stay together in the middle.
    private static func textColumn(_ slide: Slide, size: Size) -> (width: Int, figures: FigureLayout?, blocks: [Block]) {
        let roomy = size.width >= 100 && size.height >= 30
        var textWidth = min(size.width - 6, roomy ? 90 : 72)
        let (figures, textBlocks) = figuresBeside(slide.blocks, screenWidth: size.width - 6, height: size.height)
        if let figures {
            textWidth = min(textWidth, size.width - 6 - figures.columnWidth - FigureLayout.gap)
            // The figures next to the text's longest line, not beyond the column's ragged edge: the text wraps
            // the same at the width its lines take (the heading's, if wider).
            let used = BlockLayout(width: textWidth, showScripts: false).lines(for: textBlocks).map(\.width).max() ?? 0
            textWidth = min(textWidth, max(used, DisplayWidth.of(slide.title.plainText), 1))
        }
        return (textWidth, figures, textBlocks)
    }

    /// How many lines of the slide are cut off on a kiosk of `size` (0 when it fits), in its ordinary text
    /// (block letters, `--large`, give way to ordinary text where they don't fit): what `check` warns about.
    public static func overflow(of slide: Slide, size: Size) -> Int {
        guard size.width >= 20, size.height >= 6 else { return 0 }
        let (textWidth, figures, textBlocks) = textColumn(slide, size: size)
        let available = size.height - 5
        let heading = RichWrapper.wrap(RichWrapper.spans(of: slide.title, base: Style(.heading, bold: true)),
                                       width: textWidth)
        let text = besides(BlockLayout(width: textWidth, showScripts: false).lines(for: textBlocks), figures: figures,
                           width: textWidth)
        return max(0, heading.count + text.count - available)
    }

    /// Progress dots: which slide of how many, without words; they move with the slide.
    private static func drawDots(_ grid: inout Grid, engine: KioskEngine, shiftX: Int) {
        let size = grid.size
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
    }

    /// A slide's heading, rule and text, fitted to `available` rows: spacing goes first, and text that still
    /// doesn't fit ends in "…" rather than stopping without a sign. On a large screen the text gets a blank line
    /// between lines, to be read from across the room. `body` is the text alone, `figures` a column beside it.
    static func slideLines(_ slide: Slide, body: [StyledLine], figures: FigureLayout? = nil, width: Int,
                           available: Int, large: Bool) -> [StyledLine] {
        let headingSpans = RichWrapper.spans(of: slide.title, base: Style(.heading, bold: true))
        let heading = RichWrapper.wrap(headingSpans, width: width).map { centred($0, width: width) }
        let rule = centred([Span(String(repeating: "─", count: min(width, max(8, heading.map(\.width).max() ?? 8))),
                                 Style(.heading))], width: width)
        // Spacing goes between the text's lines only: the figures' drawings keep their lines together.
        let airy = Array(body.flatMap { $0.isEmpty ? [$0] : [$0, []] }.dropLast())
        let text = { (lines: [StyledLine]) in besides(lines, figures: figures, width: width) }
        let candidates: [[StyledLine]] = (large ? [heading + [rule, []] + text(airy)] : []) + [
            heading + [rule, []] + text(body),
            heading + [[]] + text(body),
            heading + text(body),
        ]
        if let fitting = candidates.first(where: { $0.count <= available }) { return fitting }
        var cut = Array(candidates.last!.prefix(max(1, available)))
        if let last = cut.last {
            let text = last.map(\.text).joined()
            cut[cut.count - 1] = [Span(truncated(text + " …", to: width), last.first?.style ?? .normal)]
        }
        return cut
    }

    /// The slide's text at `width`, with the figures' column beside it when there is one.
    static func bodyLines(_ blocks: [Block], width: Int, figures: FigureLayout?) -> [StyledLine] {
        besides(BlockLayout(width: width, showScripts: false).lines(for: blocks), figures: figures, width: width)
    }

    /// `text` (lines at most `width` wide) with the figures' column to its right, a gap between, from the first
    /// line.
    private static func besides(_ text: [StyledLine], figures: FigureLayout?, width: Int) -> [StyledLine] {
        guard let figures else { return text }
        let column = figures.column()
        return (0..<max(text.count, column.count)).map { index in
            guard index < column.count else { return text[index] }
            let left = index < text.count ? text[index] : []
            return left + [Span(String(repeating: " ", count: max(0, width - left.width) + FigureLayout.gap))]
                + column[index]
        }
    }

    /// The slide's fenced drawings as figures to draw beside its text, and the blocks left for the text, when the
    /// screen has room for both side by side (the text at least `FigurePlacement.minimumTextWidthBeside` wide);
    /// else no figures and every block, the drawings staying in the text where they are.
    static func figuresBeside(_ blocks: [Block], screenWidth: Int, height: Int)
        -> (FigureLayout?, [Block])
    {
        let drawings = blocks.compactMap(\.fencedText).filter {
            ($0.lines.map(\.count).max() ?? 0) <= Figure.maximumWidth && $0.lines.count <= Figure.maximumHeight
        }
        guard !drawings.isEmpty else { return (nil, blocks) }
        // "```figure Start: …" names its caption, as in a drill; other fences have none.
        let figures = FigureLayout(drawings.map { fenced in
            let info = fenced.info.trimmingCharacters(in: .whitespaces)
            let caption = info.lowercased().hasPrefix("figure")
                ? String(info.dropFirst("figure".count)).trimmingCharacters(in: .whitespaces) : ""
            return Figure(caption: caption, lines: fenced.lines)
        })
        guard FigurePlacement.choose(for: figures, width: screenWidth, height: height) == .beside else {
            return (nil, blocks)
        }
        return (figures, blocks.filter { block in
            guard let fenced = block.fencedText else { return true }
            return !drawings.contains(fenced)
        })
    }

    // MARK: - The slide in letters

    /// A slide drawn in the font: the headline, a blank row, then the text, in letters smaller than the
    /// headline's.
    struct BigSlide {
        var headline: BigFont.Drawing
        /// Lines of the text in letters (blank rows between), each at most `bodyWidth` wide.
        var body: [String]
        var bodyWidth: Int
        var bodyScale: BigFont.Scale
        var height: Int { headline.height + 1 + body.count }
    }

    /// The slide in letters within `width` × `available` cells, the text as large as fits with a headline larger
    /// still (on one line if it can be, else two or three); nil when the slide has anything but paragraphs and
    /// lists, or its text doesn't fit even in the smallest letters, so the slide is drawn in ordinary text.
    static func bigSlide(_ slide: Slide, width: Int, available: Int, pixels: BigFont.Pixels) -> BigSlide? {
        let title = slide.title.plainText
        guard !title.isEmpty, !slide.blocks.isEmpty else { return nil }
        // Each line of the headline at most a quarter of the rows, as when the text is ordinary.
        let smallest = BigFont.scales(pixels).last!
        let headlineRows = max(BigFont.height(scale: smallest, pixels: pixels), available / 4)
        for scale in BigFont.scales(pixels, largest: max(1, headlineRows * 2 / BigFont.glyphHeight)) {
            let rows = BigFont.height(scale: scale, pixels: pixels)
            guard rows < headlineRows, let body = bigBody(slide.blocks, width: width, scale: scale, pixels: pixels),
                  body.count + 1 < available else { continue }
            let room = available - 1 - body.count
            for lines in 1...3 {
                guard let headline = BigFont.heading(title, width: width, height: room, lineHeight: headlineRows,
                                                     maximumLines: lines, centred: true, pixels: pixels),
                      BigFont.height(scale: headline.scale, pixels: pixels) > rows else { continue }
                return BigSlide(headline: headline, body: body, bodyWidth: body.map(\.count).max() ?? 0,
                                bodyScale: scale)
            }
        }
        return nil
    }

    /// Paragraphs and lists in letters at `scale`, words wrapped into lines of at most `width` cells: a blank row
    /// between lines, two between blocks; a list item starts with "-" or its number, and its further lines are
    /// indented to its text. Nil for any other block, or a word too wide for a line.
    static func bigBody(_ blocks: [Block], width: Int, scale: BigFont.Scale, pixels: BigFont.Pixels) -> [String]? {
        // Items as (marker, text): a paragraph has no marker.
        var groups: [[(marker: String, text: String)]] = []
        for block in blocks {
            switch block {
            case .paragraph(let text): groups.append([("", text.plainText)])
            case .bulletList(let items): groups.append(items.map { ("- ", $0.plainText) })
            case .numberedList(let items): groups.append(items.enumerated().map { ("\($0 + 1). ", $1.plainText) })
            default: return nil
            }
        }
        let blankRow = ""
        var rows: [String] = []
        for (index, group) in groups.enumerated() {
            if index > 0 { rows += [blankRow, blankRow] }
            for (itemIndex, item) in group.enumerated() {
                if itemIndex > 0 { rows.append(blankRow) }
                // The indent under the marker: the marker's pixels and the gap after it.
                let indent = item.marker.isEmpty ? 0
                    : (BigFont.pixelWidth(of: item.marker + "X") - BigFont.pixelWidth(of: "X")) * scale.columns
                guard let lines = wrap(item.text, first: item.marker, indent: indent, width: width, scale: scale)
                else { return nil }
                for (lineIndex, line) in lines.enumerated() {
                    if lineIndex > 0 { rows.append(blankRow) }
                    let drawing = BigFont.render(line, scale: scale, pixels: pixels)
                    let pad = String(repeating: " ", count: lineIndex == 0 ? 0 : indent)
                    rows += drawing.lines.map { pad + $0 }
                }
            }
        }
        let widest = rows.map(\.count).max() ?? 0
        return rows.map { $0 + String(repeating: " ", count: widest - $0.count) }
    }

    /// `text`'s words in lines of at most `width` cells at `scale`: the first starting with `first`, the rest
    /// `indent` cells in. Nil when a word doesn't fit a line.
    private static func wrap(_ text: String, first: String, indent: Int, width: Int, scale: BigFont.Scale)
        -> [String]?
    {
        var lines: [String] = []
        var current = first
        var started = false  // whether `current` holds a word yet
        // A dash standing between words ("the slack — and") stays with the word before it: at the start of a
        // line it would read as a list's marker. The font has one dash, so a long one is drawn as it.
        var words: [String] = []
        for word in text.replacingOccurrences(of: "—", with: "-").replacingOccurrences(of: "–", with: "-")
            .split(whereSeparator: \.isWhitespace).map(String.init)
        {
            if word.allSatisfy({ $0 == "-" }), let previous = words.popLast() {
                words.append(previous + " " + word)
            } else {
                words.append(word)
            }
        }
        for word in words {
            let room = lines.isEmpty ? width : width - indent
            let candidate = started ? current + " " + word : current + word
            if BigFont.width(of: candidate, scale: scale) <= room {
                current = candidate
                started = true
            } else {
                guard started, BigFont.width(of: word, scale: scale) <= width - indent else { return nil }
                lines.append(current)
                current = word
            }
        }
        guard started else { return nil }
        lines.append(current)
        return lines
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
