import SessionGuideContent

/// Big letters and digits for what is read from across a room: timers, headings, the kiosk's headline. One 5×7
/// bitmap font (capitals, digits, colon and common punctuation), scaled by whole cells to the largest size that
/// fits the room a screen gives it. With half blocks (▀ ▄ █) each cell holds two pixel rows, so a pixel is as
/// tall as it is wide; with full blocks (for ASCII terminals, where `█` becomes `#`) a pixel is two cells wide
/// and one tall. A clock's digits are drawn a little narrower than square once they are big (`condensed`).
public enum BigFont {
    /// Pixel rows of every glyph.
    public static let glyphHeight = 7

    /// The rows screens give a line of big text at the least: what the older 3×5 font took, so that a screen
    /// keeps its shape at the small sizes where the smallest letters (4 rows of half blocks) are drawn.
    public static let minimumLineRows = 5

    /// How pixels become cells.
    public enum Pixels: Hashable, Sendable {
        /// ▀ ▄ █: two pixel rows per cell row. Needs a UTF-8 terminal.
        case halfBlocks
        /// █ only, one pixel row per cell row: what folds to `#` on an ASCII terminal.
        case fullBlocks

        /// Half blocks unless only ASCII reaches the terminal.
        public init(ascii: Bool) { self = ascii ? .fullBlocks : .halfBlocks }
    }

    /// The size of one pixel: `columns` cells wide and `rows` pixel rows tall (half cells with half blocks).
    public struct Scale: Hashable, Sendable, CustomStringConvertible {
        public var columns: Int
        public var rows: Int

        public init(columns: Int, rows: Int) {
            self.columns = max(1, columns)
            self.rows = max(1, rows)
        }

        public var description: String { "\(columns)×\(rows)" }
    }

    /// Text drawn in the font: lines of equal display width.
    public struct Drawing: Hashable, Sendable {
        public var lines: [String]
        public var width: Int
        public var scale: Scale
        public var height: Int { lines.count }
    }

    // MARK: - Measuring

    /// The text as the font can show it: capitals, the font's own marks (· →) kept, other typographic marks
    /// folded to ASCII, unknown characters as `?`.
    static func normalised(_ text: String) -> String {
        // Most text (a clock, a phase word) is already in the font: no case mapping or folding to do.
        if text.allSatisfy({ glyphs[$0] != nil }) { return text }
        let kept = text.uppercased().map { glyphs[$0] != nil ? String($0) : ASCIIFolding.fold(String($0)).uppercased() }
        return String(kept.joined().map { glyphs[$0] == nil ? "?" : $0 })
    }

    /// Pixel columns `text` takes, one blank column between glyphs.
    public static func pixelWidth(of text: String) -> Int {
        let text = normalised(text)
        var width = 0, count = 0
        for character in text {
            width += glyphs[character]?[0].count ?? 0
            count += 1
        }
        return width + max(0, count - 1)
    }

    /// Cells `text` takes across at a scale.
    public static func width(of text: String, scale: Scale) -> Int { pixelWidth(of: text) * scale.columns }

    /// Cell rows a line of the font takes at a scale.
    public static func height(scale: Scale, pixels: Pixels) -> Int {
        let pixelRows = glyphHeight * scale.rows
        return pixels == .halfBlocks ? (pixelRows + 1) / 2 : pixelRows
    }

    /// The rows of the smallest scale whose letters are at least `rows` tall: the least height a "take at least
    /// this much" rule can give whole-pixel letters.
    public static func rowsReaching(_ rows: Int, pixels: Pixels) -> Int {
        scales(pixels, largest: max(1, rows * 2 / glyphHeight + 2)).reversed()
            .map { height(scale: $0, pixels: pixels) }.first { $0 >= rows } ?? rows
    }

    /// Every scale, largest first, up to pixels `largest` rows tall: square pixels (a cell is about twice as tall
    /// as it is wide), then, with full blocks, one-cell pixels for a narrow screen.
    ///
    /// `condensed` is for a clock's digits: from 4 pixel rows up, each pixel is one column (two in full blocks)
    /// narrower than square, as a display clock's digits are. On a big screen that keeps them a readable shape
    /// and takes a sixth or so off the cells, and so the bytes, that each second's change of digits costs.
    public static func scales(_ pixels: Pixels, largest: Int = 24, condensed: Bool = false) -> [Scale] {
        let narrower = { (size: Int) in condensed && size >= condensedFrom ? 1 : 0 }
        switch pixels {
        case .halfBlocks: return (1...max(1, largest)).reversed().map { Scale(columns: $0 - narrower($0), rows: $0) }
        case .fullBlocks: return (1...max(1, largest)).reversed().map { Scale(columns: 2 * ($0 - narrower($0)), rows: $0) }
            + [Scale(columns: 1, rows: 1)]
        }
    }

