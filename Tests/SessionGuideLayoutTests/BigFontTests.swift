import Foundation
import SessionGuideContent
import Testing
@testable import SessionGuideLayout

@Suite("BigFont: one scalable font for digits and letters")
struct BigFontTests {
    /// Letters that the 3×5 font drew alike, or nearly: each pair must differ as bitmaps.
    @Test(arguments: [("W", "H"), ("O", "D"), ("O", "0"), ("D", "0"), ("1", "L"), ("1", "I"), ("I", "L"),
                      ("5", "S"), ("8", "B"), ("2", "Z"), ("M", "N"), ("U", "V"), ("G", "C"), ("Q", "O")])
    func glyphsAreDistinct(pair: (String, String)) {
        #expect(BigFont.bitmap(pair.0) != BigFont.bitmap(pair.1), "\(pair.0) and \(pair.1) look alike")
    }

    @Test func everyLetterAndDigitIsFiveBySevenAndUnique() {
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        for character in characters {
            let glyph = BigFont.glyphs[character]
            #expect(glyph?.count == BigFont.glyphHeight, "\(character)")
            // I is the one narrow letter: three pixels, so that it doesn't read as a 1 or an l.
            #expect(glyph?.allSatisfy { $0.count == (character == "I" ? 3 : 5) } == true, "\(character)")
        }
        let bitmaps = characters.map { BigFont.bitmap(String($0)) }
        #expect(Set(bitmaps).count == characters.count)
        // Every digit is as wide as the next, so a running clock keeps its place and its size.
        #expect(Set("0123456789".map { BigFont.pixelWidth(of: String($0)) }).count == 1)
        // Lower case draws as capitals; the font has no glyph left out of what the screens show.
        #expect(BigFont.bitmap("get ready") == BigFont.bitmap("GET READY"))
        for character in ":.,!?'-+/()&%=<>\"" { #expect(BigFont.glyphs[character] != nil, "\(character)") }
    }

    @Test func rowsAndColumnsAreExact() {
        // "0:40": three digits of 5, a colon of 2, three gaps of 1.
        #expect(BigFont.pixelWidth(of: "0:40") == 20)
        for size in 1...9 {
            let scale = BigFont.Scale(columns: size, rows: size)
            let half = BigFont.render("0:40", scale: scale, pixels: .halfBlocks)
            #expect(half.height == (7 * size + 1) / 2)
            #expect(half.width == 20 * size)
            #expect(half.lines.allSatisfy { DisplayWidth.of($0) == 20 * size })
            let full = BigFont.render("0:40", scale: BigFont.Scale(columns: 2 * size, rows: size), pixels: .fullBlocks)
            #expect(full.height == 7 * size)
            #expect(full.lines.allSatisfy { $0.count == 40 * size && $0.allSatisfy { $0 == "█" || $0 == " " } })
        }
    }

    @Test func scalingPicksTheLargestSizeThatFits() throws {
        // 200 columns hold "0:40" at 10 columns a pixel; 60 rows don't limit it.
        let wide = try #require(BigFont.fitting("0:40", width: 200, height: 60, pixels: .halfBlocks))
        #expect(wide.scale == BigFont.Scale(columns: 10, rows: 10))
        #expect(wide.height == 35)
        // One column fewer and the next size down.
        #expect(BigFont.fitting("0:40", width: 199, height: 60, pixels: .halfBlocks)?.scale.rows == 9)
        // The height limits it: 18 rows hold 5 pixels a row (35 pixel rows), not 6 (42).
        #expect(BigFont.fitting("0:40", width: 200, height: 18, pixels: .halfBlocks)?.scale.rows == 5)
        #expect(BigFont.fitting("0:40", width: 200, height: 17, pixels: .halfBlocks)?.scale.rows == 4)
        // The smallest: 20 × 4; below that, nothing.
        #expect(BigFont.fitting("0:40", width: 20, height: 4, pixels: .halfBlocks)?.height == 4)
        #expect(BigFont.fitting("0:40", width: 19, height: 4, pixels: .halfBlocks) == nil)
        #expect(BigFont.fitting("0:40", width: 20, height: 3, pixels: .halfBlocks) == nil)
        // Full blocks (ASCII): pixels two columns wide, then one where two don't fit.
        #expect(BigFont.fitting("0:40", width: 40, height: 7, pixels: .fullBlocks)?.scale
                    == BigFont.Scale(columns: 2, rows: 1))
        #expect(BigFont.fitting("0:40", width: 39, height: 7, pixels: .fullBlocks)?.scale
                    == BigFont.Scale(columns: 1, rows: 1))
        // Whatever fits is the largest: nothing bigger also fits.
        for (width, height) in [(80, 24), (120, 40), (200, 60), (300, 90), (45, 11)] {
            let drawing = try #require(BigFont.fitting("12:34", width: width, height: height, pixels: .halfBlocks))
            #expect(drawing.width <= width && drawing.height <= height)
            let next = BigFont.Scale(columns: drawing.scale.columns + 1, rows: drawing.scale.rows + 1)
            let bigger = BigFont.render("12:34", scale: next, pixels: .halfBlocks)
            #expect(bigger.width > width || bigger.height > height)
        }
    }

    @Test func halfBlocksDrawAKnownGlyph() {
        let one = BigFont.render("W0", scale: BigFont.Scale(columns: 1, rows: 1), pixels: .halfBlocks)
        #expect(one.lines == [
            "█   █ ▄▀▀▀▄",
            "█ ▄ █ █ ▄▀█",
            "█ █ █ █▀  █",
            " ▀ ▀   ▀▀▀ ",
        ])
        let two = BigFont.render("5", scale: BigFont.Scale(columns: 2, rows: 2), pixels: .halfBlocks)
        #expect(two.lines == [
            "██████████",
            "██        ",
            "████████  ",
            "        ██",
            "        ██",
            "██      ██",
            "  ██████  ",
        ])
        // Full blocks fold to "#" on an ASCII terminal, cell for cell.
        let ascii = BigFont.render("1", scale: BigFont.Scale(columns: 1, rows: 1), pixels: .fullBlocks)
        #expect(ascii.lines.map { $0.replacingOccurrences(of: "█", with: "#") }
                    == ["  #  ", " ##  ", "# #  ", "  #  ", "  #  ", "  #  ", "#####"])
    }

    @Test func findReadsWhatWasDrawnAtAnyScale() throws {
        for pixels in [BigFont.Pixels.halfBlocks, .fullBlocks] {
            // Every scale letters and clock digits are drawn at.
            for scale in Set(BigFont.scales(pixels, largest: 6) + BigFont.scales(pixels, largest: 6, condensed: true)) {
                let drawing = BigFont.render("7:29", scale: scale, pixels: pixels)
                let screen = ["header", ""] + drawing.lines.map { "   " + $0 } + ["", "▶ RUNNING  [████░░░░]"]
                let found = try #require(BigFont.find(BigFont.clocks, in: screen), "\(scale) \(pixels)")
                #expect(found.text == "7:29")
                #expect(found.top == 2)
                #expect(found.height == drawing.height)
                // ASCII: the same, folded.
                if pixels == .fullBlocks {
                    let folded = screen.map { $0.replacingOccurrences(of: "█", with: "#") }
                    #expect(BigFont.find(BigFont.clocks, in: folded)?.text == "7:29")
                }
            }
        }
        #expect(BigFont.find(BigFont.clocks, in: ["0:37  ▶ RUNNING"]) == nil)
    }

    @Test func clockDigitsAreCondensedFromFourPixelRowsUp() throws {
        // Square pixels below 4 rows; one column narrower from there (two in full blocks, which are two a pixel).
        let half = BigFont.scales(.halfBlocks, largest: 6, condensed: true)
        #expect(half == [.init(columns: 5, rows: 6), .init(columns: 4, rows: 5), .init(columns: 3, rows: 4),
                         .init(columns: 3, rows: 3), .init(columns: 2, rows: 2), .init(columns: 1, rows: 1)])
        let full = BigFont.scales(.fullBlocks, largest: 5, condensed: true)
        #expect(full == [.init(columns: 8, rows: 5), .init(columns: 6, rows: 4), .init(columns: 6, rows: 3),
                         .init(columns: 4, rows: 2), .init(columns: 2, rows: 1), .init(columns: 1, rows: 1)])
        // The same height as square digits, in fewer columns: at 200×60 a routine's third (21 rows) is 6 pixel
        // rows of 5 columns.
        let digits = try #require(BigFont.fitting("4:58", width: 198, height: 21, pixels: .halfBlocks, condensed: true))
        #expect(digits.scale == BigFont.Scale(columns: 5, rows: 6))
        #expect(digits.height == 21)
        #expect(digits.width == BigFont.pixelWidth(of: "4:58") * 5)
        // Letters stay square.
        #expect(BigFont.fitting("4:58", width: 198, height: 21, pixels: .halfBlocks)?.scale
                    == BigFont.Scale(columns: 6, rows: 6))
        // The least height reaching a row count: whole scales only.
        #expect(BigFont.rowsReaching(20, pixels: .halfBlocks) == 21)
        #expect(BigFont.rowsReaching(21, pixels: .halfBlocks) == 21)
        #expect(BigFont.rowsReaching(8, pixels: .halfBlocks) == 11)
        #expect(BigFont.rowsReaching(20, pixels: .fullBlocks) == 21)
    }
}
