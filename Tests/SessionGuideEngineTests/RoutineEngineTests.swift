import Foundation
import Testing
@testable import SessionGuideContent
@testable import SessionGuideEngine

// MARK: - Support

/// A clock the test moves by hand; the engine never reads a clock of its own.
private struct RoutineClock {
    var now: Moment

    init(at milliseconds: Int64 = 1_000_000) {
        now = Moment(milliseconds: milliseconds)
    }

    mutating func advance(by milliseconds: Int64) {
        now = now + milliseconds
    }
}

/// One cue and when it was given, in milliseconds after the routine started (the get-ready began).
private struct LoggedCue: Hashable, CustomStringConvertible {
    var at: Int64
    var cue: RoutineCue
    /// The segment the engine was in right after giving the cue.
    var segment: Int

    var description: String { "\(at) ms: \(cue) [segment \(segment)]" }
}

/// Drives a `RoutineEngine` on a manual clock and records every cue it gives.
private struct Driver {
    var engine: RoutineEngine
    var clock: RoutineClock
    var log: [LoggedCue] = []
    /// When the routine started (the moment the first segment began).
    var origin: Moment

    init(_ engine: RoutineEngine, clock: RoutineClock = RoutineClock()) {
        self.engine = engine
        self.clock = clock
        origin = clock.now
    }

    var now: Moment { clock.now }
    /// Milliseconds since the routine started.
    var elapsed: Int64 { clock.now - origin }

    /// From the intro to running, answering (skipping) the pain check when the engine asks.
    mutating func start() {
        origin = clock.now
        press(.character(" "))
        if engine.stage == .painBefore { press(.character("s")) }
    }

    @discardableResult
    mutating func press(_ key: KeyEvent) -> [RoutineCue] {
        record(engine.handle(key, at: clock.now))
    }

    @discardableResult
    mutating func tick() -> [RoutineCue] {
        record(engine.tick(at: clock.now))
    }

    /// Ticks every `step` ms up to `origin + milliseconds`, the last tick exactly at that moment.
    mutating func advance(toElapsed milliseconds: Int64, every step: Int64 = 100) {
        let target = origin + milliseconds
        while clock.now < target {
            clock.now = min(clock.now + step, target)
            tick()
        }
    }

    /// Ticks only at the engine's own deadlines until nothing more will happen without a key.
    mutating func runAtDeadlines(limit: Int = 100_000) {
        var count = 0
        while let deadline = engine.nextDeadline(after: clock.now) {
            count += 1
            guard count < limit else {
                Issue.record("the routine never ended")
                return
            }
            #expect(deadline > clock.now || engine.remaining(at: clock.now) == 0)
            clock.now = deadline
            tick()
        }
    }

    /// Runs to the end, ticking at deadlines and completing reps without a tempo as soon as they wait.
    mutating func runToEnd() {
        while engine.stage == .running {
            runAtDeadlines()
            if engine.isWaitingForReps { press(.enter) }
            if engine.stage == .running, engine.nextDeadline(after: clock.now) == nil, !engine.isWaitingForReps {
                Issue.record("stuck in segment \(engine.segmentIndex)")
                return
            }
        }
    }

    @discardableResult
    private mutating func record(_ cues: [RoutineCue]) -> [RoutineCue] {
        log += cues.map { LoggedCue(at: elapsed, cue: $0, segment: engine.segmentIndex) }
        return cues
    }

    var phaseCues: [String] {
        log.compactMap { if case .phase(let words) = $0.cue { words } else { nil } }
    }

    var countdownLog: [LoggedCue] {
        log.filter { if case .countdown = $0.cue { true } else { false } }
    }
}

/// In-memory content: four drills and routines made of them.
private enum RoutineFixture {
    static func drill(_ id: String, _ title: String, timing: String) -> String {
        """
        ---
        kind: drill
        id: \(id)
        title: \(title)
        purpose: Keeps the test honest.
        \(timing)
        ---
        # Steps
        1. Move slowly.

        # Safety
        Pain-free, controlled movement only; stop if it hurts.
        """
    }

    static func routine(_ id: String, drills: [String], getReady: String = "5s", restBetween: String = "10s")
        -> String
    {
        """
        ---
        kind: routine
        id: \(id)
        title: Routine \(id)
        safety: Pain-free, controlled movement only; stop if it hurts.
        rest-between: \(restBetween)
        get-ready: \(getReady)
        ---
        A routine for the tests.

        \(drills.map { "[drill: \($0)]" }.joined(separator: "\n"))
        """
    }

    static let drillFiles: [String: String] = [
        "drills/march.md": drill("march", "Marching in place", timing: "work: 20s\nsets: 2\nrest: 10s"),
        "drills/side-hold.md": drill("side-hold", "Side hold", timing: "hold: 15s\nper-side: yes"),
        "drills/bridges.md": drill("bridges", "Bridges", timing: "reps: 6\ntempo: 2s"),
        "drills/heel-slides.md": drill("heel-slides", "Heel slides", timing: "reps: 8"),
        "drills/long-walk.md": drill("long-walk", "Long walk", timing: "work: 1:30"),
    ]

    static let routineFiles: [String: String] = [
        /// Get-ready 5 s; timed drill, 2 sets with rest; per-side hold; reps with tempo; reps without tempo.
        "routines/full.md": routine("full", drills: ["march", "side-hold", "bridges", "heel-slides"]),
        /// The same without the untimed reps: every segment has a length.
        "routines/timed.md": routine("timed", drills: ["march", "side-hold", "bridges"]),
        /// Untimed reps first, so something follows them.
        "routines/reps-first.md": routine("reps-first", drills: ["heel-slides", "march"]),
        "routines/long.md": routine("long", drills: ["long-walk"]),
    ]

    static func library(extra: [String: String] = [:]) -> ContentLibrary {
        let files = drillFiles.merging(routineFiles) { $1 }.merging(extra) { $1 }
        return ContentLibrary(files: files.map { DocumentParser.parse(text: $0.value, path: $0.key) })
    }

    static func engine(_ id: String = "full", asksAboutPain: Bool = false,
                       library: ContentLibrary = RoutineFixture.library()) throws -> RoutineEngine {
        #expect(library.diagnostics.map(\.description) == [])
        guard case .routine(let routine)? = library.document(id: id) else {
            throw FixtureError.missing(id)
        }
        return RoutineEngine(routine: routine, library: library, asksAboutPain: asksAboutPain)
    }

    /// A routine started at its origin, ready to be driven.
    static func started(_ id: String = "full", asksAboutPain: Bool = false) throws -> Driver {
        var driver = Driver(try engine(id, asksAboutPain: asksAboutPain))
        driver.start()
        return driver
    }

    enum FixtureError: Error { case missing(String) }

