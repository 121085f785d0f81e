import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

/// The screens not covered elsewhere at the big sizes a treatment room's monitor or a waiting room's TV has
/// (120×40, 200×60, 300×90): the home menu and a session's text step. Their text keeps to a reading width,
/// centred, instead of running across the whole screen.
enum ReadingColumnWidth {
    /// The reading column's text width, and a little more for a scroll bar or a marker.
    static let maximum = 104
}

@Suite("Wide-screen snapshots")
struct WideScreenSnapshotTests {
    /// The widest run of text on any row between the bars: from its first to its last non-blank cell.
    private func widestTextRun(_ grid: Grid) -> Int {
        (1..<(grid.size.height - 1)).map { row -> Int in
            let line = Array(grid.text.components(separatedBy: "\n")[row])
            guard let first = line.firstIndex(where: { $0 != " " }),
                  let last = line.lastIndex(where: { $0 != " " && $0 != "│" && $0 != "┃" && $0 != "↓" }) else { return 0 }
            return last - first + 1
        }.max() ?? 0
    }

    @Test("home menu on big screens", arguments: bigScreenSizes)
    func homeMenu(size: Size) throws {
        let menu = HomeMenu(library: try Shipped.library())
        let grid = MenuScreen.render(menu, size: size, version: "0.1.0").grid
        #expect(grid.text.contains("Daily hip and low-back mobility"))
        #expect(widestTextRun(grid) <= ReadingColumnWidth.maximum + 10, "the longest title and its length")
        #expect(!grid.text.contains("…"), "no title shortened on a big screen")
        assertScreen(grid, named: "home-\(size.name)")
    }

    @Test("a session's first step on big screens: the recap and a script", arguments: bigScreenSizes)
    func firstStep(size: Size) throws {
        var driver = try SessionDriver(size: size)
        let grid = driver.render().grid
        #expect(grid.text.contains("Suggested Therapist Script"))
        #expect(grid.text.contains("Goal:"))
        // Below the header, no line of text runs wider than the reading column.
        var body = grid
        for column in 0..<grid.size.width { body[column, 0] = .blank }
        #expect(widestTextRun(body) <= ReadingColumnWidth.maximum, "\(grid.text)")
        assertScreen(grid, named: "session-first-step-\(size.name)")
    }
}
