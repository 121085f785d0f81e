import SessionGuideContent
import SessionGuideEngine

/// Lays out content blocks as styled lines at a width: paragraphs, lists, quotes, therapist scripts (labelled,
/// indented and styled apart, or left out when hidden), figures and drills.
struct BlockLayout {
    var width: Int
    var showScripts: Bool
    /// More room for large print: a blank line between list items.
    var spacious = false

    func lines(for blocks: [Block], drill: (DrillReference) -> ResolvedDrill? = { _ in nil }) -> [StyledLine] {
        var lines: [StyledLine] = []
        for block in blocks {
            let blockLines = self.lines(for: block, drill: drill)
            guard !blockLines.isEmpty else { continue }
            if !lines.isEmpty { lines.append([]) }
            lines += blockLines
        }
        return lines
    }

    private func lines(for block: Block, drill: (DrillReference) -> ResolvedDrill?) -> [StyledLine] {
        switch block {
        case .paragraph(let text):
            return RichWrapper.wrap(RichWrapper.spans(of: text, base: .normal), width: width)
        case .bulletList(let items):
            return spaced(items.map { item in
                RichWrapper.wrap(RichWrapper.spans(of: item, base: .normal), width: width,
                                 firstPrefix: [Span(" • ", Style(.heading))], prefix: [Span("   ")])
            })
        case .numberedList(let items):
            let markerWidth = "\(items.count).".count + 2
            return spaced(items.enumerated().map { index, item in
                let marker = " \(index + 1)." + String(repeating: " ", count: markerWidth - "\(index + 1).".count - 1)
                return RichWrapper.wrap(RichWrapper.spans(of: item, base: .normal), width: width,
                                        firstPrefix: [Span(marker, Style(.heading))],
                                        prefix: [Span(String(repeating: " ", count: markerWidth))])
            })
        case .quote(let paragraphs):
            return paragraphs.enumerated().flatMap { index, paragraph in
                (index > 0 ? [[Span(" │", Style(.dim))]] : [])
                    + RichWrapper.wrap(RichWrapper.spans(of: paragraph, base: .normal), width: width,
                                       firstPrefix: [Span(" │ ", Style(.dim))], prefix: [Span(" │ ", Style(.dim))])
            }
        case .script(let script):
            guard showScripts else { return [] }
            let bar = Span(" ▌ ", Style(.scriptLabel))
            // The label says it is the therapist's, even when the content's own label doesn't.
            let label = script.label.lowercased().contains("therapist") ? script.label : script.label + " (therapist)"
            var lines: [StyledLine] = [[bar, Span(label, Style(.scriptLabel, bold: true))]]
            for paragraph in script.paragraphs {
                lines += RichWrapper.wrap(RichWrapper.spans(of: paragraph, base: Style(.script)), width: width,
                                          firstPrefix: [bar], prefix: [bar])
            }
            return lines.map { truncate($0) }
        case .preformatted(let fenced):
            return fenced.lines.map { [Span(truncated("  " + $0, to: width), Style(.dim))] }
        case .table(let table):
            return TableText.lines(table, width: max(10, width - 2)).map { line in
                let isRule = line.text.first == "─"
                return [Span("  " + line.text, line.isHeader ? Style(.heading, bold: true) : isRule ? Style(.dim) : .normal)]
            }
        case .drill(let reference):
            guard let resolved = drill(reference) else { return [] }
            let figures = FigureLayout(resolved.drill.figures)
            let placement: FigurePlacement = figures.rowWidth + FigureLayout.rowIndent <= width ? .below : .omitted
            return DrillTextLayout(width: width).lines(for: resolved, figures: placement)
        }
    }

    /// List items, with a blank line between them when spacious.
    private func spaced(_ items: [[StyledLine]]) -> [StyledLine] {
        spacious ? Array(items.flatMap { $0 + [[]] }.dropLast()) : items.flatMap { $0 }
    }

    private func truncate(_ line: StyledLine) -> StyledLine {
        guard line.width > width else { return line }
        var result: StyledLine = []
        var left = width
        for span in line {
            let text = truncated(span.text, to: left)
            result.append(Span(text, span.style))
            left -= DisplayWidth.of(text)
            if left <= 0 { break }
        }
        return result
    }
}

/// A drill's text: purpose, timing, equipment, steps, its figures (beside the text or under the steps), cues and
/// its safety note.
struct DrillTextLayout {
    var width: Int

    func lines(for resolved: ResolvedDrill, includeTiming: Bool = true, figures placement: FigurePlacement)
        -> [StyledLine]
    {
        let figures = FigureLayout(resolved.drill.figures)
        guard placement == .beside, !figures.isEmpty else {
            return textLines(for: resolved, includeTiming: includeTiming,
                             figuresBelowSteps: placement == .below ? figures : nil)
        }
        // Beside: the text is narrowed to leave a column for the figures, which start at its first line.
        let textWidth = max(1, width - figures.columnWidth - FigureLayout.gap)
        let text = DrillTextLayout(width: textWidth).textLines(for: resolved, includeTiming: includeTiming,
                                                               figuresBelowSteps: nil)
        let column = figures.column()
        return (0..<max(text.count, column.count)).map { index in
            guard index < column.count else { return text[index] }
            let left = index < text.count ? text[index] : []
            let padding = String(repeating: " ", count: max(0, textWidth - left.width) + FigureLayout.gap)
            return left + [Span(padding)] + column[index]
        }
    }

    private func textLines(for resolved: ResolvedDrill, includeTiming: Bool, figuresBelowSteps: FigureLayout?)
        -> [StyledLine]
    {
        let drill = resolved.drill
        let layout = BlockLayout(width: width, showScripts: false)
        var lines: [StyledLine] = RichWrapper.wrap([Span(drill.purpose)], width: width)
        if includeTiming {
            lines += RichWrapper.wrap([Span("Timing: ", Style(.dim)), Span(TimingDescription.describe(resolved.timing))],
                                      width: width, prefix: [Span("  ")])
        }
        if let equipment = drill.equipment {
            lines += RichWrapper.wrap([Span("You need: ", Style(.dim)), Span(equipment)], width: width,
                                      prefix: [Span("  ")])
        }
        lines += [[], [Span("Steps", Style(.heading))]]
        lines += layout.lines(for: [.numberedList(drill.steps)])
        if let figures = figuresBelowSteps, !figures.isEmpty {
            let indent = Span(String(repeating: " ", count: FigureLayout.rowIndent))
            lines += [[]] + figures.row().map { [indent] + $0 }
        }
        if !drill.cues.isEmpty {
            lines += [[], [Span("Cues", Style(.heading))]]
            lines += layout.lines(for: [.bulletList(drill.cues)])
        }
        lines += [[], [Span("⚠ Safety", Style(.warning))]]
        lines += layout.lines(for: drill.safety)
        return lines
    }
}
