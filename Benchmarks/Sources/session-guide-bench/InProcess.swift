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
            var cells = 0, bytes = 0, runs = 0
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
                previous = grid
            }
            let perSecond = { (count: Int) in Double(count) / Double(seconds) }
            figures.append(ChangeFigure(label: "\(mode) \(size.width)×\(size.height)", cellsPerSecond: perSecond(cells),
                                        characterBytesPerSecond: perSecond(bytes), runsPerSecond: perSecond(runs)))
        }
    }
    return figures
}
