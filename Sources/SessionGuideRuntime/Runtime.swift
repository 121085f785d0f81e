import SessionGuideEngine
import SessionGuideLayout

/// What the runtime's wait can return.
public enum RuntimeEvent: Hashable, Sendable {
    case key(KeyEvent)
    case signal(TerminalSignal)
    /// Ctrl-Z (SIGTSTP): the runtime hands the terminal back, stops, and on `fg` goes on where it was.
    case suspend
    /// One of the descriptors passed to `wait` can be read.
    case readable(Int32)
}

/// The terminal, or a fake one: where frames and lines go and keys and signals come from.
public protocol RuntimeIO: AnyObject {
    var size: Size { get }
    func draw(_ grid: Grid)
    /// A line of text (the plain modes).
    func say(_ line: String)
    /// The plain modes: a typed line with the terminal's own editing (true), or single keys (false).
    func readLine(_ on: Bool)
    func bell()
    func flash()
    /// Sleeps until a key, a signal, one of `descriptors` being readable, or `timeout` milliseconds (nil: no
    /// limit), and returns what arrived; nothing when the time ran out.
    func wait(timeout: Int64?, descriptors: [Int32]) -> [RuntimeEvent]
    /// Gives the terminal back as it was before the program started, stops the process (as Ctrl-Z does), and
    /// once it is continued (`fg`) takes the terminal again; the runtime then draws everything anew.
    func suspendUntilContinued()
}

/// A source of input other than the keyboard (a watched folder, a socket, a test's clock): descriptors the
/// runtime waits on, a deadline of its own, and the inputs it has for the program at each wake-up.
public protocol RuntimePort: AnyObject {
    var descriptors: [Int32] { get }
    func deadline(after now: Moment) -> Moment?
    /// Called at every wake-up with the descriptors that are readable (of all ports: pick your own).
    func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput]
}

/// The side effects that are not the terminal's: speech, the history, followers, the kiosk log.
public protocol RuntimeEffects: AnyObject {
    func speak(_ text: String)
    func finishSpeaking()
    /// Saves (or, for a record with a key, updates) the record; returns it with its key, and nil when saved,
    /// else why not, in one line.
    func save(_ record: HistoryRecord) -> (record: HistoryRecord, problem: String?)
    func publish(_ message: ShareMessage)
    func log(_ message: String)
    /// What the history has on a patient: their current programme and next-visit summary.
    func patientRecords(for patient: String) -> PatientRecords
    func patientChosen(_ label: String)
}

/// What the runtime tells a test (or the binary's trace file) as it goes: frames, inputs taken, waits.
public protocol RuntimeTrace: AnyObject {
    func record(_ line: String)
}

/// The one loop of the program. Every mode, full-screen or plain, runs here: at each wake-up it gives the
/// program the time (`.tick`), then every input that arrived, carries out the commands, draws the view, and
/// sleeps until the next deadline, key, signal or port event.
public final class Runtime<P: Program> {
    public private(set) var program: P
    public private(set) var exitCode: Int32?
    /// Text for after the screen is closed, in the order it was asked for.
    public private(set) var afterExit: [(String, OutputStream)] = []
    public private(set) var framesDrawn = 0
    /// Keys, signals and resizes taken so far (the trace's `inputs=`, which end-to-end tests wait on).
    public private(set) var inputsTaken = 0

    private let io: RuntimeIO
    private let clock: RuntimeClock
    private let ports: [RuntimePort]
    private let effects: RuntimeEffects
    private let trace: RuntimeTrace?
    private var size = Size(width: 0, height: 0)
    private var started = false
    /// Time spent stopped (Ctrl-Z until `fg`), left out of the program's clock: every timer, dwell and
    /// record's duration stands still while the program is suspended.
    public private(set) var suspendedMilliseconds: Int64 = 0

    public init(_ program: P, io: RuntimeIO, clock: RuntimeClock, ports: [RuntimePort] = [],
                effects: RuntimeEffects, trace: RuntimeTrace? = nil) {
        self.program = program
        self.io = io
        self.clock = clock
        self.ports = ports
        self.effects = effects
        self.trace = trace
    }

    /// Runs until the program quits, and returns its exit code. The caller closes the screen and prints
    /// `afterExit`.
    public func run() -> Int32 {
        while exitCode == nil { step() }
        return exitCode ?? 0
    }

