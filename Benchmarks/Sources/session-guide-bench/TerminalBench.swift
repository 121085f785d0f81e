import Foundation
import SessionGuideContent

// The measurements taken from outside, through a pseudo-terminal, on the built release binary and on the peers.

/// Where the programs run: a private home, config and state folder, and the content to show.
struct BenchEnvironment {
    let binary: String
    let contentFolder: String
    let scratch: URL
    /// A content folder with two one-step sessions: `bench`, a countdown of `countdownSeconds` (for timer
    /// exactness), and `bench-long`, a 5-minute countdown (for bytes and CPU, so the progress bar moves as often
    /// as in a real 5-minute hold), a routine of that 5-minute hold alone (no get-ready, so Space starts the
    /// drill), and a two-slide deck with 30-minute slides.
    let countdownContent: URL

    init(binary: String, contentFolder: String, countdownSeconds: Int) throws {
        self.binary = binary
        self.contentFolder = contentFolder
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("session-guide-bench-\(getpid())")
        countdownContent = scratch.appendingPathComponent("countdown-content")
        let files = [
            "drills/bench-hold.md": Self.drill(id: "bench-hold", seconds: countdownSeconds),
            "drills/bench-long-hold.md": Self.drill(id: "bench-long-hold", seconds: 300),
            "sessions/bench.md": Self.session(id: "bench", drill: "bench-hold"),
            "sessions/bench-long.md": Self.session(id: "bench-long", drill: "bench-long-hold"),
            "routines/bench-routine.md": """
                ---
                kind: routine
                id: bench-routine
                title: Countdown benchmark
                safety: Keep it to pain-free, controlled movement, and stop if it hurts.
                get-ready: none
                rest-between: none
                ---
                A five-minute hold.

                [drill: bench-long-hold]

                """,
            "decks/bench-deck.md": """
                ---
                kind: deck
                id: bench-deck
                title: Waiting room
                dwell: 30min
                ---
                # Welcome
                Please take a seat; your therapist will be with you soon.

                # Moving well
                Gentle, pain-free movement every day.

                """,
        ]
        for (path, text) in files {
            let url = countdownContent.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let library = try ContentLoader.load([countdownContent.path])
        if let problem = library.diagnostics.first(where: { $0.severity == .error }) {
            throw HarnessError("the benchmark's own content has an error: \(problem)")
        }
    }

    private static func drill(id: String, seconds: Int) -> String {
        """
        ---
        kind: drill
        id: \(id)
        title: Easy hold
        purpose: A long, still hold, to time the countdown.
        hold: \(seconds)s
        ---
        # Steps
        1. Hold an easy, comfortable position.

        # Safety
        Keep it to pain-free, controlled movement, and stop if it hurts.

        """
    }

    private static func session(id: String, drill: String) -> String {
        """
        ---
        kind: session
        id: \(id)
        title: Countdown benchmark
        ---
        # Countdown
        [drill: \(drill)]

        """
    }

    func cleanUp() { try? FileManager.default.removeItem(at: scratch) }

    /// A clean environment: the same terminal type and locale for every program, and nothing from the user's own
    /// config or history.
    func environment(content: String? = nil) -> [String: String] {
        var environment = [
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": scratch.appendingPathComponent("home").path,
            "XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path,
            "XDG_STATE_HOME": scratch.appendingPathComponent("state").path,
        ]
        environment["SESSION_GUIDE_CONTENT"] = content ?? contentFolder
        return environment
    }

    func start(_ arguments: [String], columns: Int = 80, rows: Int = 24, content: String? = nil) throws
        -> PseudoTerminalProcess
    {
        try PseudoTerminalProcess(arguments: arguments, environment: environment(content: content),
                                  columns: columns, rows: rows)
    }
}

// MARK: - Startup

struct StartupFigure {
    var runs: [Double]  // milliseconds
    var median: Double { runs.sorted()[runs.count / 2] }
    var best: Double { runs.min() ?? .nan }
}

/// Exec to the first complete frame: the footer ("… q quit") is the last row ncurses draws.
func measureStartup(_ bench: BenchEnvironment, runs: Int) throws -> StartupFigure {
    var times: [Double] = []
    for _ in 0..<runs {
        let program = try bench.start([bench.binary, "session", "treatment-08"])
        guard program.waitFor("quit", seconds: 5), let arrival = program.chunks.last?.nanoseconds else {
            throw HarnessError("session treatment-08 showed no first frame within 5 s")
        }
        times.append(Double(arrival - program.startedAt) / 1e6)
        program.stop()
    }
    return StartupFigure(runs: times)
}

// MARK: - A running countdown

struct OutputFigure {
    var label: String
    var bytesPerSecond: Double
    var cpuPercentOfCore: Double
    var peakKilobytes: Int
    var cpuSecondsPerMinute: Double { cpuPercentOfCore / 100 * 60 }
}

struct ExactnessFigure {
    var updates: Int
    var missing: Int
    var meanLatenessMilliseconds: Double
    var worstLatenessMilliseconds: Double
    var finalZeroLatenessMilliseconds: Double?
}

/// Groups output chunks that arrive within 5 ms of each other: one frame may take several writes.
func bursts(_ chunks: [PseudoTerminalProcess.Chunk], after start: UInt64) -> [UInt64] {
    var starts: [UInt64] = []
    var last: UInt64 = 0
    for chunk in chunks where chunk.nanoseconds >= start {
        if starts.isEmpty || chunk.nanoseconds - last > 5_000_000 { starts.append(chunk.nanoseconds) }
        last = chunk.nanoseconds
    }
    return starts
}

/// Starts the countdown session at the given size, presses Space, and watches `watchSeconds` of it: bytes written
/// per second, CPU, and (when `exactness`) when each one-second update arrived compared with the key press.
/// `mode` is what follows the binary: a session by default, or a routine (`ready` is then its intro's "Space").
func measureCountdown(_ bench: BenchEnvironment, session: String, mode: [String]? = nil, ready: String = "quit",
                      label: String, columns: Int, rows: Int, countdownSeconds: Int, watchSeconds: Int,
                      requireBigDigits: Bool)
    throws -> (OutputFigure, ExactnessFigure?)
{
    let program = try bench.start([bench.binary] + (mode ?? ["session", session]), columns: columns, rows: rows,
                                  content: bench.countdownContent.path)
    guard program.waitFor(ready, seconds: 5) else { throw HarnessError("\(label): the countdown did not start") }
    program.drain(seconds: 0.5)
    let keySentAt = monotonicNanoseconds()
    program.type(" ")
    // The figures skip the frame the key itself causes and the first second's update.
    let windowStart = keySentAt + 1_500_000_000
    let windowEnd = windowStart + UInt64(watchSeconds - 2) * 1_000_000_000
    program.read(until: windowStart)
    let cpuBefore = program.cpuNanoseconds()
    program.read(until: windowEnd)
    let cpuUsed = program.cpuNanoseconds() - cpuBefore
    let watchedToEnd = watchSeconds >= countdownSeconds
    if watchedToEnd { program.read(until: keySentAt + UInt64(countdownSeconds + 2) * 1_000_000_000) }
    // Big digits are drawn in half blocks (▀ ▄), or in runs of full ones at the scales where pixels fill cells.
    let sawBigDigits = ["▀", "▄", "██████"].contains { program.visibleText.contains($0) }
    program.stop()
    guard sawBigDigits == requireBigDigits else {
        throw HarnessError("\(label): expected \(requireBigDigits ? "big" : "plain") digits at \(columns)×\(rows)")
    }
    let windowSeconds = Double(windowEnd - windowStart) / 1e9
    let output = OutputFigure(
        label: label, bytesPerSecond: Double(program.bytesBetween(windowStart, windowEnd)) / windowSeconds,
        cpuPercentOfCore: Double(cpuUsed) / 1e9 / windowSeconds * 100, peakKilobytes: program.peakKilobytesAtExit ?? 0)
    guard watchedToEnd else { return (output, nil) }

    // Update k is due k seconds after the key press; it is the first frame to arrive from 50 ms before that on.
    let frames = bursts(program.chunks, after: keySentAt)
    var lateness: [Double] = []
    var missing = 0
    var finalZero: Double?
    for second in 1...countdownSeconds {
        let due = keySentAt + UInt64(second) * 1_000_000_000
        guard let frame = frames.first(where: { $0 + 50_000_000 >= due }), frame < due + 900_000_000 else {
            missing += 1
            continue
        }
        let late = (Double(frame) - Double(due)) / 1e6
        lateness.append(late)
        if second == countdownSeconds { finalZero = late }
    }
    let exactness = ExactnessFigure(
        updates: lateness.count, missing: missing,
        meanLatenessMilliseconds: lateness.isEmpty ? .nan : lateness.reduce(0, +) / Double(lateness.count),
        worstLatenessMilliseconds: lateness.max() ?? .nan, finalZeroLatenessMilliseconds: finalZero)
    return (output, exactness)
}

// MARK: - Waiting (kiosk) and peers

/// Watches a program that has nothing to do but wait (or that redraws on its own, for the peers) for
/// `watchSeconds`, after `settleSeconds` to start.
func measureWatching(_ bench: BenchEnvironment, label: String, arguments: [String], content: String? = nil,
                     ready: String?, settleSeconds: Double, watchSeconds: Double) throws -> OutputFigure
{
    let program = try bench.start(arguments, content: content)
    if let ready, !program.waitFor(ready, seconds: 10) {
        program.stop()
        throw HarnessError("\(label) never showed \(ready)")
    }
    program.drain(seconds: settleSeconds)
    let windowStart = monotonicNanoseconds()
    let cpuBefore = program.cpuNanoseconds()
    program.drain(seconds: watchSeconds)
    let windowEnd = monotonicNanoseconds()
    let cpuUsed = program.cpuNanoseconds() - cpuBefore
    program.stop()
    let windowSeconds = Double(windowEnd - windowStart) / 1e9
    return OutputFigure(label: label,
                        bytesPerSecond: Double(program.bytesBetween(windowStart, windowEnd)) / windowSeconds,
                        cpuPercentOfCore: Double(cpuUsed) / 1e9 / windowSeconds * 100,
                        peakKilobytes: program.peakKilobytesAtExit ?? 0)
}

/// Peak resident memory of a mode: started, driven a little with `keys`, then ended after `seconds`.
func measurePeakMemory(_ bench: BenchEnvironment, arguments: [String], ready: String, keys: String = "",
                       seconds: Double = 3) throws -> Int
{
    let program = try bench.start(arguments)
    guard program.waitFor(ready, seconds: 10) else {
        program.stop()
        throw HarnessError("\(arguments.dropFirst().joined(separator: " ")) never showed \(ready)")
    }
    for key in keys { program.type(String(key)); program.drain(seconds: 0.2) }
    program.drain(seconds: seconds)
    program.stop()
    return program.peakKilobytesAtExit ?? 0
}

/// The full path of `command` on PATH, or nil when it is not installed.
func installedPath(_ command: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(folder)/\(command)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}
