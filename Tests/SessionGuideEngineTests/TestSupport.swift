import Testing
import SessionGuideContent
import SessionGuideEngine

/// A manual monotonic clock: tests move time by hand, nothing sleeps.
struct ManualClock {
    var now = Moment(milliseconds: 0)

    init(_ start: Moment = Moment(milliseconds: 0)) {
        now = start
    }

    mutating func advance(by milliseconds: Int64) {
        now = now + milliseconds
    }

    mutating func advance(seconds: Int) {
        advance(by: Int64(seconds) * 1000)
    }

    mutating func set(_ moment: Moment) {
        precondition(moment >= now, "a monotonic clock never goes back")
        now = moment
    }
}

/// A tiny deterministic pseudo-random generator (for "late wake-up" jitter), so runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Moment {
    static func ms(_ milliseconds: Int64) -> Moment { Moment(milliseconds: milliseconds) }
}

/// A compact, readable description of a phase, so a whole plan can be compared in one expectation:
/// "Hold 20s L 1/2", "Switch sides 5s 1/2", "Rest 10s 1/2", "10 reps 30s 1/1", "8 reps ? 1/2".
func summary(_ phase: DrillPhase) -> String {
    var text = phase.title + " " + (phase.seconds.map { "\($0)s" } ?? "?")
    switch phase.side {
    case .left?: text += " L"
    case .right?: text += " R"
    case nil: break
    }
    return text + " \(phase.set)/\(phase.sets)"
}

/// In-memory content: a session with plain steps, a `##` group of drill steps, a group with its own text, and
/// drill files covering work, hold, reps with and without tempo, sets, rest and per-side.
enum Fixture {
    static func drillText(id: String, timing: [String]) -> String {
        """
        ---
        kind: drill
        id: \(id)
        title: Drill \(id)
        purpose: Exercises something for the tests.
        \(timing.joined(separator: "\n"))
        ---
        # Steps
        1. Start.
        2. Move gently.

        # Safety
        Pain-free, controlled movement only; stop if it hurts.
        """
    }

    /// One set of 45 s work.
    static let march = drillText(id: "march", timing: ["work: 45s"])
    /// 3 × 10 s hold with 15 s rest: 10 + 15 + 10 + 15 + 10 = 60 s.
    static let brace = drillText(id: "brace", timing: ["hold: 10s", "sets: 3", "rest: 15s"])
    /// Per side, 2 sets of 30 s hold with 10 s rest (the session overrides the hold to 20 s).
    static let stretch = drillText(id: "stretch", timing: ["hold: 30s", "sets: 2", "rest: 10s", "per-side: yes"])
    /// 10 reps at 3 s each: 30 s.
    static let rocks = drillText(id: "rocks", timing: ["reps: 10", "tempo: 3s"])
    /// 2 sets of 8 reps without tempo, 30 s rest: waits for a key after each set.
    static let squat = drillText(id: "squat", timing: ["reps: 8", "sets: 2", "rest: 30s"])

    static let session = """
        ---
        kind: session
        id: engine-test
        title: Engine test session
        goal: Exercise the engine.
        duration: 45 min
        ---
        # Welcome
        Hello and welcome.

        > [!script] Opening
        > “How have you been?”

        # Warm-up
        Some marching first.

        [drill: march]

        [drill: brace]

        # Drills

        ## Bracing
        [drill: brace]

        ## Stretch
        [drill: stretch, hold: 20s]

        # Group with intro
        This group has its own text.

        ## Rocks
        [drill: rocks]

        ## Squats
        [drill: squat]

        # Wrap-up
        - Done for today.
        """

    static let stepTitles = ["Welcome", "Warm-up", "Bracing", "Stretch", "Group with intro", "Rocks", "Squats",
                             "Wrap-up"]
    static let stepGroups: [String?] = [nil, nil, "Drills", "Drills", nil, "Group with intro", "Group with intro", nil]
    static let stepDrills: [String?] = [nil, "march", "brace", "stretch", nil, "rocks", "squat", nil]

    static let welcome = 0, warmUp = 1, bracing = 2, stretchStep = 3, groupIntro = 4, rocksStep = 5, squats = 6,
               wrapUp = 7

    static var drillFiles: [String: String] {
        ["drills/march.md": march, "drills/brace.md": brace, "drills/stretch.md": stretch,
         "drills/rocks.md": rocks, "drills/squat.md": squat]
    }

    static func library(extra: [String: String] = [:]) throws -> ContentLibrary {
        let files = drillFiles.merging(extra) { $1 }
            .map { DocumentParser.parse(text: $0.value, path: $0.key) }
        let library = ContentLibrary(files: files)
        try #require(library.errorCount == 0, "\(library.diagnostics)")
        return library
    }

    static func drill(_ id: String) throws -> Drill {
        try #require(try library().drill(id: id))
    }

    static func parseSession(_ text: String, path: String = "sessions/test.md") throws -> Session {
        let file = DocumentParser.parse(text: text, path: path)
        try #require(!file.hasErrors, "\(file.diagnostics)")
        guard case .session(let session)? = file.document else {
            Issue.record("not a session: \(String(describing: file.document))")
            throw FixtureError.notASession
        }
        return session
    }

    /// The engine on the fixture session, started at `startedAt`.
    static func engine(startedAt: Moment = .ms(0)) throws -> SessionEngine {
        let library = try library(extra: ["sessions/engine-test.md": session])
        return SessionEngine(session: try parseSession(session), library: library, startedAt: startedAt)
    }

    /// An engine on a custom session body (front matter added), with the fixture drills.
    static func engine(body: String, startedAt: Moment = .ms(0)) throws -> SessionEngine {
        let text = """
            ---
            kind: session
            id: custom
            title: Custom session
            ---
            \(body)
            """
        return SessionEngine(session: try parseSession(text), library: try library(), startedAt: startedAt)
    }

    enum FixtureError: Error { case notASession }
}

extension SessionEngine {
    /// Presses a key several times, collecting the effects.
    @discardableResult
    mutating func press(_ key: KeyEvent, times: Int = 1, at now: Moment) -> [Effect] {
        (0..<times).flatMap { _ in handle(key, at: now) }
    }

    /// Goes to a step through the contents overlay (Enter on the selection), the way a therapist jumps.
    mutating func jump(to index: Int, at now: Moment) {
        _ = handle(.character("t"), at: now)
        _ = handle(.home, at: now)
        for _ in 0..<index { _ = handle(.down, at: now) }
        _ = handle(.enter, at: now)
    }
}
