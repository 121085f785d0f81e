/// A one-line editor for a therapist's note on a session step. Pure, like the engines: keys in, text out.
///
/// The text is kept as the part before the cursor and the part after it, so every move and deletion works on
/// whole characters: an accent typed after its letter joins it, and an emoji made of several code points is
/// one character to step over or delete.
public struct NoteEditor: Hashable, Sendable {
    /// What a key did to the note.
    public enum Outcome: Hashable, Sendable {
        case editing
        /// Enter: the text to keep, trimmed (empty means the note is removed).
        case saved(String)
        /// Esc: the note stays as it was.
        case cancelled
    }

    /// A note is one line of a few sentences; this keeps a stuck key from filling the database.
    public static let maximumLength = 1_000

    /// The step (0-based) the note belongs to.
    public let step: Int
    public private(set) var beforeCursor: String
    public private(set) var afterCursor: String
    /// The first character the layout showed when the line was too long for its field. Kept between frames
    /// so the line scrolls only when the cursor reaches an edge, not on every key.
    public var firstVisible = 0

    /// Opens the editor on `text` (an existing note), with the cursor at its end.
    public init(step: Int, text: String = "") {
        self.step = step
        self.beforeCursor = String(text.filter(Self.isAccepted).prefix(Self.maximumLength))
        self.afterCursor = ""
    }

    public var text: String { beforeCursor + afterCursor }
    /// The cursor as a count of characters from the start.
    public var cursor: Int { beforeCursor.count }

    public mutating func handle(_ key: KeyEvent) -> Outcome {
        switch key {
        case .enter:
            return .saved(text.trimmingSpaces())
        case .escape:
            return .cancelled
        case .character(let character):
            insert(character)
        case .backspace:
            if !beforeCursor.isEmpty { beforeCursor.removeLast() }
        case .delete, .control("d"):
            if !afterCursor.isEmpty { afterCursor.removeFirst() }
        case .left, .control("b"):
            if let last = beforeCursor.popLast() { afterCursor.insert(last, at: afterCursor.startIndex) }
        case .right, .control("f"):
            if let first = afterCursor.first {
                afterCursor.removeFirst()
                beforeCursor.append(first)
            }
        case .home, .control("a"):
            afterCursor = beforeCursor + afterCursor
            beforeCursor = ""
        case .end, .control("e"):
            beforeCursor += afterCursor
            afterCursor = ""
        case .control("u"):
            beforeCursor = ""  // as in a shell: clear back to the start of the line
        default:
            break  // navigation, function keys, clicks: nothing while typing
        }
        return .editing
    }

    private mutating func insert(_ character: Character) {
        guard Self.isAccepted(character) else { return }
        // A combining mark or joiner merges into the character before it, so it never makes the note longer.
        let merged = beforeCursor + String(character)
        guard merged.count <= beforeCursor.count || text.count < Self.maximumLength else { return }
        beforeCursor = merged
    }

    /// Printable text only: no control characters, and nothing that would break the line.
    static func isAccepted(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .surrogate: false
            default: true
            }
        }
    }
}

extension String {
    /// Without spaces (of any kind) at either end.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
