/// Reads `*emphasis*`, `_emphasis_`, `**strong**`, `__strong__`, `[links](address)` and backslash escapes inside
/// a line of text.
/// Unclosed markers stay as the characters they are, as in markdown.
enum InlineParser {
    static func parse(_ text: String) -> RichText {
        let text = text.replacingTabs()
        // Most lines have no markers at all: skip the character-by-character walk.
        if !text.utf8.contains(where: {
            $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "[")
        }) {
            return RichText(plain: text)
        }
        let characters = Array(text)
        var parser = State(characters: characters)
        return RichText(parser.parse(from: 0, to: characters.count))
    }

    private struct State {
        let characters: [Character]
        /// Delimiters known to have no closer at or after the given index, so unmatched markers cost
        /// linear time instead of a rescan each.
        var noCloserFrom: [String: Int] = [:]

        mutating func parse(from start: Int, to end: Int) -> [Inline] {
            var result: [Inline] = []
            var pending = ""
            func flush() {
                if !pending.isEmpty { result.append(.text(pending)); pending = "" }
            }
            var index = start
            while index < end {
                let character = characters[index]
                if character == "\\", index + 1 < end, "\\*_[]>#`".contains(characters[index + 1]) {
                    pending.append(characters[index + 1])
                    index += 2
                    continue
                }
                // `[text](address)`; an image's `![alt](source)` keeps its alt text only (check warns about it).
                if character == "[", let link = link(at: index, end: end) {
                    let isImage = pending.last == "!"
                    if isImage { pending.removeLast() }
                    flush()
                    let children = parse(from: index + 1, to: link.textEnd)
                    result += isImage ? children : [.link(children, url: link.url)]
                    index = link.end
                    continue
                }
                if character == "*" || character == "_" {
                    let isDouble = index + 1 < end && characters[index + 1] == character
                    let delimiter = isDouble ? String(repeating: character, count: 2) : String(character)
                    let contentStart = index + delimiter.count
                    if canOpen(at: index, delimiter: delimiter, end: end),
                       let close = closer(for: delimiter, from: contentStart, to: end)
                    {
                        flush()
                        let children = parse(from: contentStart, to: close)
                        result.append(isDouble ? .strong(children) : .emphasis(children))
                        index = close + delimiter.count
                        continue
                    }
                    pending += delimiter
                    index += delimiter.count
                    continue
                }
                pending.append(character)
                index += 1
            }
            flush()
            return result
        }

        /// The link starting with the `[` at `index`: where its text ends (the `]`), its address, and the index after
        /// the closing `)`; nil unless the text is followed at once by `(address)` without spaces.
        private func link(at index: Int, end: Int) -> (textEnd: Int, url: String, end: Int)? {
            var depth = 0
            var close = index + 1
            while close < end {
                if characters[close] == "\\" { close += 2; continue }
                if characters[close] == "[" { depth += 1 }
                if characters[close] == "]" {
                    if depth == 0 { break }
                    depth -= 1
                }
                close += 1
            }
            guard close < end, close > index + 1, close + 1 < end, characters[close + 1] == "(" else { return nil }
            var urlEnd = close + 2
            while urlEnd < end, characters[urlEnd] != ")", !characters[urlEnd].isWhitespace { urlEnd += 1 }
            guard urlEnd < end, characters[urlEnd] == ")", urlEnd > close + 2 else { return nil }
            return (close, String(characters[(close + 2)..<urlEnd]), urlEnd + 1)
        }

        /// An opener is followed by a non-space; `_` must also start a word, so snake_case stays as written.
        private func canOpen(at index: Int, delimiter: String, end: Int) -> Bool {
            let next = index + delimiter.count
            guard next < end, !characters[next].isWhitespace else { return false }
            if delimiter.first == "_", index > 0, characters[index - 1].isLetter || characters[index - 1].isNumber {
                return false
            }
            return true
        }

        private mutating func closer(for delimiter: String, from start: Int, to end: Int) -> Int? {
            if let known = noCloserFrom[delimiter], known <= start { return nil }
            let marker = delimiter.first!
            let width = delimiter.count
            var index = start + 1  // emphasis holds at least one character
            while index + width <= end {
                if characters[index] == "\\" { index += 2; continue }
                if characters[index] == marker {
                    let run = runLength(at: index, end: end)
                    let precededBySpace = characters[index - 1].isWhitespace
                    let followedByWord = index + run < end
                        && (characters[index + run].isLetter || characters[index + run].isNumber)
                    let underscoreInWord = marker == "_" && followedByWord
                    if run >= width, !precededBySpace, !underscoreInWord {
                        // In a run such as `***`, a single closer takes the last star, a double the first two.
                        return width == 1 && run > 1 ? index + run - 1 : index
                    }
                    index += run
                    continue
                }
                index += 1
            }
            if end == characters.count { noCloserFrom[delimiter] = min(noCloserFrom[delimiter] ?? start, start) }
            return nil
        }

        private func runLength(at index: Int, end: Int) -> Int {
            var length = 0
            while index + length < end, characters[index + length] == characters[index] { length += 1 }
            return length
        }
    }
}
