import Foundation
import SessionGuideLayout

// session-guide-bench: what the program costs and how exact its timers are, printed as tables, with each issue #8
// target marked met or missed at the end. The method is in docs/benchmarks.md.
//
//   cd Benchmarks && swift run -c release session-guide-bench [--quick] [--binary PATH] [--no-peers] [--timers-only]

let usage = """
    usage: session-guide-bench [--quick] [--binary PATH] [--no-peers] [--timers-only]
      --quick        a 30-second countdown for timer exactness and 15-second watches (about 3 minutes)
      --binary PATH  measure this session-guide instead of building one with scripts/build-release.sh
      --no-peers     skip termdown and tty-clock
      --layout-only  only the layout figure (for a profiler)
      --timers-only  only the running countdowns' bytes and CPU (section 4–6), at every size
    """

/// The repository: Benchmarks/Sources/session-guide-bench/main.swift is four levels down.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
var quick = false
var binaryArgument: String?
var peers = true
var timersOnly = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--quick": quick = true
    case "--layout-only":  // for profiling the layout alone: valgrind --tool=callgrind … --layout-only
        for (size, micros) in try measureLayout(contentFolder: root.appendingPathComponent("Content").path,
                                                sizes: [Size(width: 80, height: 24)]) {
            print("\(size.width)×\(size.height): \(format(micros)) µs per frame")
        }
        exit(0)
    case "--no-peers": peers = false
    case "--timers-only": (timersOnly, peers) = (true, false)
    case "--binary":
        guard let path = arguments.popFirst() else { print(usage); exit(64) }
        binaryArgument = path
    case "-h", "--help": print(usage); exit(0)
    default: print("unknown option \(argument)\n\(usage)"); exit(64)
    }
}

let countdownSeconds = quick ? 30 : 300
let watchSeconds = quick ? 15.0 : 60.0

