@testable import SessionGuideLayout
import SessionGuideContent
import SessionGuideEngine
import Testing

/// The session's pop-ups (contents, keys, quit) over a running drill timer, from the smallest screen drawn up to
/// a waiting-room TV: a whole box with its border, on a blank body, never cutting through live content.
@Suite("Overlays over a running timer")
struct OverlaySnapshotTests {
    static let sizes = [Size(width: 30, height: 8), Size(width: 40, height: 12), Size(width: 80, height: 24),
                        Size(width: 120, height: 40), Size(width: 200, height: 60)]

    enum Kind: String, CaseIterable { case contents, help, quit }

    /// Treatment 8 on the cat-cow step, its timer running for 8 s, then the overlay opened.
    static func screen(_ kind: Kind, size: Size) throws -> (grid: Grid, engine: SessionEngine) {
        var driver = try SessionDriver(size: size)
        driver.goToStep(SessionSnapshotTests.catCowStep)
        driver.press(.character(" "), at: .ms(0))
        driver.press(.character(kind == .contents ? "t" : kind == .help ? "?" : "q"), at: .seconds(8))
        #expect(driver.engine.timers[SessionSnapshotTests.catCowStep - 1]?.isRunning == true)
        #expect(driver.engine.overlay != nil)
        return (driver.render().grid, driver.engine)
    }

    /// The box's outer rectangle, from its corners.
    static func box(in grid: Grid) -> (left: Int, top: Int, right: Int, bottom: Int)? {
        for row in 0..<grid.size.height {
            for column in 0..<grid.size.width where grid[column, row].character == "┌" {
                guard let right = (column..<grid.size.width).first(where: { grid[$0, row].character == "┐" }),
                      let bottom = (row..<grid.size.height).first(where: { grid[column, $0].character == "└" })
                else { return nil }
                return (column, row, right, bottom)
            }
        }
        return nil
    }

    /// Cells between the header and the keys, outside the box, that are not blank.
    static func stray(in grid: Grid, outside box: (left: Int, top: Int, right: Int, bottom: Int)) -> [String] {
        var found: [String] = []
        for row in 1..<(grid.size.height - 1) {
            for column in 0..<grid.size.width
            where !(box.left...box.right).contains(column) || !(box.top...box.bottom).contains(row) {
                let cell = grid[column, row]
                if cell.character != " " || cell.style != .normal {
                    found.append("'\(cell.character)' \(cell.style.role) at \(column),\(row)")
                }
            }
        }
        return found
    }

    @Test("each overlay is a whole box on a blank body",
          arguments: Kind.allCases.flatMap { kind in sizes.map { (kind, $0) } })
    func overlay(kind: Kind, size: Size) throws {
        let (grid, _) = try Self.screen(kind, size: size)
        let name = "overlay-\(kind.rawValue)-running-\(size.name)"
        let box = try #require(Self.box(in: grid), "\(name): no box\n\(grid.text)")
        // Between the header and the keys, never over them, and its border whole.
        #expect(box.top >= 1 && box.bottom <= size.height - 2, "\(name): rows \(box.top)…\(box.bottom)")
        #expect(box.left >= 0 && box.right < size.width)
        #expect(grid[box.right, box.bottom].character == "┘")
        for row in (box.top + 1)..<box.bottom {
            #expect(grid[box.left, row].character == "│" && grid[box.right, row].character == "│",
                    "\(name): side broken at row \(row)")
        }
        // Nothing of the screen underneath is left around the box: no half digits, bar or RUNNING line.
        let stray = Self.stray(in: grid, outside: box)
        #expect(stray.isEmpty, "\(name): \(stray.prefix(5)) outside the box\n\(grid.text)")
        // The header and the keys stay.
        #expect(grid[0, 0].style.role == .bar && grid[0, size.height - 1].style.role == .bar)
        let text = grid.text
        switch kind {
        case .contents:
            #expect(text.contains("Contents") && text.contains("Esc"), "\(name)")
            // The highlighted step is in view.
            #expect(text.contains("● 5."), "\(name)")
        case .help:
            #expect(text.contains("Keys") && text.contains("closes this"), "\(name)")
        case .quit:
            #expect(text.contains("y quit") && text.contains("n keep going"), "\(name)")
            #expect(text.contains("still") && text.contains("running."), "\(name)")
            // Which timer is running and how long it has left, since the timer itself is hidden.
            if size.height > 8 { #expect(text.contains("Cat-cow 0:32"), "\(name)") }
        }
        assertScreen(grid, named: name)
    }

    @Test("the check catches a box that leaves live content beside it", arguments: [Kind.contents, .quit])
    func checkCanFail(kind: Kind) throws {
        let size = Size(width: 80, height: 24)
        let (overlay, _) = try Self.screen(kind, size: size)
        let box = try #require(Self.box(in: overlay))
        // The screen under the overlay, with the box's rectangle cut out of it: what the old box left around it
        // (the big digits' top row above the contents, the bar and the step's text beside "Quit?").
        var driver = try SessionDriver(size: size)
        driver.goToStep(SessionSnapshotTests.catCowStep)
        driver.press(.character(" "), at: .ms(0))
        driver.wait(until: .seconds(8))
        let under = driver.render().grid
        #expect(under.text.contains("RUNNING"))
        #expect(!Self.stray(in: under, outside: box).isEmpty)
    }

    // MARK: - The session's goal