    // The plan of routine "full" (and of "timed", which is its first ten segments).

    static let announcements = [
        "Get ready. First: Marching in place",
        "Marching in place, 20 seconds",
        "Rest",
        "Marching in place, 20 seconds",
        "Rest. Next: Side hold",
        "Side hold, left side, 15 seconds",
        "Switch sides",
        "Side hold, right side, 15 seconds",
        "Rest. Next: Bridges",
        "Bridges, 6 reps",
        "Rest. Next: Heel slides",
        "Heel slides, 8 reps",
    ]
    /// Seconds of each segment; nil waits for the patient.
    static let seconds: [Int?] = [5, 20, 10, 20, 10, 15, 5, 15, 10, 12, 10, nil]
    /// Planned start of each segment in ms after the routine starts (the last one only when nothing waits).
    static let starts: [Int64] = [0, 5_000, 25_000, 35_000, 55_000, 65_000, 80_000, 85_000, 100_000, 110_000,
                                  122_000, 132_000]
    static let timedTotal: Int64 = 122_000
    /// The rests the patient may lengthen with `+` (in "timed").
    static let restSegments: Set<Int> = [0, 2, 4, 6, 8]
}

// MARK: - Tests

@Suite("Routine engine")
struct RoutineEngineTests {
    // MARK: Plan and announcements

    @Suite("The plan of segments")
    struct Plan {
        @Test func segmentsFollowTheRoutineInOrder() throws {
            let engine = try RoutineFixture.engine()
            typealias Segment = RoutineEngine.Segment
            let expected: [Segment] = [
                Segment(kind: .getReady, drillIndex: 0, seconds: 5),
                Segment(kind: .drillPhase(DrillPhase(kind: .work, seconds: 20, set: 1, sets: 2)), drillIndex: 0,
                        seconds: 20),
                Segment(kind: .drillPhase(DrillPhase(kind: .rest, seconds: 10, set: 1, sets: 2)), drillIndex: 0,
                        seconds: 10),
                Segment(kind: .drillPhase(DrillPhase(kind: .work, seconds: 20, set: 2, sets: 2)), drillIndex: 0,
                        seconds: 20),
                Segment(kind: .restBetween, drillIndex: 1, seconds: 10),
                Segment(kind: .drillPhase(DrillPhase(kind: .hold, seconds: 15, set: 1, sets: 1, side: .left)),
                        drillIndex: 1, seconds: 15),
                Segment(kind: .drillPhase(DrillPhase(kind: .switchSides, seconds: 5, set: 1, sets: 1)),
                        drillIndex: 1, seconds: 5),
                Segment(kind: .drillPhase(DrillPhase(kind: .hold, seconds: 15, set: 1, sets: 1, side: .right)),
                        drillIndex: 1, seconds: 15),
                Segment(kind: .restBetween, drillIndex: 2, seconds: 10),
                Segment(kind: .drillPhase(DrillPhase(kind: .reps(count: 6, tempo: 2), seconds: 12, set: 1, sets: 1)),
                        drillIndex: 2, seconds: 12),
                Segment(kind: .restBetween, drillIndex: 3, seconds: 10),
                Segment(kind: .drillPhase(DrillPhase(kind: .reps(count: 8, tempo: nil), seconds: nil, set: 1,
                                                     sets: 1)),
                        drillIndex: 3, seconds: nil),
            ]
            #expect(engine.segments == expected)
            #expect(engine.segments.map(\.seconds) == RoutineFixture.seconds)
            #expect(engine.drills.map(\.drill.id) == ["march", "side-hold", "bridges", "heel-slides"])
            #expect(engine.outcomes == [.pending, .pending, .pending, .pending])
            #expect(engine.stage == .intro)
        }

        @Test func everySegmentIsAnnounced() throws {
            let engine = try RoutineFixture.engine()
            #expect(engine.segments.map(engine.announcement(for:)) == RoutineFixture.announcements)
        }

        @Test func restsAreTheSegmentsWithoutEffort() throws {
            let engine = try RoutineFixture.engine("timed")
            let rests = Set(engine.segments.indices.filter { engine.segments[$0].isRest })
            #expect(rests == RoutineFixture.restSegments)
            let phases = engine.segments.indices.filter { engine.segments[$0].isDrillPhase }
            #expect(phases == [1, 2, 3, 5, 6, 7, 9])
        }

        /// Seconds for reps with a tempo are count × tempo.
        @Test(arguments: [(6, 2), (10, 4), (12, 3), (1, 1)])
        func repsWithTempoLastCountTimesTempo(count: Int, tempo: Int) throws {
            let drill = RoutineFixture.drill("tempo-drill", "Tempo drill", timing: "reps: \(count)\ntempo: \(tempo)s")
            let routine = RoutineFixture.routine("tempo-only", drills: ["tempo-drill"])
            let library = RoutineFixture.library(extra: ["drills/tempo-drill.md": drill, "routines/tempo-only.md": routine])
            let engine = try RoutineFixture.engine("tempo-only", library: library)
            #expect(engine.segments.map(\.seconds) == [5, count * tempo])
            #expect(engine.announcement(for: engine.segments[1]) == "Tempo drill, \(count) reps")
            #expect(engine.totalLength == Int64(5 + count * tempo) * 1000)
        }

        @Test func engineTotalAgreesWithTheLibrarysTotal() throws {
            let library = RoutineFixture.library()
            for id in ["full", "timed", "reps-first", "long"] {
                let engine = try RoutineFixture.engine(id, library: library)
                #expect(engine.totalLength == Int64(library.totalSeconds(of: engine.routine)) * 1000, "\(id)")
            }
            let full = try RoutineFixture.engine("full", library: library)
            let timed = try RoutineFixture.engine("timed", library: library)
            #expect(full.totalLength == 156_000)  // heel slides estimated at 8 × 3 s
            #expect(timed.totalLength == RoutineFixture.timedTotal)
        }

        @Test(arguments: [(1, "1 second"), (5, "5 seconds"), (45, "45 seconds"), (60, "1 minute"),
                          (90, "1 minute 30 seconds"), (61, "1 minute 1 second"), (120, "2 minutes"),
                          (150, "2 minutes 30 seconds")])
        func spokenDurations(seconds: Int, words: String) {
            #expect(RoutineEngine.spoken(seconds: seconds) == words)
        }

        @Test func longWorkIsAnnouncedInMinutes() throws {
            let engine = try RoutineFixture.engine("long")
            #expect(engine.announcement(for: engine.segments[1]) == "Long walk, 1 minute 30 seconds")
        }
    }

    // MARK: The whole run

