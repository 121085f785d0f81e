/// Large digits for timers that are read from across a room: a 3×5 pixel font, each pixel two cells wide when
/// there is room for it.
public enum BigDigits {
    public static let height = 5

    private static let glyphs: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"],
        "1": ["  #", "  #", "  #", "  #", "  #"],
        "2": ["###", "  #", "###", "#  ", "###"],
        "3": ["###", "  #", "###", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"],
        "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"],
        "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"],
        "9": ["###", "# #", "###", "  #", "###"],
        ":": [" ", "#", " ", "#", " "],
        " ": [" ", " ", " ", " ", " "],
    ]

    /// Cells `text` takes at a pixel width (1 or 2).
    public static func width(of text: String, pixelWidth: Int) -> Int {
        let pixels = text.reduce(0) { $0 + (glyphs[$1]?[0].count ?? 3) } + max(0, text.count - 1)
        return pixels * pixelWidth
    }

    /// Five lines of `pixel` characters drawing `text` (digits, colon and space).
    public static func render(_ text: String, pixelWidth: Int = 2, pixel: Character = "█") -> [String] {
        (0..<height).map { row in
            text.map { character -> String in
                let rowPixels = glyphs[character]?[row] ?? "   "
                return rowPixels.map { $0 == "#" ? String(repeating: pixel, count: pixelWidth)
                    : String(repeating: " ", count: pixelWidth) }.joined()
            }.joined(separator: String(repeating: " ", count: pixelWidth))
        }
    }
}