    /// The pixel size from which `condensed` scales are narrower than square.
    public static let condensedFrom = 4

    /// The scales at which `text` fits in `width` × `height` cells, largest first.
    public static func fittingScales(_ text: String, width: Int, height: Int, pixels: Pixels,
                                     condensed: Bool = false) -> [Scale] {
        let pixelWidth = pixelWidth(of: text)
        let largest = max(1, height * 2 / glyphHeight)
        return scales(pixels, largest: largest, condensed: condensed).filter {
            pixelWidth * $0.columns <= width && self.height(scale: $0, pixels: pixels) <= height
        }
    }

    /// `text` at the largest scale that fits in `width` × `height` cells; nil when even the smallest doesn't.
    public static func fitting(_ text: String, width: Int, height: Int, pixels: Pixels,
                               condensed: Bool = false) -> Drawing? {
        fittingScales(text, width: width, height: height, pixels: pixels, condensed: condensed).first.map {
            render(text, scale: $0, pixels: pixels)
        }
    }

    // MARK: - Drawing

    /// The glyphs of `text` side by side, one blank column between them: `glyphHeight` rows of pixels.
    public static func bitmap(_ text: String) -> [[Bool]] {
        let glyphs = normalised(text).compactMap { glyphBits[$0] }
        return (0..<glyphHeight).map { row in
            var pixels: [Bool] = []
            for (index, glyph) in glyphs.enumerated() {
                if index > 0 { pixels.append(false) }
                pixels += glyph[row]
            }
            return pixels
        }
    }

    /// The glyphs as pixels, worked out once.
    private static let glyphBits: [Character: [[Bool]]] = glyphs.mapValues { rows in rows.map { $0.map { $0 == "#" } } }

    /// `text` drawn at `scale`.
    public static func render(_ text: String, scale: Scale, pixels: Pixels) -> Drawing {
        let bitmap = bitmap(text)
        let width = (bitmap.first?.count ?? 0) * scale.columns
        // Pixel row `row` of the drawing (each bitmap row repeated `scale.rows` times).
        let pixelRows = bitmap.count * scale.rows
        func lit(_ row: Int, _ pixel: Int) -> Bool { row < pixelRows && bitmap[row / scale.rows][pixel] }
        let step = pixels == .halfBlocks ? 2 : 1
        var lines: [String] = []
        lines.reserveCapacity((pixelRows + step - 1) / step)
        for top in stride(from: 0, to: pixelRows, by: step) {
            var line = String.UnicodeScalarView()
            for pixel in 0..<(bitmap.first?.count ?? 0) {
                let glyph: Unicode.Scalar
                switch (lit(top, pixel), pixels == .halfBlocks && lit(top + 1, pixel)) {
                case (true, true): glyph = "█"
                case (true, false): glyph = pixels == .halfBlocks ? "▀" : "█"
                case (false, true): glyph = "▄"
                case (false, false): glyph = " "
                }
                for _ in 0..<scale.columns { line.append(glyph) }
            }
            lines.append(String(line))
        }
        return Drawing(lines: lines, width: width, scale: scale)
    }

    /// A heading broken into lines of whole words, at the largest scale at which at most `maximumLines` of them
    /// fit in `width` × `height` cells, with a blank row between lines; nil when it can't fit at all, so the
    /// caller uses ordinary text.
    /// - Parameters:
    ///   - lineHeight: the most rows one line of letters may take.
    ///   - minimumLineHeight: rows each line takes at least, made up by blank rows below the heading.
    ///   - centred: each line centred in the widest, else all start at the left.
    public static func heading(_ text: String, width: Int, height: Int, lineHeight: Int? = nil,
                               minimumLineHeight: Int = 0, maximumLines: Int = 2, centred: Bool = false,
                               pixels: Pixels) -> Drawing? {
        let words = text.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        let tallest = min(height, lineHeight ?? height)
        for scale in scales(pixels, largest: max(1, tallest * 2 / glyphHeight)) {
            let lineHeight = self.height(scale: scale, pixels: pixels)
            guard lineHeight <= tallest, let lines = wrap(words, width: width, scale: scale),
                  lines.count <= maximumLines else { continue }
            // Blank rows below the letters make up the rows the lines take at least.
            let rows = lines.count * (max(lineHeight, minimumLineHeight) + 1) - 1
            guard rows <= height else { continue }
            let drawings = lines.map { render($0, scale: scale, pixels: pixels) }
            let widest = drawings.map(\.width).max() ?? 0
            let blank = String(repeating: " ", count: widest)
            let padded = drawings.map { drawing in
                let left = centred ? (widest - drawing.width) / 2 : 0
                return drawing.lines.map {
                    String(repeating: " ", count: left) + $0 + String(repeating: " ", count: widest - drawing.width - left)
                }
            }
            let drawn = Array(padded.joined(separator: [blank]))
            return Drawing(lines: drawn + Array(repeating: blank, count: rows - drawn.count), width: widest,
                           scale: scale)
        }
        return nil
    }

