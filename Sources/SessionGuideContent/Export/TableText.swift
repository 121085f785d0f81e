/// A table laid out as lines of text for a given width: columns as wide as their cells, narrowed (the widest
/// first) with the words wrapped inside their cells when the table is wider than the room, and, when even
/// narrow columns can't fit, each row as "Header: value" lines instead. Used by the screen, `print` and the
/// kiosk, so a table reads the same everywhere.
public enum TableText {
    public struct Line: Hashable, Sendable {
        public var text: String
        /// The header row (drawn bold where the output has styles).
        public var isHeader: Bool
    }

    /// The narrowest a column is made before the table is given up for "Header: value" lines.
    public static let minimumColumnWidth = 6

    /// The table's lines at most `width` cells wide; `ascii` draws the rules with `|`, `-` and `+`.
    public static func lines(_ table: Table, width: Int, ascii: Bool = false) -> [Line] {
        let header = table.header.map(\.plainText)
        let rows = table.rows.map { $0.map(\.plainText) }
        guard let widths = columnWidths([header] + rows, width: width) else {
            return fallback(header: header, rows: rows, width: width)
        }
        let bar = ascii ? " | " : " │ "
        let cross = ascii ? "-+-" : "─┼─"
        let dash: Character = ascii ? "-" : "─"
        func wrapped(_ cells: [String]) -> [[String]] {
            let columns = zip(cells, widths).map { cell, width in cell.isEmpty ? [""] : TextWrapper.wrap(cell, width: width) }
            let height = columns.map(\.count).max() ?? 1
            return (0..<height).map { line in
                zip(columns, widths).map { column, width in
                    let text = line < column.count ? column[line] : ""
                    return text + String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
                }
            }
        }
        var lines = wrapped(header).map { Line(text: trailingTrimmed($0.joined(separator: bar)), isHeader: true) }
        lines.append(Line(text: widths.map { String(repeating: dash, count: $0) }.joined(separator: cross), isHeader: false))
        let bodies = rows.map(wrapped)
        // Rows that wrap get a rule between them, so a cell's second line isn't read as a row of its own.
        let ruled = bodies.contains { $0.count > 1 }
        for (index, body) in bodies.enumerated() {
            if ruled, index > 0 {
                lines.append(Line(text: widths.map { String(repeating: dash, count: $0) }.joined(separator: cross),
                                  isHeader: false))
            }
            lines += body.map { Line(text: trailingTrimmed($0.joined(separator: bar)), isHeader: false) }
        }
        return lines
    }

    /// Widths that fit `width` with three cells between columns; nil when columns of the minimum width don't.
    static func columnWidths(_ rows: [[String]], width: Int) -> [Int]? {
        let columns = rows.first?.count ?? 0
        guard columns > 0 else { return nil }
        let natural = (0..<columns).map { column in
            max(1, rows.map { column < $0.count ? DisplayWidth.of($0[column]) : 0 }.max() ?? 1)
        }
        let room = width - 3 * (columns - 1)
        if natural.reduce(0, +) <= room { return natural }
        guard columns * minimumColumnWidth <= room else { return nil }
        var widths = natural
        var excess = widths.reduce(0, +) - room
        while excess > 0, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) {
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    /// Each row as "Header: value" lines, a blank line between rows.
    static func fallback(header: [String], rows: [[String]], width: Int) -> [Line] {
        var lines: [Line] = []
        for (index, row) in rows.enumerated() {
            if index > 0 { lines.append(Line(text: "", isHeader: false)) }
            for (name, value) in zip(header, row) where !value.isEmpty {
                let label = name.isEmpty ? "" : name + ": "
                let wrapped = TextWrapper.wrap(label + value, width: max(10, width - 2))
                lines += wrapped.enumerated().map { Line(text: ($0.offset == 0 ? "" : "  ") + $0.element, isHeader: false) }
            }
        }
        return lines
    }

    private static func trailingTrimmed(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }
}
