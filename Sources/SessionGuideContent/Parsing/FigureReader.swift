/// Reads a drill's figures from the fenced blocks of its `# Figures` section:
///
///     ```figure Start
///       o
///      /|\
///     ```
///
/// and checks what makes a figure show the same everywhere: plain printable ASCII, at most
/// `Figure.maximumWidth` columns and `Figure.maximumHeight` lines.
enum FigureReader {
    /// The word before the caption in the opening fence.
    static let keyword = "figure"

    /// The figure in `fenced`, reporting every problem at its line and column. Returns nil when there is nothing
    /// to show (no drawing at all).
    static func read(_ fenced: FencedText, sink: inout DiagnosticSink) -> Figure? {
        let fence = fenced.location
        let caption = caption(of: fenced, sink: &sink)

        // The drawing is everything between the first and the last line that isn't blank.
        let drawn = fenced.lines.indices.filter { !fenced.lines[$0].allSatisfy { $0 == " " } }
        guard let first = drawn.first, let last = drawn.last else {
            sink.error("figure has no drawing; draw it between the two lines of backticks", line: fence.line,
                       column: fence.column)
            return nil
        }
        // Trailing spaces and the indentation every line shares are not part of the drawing.
        let trimmed = fenced.lines[first...last].map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
        let indentation = trimmed.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        var lines: [String] = []
        var reportedWidth = false
        for (index, line) in trimmed.enumerated() {
            // Fenced lines follow the opening fence one file line each, so the file line is easy to work out.
            let lineNumber = fence.line + 1 + first + index
            if let (column, scalar) = firstNonASCII(in: line) {
                sink.error("figures are drawn in plain ASCII, so every terminal shows them the same; "
                    + "\(describe(scalar)) is not\(replacementHint(for: scalar))", line: lineNumber, column: column)
            }
            let width = line.unicodeScalars.count - indentation
            if width > Figure.maximumWidth, !reportedWidth {
                reportedWidth = true
                sink.error("figure is \(width) columns wide here; a figure may be at most \(Figure.maximumWidth) "
                    + "so it fits beside the steps", line: lineNumber, column: indentation + Figure.maximumWidth + 1)
            }
            lines.append(String(line.dropFirst(min(indentation, line.count))))
        }
        if lines.count > Figure.maximumHeight {
            sink.error("figure is \(lines.count) lines tall; a figure may be at most \(Figure.maximumHeight) "
                + "so it fits on screen with the timer", line: fence.line + 1 + first + Figure.maximumHeight,
                column: 1)
        }
        return Figure(caption: caption, lines: lines)
    }

    /// "Start" from "figure Start". A caption is wanted (the patient needs to know which position is which), so a
    /// missing one is a warning; an info string without the word `figure` is taken whole as the caption.
    private static func caption(of fenced: FencedText, sink: inout DiagnosticSink) -> String {
        let fence = fenced.location
        let words = fenced.info.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let firstWord = words.first else {
            sink.warning("figure has no caption; write one after the backticks, such as '```figure Start'",
                         line: fence.line, column: fence.column)
            return ""
        }
        guard firstWord.lowercased() == keyword else {
            sink.warning("write the word 'figure' before the caption: '```figure \(fenced.info)'",
                         line: fence.line, column: fence.column + 3)
            return fenced.info
        }
        let caption = words.count > 1 ? words[1].trimmingSpaces() : ""
        if caption.isEmpty {
            sink.warning("figure has no caption; write one after 'figure', such as '```figure Start'",
                         line: fence.line, column: fence.column)
        }
        return caption
    }

    /// The 1-based column and the first character that isn't printable ASCII.
    private static func firstNonASCII(in line: String) -> (Int, Unicode.Scalar)? {
        for (index, scalar) in line.unicodeScalars.enumerated() where !(0x20...0x7E).contains(scalar.value) {
            return (index + 1, scalar)
        }
        return nil
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let code = String(scalar.value, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
        // Invisible characters are named by code only, so the message shows something.
        let visible = DisplayWidth.of(scalar) > 0 && !scalar.properties.isWhitespace
        return visible ? "'\(Character(scalar))' (U+\(padded))" : "U+\(padded)"
    }

    /// "; use '-' instead" where the usual ASCII stand-in is a single character that keeps the drawing's shape.
    private static func replacementHint(for scalar: Unicode.Scalar) -> String {
        let standIn = ASCIIFolding.foldCell(Character(scalar))
        guard standIn != "?" else { return "" }
        return "; use '\(standIn)' instead"
    }
}