    @Test("the goal is at the top of the first step, for the therapist only", arguments: [Size(width: 80, height: 24), Size(width: 40, height: 12)])
    func goalOnFirstStep(size: Size) throws {
        var driver = try SessionDriver(size: size)
        let lines = driver.render().grid.text.components(separatedBy: "\n")
        let goalRow = try #require(lines.firstIndex { $0.hasPrefix(" Goal: Explain how hip mobility") },
                                   "\(lines.joined(separator: "\n"))")
        #expect(goalRow <= 3, "the goal opens the step's body")
        // At most a third of the body, so the step's own text starts in view on a small screen too.
        #expect(lines.contains { $0.hasPrefix("  • Mobility is controlled movement.") },
                "\(lines.joined(separator: "\n"))")
        // The text of a row without the scroll bar.
        let text = { (row: Int) in String(lines[row].reversed().drop { " ┃│↑↓".contains($0) }.reversed()) }
        if size.height < 24 { #expect(text(goalRow + 1).hasSuffix("…"), "\(lines[goalRow + 1])") }
        else { #expect(text(goalRow + 2).hasSuffix("massage benefits."), "the whole goal at 80×24") }
        // Written for the therapist ("Explain how…"), so it goes with the scripts when the screen is turned.
        driver.press(.character("s"), at: .seconds(5))
        #expect(!driver.render().grid.text.contains("Goal:"))
        driver.press(.character("s"), .right, at: .seconds(10))
        #expect(!driver.render().grid.text.contains("Goal:"), "only on the first step")
    }

    @Test("the goal is under the contents' title, and cut with … where the box is short")
    func goalInContents() throws {
        let (big, _) = try Self.screen(.contents, size: Size(width: 80, height: 24))
        let lines = big.text.components(separatedBy: "\n")
        let title = try #require(lines.firstIndex { $0.contains("Contents") })
        #expect(lines[title + 1].contains("│ Goal: Explain how hip mobility"))
        #expect(big.text.contains("massage benefits."), "the whole goal fits at 80×24")
        let (small, _) = try Self.screen(.contents, size: Size(width: 40, height: 12))
        let goal = try #require(small.text.components(separatedBy: "\n").first { $0.contains("Goal:") })
        #expect(goal.contains("mobility…"), "\(goal)")
        #expect(!goal.contains("an…"), "cut after a whole word: \(goal)")
    }

    // MARK: - The header's title

    @Test("the header keeps the title's start and says it was shortened, in UTF-8 and in ASCII",
          arguments: [Size(width: 80, height: 24), Size(width: 40, height: 12), Size(width: 30, height: 8)])
    func headerTitle(size: Size) throws {
        var driver = try SessionDriver(size: size)
        driver.goToStep(SessionSnapshotTests.catCowStep)
        let grid = driver.render().grid
        let header = grid.text.components(separatedBy: "\n")[0]
        #expect(header.hasPrefix(" Treatment"), "\(header)")
        #expect(header.contains("…"), "\(header)")
        #expect(header.contains("Step 5/9"), "\(header)")
        if size.width == 80 {
            #expect(header.hasPrefix(" Treatment 8 – Hip–Lumbar Connection, Functional Movement… "),
                    "cut after a whole word: \(header)")
        }
        let ascii = grid.asciiFolded().text.components(separatedBy: "\n")[0]
        #expect(ascii.allSatisfy { $0.isASCII }, "\(ascii)")
        #expect(ascii.hasPrefix(" Treatme"), "\(ascii)")
        #expect(ascii.contains("... "), "shortened reads as shortened, not as a full stop: \(ascii)")
        #expect(ascii.count == header.count, "cell for cell")
        if size.width == 80 {
            #expect(ascii.hasPrefix(" Treatment 8 - Hip-Lumbar Connection, Functional Movement... "), "\(ascii)")
        }
    }

    @Test("an ASCII cut mark becomes three dots beside the cut text")
    func asciiCutMark() {
        func folded(_ spans: [(String, Style)], width: Int = 12) -> String {
            var grid = Grid(size: Size(width: width, height: 1))
            var x = 0
            for (text, style) in spans { x = grid.write(text, column: x, row: 0, style: style) }
            return grid.asciiFolded().text
        }
        let bold = Style(.bar, bold: true)
        // No room after the mark: the last two letters make way.
        #expect(folded([("Movement…", .normal)], width: 9) == "Moveme...")
        // Room after it in the text's own style (how the header pads a cut title): the dots take it.
        #expect(folded([("Movement…  ", bold), (" Step", Style(.bar))], width: 16) == "Movement... Step")
        // The mark opening a cut line (a long note scrolled sideways).
        #expect(folded([("Note: ", Style(.key)), ("…end of it", Style(underline: true))], width: 16) == "Note: ...d of it")
        // A wide character cut in half leaves no continuation behind.
        var grid = Grid(size: Size(width: 8, height: 1))
        grid.write("ab日…", column: 0, row: 0)
        let ascii = grid.asciiFolded()
        #expect(ascii.text == "ab...")
        #expect(!(0..<8).contains { ascii[$0, 0].isContinuation })
    }

    @Test("shortened cuts after a whole word, else mid-word, always with …")
    func shortenedTitle() {
        #expect(Chrome.shortened("Short", to: 10) == "Short")
        #expect(Chrome.shortened("Hip–Lumbar Connection & More", to: 24) == "Hip–Lumbar Connection…")
        #expect(Chrome.shortened("Hip–Lumbar Connection", to: 14) == "Hip–Lumbar…")
        // One long word: cut mid-word rather than lose most of the room.
        #expect(Chrome.shortened("Supercalifragilistic", to: 10) == "Supercali…")
    }
}
