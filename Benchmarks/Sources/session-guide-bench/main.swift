import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout

// session-guide-bench: figures for what the program costs, printed as a table. Started with the pure,
// in-process measurements; the terminal ones (startup, bytes written, idle CPU, peers) are still to come.

/// Wall-clock seconds of `body`, best of `repeats`.
func seconds(repeats: Int = 3, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

func row(_ cells: [String]) { print(cells.map { $0.padding(toLength: 26, withPad: " ", startingAt: 0) }.joined()) }

// MARK: - Content at scale

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

print("Content at scale (parse and validate generated drill files, both cores)")
row(["files", "seconds", "files/s", "MB/s"])
var perFile: [Double] = []
for count in [1_000, 10_000, 100_000] {
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
    precondition(errors == 0, "generated content should check clean")
    perFile.append(time / Double(count))
    row(["\(count)", String(format: "%.3f", time), String(format: "%.0f", Double(count) / time),
         String(format: "%.1f", Double(bytes) / 1_048_576 / time)])
}
print(String(format: "growth: %.2f µs/file at 1,000, %.2f at 100,000 (linear when these are close)\n",
             perFile[0] * 1e6, perFile[2] * 1e6))

// MARK: - Layout

let library = try ContentLoader.load([URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Content").path])
guard case .session(let session)? = library.document(id: "treatment-08") else { fatalError("treatment-08") }
var engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
for _ in 0..<4 { _ = engine.handle(.right, at: Moment(milliseconds: 0)) }
_ = engine.handle(.character(" "), at: Moment(milliseconds: 0))

print("Layout of a drill step with a running timer")
row(["size", "µs per frame"])
for size in [Size(width: 80, height: 24), Size(width: 200, height: 60)] {
    let frames = 2_000
    var sink = 0
    let time = seconds {
        for frame in 0..<frames {
            let screen = SessionScreen.render(engine, at: Moment(milliseconds: Int64(frame) * 10), size: size)
            sink &+= screen.grid.cells.count
        }
    }
    precondition(sink > 0)
    row(["\(size.width)×\(size.height)", String(format: "%.1f", time / Double(frames) * 1e6)])
}
print("")

// MARK: - Timer exactness on a manual clock

print("Drift over a simulated hour (manual clock, waking at each deadline)")
let hour = DrillTiming(effort: .work(seconds: 3_600))
var timer = DrillTimer(timing: hour)
_ = timer.toggle(at: Moment(milliseconds: 0))
var now = Moment(milliseconds: 0)
var wakes = 0
var finishedAt: Moment?
while finishedAt == nil, wakes < 10_000 {
    now = timer.nextDeadline(after: now) ?? now
    wakes += 1
    if timer.advance(to: now).contains(.finished) { finishedAt = now }
}
row(["wake-ups", "finished at (ms)", "drift (ms)"])
row(["\(wakes)", "\(finishedAt?.milliseconds ?? -1)", "\((finishedAt?.milliseconds ?? 0) - 3_600_000)"])
