import Foundation
import SessionGuideContent
import SessionGuideLayout
import Testing

/// Compares `text` with `Snapshots/<named>.txt` beside this file. When the file is missing, or the environment
/// has `RECORD_SNAPSHOTS=1`, it writes the file and records an issue saying so: a new snapshot never passes
/// silently, so the first run records and the second compares. A mismatch fails with the differing lines.
func assertSnapshot(_ text: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent(name + ".txt")
    let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    guard !recording, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("Recorded snapshot \(name).txt; check it, then run the tests again.",
                         sourceLocation: sourceLocation)
        } catch {
            Issue.record("Couldn't write snapshot \(url.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard expected != text else { return }
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = text.split(separator: "\n", omittingEmptySubsequences: false)
    let differing = (0..<max(old.count, new.count)).filter { index in
        (index < old.count ? old[index] : nil) != (index < new.count ? new[index] : nil)
    }
    var message = "Snapshot \(name).txt does not match: \(differing.count) line(s) differ"
    if old.count != new.count { message += " (expected \(old.count) lines, got \(new.count))" }
    for index in differing.prefix(6) {
        let show = { (lines: [Substring]) in index < lines.count ? "|\(lines[index])|" : "(no line)" }
        message += "\n  line \(index + 1):\n    expected: \(show(old))\n    actual:   \(show(new))"
    }
    if differing.count > 6 { message += "\n  …and \(differing.count - 6) more" }
    message += "\nRun with RECORD_SNAPSHOTS=1 to record the new screen if the change is intended."
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}

/// A grid's snapshot: a header with its size, then its text.
func snapshotText(of grid: Grid) -> String {
    "# \(grid.size.width)x\(grid.size.height)\n" + grid.text + "\n"
}

/// Checks that a screen is well formed (one text line per row, none wider than the grid, every double-width
/// character followed by its continuation cell and no stray continuations) and compares it with its snapshot.
func assertScreen(_ grid: Grid, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == grid.size.height, "\(name): \(lines.count) lines for \(grid.size.height) rows",
            sourceLocation: sourceLocation)
    for (row, line) in lines.enumerated() where DisplayWidth.of(line) > grid.size.width {
        Issue.record("\(name): row \(row) is \(DisplayWidth.of(line)) cells wide, wider than \(grid.size.width)",
                     sourceLocation: sourceLocation)
    }
    for row in 0..<grid.size.height {
        for column in 0..<grid.size.width {
            let cell = grid[column, row]
            let wide = !cell.isContinuation && DisplayWidth.of(cell.character) == 2
            let next = column + 1 < grid.size.width ? grid[column + 1, row].isContinuation : false
            let previousIsWide = column > 0 && !grid[column - 1, row].isContinuation
                && DisplayWidth.of(grid[column - 1, row].character) == 2
            if wide && !next || cell.isContinuation && !previousIsWide {
                Issue.record("\(name): broken double-width cell at column \(column), row \(row)",
                             sourceLocation: sourceLocation)
            }
        }
    }
    assertSnapshot(snapshotText(of: grid), named: name, sourceLocation: sourceLocation)
}

/// The big screens the big text is snapshotted at: a treatment-room monitor and a waiting-room TV.
let bigScreenSizes = [Size(width: 120, height: 40), Size(width: 200, height: 60), Size(width: 300, height: 90)]

/// Where the grid shows one of `candidates` in big text, at whatever scale it was drawn.
func bigText(_ candidates: [String], in grid: Grid) -> BigFont.Found? {
    BigFont.find(candidates, in: grid.text.components(separatedBy: "\n"))
}
