import SessionGuideContent

/// The visible part of a one-line note being typed, for a field `width` cells wide.
public enum NoteField {
    public struct Window: Hashable, Sendable {
        /// What to draw: "…" at either end where text is cut off.
        public var text: String
        /// The cell the cursor is drawn on, from the start of the field.
        public var cursorColumn: Int
        /// The first character shown, to start from on the next frame.
        public var firstVisible: Int

        public init(text: String, cursorColumn: Int, firstVisible: Int) {
            self.text = text
            self.cursorColumn = cursorColumn
            self.firstVisible = firstVisible
        }
    }

    /// The window onto the note that keeps the cursor in view. It starts where the last frame started
    /// (`firstVisible`) and moves only as far as it must, so the line scrolls when the cursor reaches an edge,
    /// not on every key; a line that fits is shown whole.
    public static func window(before: String, after: String, firstVisible: Int = 0, width: Int) -> Window {
        guard width >= 3 else { return Window(text: "", cursorColumn: 0, firstVisible: 0) }
        let characters = Array(before + after)
        let cursor = min(before.count, characters.count)
        let widths = characters.map { DisplayWidth.of($0) }
        /// Cells from `start` up to (not including) `end`.
        func cells(_ start: Int, _ end: Int) -> Int { widths[start..<end].reduce(0, +) }
        // The cursor sits on the character after it, or on a blank cell at the end of the line.
        let cursorCell = cursor < characters.count ? max(1, widths[cursor]) : 1
        let total = cells(0, characters.count) + (cursor == characters.count ? 1 : 0)

        var first = 0
        if total > width {
            first = min(max(0, firstVisible), cursor)
            /// Does the cursor fit in a window starting at `start`, with "…" at the left and, when text is left
            /// over after the window, at the right?
            func cursorFits(from start: Int) -> Bool {
                let lead = start > 0 ? 1 : 0
                let trailing = lead + cells(start, characters.count) + (cursor == characters.count ? 1 : 0) > width
                return lead + cells(start, cursor) + cursorCell + (trailing && cursor + 1 < characters.count ? 1 : 0)
                    <= width
            }
            while first < cursor, !cursorFits(from: first) { first += 1 }
            // Never leave the end of the field empty while text before it is hidden (after deleting, say).
            while first > 0, 1 + cells(first - 1, characters.count) + (cursor == characters.count ? 1 : 0) <= width {
                first -= 1
            }
        }

        var text = first > 0 ? "…" : ""
        let lead = first > 0 ? 1 : 0
        let cursorColumn = lead + cells(first, cursor)
        let rest = cells(first, characters.count)
        if lead + rest <= width {
            text += String(characters[first...])
        } else {
            var used = lead
            for index in first..<characters.count {
                if used + widths[index] > width - 1 { break }
                text.append(characters[index])
                used += widths[index]
            }
            text += "…"
        }
        return Window(text: text, cursorColumn: cursorColumn, firstVisible: first)
    }
}