    /// Words joined into lines that fit `width` at `scale`; nil when a word alone is too wide.
    private static func wrap(_ words: [String], width: Int, scale: Scale) -> [String]? {
        // A line's pixel width is its words' widths plus, between two words, a space and its two blank columns.
        let wordWidths = words.map(pixelWidth(of:))
        let between = pixelWidth(of: " ") + 2
        let widest = width / scale.columns
        var lines: [String] = []
        var current = "", currentWidth = 0
        for (word, wordWidth) in zip(words, wordWidths) {
            let candidateWidth = current.isEmpty ? wordWidth : currentWidth + between + wordWidth
            if candidateWidth <= widest {
                current = current.isEmpty ? word : current + " " + word
                currentWidth = candidateWidth
            } else {
                guard !current.isEmpty, wordWidth <= widest else { return nil }
                lines.append(current)
                (current, currentWidth) = (word, wordWidth)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    // MARK: - Reading

    /// Where a screen shows one of `candidates` in the font, at any scale, in half or full blocks (or the `#`
    /// they fold to): the text, the first line and the lines it takes. For tests and tools that read a screen
    /// (a timer's seconds, how tall its digits are) without knowing the size it was drawn at.
    public struct Found: Hashable, Sendable {
        public var text: String
        public var top: Int
        public var height: Int
        public var scale: Scale
    }

    public static func find(_ candidates: [String], in lines: [String]) -> Found? {
        let characters = lines.map(Array.init)
        let width = characters.map(\.count).max() ?? 0
        func cell(_ line: Int, _ column: Int) -> Character {
            column < characters[line].count ? characters[line][column] : " "
        }
        let bitmaps = candidates.map { (text: $0, pixels: bitmap($0)) }
        for pixels in [Pixels.halfBlocks, .fullBlocks] {
            // The screen as pixel rows: two a line in half blocks, one in full blocks.
            var rows: [[Bool]] = []
            for line in characters.indices {
                if pixels == .halfBlocks {
                    rows.append((0..<width).map { ["█", "▀"].contains(cell(line, $0)) })
                    rows.append((0..<width).map { ["█", "▄"].contains(cell(line, $0)) })
                } else {
                    rows.append((0..<width).map { ["█", "#"].contains(cell(line, $0)) })
                }
            }
            // Each run of rows with something lit, as tall as a line of the font at some scale.
            var start = 0
            while start < rows.count {
                guard rows[start].contains(true) else { start += 1; continue }
                var end = start
                while end < rows.count, rows[end].contains(true) { end += 1 }
                defer { start = end }
                let runHeight = end - start
                guard runHeight % glyphHeight == 0 else { continue }
                let rowScale = runHeight / glyphHeight
                let litColumn = (0..<width).map { column in (start..<end).contains { rows[$0][column] } }
                // The text may share its rows with other big text (a phase's word beside a timer): it may start
                // at any lit column after a blank one, and must have blank columns either side.
                let starts = (0..<width).filter { litColumn[$0] && ($0 == 0 || !litColumn[$0 - 1]) }
                // Pixels as wide as any scale of that height draws them: square, or condensed (a clock's digits).
                let columnScales = Set((scales(pixels, largest: rowScale) + scales(pixels, largest: rowScale, condensed: true))
                    .filter { $0.rows == rowScale }.map(\.columns)).sorted(by: >)
                for columnScale in columnScales {
                    for (text, bitmap) in bitmaps {
                        let litColumns = (0..<(bitmap.first?.count ?? 0)).filter { column in
                            bitmap.contains { $0[column] }
                        }
                        guard let first = litColumns.first, let last = litColumns.last else { continue }
                        for left in starts {
                            let right = left + (last - first + 1) * columnScale - 1
                            // Two blank pixels each side at least: more than between two glyphs of one text.
                            let margin = 2 * columnScale
                            guard right < width, litColumn[right],
                                  !(max(0, left - margin)..<left).contains(where: { litColumn[$0] }),
                                  !((right + 1)..<min(width, right + 1 + margin)).contains(where: { litColumn[$0] })
                            else { continue }
                            let origin = left - first * columnScale
                            let matches = bitmap.indices.allSatisfy { row in
                                bitmap[row].indices.allSatisfy { column in
                                    let x = origin + column * columnScale + columnScale / 2
                                    let shown = x >= 0 && x < width && rows[start + row * rowScale + rowScale / 2][x]
                                    return shown == bitmap[row][column]
                                }
                            }
                            guard matches else { continue }
                            let top = pixels == .halfBlocks ? start / 2 : start
                            let bottom = pixels == .halfBlocks ? (end + 1) / 2 : end
                            return Found(text: text, top: top, height: bottom - top,
                                         scale: Scale(columns: columnScale, rows: rowScale))
                        }
                    }
                }
            }
        }
        return nil
    }

    /// Every clock from 0:00 to 9:59, for `find`.
    public static let clocks: [String] = (0..<600).map { "\($0 / 60):" + ($0 % 60 < 10 ? "0" : "") + "\($0 % 60)" }

    // MARK: - Glyphs

    /// 5×7 capitals and digits; punctuation as narrow as it can be. O is round, D flat on the left, 0 slashed;
    /// W has its middle stroke at the bottom, H its bar in the middle; 1 has a flag and a foot, I two bars;
    /// 5 a flat top, S a round one.
    static let glyphs: [Character: [String]] = [
        "A": [" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"],
        "B": ["#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "],
        "C": [" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "],
        "D": ["###  ", "#  # ", "#   #", "#   #", "#   #", "#  # ", "###  "],
        "E": ["#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"],
        "F": ["#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "],
        "G": [" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"],
        "H": ["#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"],
        "I": ["###", " # ", " # ", " # ", " # ", " # ", "###"],
        "J": ["  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "],
        "K": ["#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"],
        "L": ["#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"],
        "M": ["#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"],
        "N": ["#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #"],
        "O": [" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
        "P": ["#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "],
        "Q": [" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"],
        "R": ["#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"],
        "S": [" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "],
        "T": ["#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "],
        "U": ["#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
        "V": ["#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "],
        "W": ["#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "],
        "X": ["#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"],
        "Y": ["#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "],
        "Z": ["#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"],
        "0": [" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "],
        "1": ["  #  ", " ##  ", "# #  ", "  #  ", "  #  ", "  #  ", "#####"],
        "2": [" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"],
        "3": ["#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "],
        "4": ["   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "],
        "5": ["#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "],
        "6": ["  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "],
        "7": ["#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "],
        "8": [" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "],
        "9": [" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "],
        ":": ["  ", "##", "##", "  ", "##", "##", "  "],
        " ": ["   ", "   ", "   ", "   ", "   ", "   ", "   "],
        ".": [" ", " ", " ", " ", " ", " ", "#"],
        ",": ["  ", "  ", "  ", "  ", "  ", " #", "# "],
        "!": ["#", "#", "#", "#", "#", " ", "#"],
        "'": ["#", "#", " ", " ", " ", " ", " "],
        "\"": ["# #", "# #", "   ", "   ", "   ", "   ", "   "],
        "?": [" ### ", "#   #", "    #", "   # ", "  #  ", "     ", "  #  "],
        "-": ["    ", "    ", "    ", "####", "    ", "    ", "    "],
        "+": ["     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "],
        "=": ["    ", "    ", "####", "    ", "####", "    ", "    "],
        "/": ["    #", "    #", "   # ", "  #  ", " #   ", "#    ", "#    "],
        "(": ["  #", " # ", "#  ", "#  ", "#  ", " # ", "  #"],
        ")": ["#  ", " # ", "  #", "  #", "  #", " # ", "#  "],
        "<": ["   #", "  # ", " #  ", "#   ", " #  ", "  # ", "   #"],
        ">": ["#   ", " #  ", "  # ", "   #", "  # ", " #  ", "#   "],
        "&": [" ##  ", "#  # ", "# #  ", " #   ", "# # #", "#  # ", " ## #"],
        "%": ["##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"],
        // A phase's words: "WORK · LEFT", "SWITCH SIDES → RIGHT".
        "·": ["  ", "  ", "  ", "##", "##", "  ", "  "],
        "→": ["      ", "   #  ", "    # ", "######", "    # ", "   #  ", "      "],
    ]
}
