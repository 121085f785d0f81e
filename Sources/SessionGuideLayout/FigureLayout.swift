import SessionGuideContent

/// A drill's figures as styled lines, each drawing with its caption centred under it: side by side in a row
/// (below the steps, or under the routine's timer), or stacked in a column (beside the steps on a wide screen).
struct FigureLayout {
    /// Columns between two figures side by side, and between the steps and the figure column.
    static let gap = 4
    /// Columns before a row of figures under the steps, so it lines up with the list's text.
    static let rowIndent = 2

    private struct Slot {
        var drawing: [String]
        var caption: [String]
        var width: Int
    }

    private let slots: [Slot]

    init(_ figures: [Figure]) {
        slots = figures.map { figure in
            // A caption longer than the drawing may widen its slot, up to the widest a drawing may be.
            let width = max(figure.width, min(DisplayWidth.of(figure.caption), Figure.maximumWidth))
            let caption = figure.caption.isEmpty ? [] : TextWrapper.wrap(figure.caption, width: max(1, width))
            let indent = String(repeating: " ", count: (width - figure.width) / 2)
            return Slot(drawing: figure.lines.map { indent + $0 }, caption: caption, width: width)
        }
    }

    var isEmpty: Bool { slots.isEmpty }

    /// Columns the figures take side by side.
    var rowWidth: Int { slots.isEmpty ? 0 : slots.reduce(0) { $0 + $1.width } + Self.gap * (slots.count - 1) }

    /// Columns the figures take stacked.
    var columnWidth: Int { slots.map(\.width).max() ?? 0 }

    /// Lines the figures take side by side.
    var rowHeight: Int {
        (slots.map(\.drawing.count).max() ?? 0) + (slots.map(\.caption.count).max() ?? 0)
    }

    /// The figures side by side. Drawings stand on a common floor (aligned at the bottom), with the captions on
    /// the lines under it.
    func row() -> [StyledLine] {
        let drawingHeight = slots.map(\.drawing.count).max() ?? 0
        let captionHeight = slots.map(\.caption.count).max() ?? 0
        var lines: [StyledLine] = []
        for row in 0..<(drawingHeight + captionHeight) {
            var line: StyledLine = []
            for (index, slot) in slots.enumerated() {
                if index > 0 { line.append(Span(String(repeating: " ", count: Self.gap))) }
                if row < drawingHeight {
                    let drawingRow = row - (drawingHeight - slot.drawing.count)
                    line.append(Span(padded(drawingRow >= 0 ? slot.drawing[drawingRow] : "", to: slot.width)))
                } else {
                    let captionRow = row - drawingHeight
                    let text = captionRow < slot.caption.count ? slot.caption[captionRow] : ""
                    line.append(Span(padded(centred(text, in: slot.width), to: slot.width), Style(.heading)))
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// The figures one under another, a blank line between them, each centred in the column.
    func column() -> [StyledLine] {
        let width = columnWidth
        var lines: [StyledLine] = []
        for (index, slot) in slots.enumerated() {
            if index > 0 { lines.append([]) }
            let indent = String(repeating: " ", count: (width - slot.width) / 2)
            lines += slot.drawing.map { [Span(indent + $0)] }
            lines += slot.caption.map { [Span(indent + centred($0, in: slot.width), Style(.heading))] }
        }
        return lines
    }

    private func centred(_ text: String, in width: Int) -> String {
        String(repeating: " ", count: max(0, (width - DisplayWidth.of(text)) / 2)) + text
    }

    private func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
    }
}

/// Where a drill's figures go on a screen.
enum FigurePlacement: Equatable {
    /// A column to the right of the drill's text.
    case beside
    /// A row under the steps.
    case below
    /// Not shown: the screen is too small for them to read well.
    case omitted

    /// The narrowest the drill's text may get with the figures beside it; narrower, they go below.
    static let minimumTextWidthBeside = 60
    /// The shortest screen on which figures go below the steps: shorter ones need every line for the words.
    static let minimumHeightBelow = 20

    static func choose(for figures: FigureLayout, width: Int, height: Int) -> FigurePlacement {
        guard !figures.isEmpty else { return .omitted }
        if width - figures.columnWidth - FigureLayout.gap >= minimumTextWidthBeside { return .beside }
        if figures.rowWidth + FigureLayout.rowIndent <= width, height >= minimumHeightBelow { return .below }
        return .omitted
    }
}

/// The column a step's text (and its figures) is laid out in: the whole width on an ordinary screen; on a wide
/// one at most `maximumTextWidth` of text, plus the figures beside it, centred, so lines stay easy to follow
/// and the figures sit next to the words they show rather than at the far edge.
struct ReadingColumn: Equatable {
    var left: Int
    var width: Int
    var figures: FigurePlacement

    /// Lines longer than about this many cells are hard to follow from one to the next.
    static let maximumTextWidth = 100

    /// Where the column starts and how wide it is.
    var span: (left: Int, width: Int) { (left, width) }

    static func choose(for figures: FigureLayout, left: Int, width: Int, height: Int) -> ReadingColumn {
        let placement = FigurePlacement.choose(for: figures, width: width, height: height)
        let figureColumns = placement == .beside ? figures.columnWidth + FigureLayout.gap : 0
        return centred(left: left, width: width, atMost: maximumTextWidth + figureColumns, figures: placement)
    }

    /// A column of at most `atMost` cells (the reading width by default) centred in `width` from `left`: the
    /// whole width when that is narrower.
    static func centred(left: Int, width: Int, atMost: Int = maximumTextWidth,
                        figures: FigurePlacement = .omitted) -> ReadingColumn {
        let columnWidth = min(width, atMost)
        return ReadingColumn(left: left + (width - columnWidth) / 2, width: columnWidth, figures: figures)
    }
}
