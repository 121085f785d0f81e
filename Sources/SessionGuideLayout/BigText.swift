import SessionGuideContent

/// Large block letters for headings read from across a room (`--large`, and the kiosk): a 3×5 pixel font of
/// capitals, digits and common punctuation, each pixel one or two cells wide.
public enum BigText {
    public static let height = 5

    private static let glyphs: [Character: [String]] = [
        "A": [" # ", "# #", "###", "# #", "# #"], "B": ["## ", "# #", "## ", "# #", "## "],
        "C": [" ##", "#  ", "#  ", "#  ", " ##"], "D": ["## ", "# #", "# #", "# #", "## "],
        "E": ["###", "#  ", "## ", "#  ", "###"], "F": ["###", "#  ", "## ", "#  ", "#  "],
        "G": [" ##", "#  ", "# #", "# #", " ##"], "H": ["# #", "# #", "###", "# #", "# #"],
        "I": ["###", " # ", " # ", " # ", "###"], "J": ["  #", "  #", "  #", "# #", " # "],
        "K": ["# #", "# #", "## ", "# #", "# #"], "L": ["#  ", "#  ", "#  ", "#  ", "###"],
        "M": ["# #", "###", "###", "# #", "# #"], "N": ["## ", "# #", "# #", "# #", "# #"],
        "O": [" # ", "# #", "# #", "# #", " # "], "P": ["## ", "# #", "## ", "#  ", "#  "],
        "Q": [" # ", "# #", "# #", "###", " ##"], "R": ["## ", "# #", "## ", "# #", "# #"],
        "S": [" ##", "#  ", " # ", "  #", "## "], "T": ["###", " # ", " # ", " # ", " # "],
        "U": ["# #", "# #", "# #", "# #", "###"], "V": ["# #", "# #", "# #", "# #", " # "],
        "W": ["# #", "# #", "###", "###", "# #"], "X": ["# #", "# #", " # ", "# #", "# #"],
        "Y": ["# #", "# #", " # ", " # ", " # "], "Z": ["###", "  #", " # ", "#  ", "###"],
        "0": ["###", "# #", "# #", "# #", "###"], "1": ["  #", "  #", "  #", "  #", "  #"],
        "2": ["###", "  #", "###", "#  ", "###"], "3": ["###", "  #", "###", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"], "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"], "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"], "9": ["###", "# #", "###", "  #", "###"],
        " ": ["  ", "  ", "  ", "  ", "  "], "-": ["   ", "   ", "###", "   ", "   "],
        "+": ["   ", " # ", "###", " # ", "   "], "/": ["  #", "  #", " # ", "#  ", "#  "],
        "?": ["## ", "  #", " # ", "   ", " # "], "!": ["#", "#", "#", " ", "#"], ".": [" ", " ", " ", " ", "#"],
        ",": [" ", " ", " ", "#", "#"], ":": [" ", "#", " ", "#", " "], "'": ["#", "#", " ", " ", " "],
        "&": [" # ", "# #", " # ", "# #", " ##"], "=": ["   ", "###", "   ", "###", "   "],
        ">": ["#  ", " # ", "  #", " # ", "#  "], "<": ["  #", " # ", "#  ", " # ", "  #"],
    ]

    /// The text as the font can show it: capitals, typographic marks folded to ASCII, unknown characters dropped.
    static func normalised(_ text: String) -> String {
        String(ASCIIFolding.fold(text).uppercased().filter { glyphs[$0] != nil })
    }

    /// Cells the text takes at a pixel width.
    public static func width(of text: String, pixelWidth: Int) -> Int {
        let normalised = normalised(text)
        let pixels = normalised.reduce(0) { $0 + (glyphs[$1]?[0].count ?? 0) } + max(0, normalised.count - 1)
        return pixels * pixelWidth
    }

    /// Five lines drawing `text` in block letters.
    public static func render(_ text: String, pixelWidth: Int = 1, pixel: Character = "█") -> [String] {
        let normalised = normalised(text)
        return (0..<height).map { row in
            normalised.map { character -> String in
                (glyphs[character]?[row] ?? "").map { $0 == "#" ? String(repeating: pixel, count: pixelWidth)
                    : String(repeating: " ", count: pixelWidth) }.joined()
            }.joined(separator: String(repeating: " ", count: pixelWidth))
        }
    }

    /// A heading in block letters, broken into lines of whole words that fit `width`, at most `maximumLines` of
    /// them; nil when it can't fit, so the caller uses ordinary text.
    public static func heading(_ text: String, width: Int, maximumLines: Int = 2) -> [String]? {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if self.width(of: candidate, pixelWidth: 1) <= width {
                current = candidate
            } else {
                guard !current.isEmpty, self.width(of: word, pixelWidth: 1) <= width else { return nil }
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        guard !lines.isEmpty, lines.count <= maximumLines else { return nil }
        return lines.flatMap { line in render(line) + [""] }.dropLast()
    }
}
