/// A run of inline text with emphasis, as written in a paragraph, list item or heading.
public enum Inline: Hashable, Sendable, Codable {
    case text(String)
    case emphasis([Inline])
    case strong([Inline])
    /// `[text](address)`: its text on screen, the text and the address on paper.
    case link([Inline], url: String)

    var plainText: String {
        switch self {
        case .text(let text): text
        case .emphasis(let children), .strong(let children), .link(let children, _): children.map(\.plainText).joined()
        }
    }
}

/// Text with inline emphasis. `plainText` is what a screen reader or a test sees.
public struct RichText: Hashable, Sendable, Codable, CustomStringConvertible {
    public var inlines: [Inline]

    public init(_ inlines: [Inline]) {
        self.inlines = inlines
    }

    public init(plain text: String) {
        self.inlines = text.isEmpty ? [] : [.text(text)]
    }

    public var plainText: String { inlines.map(\.plainText).joined() }
    public var isEmpty: Bool { plainText.isEmpty }
    public var description: String { plainText }
}