    @Suite("A whole run")
    struct WholeRun {
        /// Ticked every 100 ms: each segment starts at its planned moment with its announcement, the
        /// countdown comes in its last three seconds, and the untimed reps wait until Space or Enter.
        @Test(arguments: [KeyEvent.enter, .character(" ")])
        func exactSequenceOfCues(completeKey: KeyEvent) throws {
            var driver = try RoutineFixture.started()
            #expect(driver.engine.stage == .running)
            #expect(driver.engine.startedAt == driver.origin)
            driver.advance(toElapsed: RoutineFixture.starts[11] + 40_000)

            var expected: [LoggedCue] = []
            for index in 0..<11 {
                let start = RoutineFixture.starts[index]
                let end = start + Int64(RoutineFixture.seconds[index]!) * 1000
                expected.append(LoggedCue(at: start, cue: .phase(announcement: RoutineFixture.announcements[index]),
                                          segment: index))
                for n in [3, 2, 1] {
                    expected.append(LoggedCue(at: end - Int64(n) * 1000, cue: .countdown(n), segment: index))
                }
            }
            expected.append(LoggedCue(at: RoutineFixture.starts[11], cue: .phase(announcement: RoutineFixture.announcements[11]),
                                      segment: 11))
            #expect(driver.log == expected)

            // The reps without tempo wait: no deadline, no time running out, no cues.
            #expect(driver.engine.segmentIndex == 11)
            #expect(driver.engine.isWaitingForReps)
            #expect(driver.engine.isWaitingForReps)
            #expect(driver.engine.nextDeadline(after: driver.now) == nil)
            #expect(driver.engine.remaining(at: driver.now) == nil)
            #expect(driver.engine.displayedSeconds(at: driver.now) == nil)
            #expect(driver.engine.outcomes == [.done, .done, .done, .pending])

            let cues = driver.press(completeKey)
            #expect(cues == [.finished])
            #expect(driver.engine.outcomes == [.done, .done, .done, .done])
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.starts[11] + 40_000)
            #expect(driver.engine.timeSpent(at: driver.now + 99_999) == RoutineFixture.starts[11] + 40_000)
        }

