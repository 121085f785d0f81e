import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout

// The measurements that run inside this process: parsing at scale, layout, and drift on a manual clock.

/// Wall-clock seconds of `body`, best of `repeats`.
func seconds(repeats: Int = 3, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = monotonicNanoseconds()
        body()
        best = min(best, Double(monotonicNanoseconds() - start) / 1e9)
    }
    return best
}

let drillTemplate = """
    ---
    kind: drill
    id: ID
    title: Cat-cow ID
    purpose: Moves the spine slowly between rounding and arching to ease stiffness.
    reps: 10
    tempo: 4s
    ---
    # Steps
    1. Start on your hands and knees, hands under your shoulders and knees under your hips.
    2. Breathe out and slowly round your back up toward the ceiling, letting your head and tailbone drop.
    3. Breathe in and let your belly sink as you lift your chest and tailbone, looking a little ahead.

    # Cues
    - Slow and smooth — no rush.
    - Breathe out to round, breathe in to arch.

    # Safety
    Keep every repetition to pain-free, controlled movement, and stop if it hurts.

    """

struct ScaleFigure {
    var files: Int
    var seconds: Double
    var bytes: Int
    var microsecondsPerFile: Double { seconds / Double(files) * 1e6 }
}

/// Generates `count` drill files and times `ContentLoader.load` (parse and validate, on every core).
func measureContentAtScale(counts: [Int]) throws -> [ScaleFigure] {
    var figures: [ScaleFigure] = []
    for count in counts {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(count)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var bytes = 0
        for index in 0..<count {
            let text = drillTemplate.replacingOccurrences(of: "ID", with: "drill-\(index)")
            bytes += text.utf8.count
            try text.write(to: folder.appendingPathComponent("d\(index).md"), atomically: false, encoding: .utf8)
        }
        var errors = 0
        let time = seconds(repeats: count >= 100_000 ? 1 : 3) {
            errors = (try? ContentLoader.load([folder.path]))?.errorCount ?? -1
        }
        guard errors == 0 else { throw HarnessError("generated content should check clean, got \(errors) errors") }
        figures.append(ScaleFigure(files: count, seconds: time, bytes: bytes))
    }
    return figures
}

/// Microseconds to lay out one frame of Treatment 8's first drill step with its timer running.
func measureLayout(contentFolder: String, sizes: [Size]) throws -> [(Size, Double)] {
    let library = try ContentLoader.load([contentFolder])
    guard case .session(let session)? = library.document(id: "treatment-08") else {
        throw HarnessError("treatment-08 is missing from \(contentFolder)")
    }
    var engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
    while engine.step.drill == nil { _ = engine.handle(.right, at: Moment(milliseconds: 0)) }
    _ = engine.handle(.character(" "), at: Moment(milliseconds: 0))
    return sizes.map { size in
        let frames = 2_000
        var sink = 0
        let time = seconds {
            for frame in 0..<frames {
                let screen = SessionScreen.render(engine, at: Moment(milliseconds: Int64(frame) * 10), size: size)
                sink &+= screen.grid.cells.count
            }
        }
        precondition(sink > 0)
        return (size, time / Double(frames) * 1e6)
    }
}

/// Runs an hour-long timer on a manual clock, waking exactly at each deadline it asks for, and returns how many
/// wake-ups it took and how far from 3,600,000 ms it finished.
func measureDrift() -> (wakes: Int, finishedAt: Int64?, drift: Int64?) {
    var timer = DrillTimer(timing: DrillTiming(effort: .work(seconds: 3_600)))
    _ = timer.toggle(at: Moment(milliseconds: 0))
    var now = Moment(milliseconds: 0)
    var wakes = 0
    while wakes < 10_000 {
        now = timer.nextDeadline(after: now) ?? now
        wakes += 1
        if timer.advance(to: now).contains(.finished) {
            return (wakes, now.milliseconds, now.milliseconds - 3_600_000)
        }
    }
    return (wakes, nil, nil)
}

/// What a running countdown changes on screen each second, laid out in process: the cells whose character or
/// style differ from the frame before, their characters' UTF-8 bytes, and the runs of changed cells on a row
/// (each needs a cursor move). That is the least any renderer sending only changed cells must write, so it tells
/// the terminal's diffing apart from the cost of the digits themselves.
struct ChangeFigure {
    var label: String
    var cellsPerSecond: Double
    var characterBytesPerSecond: Double
    var runsPerSecond: Double
    /// The least an encoder of its own could send for the same changes on an xterm-like terminal that has REP
    /// (repeat the last character) and ECH (erase characters): the shortest cursor move to each run, a
    /// 4-byte SGR at each change of style, and every repeat of a character or of a blank as one REP or ECH.
    /// ncurses never sends REP in a UTF-8 locale, so this is a floor, not what the program sends.
    var leastWithRepeatBytesPerSecond: Double
}

/// Bytes of `ESC [ n <final>`: the sequence's three fixed bytes and the number's digits.
private func csiBytes(_ number: Int) -> Int { 3 + String(number).count }