    /// One pass of the loop: on the first, the start; after it, one wait and what it brought.
    public func step() {
        guard exitCode == nil else { return }
        if !started {
            started = true
            size = io.size
            let now = self.now()
            send(.start(size), at: now)
            if exitCode == nil { send(.tick, at: now) }
            for port in ports where exitCode == nil {
                for input in port.inputs(ready: [], at: now) where exitCode == nil { send(input, at: now) }
            }
            draw()
            return
        }
        var now = self.now()
        let deadline = ([program.nextDeadline(after: now.moment)] + ports.map { $0.deadline(after: now.moment) })
            .compactMap { $0 }.min()
        let limit = clock.sleepLimit(until: deadline.map { $0 + suspendedMilliseconds })
        if limit != 0 { trace?.record("wait t=\(now.moment.milliseconds) inputs=\(inputsTaken) frames=\(framesDrawn)") }
        let events = io.wait(timeout: limit, descriptors: ports.flatMap(\.descriptors))
        now = self.now()
        send(.tick, at: now)
        var ready = Set<Int32>()
        for event in events { if case .readable(let descriptor) = event { ready.insert(descriptor) } }
        for port in ports where exitCode == nil {
            for input in port.inputs(ready: ready, at: now) where exitCode == nil {
                if let name = input.traceName { trace?.record("port \(name)") }
                send(input, at: now)
            }
        }
        for event in events where exitCode == nil {
            switch event {
            case .key(.resize):
                inputsTaken += 1
                let newSize = io.size
                trace?.record("resize \(newSize.width)x\(newSize.height)")
                size = newSize
                send(.resize(newSize), at: self.now())
            case .key(let key):
                inputsTaken += 1
                trace?.record("key \(key)")
                send(.key(key), at: self.now())
            case .signal(let signal):
                inputsTaken += 1
                trace?.record("signal \(signal)")
                send(.signal(signal), at: self.now())
            case .suspend:
                inputsTaken += 1
                suspend()
            case .readable:
                continue  // handed to the ports above
            }
        }
        draw()
    }

    /// The clock as the program sees it: without the time spent suspended.
    private func now() -> Instant {
        var instant = clock.now()
        instant.moment = instant.moment + (-suspendedMilliseconds)
        return instant
    }

    /// Ctrl-Z: the terminal goes back to the shell and the process stops; on `fg` the time it was stopped is
    /// taken off the program's clock, and the screen is drawn anew at whatever size it now has.
    private func suspend() {
        let before = clock.now().moment
        trace?.record("suspend t=\(before.milliseconds - suspendedMilliseconds)")
        io.suspendUntilContinued()
        clock.catchUpAfterSuspend()
        suspendedMilliseconds += max(0, clock.now().moment - before)
        trace?.record("continue t=\(now().moment.milliseconds)")
        let newSize = io.size
        if newSize != size {
            size = newSize
            send(.resize(newSize), at: now())
        }
    }

    private func draw() {
        guard exitCode == nil, let grid = program.view(size) else { return }
        io.draw(grid)
        framesDrawn += 1
        trace?.record("frame \(framesDrawn) t=\(now().moment.milliseconds)")
    }

    private func send(_ input: ProgramInput, at now: Instant) {
        var queue = program.update(input, at: now)[...]
        while let command = queue.popFirst() {
            switch command {
            case .bell: io.bell()
            case .flash: io.flash()
            case .speak(let text): effects.speak(text)
            case .finishSpeaking: effects.finishSpeaking()
            case .say(let line): io.say(line)
            case .readLine(let on): io.readLine(on)
            case .publish(let message): effects.publish(message)
            case .log(let message): effects.log(message)
            case .save(let record):
                let (saved, problem) = effects.save(record)
                queue.append(contentsOf: program.update(.saved(saved, problem: problem), at: now))
            case .loadPatient(let patient):
                queue.append(contentsOf: program.update(.patientLoaded(patient: patient, effects.patientRecords(for: patient)),
                                                        at: now))
            case .patientChosen(let label): effects.patientChosen(label)
            case .afterExit(let text, let stream): afterExit.append((text, stream))
            case .quit(let code):
                if exitCode == nil {
                    exitCode = code
                    trace?.record("exit \(code)")
                }
            }
        }
    }
}