        /// Untimed reps end when the patient says so, and the next segment starts at that very moment.
        @Test(arguments: [KeyEvent.enter, .character(" ")])
        func untimedRepsHandOverAtTheKeyPress(completeKey: KeyEvent) throws {
            var driver = try RoutineFixture.started("reps-first")
            driver.advance(toElapsed: 5_000)
            #expect(driver.engine.isWaitingForReps)
            #expect(driver.phaseCues == ["Get ready. First: Heel slides", "Heel slides, 8 reps"])

            // Time passing and other keys change nothing while waiting.
            driver.clock.advance(by: 17_345)
            #expect(driver.tick() == [])
            #expect(driver.press(.character("+")) == [])
            #expect(driver.engine.isWaitingForReps)
            #expect(!driver.engine.isPaused)

            let cues = driver.press(completeKey)
            #expect(cues == [.phase(announcement: "Rest. Next: Marching in place")])
            #expect(driver.engine.clock == .running(segmentStart: driver.origin + 22_345))
            #expect(driver.engine.outcomes == [.done, .pending])
            driver.runToEnd()
            // Rest 10 s + march (20 + 10 + 20 s).
            #expect(driver.engine.finishedAt == driver.origin + 22_345 + 60_000)
            #expect(driver.engine.outcomes == [.done, .done])
        }
    }

    // MARK: Stages

    @Suite("Stages: intro, pain checks, running, finished")
    struct Stages {
        @Test(arguments: [KeyEvent.character(" "), .enter])
        func introGoesToThePainCheck(key: KeyEvent) throws {
            var engine = try RoutineFixture.engine(asksAboutPain: true)
            let now = Moment.seconds(100)
            #expect(engine.handle(key, at: now) == [])
            #expect(engine.stage == .painBefore)
            #expect(engine.startedAt == nil)
            #expect(engine.tick(at: now + 60_000) == [])
            #expect(engine.nextDeadline(after: now) == nil)
        }

        @Test(arguments: [KeyEvent.character("a"), .left, .character("q"), .escape, .character("5"), .up, .tab])
        func introWaitsForSpaceOrEnter(key: KeyEvent) throws {
            var engine = try RoutineFixture.engine(asksAboutPain: true)
            #expect(engine.handle(key, at: .seconds(1)) == [])
            #expect(engine.stage == .intro)
            #expect(engine.tick(at: .seconds(100)) == [])
            #expect(engine.startedAt == nil)
            #expect(engine.nextDeadline(after: .seconds(100)) == nil)
        }

        static let painAnswers: [(KeyEvent, Int?)] =
            (0...9).map { (KeyEvent.character(Character(String($0))), Optional($0)) }
            + [(.character("x"), 10), (.character("X"), 10),
               (.enter, nil), (.character("s"), nil), (.character("S"), nil), (.escape, nil)]

        @Test(arguments: painAnswers)
        func painBeforeTakesOneKeyAndStarts(key: KeyEvent, value: Int?) throws {
            var engine = try RoutineFixture.engine(asksAboutPain: true)
            _ = engine.handle(.enter, at: .seconds(1))
            let cues = engine.handle(key, at: .seconds(30))
            #expect(engine.painBefore == value)
            #expect(engine.stage == .running)
            #expect(engine.startedAt == .seconds(30))
            #expect(engine.segmentIndex == 0)
            #expect(engine.clock == .running(segmentStart: .seconds(30)))
            #expect(cues == [.phase(announcement: "Get ready. First: Marching in place")])
        }

        @Test(arguments: painAnswers)
        func painAfterTakesOneKeyAndFinishes(key: KeyEvent, value: Int?) throws {
            var driver = try RoutineFixture.started("timed", asksAboutPain: true)
            #expect(driver.engine.painBefore == nil)
            driver.runToEnd()
            #expect(driver.engine.stage == .painAfter)
            #expect(driver.log.last?.cue == .finished)
            driver.clock.advance(by: 45_000)
            #expect(driver.press(key) == [])
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.painAfter == value)
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal)
        }

        @Test(arguments: [KeyEvent.character("a"), .character("y"), .character("+"), .right, .left, .up,
                          .character(" "), .character("-")])
        func painChecksIgnoreOtherKeys(key: KeyEvent) throws {
            var engine = try RoutineFixture.engine("timed", asksAboutPain: true)
            _ = engine.handle(.character(" "), at: .seconds(1))
            #expect(engine.handle(key, at: .seconds(2)) == [])
            #expect(engine.stage == .painBefore)
            #expect(engine.painBefore == nil)

            var driver = try RoutineFixture.started("timed", asksAboutPain: true)
            driver.runToEnd()
            #expect(driver.press(key) == [])
            #expect(driver.engine.stage == .painAfter)
            #expect(driver.engine.painAfter == nil)
        }

        @Test func fullFlowWithPainChecks() throws {
            var driver = Driver(try RoutineFixture.engine("timed", asksAboutPain: true))
            #expect(driver.engine.stage == .intro)
            driver.press(.character(" "))
            #expect(driver.engine.stage == .painBefore)
            driver.clock.advance(by: 8_000)
            driver.origin = driver.now
            #expect(driver.press(.character("7")) == [.phase(announcement: RoutineFixture.announcements[0])])
            #expect(driver.engine.stage == .running)
            #expect(driver.engine.painBefore == 7)
            driver.runToEnd()
            #expect(driver.engine.stage == .painAfter)
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal)
            #expect(driver.press(.character("2")) == [])
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.painAfter == 2)
            #expect(!driver.engine.stoppedEarly)
        }

        @Test(arguments: [KeyEvent.character(" "), .enter])
        func withoutPainChecksTheStagesAreSkipped(key: KeyEvent) throws {
            var driver = Driver(try RoutineFixture.engine("timed", asksAboutPain: false))
            #expect(driver.press(key) == [.phase(announcement: RoutineFixture.announcements[0])])
            #expect(driver.engine.stage == .running)
            #expect(driver.engine.startedAt == driver.origin)
            driver.runToEnd()
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.painBefore == nil)
            #expect(driver.engine.painAfter == nil)
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal)
        }

        @Test(arguments: [KeyEvent.character(" "), .enter, .right, .left, .character("q"), .character("+"),
                          .character("3")])
        func finishedIgnoresEverything(key: KeyEvent) throws {
            var driver = try RoutineFixture.started("timed")
            driver.runToEnd()
            #expect(driver.engine.stage == .finished)
            let before = driver.engine
            driver.clock.advance(by: 3_600_000)
            #expect(driver.press(key) == [])
            #expect(driver.tick() == [])
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.outcomes == before.outcomes)
            #expect(driver.engine.finishedAt == before.finishedAt)
            #expect(driver.engine.nextDeadline(after: driver.now) == nil)
        }
    }

    // MARK: Cues

    @Suite("Cues")
    struct Cues {
        /// Ticked every 100 ms, every segment longer than 3 s gets 3, 2, 1 exactly once, at the moment the
        /// display shows that second, after its phase cue.
        @Test func countdownOncePerSecondInEverySegment() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: RoutineFixture.timedTotal + 5_000)
            for index in 0..<10 {
                let end = RoutineFixture.starts[index] + Int64(RoutineFixture.seconds[index]!) * 1000
                let inSegment = driver.log.filter { $0.segment == index && $0.cue != .finished }
                #expect(inSegment.map(\.cue) == [.phase(announcement: RoutineFixture.announcements[index]),
                                                  .countdown(3), .countdown(2), .countdown(1)],
                        "segment \(index)")
                #expect(inSegment.map(\.at) == [RoutineFixture.starts[index], end - 3000, end - 2000, end - 1000],
                        "segment \(index)")
            }
            #expect(driver.log.filter { $0.cue == .finished }.map(\.at) == [RoutineFixture.timedTotal])
            #expect(driver.log.count == 10 * 4 + 1)
        }

        /// No countdown in the first second shown of a segment (it already got its phase cue): a 3 s get-ready
        /// counts 2, 1; a 1 s one counts nothing.
        @Test(arguments: [1, 2, 3, 4, 5, 10])
        func shortSegmentsSkipTheirFirstSecond(getReady: Int) throws {
            let routine = RoutineFixture.routine("short", drills: ["march"], getReady: "\(getReady)s")
            let library = RoutineFixture.library(extra: ["routines/short.md": routine])
            var driver = Driver(try RoutineFixture.engine("short", library: library))
            driver.start()
            driver.advance(toElapsed: Int64(getReady) * 1000 - 1)
            let counted = driver.countdownLog.map(\.cue)
            let expected = (1..<min(4, getReady)).reversed().map { RoutineCue.countdown($0) }
            #expect(counted == expected)
            #expect(driver.log.first?.cue == .phase(announcement: "Get ready. First: Marching in place"))
            #expect(driver.countdownLog.allSatisfy { $0.at >= 1000 })
        }

        /// Ticks that come late (a busy or suspended terminal) never duplicate a cue, never drop a phase cue,
        /// and never shift a segment from its planned start.
        @Test(arguments: [100, 700, 999, 1_000, 1_300, 2_500, 7_000, 40_000] as [Int64])
        func lateTicksKeepThePlan(interval: Int64) throws {
            var driver = try RoutineFixture.started("timed")
            while driver.engine.stage == .running {
                driver.clock.advance(by: interval)
                driver.tick()
                if driver.engine.stage == .running {
                    let index = driver.engine.segmentIndex
                    #expect(driver.engine.clock == .running(segmentStart: driver.origin + RoutineFixture.starts[index]),
                            "segment \(index) at \(driver.elapsed) ms")
                }
            }
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal)
            #expect(driver.phaseCues == Array(RoutineFixture.announcements.prefix(10)))
            #expect(driver.log.filter { $0.cue == .finished }.count == 1)
            #expect(driver.log.last?.cue == .finished)
            for index in 0..<10 {
                let counts = driver.countdownLog.filter { $0.segment == index }.map(\.cue)
                #expect(Set(counts).count == counts.count, "duplicate countdown in segment \(index)")
                // In order 3, 2, 1 (some may be missed when ticks are too far apart, never repeated).
                let numbers = counts.compactMap { if case .countdown(let n) = $0 { n } else { nil } }
                #expect(numbers == numbers.sorted(by: >), "segment \(index)")
                #expect(driver.countdownLog.filter { $0.segment == index }.allSatisfy {
                    $0.at >= RoutineFixture.starts[index] + 1000
                })
            }
            if interval <= 1_000 {
                #expect(driver.countdownLog.count == 30)
            }
        }

        /// Ticking again at the same moment gives nothing new.
        @Test func repeatedTicksAtOneMomentAreQuiet() throws {
            var driver = try RoutineFixture.started("timed")
            for elapsed in stride(from: Int64(0), through: RoutineFixture.timedTotal, by: 250) {
                driver.advance(toElapsed: elapsed, every: 250)
                #expect(driver.tick() == [])
                #expect(driver.tick() == [])
            }
            #expect(driver.log.count == 10 * 4 + 1)
        }
    }

    // MARK: Timing

    @Suite("Timing")
    struct Timing {
        @Test func endsExactlyAtThePlannedTotalWhenTickedAtDeadlines() throws {
            var driver = try RoutineFixture.started("timed")
            var ticks = 0
            var moments: [Int64] = []
            while let deadline = driver.engine.nextDeadline(after: driver.now) {
                #expect(deadline > driver.now)
                driver.clock.now = deadline
                driver.tick()
                moments.append(driver.elapsed)
                ticks += 1
            }
            let planned = Int64(RoutineFixture.seconds.prefix(10).compactMap { $0 }.reduce(0, +)) * 1000
            #expect(planned == RoutineFixture.timedTotal)
            #expect(driver.engine.finishedAt == driver.origin + planned)
            #expect(driver.engine.timeSpent(at: driver.now) == planned)
            // One wake-up a second, on the second: the display changes exactly then.
            #expect(moments == Array(stride(from: Int64(1000), through: planned, by: 1000)))
            #expect(ticks == 122)
            #expect(driver.engine.outcomes == [.done, .done, .done])
        }

        @Test func deadlineIsWhenTheShownSecondChanges() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: 6_250)  // 1.25 s into the 20 s work: 18.75 s left, "19" shown
            #expect(driver.engine.displayedSeconds(at: driver.now) == 19)
            #expect(driver.engine.nextDeadline(after: driver.now) == driver.origin + 7_000)
            #expect(driver.engine.remaining(at: driver.now) == 18_750)
        }

        /// Pausing for ten minutes at any point moves the end by exactly ten minutes.
        @Test(arguments: [1, 2_000, 4_950, 15_000, 25_000, 64_999, 79_999, 83_100, 121_900] as [Int64])
        func pauseLosesAndAddsNothing(at pauseAt: Int64) throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: pauseAt)
            let segment = driver.engine.segmentIndex
            let remaining = driver.engine.remaining(at: driver.now)
            let total = driver.engine.totalRemaining(at: driver.now)
            #expect(driver.press(.character(" ")) == [])
            #expect(driver.engine.isPaused)
            #expect(driver.engine.nextDeadline(after: driver.now) == nil)

            let cuesBefore = driver.log.count
            driver.advance(toElapsed: pauseAt + 600_000, every: 1_000)
            #expect(driver.log.count == cuesBefore, "no cues while paused")
            #expect(driver.engine.segmentIndex == segment)
            #expect(driver.engine.remaining(at: driver.now) == remaining)
            #expect(driver.engine.totalRemaining(at: driver.now) == total)

            #expect(driver.press(.character(" ")) == [])
            #expect(!driver.engine.isPaused)
            #expect(driver.engine.remaining(at: driver.now) == remaining)
            driver.runToEnd()
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal + 600_000)
            #expect(driver.engine.timeSpent(at: driver.now) == RoutineFixture.timedTotal + 600_000)
            #expect(driver.phaseCues == Array(RoutineFixture.announcements.prefix(10)))
            #expect(Set(driver.countdownLog.map { "\($0.segment) \($0.cue)" }).count == driver.countdownLog.count)
            #expect(driver.engine.outcomes == [.done, .done, .done])
        }

        @Test func pauseTwiceInOneSegment() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: 10_000)
            driver.press(.character(" "))
            driver.clock.advance(by: 600_000)
            driver.press(.character(" "))
            driver.clock.advance(by: 3_333)
            driver.tick()
            driver.press(.character(" "))
            driver.clock.advance(by: 77_777)
            driver.press(.character(" "))
            driver.runToEnd()
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal + 600_000 + 77_777)
        }

        /// `+` adds 15 s to the get-ready, a rest between drills, the switch between sides or a rest between
        /// sets, and does nothing during work.
        @Test(arguments: 0..<10)
        func addRestOnlyDuringRests(segment: Int) throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: RoutineFixture.starts[segment] + 1_000)
            #expect(driver.engine.segmentIndex == segment)
            let isRest = RoutineFixture.restSegments.contains(segment)
            #expect(driver.engine.segment.isRest == isRest)
            let left = Int64(RoutineFixture.seconds[segment]!) * 1000 - 1000
            #expect(driver.engine.remaining(at: driver.now) == left)

            #expect(driver.press(.character("+")) == [])
            let added: Int64 = isRest ? 15_000 : 0
            #expect(driver.engine.remaining(at: driver.now) == left + added)
            #expect(driver.engine.adjustment == added)
            driver.runToEnd()
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal + added)
            // The segment after it starts that much later, and the extra time doesn't carry over.
            if segment + 1 < 10 {
                #expect(driver.log.first { $0.segment == segment + 1 }?.at == RoutineFixture.starts[segment + 1] + added)
            }
        }

        @Test(arguments: [KeyEvent.character("+"), .character("=")])
        func addRestAddsUpAndWorksWhilePaused(key: KeyEvent) throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: 1_000)  // in the 5 s get-ready
            driver.press(key)
            driver.press(key)
            #expect(driver.engine.remaining(at: driver.now) == Int64(4_000 + 30_000))
            driver.press(.character(" "))
            driver.press(key)
            driver.clock.advance(by: 60_000)
            driver.press(.character(" "))
            #expect(driver.engine.remaining(at: driver.now) == Int64(4_000 + 45_000))
            driver.runToEnd()
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal + 45_000 + 60_000)
        }
    }

    // MARK: Skip and back

    @Suite("Skip and back")
    struct SkipAndBack {
        typealias Case = (segment: Int, target: Int?, outcomes: [DrillOutcome])

        /// → one second into each segment of the full routine.
        static let skips: [Case] = [
            (0, 1, [.pending, .pending, .pending, .pending]),  // get-ready: straight into the first drill
            (1, 5, [.skipped, .pending, .pending, .pending]),
            (2, 5, [.skipped, .pending, .pending, .pending]),  // a rest between sets is part of the drill
            (3, 5, [.skipped, .pending, .pending, .pending]),
            (4, 5, [.done, .pending, .pending, .pending]),  // rest between drills: nothing marked
            (5, 9, [.done, .skipped, .pending, .pending]),
            (6, 9, [.done, .skipped, .pending, .pending]),
            (7, 9, [.done, .skipped, .pending, .pending]),
            (8, 9, [.done, .done, .pending, .pending]),
            (9, 11, [.done, .done, .skipped, .pending]),
            (10, 11, [.done, .done, .done, .pending]),
            (11, nil, [.done, .done, .done, .skipped]),  // the last drill: the routine is over
        ]

        @Test(arguments: skips)
        func skipGoesToTheNextDrillsFirstPhase(_ skip: Case) throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: RoutineFixture.starts[skip.segment] + 1_000)
            #expect(driver.engine.segmentIndex == skip.segment)
            let cues = driver.press(.right)
            #expect(driver.engine.outcomes == skip.outcomes)
            if let target = skip.target {
                #expect(cues == [.phase(announcement: RoutineFixture.announcements[target])])
                #expect(driver.engine.segmentIndex == target)
                #expect(driver.engine.stage == .running)
                if RoutineFixture.seconds[target] != nil {
                    #expect(driver.engine.clock == .running(segmentStart: driver.now))
                    #expect(driver.engine.remaining(at: driver.now) == Int64(RoutineFixture.seconds[target]!) * 1000)
                } else {
                    #expect(driver.engine.isWaitingForReps)
                }
            } else {
                #expect(cues == [.finished])
                #expect(driver.engine.stage == .finished)
                #expect(driver.engine.finishedAt == driver.now)
                #expect(!driver.engine.stoppedEarly)
            }
        }

        @Test(arguments: [KeyEvent.right, .character("n")])
        func skipOnTheLastDrillFinishes(key: KeyEvent) throws {
            var driver = try RoutineFixture.started("timed", asksAboutPain: true)
            driver.advance(toElapsed: RoutineFixture.starts[9] + 4_321)
            #expect(driver.press(key) == [.finished])
            #expect(driver.engine.stage == .painAfter)
            #expect(driver.engine.outcomes == [.done, .done, .skipped])
            #expect(driver.engine.finishedAt == driver.now)
            #expect(driver.engine.timeSpent(at: driver.now + 50_000) == RoutineFixture.starts[9] + 4_321)
            #expect(driver.engine.routineProgress(at: driver.now) == 1)
            driver.press(.character("0"))
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.painAfter == 0)
        }

        @Test func skipKeepsTimeExactAfterwards() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: 12_345)  // in the first set of marching
            driver.press(.character("n"))
            #expect(driver.engine.segmentIndex == 5)
            driver.runToEnd()
            // Side hold (35 s), rest 10 s, bridges 12 s.
            #expect(driver.engine.finishedAt == driver.origin + 12_345 + 57_000)
            #expect(driver.engine.outcomes == [.skipped, .done, .done])
        }

        @Test func skipWhilePausedStartsTheNextDrill() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: 8_000)
            driver.press(.character(" "))
            driver.clock.advance(by: 30_000)
            driver.press(.right)
            #expect(driver.engine.segmentIndex == 5)
            #expect(driver.engine.clock == .running(segmentStart: driver.now))
        }

        @Test(arguments: [KeyEvent.left, .character("p")])
        func backRestartsTheCurrentDrill(key: KeyEvent) throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: RoutineFixture.starts[7] + 10_000)  // right side of the side hold
            #expect(driver.engine.outcomes == [.done, .pending, .pending, .pending])
            #expect(driver.press(key) == [.phase(announcement: "Side hold, left side, 15 seconds")])
            #expect(driver.engine.segmentIndex == 5)
            #expect(driver.engine.clock == .running(segmentStart: driver.now))
            #expect(driver.engine.outcomes == [.done, .pending, .pending, .pending])
            driver.runToEnd()
            #expect(driver.engine.outcomes == [.done, .done, .done, .done])
        }

        /// Within 3 s of a drill's start, ← goes to the drill before, whose outcome is reset.
        @Test(arguments: [(0, 1), (1, 1), (2_999, 1), (3_000, 5), (3_001, 5), (14_000, 5)] as [(Int64, Int)])
        func backNearTheStartGoesToThePreviousDrill(into: Int64, target: Int) throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: RoutineFixture.starts[5] + into)
            #expect(driver.engine.segmentIndex == 5)
            driver.press(.left)
            #expect(driver.engine.segmentIndex == target)
            #expect(driver.engine.outcomes[0] == (target == 1 ? .pending : .done))
            #expect(driver.engine.outcomes[1] == .pending)
            #expect(driver.log.last?.cue == .phase(announcement: RoutineFixture.announcements[target]))
        }

        @Test func backAcrossPhasesCountsTheWholeDrill() throws {
            var driver = try RoutineFixture.started()
            // 2 s into the switch between sides: 17 s into the drill, so the drill restarts.
            driver.advance(toElapsed: RoutineFixture.starts[6] + 2_000)
            driver.press(.left)
            #expect(driver.engine.segmentIndex == 5)
            #expect(driver.engine.outcomes[0] == .done)
        }

        @Test(arguments: [1_000, 2_999, 25_000, 40_000] as [Int64])
        func backInTheFirstDrillRestartsIt(into: Int64) throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: RoutineFixture.starts[1] + into)
            driver.press(.left)
            #expect(driver.engine.segmentIndex == 1)
            #expect(driver.engine.clock == .running(segmentStart: driver.now))
            #expect(driver.engine.startedAt == driver.origin)
            #expect(driver.engine.outcomes == [.pending, .pending, .pending, .pending])
        }

        @Test func backDuringARestBetweenDrillsRedoesTheDrillJustDone() throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: RoutineFixture.starts[4] + 5_000)
            #expect(driver.engine.outcomes[0] == .done)
            driver.press(.left)
            #expect(driver.engine.segmentIndex == 1)
            #expect(driver.engine.outcomes == [.pending, .pending, .pending, .pending])
            driver.runToEnd()
            #expect(driver.engine.outcomes == [.done, .done, .done, .done])
        }

        @Test func backAfterASkipResetsTheSkippedDrill() throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: RoutineFixture.starts[5] + 4_000)
            driver.press(.right)  // skip the side hold
            #expect(driver.engine.outcomes[1] == .skipped)
            driver.clock.advance(by: 1_000)
            driver.press(.left)  // within 3 s of bridges: back to the side hold
            #expect(driver.engine.segmentIndex == 5)
            #expect(driver.engine.outcomes[1] == .pending)
        }

        /// BUG: ← measures how far into the drill the patient is with the planned length of the current
        /// segment, not its adjusted length, so after `+` in the switch between sides it thinks the drill has
        /// only just begun and jumps to the previous drill (resetting its outcome) instead of restarting.
        @Test func backAfterAddingRestRestartsTheCurrentDrill() throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: RoutineFixture.starts[6] + 500)  // switch sides, 15.5 s into the side hold
            driver.press(.character("+"))
            driver.advance(toElapsed: RoutineFixture.starts[6] + 1_000)
            driver.press(.left)
            #expect(driver.engine.segmentIndex == 5)
            #expect(driver.engine.outcomes[0] == .done)
        }

        /// BUG: while reps without a tempo wait, the engine has no start moment for the phase, so ← always
        /// counts as "within 3 s of the start" and goes to the previous drill, however long the patient has
        /// been doing the reps.
        @Test func backLongAfterUntimedRepsBeganRestartsThem() throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: RoutineFixture.starts[11])
            #expect(driver.engine.isWaitingForReps)
            driver.clock.advance(by: 30_000)
            driver.press(.left)
            #expect(driver.engine.segmentIndex == 11)
            #expect(driver.engine.outcomes[2] == .done)
        }
    }

    // MARK: Outcomes and stopping

    @Suite("Outcomes and stopping early")
    struct Outcomes {
        @Test func doneSkippedAndPending() throws {
            var driver = try RoutineFixture.started(asksAboutPain: true)
            driver.advance(toElapsed: RoutineFixture.starts[4])
            #expect(driver.engine.outcomes == [.done, .pending, .pending, .pending])
            driver.advance(toElapsed: RoutineFixture.starts[5] + 1_000)
            driver.press(.right)  // skip the side hold; bridges start at 66 s
            driver.advance(toElapsed: 66_000 + 12_000 + 10_000)
            #expect(driver.engine.isWaitingForReps)
            #expect(driver.engine.outcomes == [.done, .skipped, .done, .pending])

            #expect(driver.press(.character("q")) == [])
            #expect(driver.engine.confirmingStop)
            #expect(driver.engine.stage == .running)
            driver.press(.character("n"))
            #expect(!driver.engine.confirmingStop)
            #expect(driver.engine.isWaitingForReps)
            #expect(driver.engine.stage == .running)

            driver.press(.escape)
            #expect(driver.engine.confirmingStop)
            driver.clock.advance(by: 2_000)
            #expect(driver.press(.character("y")) == [])
            #expect(driver.engine.stoppedEarly)
            #expect(!driver.engine.confirmingStop)
            #expect(driver.engine.stage == .painAfter)
            #expect(driver.engine.finishedAt == driver.now)
            #expect(driver.engine.outcomes == [.done, .skipped, .done, .pending])
            driver.press(.character("x"))
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.painAfter == 10)
            #expect(driver.engine.timeSpent(at: driver.now + 1_000_000) == 90_000)
        }

        @Test(arguments: [KeyEvent.character("q"), .escape], [KeyEvent.character("y"), .character("Y")])
        func stopAfterConfirming(ask: KeyEvent, confirm: KeyEvent) throws {
            var driver = try RoutineFixture.started("timed", asksAboutPain: true)
            driver.advance(toElapsed: 30_000)
            driver.press(ask)
            #expect(driver.engine.confirmingStop)
            driver.press(confirm)
            #expect(driver.engine.stoppedEarly)
            #expect(driver.engine.stage == .painAfter)
            #expect(driver.engine.finishedAt == driver.origin + 30_000)
            #expect(driver.engine.outcomes == [.pending, .pending, .pending])
            #expect(driver.engine.totalRemaining(at: driver.now) == 0)
            driver.press(.enter)
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.painAfter == nil)
        }

        @Test func stopWithoutPainCheckFinishes() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: RoutineFixture.starts[5] + 500)
            driver.press(.character("q"))
            driver.press(.character("y"))
            #expect(driver.engine.stage == .finished)
            #expect(driver.engine.stoppedEarly)
            #expect(driver.engine.outcomes == [.done, .pending, .pending])
        }

        @Test(arguments: [KeyEvent.character("n"), .character("N"), .escape, .character("a")])
        func anyOtherKeyContinues(key: KeyEvent) throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: 7_000)
            driver.press(.character("q"))
            #expect(driver.engine.confirmingStop)
            driver.clock.advance(by: 500)
            #expect(driver.press(key) == [])
            #expect(!driver.engine.confirmingStop)
            #expect(!driver.engine.stoppedEarly)
            #expect(!driver.engine.isPaused)
            #expect(driver.engine.stage == .running)
            driver.runToEnd()
            // The clock held still for the half second the question was on screen.
            #expect(driver.engine.finishedAt == driver.origin + RoutineFixture.timedTotal + 500)
            #expect(driver.engine.outcomes == [.done, .done, .done])
        }

        @Test func aPauseBeforeTheQuestionStaysAfterIt() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: 7_000)
            driver.press(.character(" "))
            #expect(driver.engine.isPaused)
            driver.press(.character("q"))
            driver.press(.character("n"))
            #expect(driver.engine.isPaused)
        }
    }

    // MARK: Progress

    @Suite("Progress")
    struct Progress {
        @Test func routineProgressAndTotalRemaining() throws {
            var driver = Driver(try RoutineFixture.engine(asksAboutPain: true))
            let total = driver.engine.totalLength
            #expect(driver.engine.routineProgress(at: driver.now) == 0)
            #expect(driver.engine.totalRemaining(at: driver.now) == total)
            #expect(driver.engine.timeSpent(at: driver.now) == 0)
            driver.press(.enter)
            driver.clock.advance(by: 5_000)
            #expect(driver.engine.routineProgress(at: driver.now) == 0)
            #expect(driver.engine.totalRemaining(at: driver.now) == total)
            driver.origin = driver.now
            driver.press(.character("5"))

            var last = 0.0
            for elapsed in stride(from: Int64(0), through: RoutineFixture.starts[11], by: 100) {
                driver.advance(toElapsed: elapsed)
                let progress = driver.engine.routineProgress(at: driver.now)
                #expect(progress >= last)
                last = progress
                #expect(driver.engine.totalRemaining(at: driver.now) == total - elapsed, "at \(elapsed) ms")
                #expect(driver.engine.timeSpent(at: driver.now) == elapsed)
                #expect(abs(progress - Double(elapsed) / Double(total)) < 1e-9)
            }
            // Waiting for reps: the estimate stands, however long it takes.
            driver.clock.advance(by: 60_000)
            #expect(driver.engine.totalRemaining(at: driver.now) == 24_000)
            #expect(driver.engine.timeSpent(at: driver.now) == RoutineFixture.starts[11] + 60_000)
            driver.press(.enter)
            #expect(driver.engine.stage == .painAfter)
            #expect(driver.engine.routineProgress(at: driver.now) == 1)
            #expect(driver.engine.totalRemaining(at: driver.now) == 0)
            let spent = driver.engine.finishedAt! - driver.engine.startedAt!
            #expect(spent == RoutineFixture.starts[11] + 60_000)
            #expect(driver.engine.timeSpent(at: driver.now + 3_600_000) == spent)
        }

        @Test(arguments: [
            (0, 0.0), (2_500, 0.0),  // get-ready: the first drill hasn't begun
            (5_000, 0.0), (15_000, 0.2), (25_000, 0.4), (30_000, 0.5), (45_000, 0.8), (54_900, 0.998),
            (55_000, 0.0), (60_000, 0.0),  // rest between drills: the next drill hasn't begun
            (65_000, 0.0), (73_750, 0.25), (80_000, 15.0 / 35), (82_500, 0.5), (91_250, 0.75),
            (110_000, 0.0), (113_000, 0.25), (119_000, 0.75),
        ] as [(Int64, Double)])
        func drillProgressWithinADrill(elapsed: Int64, expected: Double) throws {
            var driver = try RoutineFixture.started()
            driver.advance(toElapsed: elapsed)
            #expect(abs(driver.engine.drillProgress(at: driver.now) - expected) < 1e-9)
        }

        @Test func drillProgressIsFullAfterTheEnd() throws {
            var driver = try RoutineFixture.started("timed")
            driver.runToEnd()
            #expect(driver.engine.drillProgress(at: driver.now) == 1)
            #expect(driver.engine.routineProgress(at: driver.now) == 1)
        }

        /// Once drill progress counted the time gone in a segment as planned length minus time left, so `+` in
        /// a rest inside a drill (switching sides, rest between sets) threw the bar back by the whole 15 s. Now
        /// the lengthened rest is simply that long (issue 16): the bars measure the time done against the
        /// lengths as they stand, so `+` moves them back only in proportion (16 s of 35 becomes 16 s of 50),
        /// nothing jumps when the lengthened rest hands over, and the routine's time left agrees with its bar.
        @Test func addingRestLengthensTheDrill() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: RoutineFixture.starts[6] + 1_000)  // 16 s into the 35 s side hold
            #expect(abs(driver.engine.drillProgress(at: driver.now) - 16.0 / 35) < 1e-9)
            #expect(abs(driver.engine.routineProgress(at: driver.now) - 81.0 / 122) < 1e-9)
            driver.press(.character("+"))
            #expect(driver.engine.segmentLength == 20_000)
            #expect(abs(driver.engine.drillProgress(at: driver.now) - 16.0 / 50) < 1e-9)
            #expect(abs(driver.engine.routineProgress(at: driver.now) - 81.0 / 137) < 1e-9)
            #expect(driver.engine.totalRemaining(at: driver.now) == 137_000 - 81_000)
            // The end of the lengthened switch, just before and just after it hands over to the right side.
            driver.advance(toElapsed: RoutineFixture.starts[7] + 14_999)
            #expect(driver.engine.segmentIndex == 6)
            let justBefore = driver.engine.drillProgress(at: driver.now)
            driver.advance(toElapsed: RoutineFixture.starts[7] + 15_000)
            #expect(driver.engine.segmentIndex == 7)
            #expect(driver.engine.segmentLength == 15_000, "the extra time doesn't carry over")
            #expect(abs(driver.engine.drillProgress(at: driver.now) - 35.0 / 50) < 1e-9)
            #expect(driver.engine.drillProgress(at: driver.now) - justBefore < 1e-4)
            #expect(abs(driver.engine.routineProgress(at: driver.now) - 100.0 / 137) < 1e-9)
            #expect(driver.engine.totalRemaining(at: driver.now) == 37_000)
            // ← restarts the side hold: it runs afresh, at its planned lengths.
            driver.press(.left)
            #expect(driver.engine.segmentIndex == 5)
            #expect(driver.engine.drillProgress(at: driver.now) == 0)
            #expect(abs(driver.engine.routineProgress(at: driver.now) - 65.0 / 122) < 1e-9)
        }

        /// The routine's reps with a tempo are counted out over the segment's length; `-` doesn't shorten them.
        @Test func repsUnderWay() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: RoutineFixture.starts[8] + 1_000)
            #expect(driver.engine.repUnderWay(at: driver.now) == nil, "a rest has no reps")
            driver.advance(toElapsed: RoutineFixture.starts[9] + 4_500)  // bridges: 6 reps at 2 s
            #expect(driver.engine.repUnderWay(at: driver.now) == "Rep 3 of 6")
            driver.press(.character("-"))
            #expect(driver.engine.segmentLength == 12_000)
            #expect(driver.engine.repUnderWay(at: driver.now) == "Rep 3 of 6")
        }

        /// BUG: `+` in the last three seconds of a rest doesn't reset the countdown, so at the new end of the
        /// rest only "1" is given (3 and 2 were used up before the rest was lengthened).
        @Test func countdownRestartsAfterAddingRest() throws {
            var driver = try RoutineFixture.started("timed")
            driver.advance(toElapsed: RoutineFixture.starts[2] + 8_000)  // rest between sets: "3", "2" given
            #expect(driver.countdownLog.filter { $0.segment == 2 }.map(\.cue) == [.countdown(3), .countdown(2)])
            driver.press(.character("+"))
            let mark = driver.log.count
            driver.advance(toElapsed: RoutineFixture.starts[3] + 15_000)
            let after = driver.log[mark...].filter { $0.segment == 2 }
            #expect(after.map(\.cue) == [.countdown(3), .countdown(2), .countdown(1)])
            #expect(after.map(\.at) == [47_000, 48_000, 49_000])
            // The rest still hands over exactly 15 s late.
            #expect(driver.log.first { $0.segment == 3 }?.at == RoutineFixture.starts[3] + 15_000)
        }
    }

    // MARK: Shipped routines

    @Suite("Shipped routines")
    struct Shipped {
        static let contentFolder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Content").path

        static func engine(_ id: String) throws -> RoutineEngine {
            let library = try ContentLoader.load([contentFolder])
            let document = try #require(library.document(id: id))
            guard case .routine(let routine) = document else {
                throw RoutineFixture.FixtureError.missing(id)
            }
            let engine = RoutineEngine(routine: routine, library: library, asksAboutPain: true)
            #expect(engine.drills.count == routine.drills.count, "every drill resolves")
            #expect(engine.totalLength == Int64(library.totalSeconds(of: routine)) * 1000)
            return engine
        }

        @Test(arguments: [("daily-hip-back", 570, 630), ("starter-5", 270, 330)] as [(String, Int64, Int64)])
        func totalLength(id: String, atLeast: Int64, atMost: Int64) throws {
            let engine = try Self.engine(id)
            #expect(engine.totalLength >= atLeast * 1000)
            #expect(engine.totalLength <= atMost * 1000)
        }

        @Test(arguments: ["daily-hip-back", "starter-5"])
        func runsToCompletion(id: String) throws {
            var driver = Driver(try Self.engine(id))
            driver.start()
            #expect(driver.engine.stage == .running)
            driver.runToEnd()
            #expect(driver.engine.stage == .painAfter)
            #expect(driver.engine.outcomes == Array(repeating: .done, count: driver.engine.drills.count))
            #expect(!driver.engine.stoppedEarly)
            if driver.engine.segments.allSatisfy({ $0.seconds != nil }) {
                #expect(driver.engine.timeSpent(at: driver.now) == driver.engine.totalLength)
            }
            let segments = driver.engine.segments
            #expect(driver.phaseCues == segments.map(driver.engine.announcement(for:)))
            for index in segments.indices {
                let counts = driver.countdownLog.filter { $0.segment == index }.map(\.cue)
                if let seconds = segments[index].seconds, seconds > 3 {
                    #expect(counts == [.countdown(3), .countdown(2), .countdown(1)], "segment \(index)")
                }
            }
            #expect(driver.log.filter { $0.cue == .finished }.count == 1)
            driver.press(.character("1"))
            #expect(driver.engine.stage == .finished)
        }
    }
}
