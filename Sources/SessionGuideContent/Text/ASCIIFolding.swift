import Foundation

/// ASCII stand-ins for everything the content may contain, for terminals that can't show UTF-8 (`LANG=C`, an
/// old console) or for `--ascii`: `→` becomes `->`, `—` `--`, curly quotes straight, bullets `*`. Accented
/// letters lose their accents. Nothing is left to print as `?` or mojibake except characters with no ASCII
/// relative at all, which become `?`.
public enum ASCIIFolding {
    static let table: [Character: String] = [
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "⇒": "=>", "—": "--", "–": "-", "‐": "-", "−": "-",
        "“": "\"", "”": "\"", "„": "\"", "«": "\"", "»": "\"", "‘": "'", "’": "'", "‚": "'", "′": "'", "″": "\"",
        "•": "*", "·": "-", "…": "...", "×": "x", "÷": "/", "›": ">", "‹": "<", "°": " deg", "±": "+/-",
        "≤": "<=", "≥": ">=", "≠": "!=", "½": "1/2", "¼": "1/4", "¾": "3/4", "©": "(c)", "®": "(R)", "™": "(TM)",
        "\u{00A0}": " ", "\u{2009}": " ", "\u{202F}": " ", "\u{200B}": "", "\u{FEFF}": "",
        "✓": "v", "✔": "v", "⚠": "!", "●": "*", "○": "o", "▸": ">", "▶": ">", "❚": "|", "█": "#", "░": ".",
        "▌": "|", "┃": "#", "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "ß": "ss", "æ": "ae",
        "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
    ]

    public static func fold(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 < 0x80 }) else { return text }
        var result = ""
        for character in text {
            if character.isASCII {
                result.append(character)
            } else if let standIn = table[character] {
                result += standIn
            } else {
                result += stripped(character)
            }
        }
        return result
    }

    /// `é` → `e`: the ASCII base letter of a decomposed character, or `?` when there is none.
    private static func stripped(_ character: Character) -> String {
        let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.filter(\.isASCII)
        return base.isEmpty ? "?" : String(String.UnicodeScalarView(base))
    }

    /// Stand-ins for one screen cell where the text stand-in is longer.
    static let cellTable: [Character: Character] = [
        "→": ">", "←": "<", "⇒": ">", "—": "-", "…": ".", "½": "h", "¼": "q", "¾": "t", "≤": "<", "≥": ">",
        "≠": "#", "±": "+", "©": "c", "®": "R", "™": "T", "ß": "s", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O",
    ]

    /// The same screen cell in ASCII: one character for one, so a laid-out grid keeps its shape.
    public static func foldCell(_ character: Character) -> Character {
        guard !character.isASCII else { return character }
        if let standIn = cellTable[character] { return standIn }
        let folded = fold(String(character))
        return folded.count == 1 ? folded.first! : (folded.first ?? "?")
    }
}

extension RichText {
    func asciiFolded() -> RichText { RichText(inlines.map { $0.asciiFolded() }) }
}

extension Inline {
    func asciiFolded() -> Inline {
        switch self {
        case .text(let text): .text(ASCIIFolding.fold(text))
        case .emphasis(let children): .emphasis(children.map { $0.asciiFolded() })
        case .strong(let children): .strong(children.map { $0.asciiFolded() })
        }
    }
}

extension Block {
    func asciiFolded() -> Block {
        switch self {
        case .paragraph(let text): return .paragraph(text.asciiFolded())
        case .bulletList(let items): return .bulletList(items.map { $0.asciiFolded() })
        case .numberedList(let items): return .numberedList(items.map { $0.asciiFolded() })
        case .quote(let paragraphs): return .quote(paragraphs.map { $0.asciiFolded() })
        case .script(var script):
            script.label = ASCIIFolding.fold(script.label)
            script.paragraphs = script.paragraphs.map { $0.asciiFolded() }
            return .script(script)
        case .drill: return self
        case .preformatted(var text):
            text.lines = text.lines.map(ASCIIFolding.fold)
            return .preformatted(text)
        }
    }
}

extension Section {
    func asciiFolded() -> Section {
        var section = self
        section.title = title.asciiFolded()
        section.blocks = blocks.map { $0.asciiFolded() }
        section.subsections = subsections.map { $0.asciiFolded() }
        return section
    }
}

extension Document {
    /// The document with every piece of text folded to ASCII.
    public func asciiFolded() -> Document {
        let fold = ASCIIFolding.fold
        switch self {
        case .session(var session):
            session.title = fold(session.title)
            session.goal = session.goal.map(fold)
            session.sections = session.sections.map { $0.asciiFolded() }
            return .session(session)
        case .drill(var drill):
            drill.title = fold(drill.title)
            drill.purpose = fold(drill.purpose)
            drill.equipment = drill.equipment.map(fold)
            drill.steps = drill.steps.map { $0.asciiFolded() }
            drill.cues = drill.cues.map { $0.asciiFolded() }
            drill.safety = drill.safety.map { $0.asciiFolded() }
            // The drawings are ASCII already (the parser sees to it); captions are ordinary text.
            drill.figures = drill.figures.map { Figure(caption: fold($0.caption), lines: $0.lines) }
            return .drill(drill)
        case .routine(var routine):
            routine.title = fold(routine.title)
            routine.goal = routine.goal.map(fold)
            routine.safety = fold(routine.safety)
            routine.introduction = routine.introduction.map { $0.asciiFolded() }
            return .routine(routine)
        case .deck(var deck):
            deck.title = fold(deck.title)
            deck.slides = deck.slides.map { slide in
                var slide = slide
                slide.title = slide.title.asciiFolded()
                slide.blocks = slide.blocks.map { $0.asciiFolded() }
                return slide
            }
            return .deck(deck)
        }
    }
}

extension ContentLibrary {
    /// Every document folded to ASCII, for terminals that can't show UTF-8.
    public func asciiFolded() -> ContentLibrary {
        var library = self
        library.foldDocuments()
        return library
    }
}
