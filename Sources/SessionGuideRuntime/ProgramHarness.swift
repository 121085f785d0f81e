import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout

/// A terminal for tests: a size, the frames drawn, the lines said, bells and flashes counted, and a queue of
/// keys and signals that `wait` hands out.
public final class FakeIO: RuntimeIO {
    public var size: Size
    public private(set) var frames: [Grid] = []
    public private(set) var lines: [String] = []
    public private(set) var bells = 0
    public private(set) var flashes = 0
    public private(set) var readingLine = false
    /// How often the program stopped itself (Ctrl-Z), and what runs while it is stopped.
    public private(set) var suspensions = 0
    var whileStopped: () -> Void = {}
    var queued: [RuntimeEvent] = []

    public init(size: Size) {
        self.size = size
    }

    public func draw(_ grid: Grid) { frames.append(grid) }
    public func say(_ line: String) { lines.append(line) }
    public func readLine(_ on: Bool) { readingLine = on }
    public func bell() { bells += 1 }
    public func flash() { flashes += 1 }
    public func suspendUntilContinued() {
        suspensions += 1
        whileStopped()
    }

    /// Everything queued arrives at once, as keys typed together (a paste) do.
    public func wait(timeout: Int64?, descriptors: [Int32]) -> [RuntimeEvent] {
        defer { queued = [] }
        return queued
    }
}

/// Speech, saves, publishing and logging, recorded for a test instead of carried out.
public final class FakeEffects: RuntimeEffects {
    public private(set) var spoken: [String] = []
    public private(set) var saved: [HistoryRecord] = []
    public private(set) var published: [ShareMessage] = []
    public private(set) var logged: [String] = []
    /// Set to make every save fail with this reason.
    public var saveProblem: String?

    public init() {}

    public func speak(_ text: String) { spoken.append(text) }
    public func finishSpeaking() {}
    /// The saves as they came, the ones made as the record went included.
    public private(set) var saves: [HistoryRecord] = []

    /// Like the history: a record saved again under its key replaces the earlier version (`saved` holds the
    /// latest version of each record, in the order they were first saved).
    public func save(_ record: HistoryRecord) -> (record: HistoryRecord, problem: String?) {
        var record = record
        if case .programme(var programme) = record, saveProblem == nil {
            // Numbered as the history numbers them: an id, and the patient's next version.
            let earlier = saved.filter {
                if case .programme(let other) = $0 { PatientLabel.matches(other.patient, programme.patient) } else { false }
            }
            programme.id = Int64(saved.count + 1)
            programme.version = earlier.count + 1
            record = .programme(programme)
        }
        if var progress = record.progress, progress.key.isEmpty {
            progress.key = "record-\(keysGiven + 1)"
            keysGiven += 1
            record.progress = progress
        }
        saves.append(record)
        guard saveProblem == nil else { return (record, saveProblem) }
        if let index = saved.firstIndex(where: { $0.progress?.key != nil && $0.progress?.key == record.progress?.key }) {
            saved[index] = record
        } else {
            saved.append(record)
        }
        return (record, nil)
    }

    /// The programme saved last for the patient (no summary: the harness keeps no runs).
    public func patientRecords(for patient: String) -> PatientRecords {
        let latest = saved.reversed().lazy.compactMap { record -> ProgrammeRecord? in
            if case .programme(let programme) = record, PatientLabel.matches(programme.patient, patient) { programme } else { nil }
        }.first
        return PatientRecords(programme: latest.map(PatientProgramme.init), problem: saveProblem)
    }

    public private(set) var patientsChosen: [String] = []
    public func patientChosen(_ label: String) { patientsChosen.append(label) }

    private var keysGiven = 0
    public func publish(_ message: ShareMessage) { published.append(message) }
    public func log(_ message: String) { logged.append(message) }
}

/// Inputs a test hands the program as if a port had them (an edit of the content, a follower's message).
public final class FakePort: RuntimePort {
    var queued: [ProgramInput] = []
    public init() {}
    public var descriptors: [Int32] { [] }
    public func deadline(after now: Moment) -> Moment? { nil }
    public func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput] {
        defer { queued = [] }
        return queued
    }
}

/// Runs a program in-process on a manual clock and a fake terminal: the real runtime loop, one step at a time,
/// so a test presses keys, moves time, and reads whole screens and the commands carried out, in milliseconds.
public final class ProgramHarness<P: Program> {
    public let clock: ManualClock
    public let io: FakeIO
    public let effects = FakeEffects()
    public let port = FakePort()
    public let runtime: Runtime<P>

    public init(_ program: P, size: Size = Size(width: 80, height: 24), clock: ManualClock = ManualClock()) {
        self.clock = clock
        io = FakeIO(size: size)
        runtime = Runtime(program, io: io, clock: clock, ports: [port], effects: effects)
        runtime.step()
    }

    public var program: P { runtime.program }
    public var exitCode: Int32? { runtime.exitCode }
    /// The program's time: the clock less the time spent suspended.
    public var now: Moment { clock.now().moment + (-runtime.suspendedMilliseconds) }

    /// The last frame, as text rows without trailing spaces.
    public var screen: [String] { io.frames.last.map(Self.rows) ?? [] }
    public var text: String { screen.joined(separator: "\n") }

    public static func rows(_ grid: Grid) -> [String] {
        (0..<grid.size.height).map { row in
            var line = ""
            for column in 0..<grid.size.width where !grid[column, row].isContinuation {
                line.append(grid[column, row].character)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// Keys arriving together (one wake-up), then everything they lead to at this moment.
    public func press(_ keys: KeyEvent...) {
        io.queued += keys.map(RuntimeEvent.key)
        settle()
    }

    /// Each key on its own wake-up, as typed by hand.
    public func type(_ keys: [KeyEvent]) {
        for key in keys { press(key) }
    }

    /// Ctrl-Z, `milliseconds` stopped, then `fg`: the time passes on the clock while the program is stopped.
    public func suspend(for milliseconds: Int64) {
        io.whileStopped = { [clock] in clock.advance(by: milliseconds) }
        io.queued.append(.suspend)
        settle()
        io.whileStopped = {}
    }

    public func signal(_ signal: TerminalSignal) {
        io.queued.append(.signal(signal))
        settle()
    }

    public func resize(to size: Size) {
        io.size = size
        io.queued.append(.key(.resize))
        settle()
    }

    /// An input as if a port had it.
    public func send(_ input: ProgramInput) {
        port.queued.append(input)
        io.queued.append(.readable(-1))  // wakes the loop as a port's descriptor would
        settle()
    }

    /// Moves time on, waking the program at every deadline on the way, as a real clock would.
    public func advance(by milliseconds: Int64) {
        clock.advance(by: milliseconds)
        settle()
    }

    public func advance(seconds: Double) {
        advance(by: Int64((seconds * 1000).rounded()))
    }

    /// Runs the loop until nothing is queued and no time is left to give out, or the program ends.
    private func settle() {
        var passes = 0
        while runtime.exitCode == nil, !io.queued.isEmpty || !port.queued.isEmpty || clock.pendingMilliseconds > 0
            || dueNow {
            runtime.step()
            passes += 1
            precondition(passes < 1_000_000, "the program never settles")
        }
    }

    /// A deadline at the present moment (reached by the last step) that the loop has yet to wake for.
    private var dueNow: Bool {
        let now = self.now
        guard let deadline = runtime.program.nextDeadline(after: now) else { return false }
        return deadline <= now
    }
}