func row(_ cells: [String], widths: [Int]) {
    print(zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined())
}
func format(_ value: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", value) }
func heading(_ text: String) { print("\n\(text)\n" + String(repeating: "-", count: text.count)) }

/// Builds the release binary the clinic installs (static Swift runtime, see scripts/build-release.sh).
func buildReleaseBinary() throws -> String {
    print("Building the release binary (scripts/build-release.sh)…")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["bash", root.appendingPathComponent("scripts/build-release.sh").path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let path = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) else {
        throw HarnessError("scripts/build-release.sh failed; run it yourself to see why")
    }
    return path
}

/// Ends the measurements early (`--timers-only`), straight to the targets.
struct Finished: Error {}

struct Target {
    var name: String
    var measured: String
    var met: Bool?
}
var targets: [Target] = []

do {
    let binary = try binaryArgument ?? buildReleaseBinary()
    guard FileManager.default.isExecutableFile(atPath: binary) else { throw HarnessError("\(binary) is not a program") }
    let bench = try BenchEnvironment(binary: binary, contentFolder: root.appendingPathComponent("Content").path,
                                     countdownSeconds: countdownSeconds)
    defer { bench.cleanUp() }
    print("Measuring \(binary)")
    print("\(ProcessInfo.processInfo.activeProcessorCount) cores; terminal: a pseudo-terminal read as fast as it writes,"
          + " TERM=xterm-256color, 80×24 unless given")

    if !timersOnly {
        // 1. Startup
        heading("1. Startup: exec to the first complete frame of `session treatment-08`")
        let startup = try measureStartup(bench, runs: quick ? 10 : 30)
        row(["runs", "median ms", "best ms"], widths: [8, 12, 12])
        row(["\(startup.runs.count)", format(startup.median), format(startup.best)], widths: [8, 12, 12])
        targets.append(Target(name: "startup ≤ 30 ms", measured: "\(format(startup.median)) ms median",
                              met: startup.median <= 30))

        // 2. Content at scale
        heading("2. Content at scale: parse and validate generated drill files (all cores)")
        let scale = try measureContentAtScale(counts: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000])
        row(["files", "seconds", "files/s", "MB/s", "µs/file"], widths: [10, 10, 10, 8, 8])
        for figure in scale {
            row(["\(figure.files)", format(figure.seconds, 3), format(Double(figure.files) / figure.seconds, 0),
                 format(Double(figure.bytes) / 1_048_576 / figure.seconds), format(figure.microsecondsPerFile)],
                widths: [10, 10, 10, 8, 8])
        }
        if let tenThousand = scale.first(where: { $0.files == 10_000 }) {
            targets.append(Target(name: "10,000 files ≤ 1 s", measured: "\(format(tenThousand.seconds, 2)) s",
                                  met: tenThousand.seconds <= 1))
        }
        if let first = scale.first, let last = scale.last, last.files > first.files {
            let growth = last.microsecondsPerFile / first.microsecondsPerFile
            print("time per file grows \(format(growth, 2))× from \(first.files) to \(last.files) files (1.00 = linear)")
            targets.append(Target(name: "linear growth (per-file time within 1.5×)", measured: "\(format(growth, 2))×",
                                  met: growth <= 1.5))
        }

        // 3. Layout
        heading("3. Layout: a drill step with a running timer")
        let layout = try measureLayout(contentFolder: bench.contentFolder,
                                       sizes: [Size(width: 80, height: 24), Size(width: 200, height: 60)])
        row(["size", "µs per frame"], widths: [10, 14])
        for (size, micros) in layout { row(["\(size.width)×\(size.height)", format(micros)], widths: [10, 14]) }
        targets.append(Target(name: "layout ≤ 200 µs per frame at 80×24", measured: "\(format(layout[0].1)) µs",
                              met: layout[0].1 <= 200))
    }

    // 4–6. A running countdown through the pseudo-terminal
    heading("4–6. A running 5-minute countdown (session, Space to start); the kiosk; the peers")
    let exactness = timersOnly ? nil : try measureCountdown(
        bench, session: "bench", label: "exactness", columns: 80, rows: 14,
        countdownSeconds: countdownSeconds, watchSeconds: countdownSeconds, requireBigDigits: false).1
    let (plain, _) = try measureCountdown(
        bench, session: "bench-long", label: "session-guide, plain digits (80×14)", columns: 80, rows: 14,
        countdownSeconds: 300, watchSeconds: Int(watchSeconds), requireBigDigits: false)
    let (large, _) = try measureCountdown(
        bench, session: "bench-long", label: "session-guide, large digits (80×24)", columns: 80, rows: 24,
        countdownSeconds: 300, watchSeconds: Int(watchSeconds), requireBigDigits: true)
    // The same countdown on a waiting-room TV (200×60), where the digits are drawn several cells a pixel, and
    // the routine's, at both sizes. The renderer sends only changed cells, so big digits should cost at most
    // 4× the bytes of the 80×24 ones (issue 16).
    let (large200, _) = try measureCountdown(
        bench, session: "bench-long", label: "session-guide, large digits (200×60)", columns: 200, rows: 60,
        countdownSeconds: 300, watchSeconds: Int(watchSeconds), requireBigDigits: true)
    let routineMode = ["routine", "bench-routine", "--no-pain-check", "--no-log"]
    let (routine80, _) = try measureCountdown(
        bench, session: "", mode: routineMode, ready: "Space", label: "routine, large digits (80×24)", columns: 80,
        rows: 24, countdownSeconds: 300, watchSeconds: Int(watchSeconds), requireBigDigits: true)
    let (routine200, _) = try measureCountdown(
        bench, session: "", mode: routineMode, ready: "Space", label: "routine, large digits (200×60)",
        columns: 200, rows: 60, countdownSeconds: 300, watchSeconds: Int(watchSeconds), requireBigDigits: true)
    let kiosk = try measureWatching(bench, label: "session-guide kiosk, slide waiting",
                                    arguments: [binary, "kiosk", "bench-deck"],
                                    content: bench.countdownContent.path, ready: "Please take a seat", settleSeconds: 1,
                                    watchSeconds: watchSeconds)

    // 8. The peers, in the same harness
    var peerFigures: [OutputFigure] = []
    var skipped: [String] = []
    if peers {
        if let termdown = installedPath("termdown") {
            peerFigures.append(try measureWatching(bench, label: "termdown 120", arguments: [termdown, "120"],
                                                   ready: nil, settleSeconds: 2, watchSeconds: watchSeconds))
        } else { skipped.append("termdown (pip install termdown)") }
        if let ttyClock = installedPath("tty-clock") {
            peerFigures.append(try measureWatching(bench, label: "tty-clock -s -c", arguments: [ttyClock, "-s", "-c"],
                                                   ready: nil, settleSeconds: 1, watchSeconds: watchSeconds))
        } else { skipped.append("tty-clock (apt-get install tty-clock)") }
    } else { skipped.append("termdown and tty-clock (--no-peers)") }

    let widths = [40, 12, 14, 12, 10]
    row(["program", "bytes/s", "CPU s/minute", "% of core", "peak MB"], widths: widths)
    for figure in [plain, large, large200, routine80, routine200, kiosk] + peerFigures {
        row([figure.label, format(figure.bytesPerSecond), format(figure.cpuSecondsPerMinute, 4),
             format(figure.cpuPercentOfCore, 3), format(Double(figure.peakKilobytes) / 1024)], widths: widths)
    }
    for peer in skipped { print("skipped, not installed: \(peer)") }
    targets.append(Target(name: "≤ 30 bytes per timer second, plain digits",
                          measured: "\(format(plain.bytesPerSecond)) B/s", met: plain.bytesPerSecond <= 30))
    targets.append(Target(name: "≤ 0.2% of a core while a timer counts",
                          measured: "\(format(plain.cpuPercentOfCore, 3))% plain, \(format(large.cpuPercentOfCore, 3))% large",
                          met: max(plain.cpuPercentOfCore, large.cpuPercentOfCore) <= 0.2))
    for (big, small) in [(large200, large), (routine200, routine80)] {
        let ratio = big.bytesPerSecond / small.bytesPerSecond
        print("\(big.label): \(format(ratio, 2))× the bytes of 80×24 (\(format(small.bytesPerSecond)) B/s)")
    }
    print("\nWhat changes on screen each second (in process; the least a renderer of changed cells can send)")
    row(["screen", "cells/s", "their bytes/s", "runs/s", "least with REP/ECH B/s"], widths: [20, 10, 16, 10, 24])
    for change in try measureChanges(contentFolder: bench.countdownContent.path,
                                     sizes: [Size(width: 80, height: 24), Size(width: 200, height: 60)]) {
        row([change.label, format(change.cellsPerSecond), format(change.characterBytesPerSecond),
             format(change.runsPerSecond), format(change.leastWithRepeatBytesPerSecond)], widths: [20, 10, 16, 10, 24])
    }
    targets.append(Target(name: "200×60 large digits ≤ 4× the 80×24 bytes",
                          measured: "session \(format(large200.bytesPerSecond / large.bytesPerSecond, 2))×, "
                              + "routine \(format(routine200.bytesPerSecond / routine80.bytesPerSecond, 2))×",
                          met: large200.bytesPerSecond <= 4 * large.bytesPerSecond
                              && routine200.bytesPerSecond <= 4 * routine80.bytesPerSecond))
    targets.append(Target(name: "0% of a core while a kiosk slide waits",
                          measured: "\(format(kiosk.cpuPercentOfCore, 4))%", met: kiosk.cpuPercentOfCore < 0.005))

    if let exactness {
        print("\nTimer exactness: lateness of each one-second update after the key press, over a \(countdownSeconds)-second countdown")
        row(["updates", "missing", "mean ms", "worst ms", "final zero ms"], widths: [10, 10, 10, 10, 14])
        row(["\(exactness.updates)", "\(exactness.missing)", format(exactness.meanLatenessMilliseconds),
             format(exactness.worstLatenessMilliseconds), exactness.finalZeroLatenessMilliseconds.map { format($0) } ?? "–"],
            widths: [10, 10, 10, 10, 14])
        targets.append(Target(name: "every update within 20 ms of its second",
                              measured: "worst \(format(exactness.worstLatenessMilliseconds)) ms, \(exactness.missing) missing",
                              met: exactness.worstLatenessMilliseconds <= 20 && exactness.missing == 0))
    }
    if timersOnly { throw Finished() }
    let drift = measureDrift()
    print("\nDrift over a simulated hour (manual clock, waking at each deadline the timer asks for)")
    row(["wake-ups", "finished at ms", "drift ms"], widths: [10, 16, 10])
    row(["\(drift.wakes)", drift.finishedAt.map { "\($0)" } ?? "never", drift.drift.map { "\($0)" } ?? "–"],
        widths: [10, 16, 10])
    targets.append(Target(name: "no drift over a simulated hour", measured: "\(drift.drift.map { "\($0)" } ?? "–") ms",
                          met: drift.drift == 0))

    // 7. Memory per mode
    heading("7. Peak resident memory per mode (VmHWM when the program ends)")
    let right = "\u{1B}[C"
    let modes: [(String, [String], String, String)] = [
        ("home menu", [binary], "quit", ""),
        ("session, drill timer running", [binary, "session", "treatment-08"], "quit", String(repeating: right, count: 4) + " "),
        ("routine, full screen", [binary, "routine", "daily-hip-back", "--no-log"], "Space", " "),
        ("routine --plain", [binary, "routine", "starter-5", "--plain", "--no-log"], "Space", ""),
        ("kiosk", [binary, "kiosk", "waiting-room"], "team", ""),
        ("follow, waiting for a session", [binary, "follow", "bench-room"], "Waiting", ""),
    ]
    var peaks: [(String, Int)] = []
    for (name, arguments, ready, keys) in modes {
        peaks.append((name, try measurePeakMemory(bench, arguments: arguments, ready: ready, keys: keys,
                                                  seconds: 3)))
    }
    row(["mode", "peak MB"], widths: [32, 10])
    for (name, kilobytes) in peaks { row([name, format(Double(kilobytes) / 1024)], widths: [32, 10]) }
    let worstPeak = peaks.map(\.1).max() ?? 0
    targets.append(Target(name: "peak memory ≤ 20 MB in every mode", measured: "\(format(Double(worstPeak) / 1024)) MB worst",
                          met: worstPeak <= 20 * 1024))

    // 8. Ratios
    heading("8. Beside the peers (same harness, same pseudo-terminal)")
    if peerFigures.isEmpty { print("no peer installed: \(skipped.joined(separator: ", "))") }
    row(["peer", "their bytes ÷ ours", "their CPU ÷ ours", "their memory ÷ ours"], widths: [20, 20, 18, 20])
    for peer in peerFigures {
        // Each peer shows big digits, so it is set beside our large-digit countdown.
        row([peer.label, format(peer.bytesPerSecond / large.bytesPerSecond, 2) + "×",
             format(peer.cpuPercentOfCore / large.cpuPercentOfCore, 2) + "×",
             format(Double(peer.peakKilobytes) / Double(large.peakKilobytes), 2) + "×"], widths: [20, 20, 18, 20])
        if peer.label.hasPrefix("termdown") {
            targets.append(Target(name: "≥ 5× fewer bytes than termdown",
                                  measured: format(peer.bytesPerSecond / large.bytesPerSecond, 1) + "×",
                                  met: peer.bytesPerSecond >= 5 * large.bytesPerSecond))
            targets.append(Target(name: "≥ 5× less CPU than termdown",
                                  measured: format(peer.cpuPercentOfCore / large.cpuPercentOfCore, 1) + "×",
                                  met: peer.cpuPercentOfCore >= 5 * large.cpuPercentOfCore))
            targets.append(Target(name: "less memory than termdown",
                                  measured: "\(format(Double(large.peakKilobytes) / 1024)) vs \(format(Double(peer.peakKilobytes) / 1024)) MB",
                                  met: large.peakKilobytes < peer.peakKilobytes))
        } else {
            targets.append(Target(name: "large digits: no more bytes than tty-clock",
                                  measured: "\(format(large.bytesPerSecond)) vs \(format(peer.bytesPerSecond)) B/s",
                                  met: large.bytesPerSecond <= peer.bytesPerSecond))
        }
    }
} catch is Finished {
} catch {
    print("\nsession-guide-bench: \(error)")
    targets.append(Target(name: "the benchmark ran to the end", measured: "\(error)", met: false))
}

heading("Targets (issues #8 and #16)")
row(["target", "measured", "met"], widths: [46, 34, 6])
for target in targets {
    row([target.name, target.measured, target.met.map { $0 ? "yes" : "NO" } ?? "–"], widths: [46, 34, 6])
}
if quick { print("(--quick: a 30-second countdown and 15-second watches; run without it for the figures of record)") }
exit(targets.allSatisfy { $0.met != false } ? 0 : 1)
