import SessionGuideContent

/// A run of text in one style.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }

    var width: Int { DisplayWidth.of(text) }
}

/// One laid-out line: spans that together fit the width they were wrapped to.
public typealias StyledLine = [Span]

extension Array where Element == Span {
    var width: Int { reduce(0) { $0 + $1.width } }
}

/// Word wrapping of styled text by display width.
enum RichWrapper {
    /// Wraps `spans` to `width` cells. The first line starts with `firstPrefix`, the others with `prefix`
    /// (for list markers and script bars); prefixes count toward the width.
    static func wrap(_ spans: [Span], width: Int, firstPrefix: [Span] = [], prefix: [Span] = []) -> [StyledLine] {
        // Split into words that keep their style; a word may span styles ("**bold**ly").
        var words: [[Span]] = []
        var current: [Span] = []
        for span in spans {
            var piece = ""
            for character in span.text {
                if character == " " {
                    if !piece.isEmpty { current.append(Span(piece, span.style)); piece = "" }
                    if !current.isEmpty { words.append(current); current = [] }
                } else {
                    piece.append(character)
                }
            }
            if !piece.isEmpty { current.append(Span(piece, span.style)) }
        }
        if !current.isEmpty { words.append(current) }

        var lines: [StyledLine] = []
        var line: StyledLine = firstPrefix
        // The line's width, kept as words are added rather than measured again for each word.
        var lineWidth = firstPrefix.width
        let prefixWidth = prefix.width
        var lineHasWord = false
        func startLine() {
            lines.append(line)
            line = prefix
            lineWidth = prefixWidth
            lineHasWord = false
        }
        for var word in words {
            var wordWidth = word.width
            if lineHasWord {
                if 1 + wordWidth <= width - lineWidth {
                    line.append(Span(" ", word[0].style))
                    line += word
                    lineWidth += 1 + wordWidth
                    continue
                }
                startLine()
            }
            // A word longer than a whole line is cut where it must be.
            while wordWidth > width - lineWidth, width - lineWidth > 0 {
                let (head, tail) = split(word, at: width - lineWidth)
                line += head
                startLine()
                word = tail
                wordWidth = word.width
            }
            line += word
            lineWidth += wordWidth
            lineHasWord = true
        }
        if lineHasWord || lines.isEmpty || lineWidth > 0 { lines.append(line) }
        return lines
    }

    /// The first `width` cells of a word, and the rest.
    private static func split(_ word: [Span], at width: Int) -> ([Span], [Span]) {
        var head: [Span] = []
        var tail: [Span] = []
        var used = 0
        for span in word {
            var headText = ""
            var tailText = ""
            for character in span.text {
                let characterWidth = DisplayWidth.of(character)
                if tailText.isEmpty, used + characterWidth <= width {
                    headText.append(character)
                    used += characterWidth
                } else {
                    tailText.append(character)
                }
            }
            if !headText.isEmpty { head.append(Span(headText, span.style)) }
            if !tailText.isEmpty { tail.append(Span(tailText, span.style)) }
        }
        if head.isEmpty, let first = tail.first, let character = first.text.first {
            // Not even one character fits: take it anyway so wrapping always makes progress.
            head = [Span(String(character), first.style)]
            tail[0].text.removeFirst()
            if tail[0].text.isEmpty { tail.removeFirst() }
        }
        return (head, tail)
    }

    /// Rich text as spans: emphasis underlined, strong bold, on top of `base`.
    static func spans(of text: RichText, base: Style) -> [Span] {
        text.inlines.flatMap { spans(of: $0, style: base) }
    }

    private static func spans(of inline: Inline, style: Style) -> [Span] {
        switch inline {
        case .text(let text):
            return [Span(text, style)]
        case .emphasis(let children):
            var emphasised = style
            emphasised.underline = true
            return children.flatMap { spans(of: $0, style: emphasised) }
        case .strong(let children):
            var strong = style
            strong.bold = true
            return children.flatMap { spans(of: $0, style: strong) }
        case .link(let children, _):
            // On screen a link is its words, underlined: there is nothing to click, and an address is noise.
            var linked = style
            linked.underline = true
            return children.flatMap { spans(of: $0, style: linked) }
        }
    }
}

/// Shortens text to `width` cells, ending in "…" when it had to cut.
public func truncated(_ text: String, to width: Int) -> String {
    guard width > 0 else { return "" }
    guard DisplayWidth.of(text) > width else { return text }
    var result = ""
    var used = 0
    for character in text {
        let characterWidth = DisplayWidth.of(character)
        if used + characterWidth > width - 1 { break }
        result.append(character)
        used += characterWidth
    }
    return result + "…"
}

extension Grid {
    /// Writes a styled line from (column, row), clipped at `limit`.
    @discardableResult
    mutating func write(_ line: StyledLine, column: Int, row: Int, limit: Int? = nil) -> Int {
        var x = column
        for span in line {
            x = write(span.text, column: x, row: row, style: span.style, limit: limit)
        }
        return x
    }
}
