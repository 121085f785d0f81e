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
    func mappingText(_ transform: (String) -> String) -> RichText {
        RichText(inlines.map { $0.mappingText(transform) })
    }
}

extension Inline {
    func mappingText(_ transform: (String) -> String) -> Inline {
        switch self {
        case .text(let text): .text(transform(text))
        case .emphasis(let children): .emphasis(children.map { $0.mappingText(transform) })
        case .strong(let children): .strong(children.map { $0.mappingText(transform) })
        case .link(let children, let url): .link(children.map { $0.mappingText(transform) }, url: transform(url))
        }
    }
}

extension Block {
    func mappingText(_ transform: (String) -> String, drawings: Bool) -> Block {
        switch self {
        case .paragraph(let text): return .paragraph(text.mappingText(transform))
        case .bulletList(let items): return .bulletList(items.map { $0.mappingText(transform) })
        case .numberedList(let items): return .numberedList(items.map { $0.mappingText(transform) })
        case .quote(let paragraphs): return .quote(paragraphs.map { $0.mappingText(transform) })
        case .script(var script):
            script.label = transform(script.label)
            script.paragraphs = script.paragraphs.map { $0.mappingText(transform) }
            return .script(script)
        case .drill: return self
        case .preformatted(var text):
            text.lines = text.lines.map(transform)
            return .preformatted(text)
        case .table(var table):
            table.header = table.header.map { $0.mappingText(transform) }
            table.rows = table.rows.map { $0.map { $0.mappingText(transform) } }
            return .table(table)
        }
    }
}

extension Section {
    func mappingText(_ transform: (String) -> String, drawings: Bool) -> Section {
        var section = self
        section.title = title.mappingText(transform)
        section.blocks = blocks.map { $0.mappingText(transform, drawings: drawings) }
        section.subsections = subsections.map { $0.mappingText(transform, drawings: drawings) }
        return section
    }
}

extension Document {
    /// The document with every piece of text folded to ASCII.
    public func asciiFolded() -> Document {
        // The drawings are ASCII already (the parser sees to it); captions are ordinary text.
        mappingText(ASCIIFolding.fold, drawings: false)
    }

    /// The document with `transform` applied to every piece of text it shows: titles, goals, purposes, steps,
    /// cues, safety notes, scripts, slides, fenced text, figure captions, and with `drawings` the figures' lines.
    /// (Folding to ASCII uses it; so do the tests that inject hostile text past the parser.)
    public func mappingText(_ transform: (String) -> String, drawings: Bool) -> Document {
        switch self {
        case .session(var session):
            session.title = transform(session.title)
            session.goal = session.goal.map(transform)
            session.sections = session.sections.map { $0.mappingText(transform, drawings: drawings) }
            return .session(session)
        case .drill(var drill):
            drill.title = transform(drill.title)
            drill.purpose = transform(drill.purpose)
            drill.equipment = drill.equipment.map(transform)
            drill.steps = drill.steps.map { $0.mappingText(transform) }
            drill.cues = drill.cues.map { $0.mappingText(transform) }
            drill.safety = drill.safety.map { $0.mappingText(transform, drawings: drawings) }
            drill.figures = drill.figures.map {
                Figure(caption: transform($0.caption), lines: drawings ? $0.lines.map(transform) : $0.lines)
            }
            return .drill(drill)
        case .routine(var routine):
            routine.title = transform(routine.title)
            routine.goal = routine.goal.map(transform)
            routine.safety = transform(routine.safety)
            routine.introduction = routine.introduction.map { $0.mappingText(transform, drawings: drawings) }
            return .routine(routine)
        case .deck(var deck):
            deck.title = transform(deck.title)
            deck.slides = deck.slides.map { slide in
                var slide = slide
                slide.title = slide.title.mappingText(transform)
                slide.blocks = slide.blocks.map { $0.mappingText(transform, drawings: drawings) }
                return slide
            }
            return .deck(deck)
        }
    }
}

extension ContentLibrary {
    /// Every document folded to ASCII, for terminals that can't show UTF-8.
    public func asciiFolded() -> ContentLibrary {
        mappingText(ASCIIFolding.fold, drawings: false)
    }

    /// Every document with `transform` applied to its text (see ``Document/mappingText(_:drawings:)``).
    public func mappingText(_ transform: (String) -> String, drawings: Bool) -> ContentLibrary {
        var library = self
        library.mapDocuments { $0.mappingText(transform, drawings: drawings) }
        return library
    }
}