/// The shortest way an xterm-like terminal can move its cursor from `from` (unknown at a frame's start) to (row,
/// column): an absolute CUP, or down with line feeds or CUD and then along the row with backspaces, CUB, CUF or
/// a carriage return and CUF.
private func leastMoveBytes(from: (row: Int, column: Int)?, toRow row: Int, column: Int) -> Int {
    let absolute = 4 + String(row + 1).count + String(column + 1).count
    guard let from, from.row <= row else { return absolute }
    if from.row == row && from.column == column { return 0 }
    let down = row - from.row
    let vertical = down == 0 ? 0 : min(down, csiBytes(down))
    let along: Int
    if column == from.column { along = 0 }
    else if column < from.column { along = min(from.column - column, csiBytes(from.column - column), 1 + (column == 0 ? 0 : csiBytes(column))) }
    else { along = csiBytes(column - from.column) }
    return min(absolute, vertical + along)
}

/// The floor `ChangeFigure.leastWithRepeatBytesPerSecond` describes, for one frame's changes over `previous`.
private func leastBytesWithRepeat(from previous: Grid, to grid: Grid) -> Int {
    var bytes = 0
    var cursor: (row: Int, column: Int)? = nil
    var style = Style.normal
    for row in 0..<grid.size.height {
        var column = 0
        while column < grid.size.width {
            let cell = grid[column, row]
            guard cell != previous[column, row], !cell.isContinuation else { column += 1; continue }
            var move = leastMoveBytes(from: cursor, toRow: row, column: column)
            if let at = cursor, at.row == row, at.column < column {
                // Or write the unchanged cells between again, when that is shorter than a move.
                let gap = (at.column..<column).reduce(0) { $0 + String(grid[$1, row].character).utf8.count }
                move = min(move, gap)
            }
            bytes += move
            // A group of equal changed cells is written once, then repeated (REP) or, for blanks, erased (ECH).
            var end = column + 1
            while end < grid.size.width, grid[end, row] == cell, grid[end, row] != previous[end, row] { end += 1 }
            let count = end - column
            if cell.style != style { bytes += 4; style = cell.style }
            if cell.character == " " && count > 1 {
                bytes += csiBytes(count)
                cursor = (row, column)          // ECH leaves the cursor where it was
            } else {
                let characterBytes = String(cell.character).utf8.count
                bytes += characterBytes + (count > 1 ? min((count - 1) * characterBytes, csiBytes(count - 1)) : 0)
                cursor = (row, end)
            }
            column = end
        }
    }
    if style != .normal { bytes += 4 }
    return bytes
}

func measureChanges(contentFolder: String, sizes: [Size], seconds: Int = 60) throws -> [ChangeFigure] {
    let library = try ContentLoader.load([contentFolder])
    guard case .session(let session)? = library.document(id: "bench-long"),
          case .routine(let routine)? = library.document(id: "bench-routine") else {
        throw HarnessError("the benchmark's countdown content is missing")
    }
    let start = Moment(milliseconds: 0)
    var sessionEngine = SessionEngine(session: session, library: library, startedAt: start)
    _ = sessionEngine.handle(.character(" "), at: start)
    var routineEngine = RoutineEngine(routine: routine, library: library, asksAboutPain: false)
    _ = routineEngine.handle(.character(" "), at: start)
    var figures: [ChangeFigure] = []
    for (mode, render) in [
        ("session", { (now: Moment, size: Size) in SessionScreen.render(sessionEngine, at: now, size: size).grid }),
        ("routine", { (now: Moment, size: Size) in
            var engine = routineEngine
            _ = engine.tick(at: now)
            return RoutineScreen.render(engine, at: now, size: size).grid
        }),
    ] as [(String, (Moment, Size) -> Grid)] {
        for size in sizes {
            var cells = 0, bytes = 0, runs = 0, leastWithRepeat = 0
            // Mid-second frames from 2 s on, as the pseudo-terminal figures skip the first 1.5 s.
            var previous = render(Moment(milliseconds: 1_500), size)
            for second in 0..<seconds {
                let grid = render(Moment(milliseconds: Int64(second) * 1_000 + 2_500), size)
                for row in 0..<size.height {
                    var inRun = false
                    for column in 0..<size.width {
                        let now = grid[column, row], before = previous[column, row]
                        let changed = now != before && !now.isContinuation
                        if changed {
                            cells += 1
                            bytes += String(now.character).utf8.count
                            if !inRun { runs += 1 }
                        }
                        inRun = changed
                    }
                }
                leastWithRepeat += leastBytesWithRepeat(from: previous, to: grid)
                previous = grid
            }
            let perSecond = { (count: Int) in Double(count) / Double(seconds) }
            figures.append(ChangeFigure(label: "\(mode) \(size.width)×\(size.height)", cellsPerSecond: perSecond(cells),
                                        characterBytesPerSecond: perSecond(bytes), runsPerSecond: perSecond(runs),
                                        leastWithRepeatBytesPerSecond: perSecond(leastWithRepeat)))
        }
    }
    return figures
}
