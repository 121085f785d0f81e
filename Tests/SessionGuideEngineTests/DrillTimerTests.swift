import Testing
import SessionGuideContent
import SessionGuideEngine

/// 45 s of work, one set.
private let work45 = DrillTiming(effort: .work(seconds: 45))
/// Hold 10 s × 3 with 15 s rest: phases 10, 15, 10, 15, 10 = 60 s.
private let brace = DrillTiming(effort: .hold(seconds: 10), sets: 3, rest: 15)
/// Per side, 2 sets of 20 s hold with 10 s rest: 20, 5, 20, 10, 20, 5, 20 = 100 s.
private let stretch = DrillTiming(effort: .hold(seconds: 20), sets: 2, rest: 10, perSide: true)
/// 2 sets of 8 reps without tempo and 30 s rest.
private let squat = DrillTiming(effort: .reps(count: 8, tempo: nil), sets: 2, rest: 30)
/// An hour: per side, 6 sets of 295 s with 6 s rest: 6 × (295 + 5 + 295) + 5 × 6 = 3600 s.
private let hour = DrillTiming(effort: .work(seconds: 295), sets: 6, rest: 6, perSide: true)

/// The planned start of every phase, relative to the start of the drill, in milliseconds.
private func plannedStarts(_ timer: DrillTimer) -> [Int64] {
    var starts: [Int64] = []
    var offset: Int64 = 0
    for phase in timer.phases {
        starts.append(offset)
        offset += Int64(phase.seconds ?? 0) * 1000
    }
    return starts
}

private func phaseStart(_ timer: DrillTimer) -> Moment? {
    if case .running(let start) = timer.state { return start }
    return nil
}

@Suite("DrillTimer: ready, start, display")
struct DrillTimerBasicsTests {
    @Test func readyShowsTheFullLength() {
        let timer = DrillTimer(timing: work45)
        let now = Moment.seconds(100)
        #expect(timer.state == .ready)
        #expect(timer.phaseIndex == 0)
        #expect(timer.remaining(at: now) == 45_000)
        #expect(timer.displayedSeconds(at: now) == 45)
        #expect(timer.totalRemaining(at: now) == 45_000)
        #expect(timer.totalLength == 45_000)
        #expect(!timer.isRunning && !timer.isPaused && !timer.isFinished)
        #expect(timer.nextDeadline(after: now) == nil)
        #expect(timer.progress(at: now) == 0)
    }

    @Test func readyDoesNotCountDown() {
        var timer = DrillTimer(timing: work45)
        #expect(timer.advance(to: .seconds(1_000)).isEmpty)
        #expect(timer.state == .ready)
        #expect(timer.displayedSeconds(at: .seconds(1_000)) == 45)
    }

    @Test func toggleStarts() {
        var timer = DrillTimer(timing: work45)
        let events = timer.toggle(at: .ms(1_000))
        #expect(events == [.phaseStarted(index: 0)])
        #expect(timer.state == .running(phaseStart: .ms(1_000)))
        #expect(timer.isRunning)
        #expect(timer.remaining(at: .ms(1_000)) == 45_000)
        #expect(timer.displayedSeconds(at: .ms(1_000)) == 45)
    }

    @Test("displayed seconds are rounded up",
          arguments: [
              (0, 45), (1, 45), (500, 45), (999, 45), (1_000, 44), (1_001, 44), (1_999, 44), (2_000, 43),
              (30_000, 15), (43_999, 2), (44_000, 1), (44_001, 1), (44_999, 1), (45_000, 0),
          ] as [(Int64, Int)])
    func displayedSecondsRoundUp(elapsed: Int64, shown: Int) {
        var timer = DrillTimer(timing: work45)
        let start = Moment.ms(7_250)
        _ = timer.toggle(at: start)
        #expect(timer.displayedSeconds(at: start + elapsed) == shown)
        #expect(timer.remaining(at: start + elapsed) == 45_000 - elapsed)
    }

    @Test func countsDownEverySecond() {
        var timer = DrillTimer(timing: work45)
        var clock = ManualClock(.ms(123))
        _ = timer.toggle(at: clock.now)
        var shown: [Int] = []
        for _ in 0..<45 {
            shown.append(timer.displayedSeconds(at: clock.now) ?? -1)
            clock.advance(seconds: 1)
            #expect(timer.advance(to: clock.now) == (shown.count == 45 ? [.finished] : []))
        }
        #expect(shown == Array((1...45).reversed()))
        #expect(timer.isFinished)
        #expect(timer.displayedSeconds(at: clock.now) == 0)
    }
}

@Suite("DrillTimer: moving through phases without drift")
struct DrillTimerPhaseTests {
    @Test func advanceExactlyAtTheBoundary() {
        var timer = DrillTimer(timing: brace)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.advance(to: .ms(9_999)).isEmpty)
        #expect(timer.phaseIndex == 0)
        #expect(timer.displayedSeconds(at: .ms(9_999)) == 1)
        #expect(timer.advance(to: .ms(10_000)) == [.phaseStarted(index: 1)])
        #expect(timer.phaseIndex == 1)
        #expect(timer.currentPhase.kind == .rest)
        #expect(timer.state == .running(phaseStart: .ms(10_000)))
        #expect(timer.displayedSeconds(at: .ms(10_000)) == 15)
    }

    @Test func lateAdvanceStartsTheNextPhaseAtThePreviousEnd() {
        var timer = DrillTimer(timing: brace)
        _ = timer.toggle(at: .ms(0))
        // The program wakes up 2.7 s after the hold ended.
        #expect(timer.advance(to: .ms(12_700)) == [.phaseStarted(index: 1)])
        #expect(timer.state == .running(phaseStart: .ms(10_000)))
        #expect(timer.remaining(at: .ms(12_700)) == 12_300, "15 s less the 2.7 s already gone")
        #expect(timer.displayedSeconds(at: .ms(12_700)) == 13)
        // ...and the rest still ends at 25 s, not 27.7 s.
        #expect(timer.advance(to: .ms(24_999)).isEmpty)
        #expect(timer.advance(to: .ms(25_000)) == [.phaseStarted(index: 2)])
        #expect(timer.state == .running(phaseStart: .ms(25_000)))
    }

    @Test func veryLateAdvanceSkipsWholePhasesInOrder() {
        var timer = DrillTimer(timing: brace)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.advance(to: .ms(37_500)) == [.phaseStarted(index: 1), .phaseStarted(index: 2),
                                                   .phaseStarted(index: 3)])
        #expect(timer.state == .running(phaseStart: .ms(35_000)))
        #expect(timer.remaining(at: .ms(37_500)) == 12_500)
        #expect(timer.advance(to: .ms(1_000_000)) == [.phaseStarted(index: 4), .finished])
        #expect(timer.isFinished)
        #expect(timer.phaseIndex == timer.phases.count - 1)
        #expect(!timer.isRunning)
        #expect(timer.remaining(at: .ms(1_000_000)) == 0)
        #expect(timer.totalRemaining(at: .ms(1_000_000)) == 0)
        #expect(timer.nextDeadline(after: .ms(1_000_000)) == nil)
        #expect(timer.advance(to: .ms(2_000_000)).isEmpty, "finished stays finished")
        #expect(timer.toggle(at: .ms(2_000_000)).isEmpty, "Space does nothing on a finished drill")
        #expect(timer.isFinished)
    }

    @Test func eventsInOrderStepByStepAndAllAtOnce() {
        var stepped = DrillTimer(timing: stretch)
        var events = stepped.toggle(at: .ms(500))
        var clock = ManualClock(.ms(500))
        while !stepped.isFinished {
            clock.advance(by: 250)
            events += stepped.advance(to: clock.now)
        }
        let expected: [TimerEvent] = (0..<7).map { .phaseStarted(index: $0) } + [.finished]
        #expect(events == expected)
        #expect(clock.now == .ms(500 + 100_000), "finishes at exactly 100 s after the start")

        var jumped = DrillTimer(timing: stretch)
        let all = jumped.toggle(at: .ms(500)) + jumped.advance(to: .ms(500 + 100_000))
        #expect(all == expected)
    }

    @Test func everyPhaseStartsAtItsPlannedMomentDespiteLateWakeUps() {
        var timer = DrillTimer(timing: stretch)
        let start = Moment.ms(3_333)
        _ = timer.toggle(at: start)
        let planned = plannedStarts(timer)
        var rng = SplitMix64(seed: 42)
        var now = start
        var seen: [Int: Moment] = [0: start]
        while !timer.isFinished {
            // Wake up at the deadline, up to 3 s late.
            let deadline = timer.nextDeadline(after: now) ?? now
            now = deadline + Int64.random(in: 0...3_000, using: &rng)
            _ = timer.advance(to: now)
            if let phaseStart = phaseStart(timer) { seen[timer.phaseIndex] = phaseStart }
        }
        for (index, offset) in planned.enumerated() {
            #expect(seen[index] == start + offset, "phase \(index)")
        }
    }

    @Test("an hour of one-second ticks ends at exactly the planned moment")
    func anHourOfTicksHasNoDrift() throws {
        try #require(hour.totalSeconds == 3_600)
        var timer = DrillTimer(timing: hour)
        let start = Moment.ms(250)
        let end = start + 3_600_000
        var clock = ManualClock(start)
        var events = timer.toggle(at: clock.now)
        var finishedAt: Moment?
        while finishedAt == nil {
            clock.advance(seconds: 1)
            let new = timer.advance(to: clock.now)
            events += new
            if new.contains(.finished) { finishedAt = clock.now }
            if !timer.isFinished {
                #expect(timer.totalRemaining(at: clock.now) == end - clock.now)
            }
            if clock.now > end + 5_000 { break }
        }
        // Ticks fall at 250 ms past the second, so the end (also at 250 ms past) is met by a tick exactly.
        #expect(finishedAt == end)
        #expect(events == (0..<timer.phases.count).map { .phaseStarted(index: $0) } + [.finished])
    }

    @Test("an hour of ticks that never meet a boundary: phases still start at planned moments")
    func anHourOfOffsetTicks() {
        var timer = DrillTimer(timing: hour)
        let start = Moment.ms(250)
        let end = start + 3_600_000
        _ = timer.toggle(at: start)
        let planned = plannedStarts(timer)
        var now = Moment.ms(1_000)
        var finishedAt: Moment?
        while finishedAt == nil, now < end + 5_000 {
            if timer.advance(to: now).contains(.finished) { finishedAt = now }
            if let phaseStart = phaseStart(timer) {
                #expect(phaseStart == start + planned[timer.phaseIndex])
                #expect(timer.totalRemaining(at: now) == end - now)
            }
            now = now + 1_000
        }
        #expect(finishedAt == Moment.ms(3_601_000), "the first tick at or after the end reports it")
    }

    @Test("sleeping until each nextDeadline lands on the planned end exactly")
    func deadlineDrivenLoopEndsExactly() {
        var timer = DrillTimer(timing: hour)
        let start = Moment.ms(987)
        var now = start
        _ = timer.toggle(at: now)
        var wakeUps = 0
        while let deadline = timer.nextDeadline(after: now) {
            #expect(deadline > now)
            now = deadline
            wakeUps += 1
            if timer.advance(to: now).contains(.finished) { break }
        }
        #expect(timer.isFinished)
        #expect(now == start + 3_600_000)
        #expect(wakeUps == 3_600, "one wake-up per displayed second")
    }
}

@Suite("DrillTimer: pause, resume, reset")
struct DrillTimerPauseTests {
    @Test func pauseFreezesAndResumeContinues() {
        var timer = DrillTimer(timing: work45)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.toggle(at: .ms(12_300)).isEmpty)
        #expect(timer.state == .paused(elapsed: 12_300))
        #expect(timer.isPaused && !timer.isRunning)
        // Ten minutes pass while paused.
        for later in [Moment.ms(12_300), .ms(100_000), .ms(612_299)] {
            #expect(timer.remaining(at: later) == 32_700)
            #expect(timer.displayedSeconds(at: later) == 33)
            #expect(timer.nextDeadline(after: later) == nil)
            #expect(timer.advance(to: later).isEmpty)
        }
        #expect(timer.toggle(at: .ms(612_300)).isEmpty)
        #expect(timer.state == .running(phaseStart: .ms(600_000)))
        #expect(timer.remaining(at: .ms(612_300)) == 32_700)
        #expect(timer.advance(to: .ms(644_999)).isEmpty)
        #expect(timer.advance(to: .ms(645_000)) == [.finished])
    }

    @Test("pausing for ten minutes across phases: the running time equals the planned length")
    func pauseAcrossPhases() {
        var timer = DrillTimer(timing: brace)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.advance(to: .ms(12_300)) == [.phaseStarted(index: 1)])
        _ = timer.toggle(at: .ms(12_300))
        _ = timer.toggle(at: .ms(612_300))
        #expect(timer.phaseIndex == 1)
        #expect(timer.remaining(at: .ms(612_300)) == 12_700)
        #expect(timer.advance(to: .ms(659_999)) == [.phaseStarted(index: 2), .phaseStarted(index: 3),
                                                    .phaseStarted(index: 4)])
        #expect(timer.advance(to: .ms(660_000)) == [.finished], "60 s of running + 600 s of pause")
    }

    @Test("many pauses of random length never lose or add time", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func manyPauses(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var timer = DrillTimer(timing: stretch)
        var now = Moment.ms(Int64.random(in: 0...10_000, using: &rng))
        _ = timer.toggle(at: now)
        var running: Int64 = 0
        var finished = false
        while !finished {
            // Run for a while, checking as we go, then pause for a while.
            let run = Int64.random(in: 1...9_000, using: &rng)
            let before = timer.totalRemaining(at: now)
            let target = now + run
            var step = now
            while step < target, !finished {
                step = min(target, step + Int64.random(in: 1...1_500, using: &rng))
                finished = timer.advance(to: step).contains(.finished)
            }
            if finished {
                running += before
                break
            }
            running += run
            now = target
            #expect(timer.totalRemaining(at: now) == before - run)
            _ = timer.toggle(at: now)
            #expect(timer.isPaused)
            now = now + Int64.random(in: 0...600_000, using: &rng)
            #expect(timer.totalRemaining(at: now) == before - run)
            _ = timer.toggle(at: now)
            #expect(timer.isRunning)
        }
        #expect(running == 100_000)
    }

    @Test func resetReturnsToReady() {
        var timer = DrillTimer(timing: brace)
        _ = timer.toggle(at: .ms(0))
        _ = timer.advance(to: .ms(17_000))
        timer.adjust(bySeconds: 15, at: .ms(17_000))
        #expect(timer.phaseIndex == 1)
        timer.reset()
        #expect(timer.state == .ready)
        #expect(timer.phaseIndex == 0)
        #expect(timer.adjustment == 0)
        #expect(timer.displayedSeconds(at: .ms(30_000)) == 10)
        #expect(timer.totalRemaining(at: .ms(30_000)) == 60_000)
        #expect(timer.progress(at: .ms(30_000)) == 0)
        #expect(timer.toggle(at: .ms(30_000)) == [.phaseStarted(index: 0)])
        #expect(timer.state == .running(phaseStart: .ms(30_000)))
    }

    @Test func resetFromPausedAndFinished() {
        var paused = DrillTimer(timing: work45)
        _ = paused.toggle(at: .ms(0))
        _ = paused.toggle(at: .ms(5_000))
        paused.reset()
        #expect(paused.state == .ready)

        var finished = DrillTimer(timing: work45)
        _ = finished.toggle(at: .ms(0))
        _ = finished.advance(to: .ms(50_000))
        #expect(finished.isFinished)
        finished.reset()
        #expect(finished.state == .ready)
        #expect(finished.displayedSeconds(at: .ms(60_000)) == 45)
    }
}

@Suite("DrillTimer: + and - adjustments")
struct DrillTimerAdjustTests {
    @Test func plusAndMinusWhileRunning() {
        var timer = DrillTimer(timing: work45)
        _ = timer.toggle(at: .ms(0))
        let now = Moment.ms(5_000)
        timer.adjust(bySeconds: DrillTimer.adjustmentSeconds, at: now)
        #expect(timer.remaining(at: now) == 55_000)
        #expect(timer.displayedSeconds(at: now) == 55)
        timer.adjust(bySeconds: -DrillTimer.adjustmentSeconds, at: now)
        #expect(timer.remaining(at: now) == 40_000)
        #expect(timer.adjustment == 0)
        timer.adjust(bySeconds: 15, at: now)
        #expect(timer.advance(to: .ms(59_999)).isEmpty)
        #expect(timer.advance(to: .ms(60_000)) == [.finished])
    }

    @Test("minus never leaves less than one second",
          arguments: [(35_000, 1_000), (44_000, 1_000), (44_500, 500), (20_000, 10_000)] as [(Int64, Int64)])
    func minusStopsAtOneSecond(elapsed: Int64, remainingAfter: Int64) {
        var timer = DrillTimer(timing: work45)
        _ = timer.toggle(at: .ms(0))
        let now = Moment.ms(elapsed)
        timer.adjust(bySeconds: -15, at: now)
        #expect(timer.remaining(at: now) == remainingAfter)
        timer.adjust(bySeconds: -15, at: now)
        #expect(timer.remaining(at: now) == min(remainingAfter, max(1_000, remainingAfter - 15_000)))
        #expect(timer.isRunning)
    }

    @Test func adjustmentBeforeStartIsKept() {
        var timer = DrillTimer(timing: work45)
        timer.adjust(bySeconds: 15, at: .ms(0))
        #expect(timer.displayedSeconds(at: .ms(0)) == 60)
        #expect(timer.toggle(at: .ms(10_000)) == [.phaseStarted(index: 0)])
        #expect(timer.adjustment == 15_000)
        #expect(timer.remaining(at: .ms(10_000)) == 60_000)
        #expect(timer.advance(to: .ms(69_999)).isEmpty)
        #expect(timer.advance(to: .ms(70_000)) == [.finished])
    }

    @Test func minusBeforeStartStopsAtOneSecond() {
        var timer = DrillTimer(timing: brace)
        timer.adjust(bySeconds: -15, at: .ms(0))
        #expect(timer.displayedSeconds(at: .ms(0)) == 1)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.advance(to: .ms(1_000)) == [.phaseStarted(index: 1)])
    }

    @Test func adjustmentOnlyChangesTheCurrentPhase() {
        var timer = DrillTimer(timing: brace)
        _ = timer.toggle(at: .ms(0))
        timer.adjust(bySeconds: 15, at: .ms(2_000))
        #expect(timer.advance(to: .ms(24_999)).isEmpty)
        #expect(timer.advance(to: .ms(25_000)) == [.phaseStarted(index: 1)])
        #expect(timer.adjustment == 0)
        #expect(timer.state == .running(phaseStart: .ms(25_000)))
        #expect(timer.remaining(at: .ms(25_000)) == 15_000, "the rest keeps its own length")
        #expect(timer.advance(to: .ms(40_000)) == [.phaseStarted(index: 2)])
    }

    @Test func adjustWhilePaused() {
        var timer = DrillTimer(timing: work45)
        _ = timer.toggle(at: .ms(0))
        _ = timer.toggle(at: .ms(10_000))
        timer.adjust(bySeconds: 15, at: .ms(20_000))
        #expect(timer.remaining(at: .ms(20_000)) == 50_000)
        _ = timer.toggle(at: .ms(30_000))
        #expect(timer.advance(to: .ms(80_000)) == [.finished])
    }

    @Test func adjustDoesNothingWhenFinishedOrWaitingForReps() {
        var finished = DrillTimer(timing: work45)
        _ = finished.toggle(at: .ms(0))
        _ = finished.advance(to: .ms(45_000))
        finished.adjust(bySeconds: 15, at: .ms(45_000))
        #expect(finished.isFinished)
        #expect(finished.remaining(at: .ms(45_000)) == 0)

        var waiting = DrillTimer(timing: squat)
        _ = waiting.toggle(at: .ms(0))
        waiting.adjust(bySeconds: 15, at: .ms(0))
        #expect(waiting.adjustment == 0)
        #expect(waiting.state == .waitingForReps)
    }
}

@Suite("DrillTimer: nextDeadline")
struct DrillTimerDeadlineTests {
    @Test("the moment the displayed second changes",
          arguments: [(0, 1_000), (1, 1_000), (999, 1_000), (1_000, 2_000), (44_000, 45_000), (44_999, 45_000)]
              as [(Int64, Int64)])
    func deadline(elapsed: Int64, deadline: Int64) {
        var timer = DrillTimer(timing: work45)
        let start = Moment.ms(5_555)
        _ = timer.toggle(at: start)
        #expect(timer.nextDeadline(after: start + elapsed) == start + deadline)
    }

    @Test func displayChangesExactlyAtTheDeadline() {
        var timer = DrillTimer(timing: brace)
        let start = Moment.ms(1_234)
        _ = timer.toggle(at: start)
        var rng = SplitMix64(seed: 7)
        var now = start
        while !timer.isFinished {
            guard let deadline = timer.nextDeadline(after: now) else {
                Issue.record("no deadline while running at \(now)")
                return
            }
            #expect(deadline > now)
            #expect(deadline - now <= 1_000)
            let shown = timer.displayedSeconds(at: now)
            let index = timer.phaseIndex
            // Just before the deadline nothing has changed yet.
            var before = timer
            _ = before.advance(to: deadline + (-1))
            #expect(before.phaseIndex == index && before.displayedSeconds(at: deadline + (-1)) == shown)
            // At the deadline the shown second or the phase changes.
            var at = timer
            _ = at.advance(to: deadline)
            #expect(at.phaseIndex != index || at.isFinished || at.displayedSeconds(at: deadline) != shown)
            now = now + Int64.random(in: 1...700, using: &rng)
            _ = timer.advance(to: now)
        }
    }

    @Test func noDeadlineWhenNothingChangesWithoutAKey() {
        var timer = DrillTimer(timing: work45)
        #expect(timer.nextDeadline(after: .ms(0)) == nil, "ready")
        _ = timer.toggle(at: .ms(0))
        #expect(timer.nextDeadline(after: .ms(0)) == .ms(1_000), "running")
        _ = timer.toggle(at: .ms(500))
        #expect(timer.nextDeadline(after: .ms(500)) == nil, "paused")
        _ = timer.toggle(at: .ms(1_000))
        #expect(timer.nextDeadline(after: .ms(1_000)) == .ms(1_500), "resumed: 500 ms into the first second")
        _ = timer.advance(to: .ms(60_000))
        #expect(timer.nextDeadline(after: .ms(60_000)) == nil, "finished")

        var reps = DrillTimer(timing: squat)
        _ = reps.toggle(at: .ms(0))
        #expect(reps.nextDeadline(after: .ms(0)) == nil, "waiting for reps")
    }

    @Test func overdueTimerAsksToBeWokenNow() {
        var timer = DrillTimer(timing: work45)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.nextDeadline(after: .ms(46_000)) == .ms(46_000))
    }
}

@Suite("DrillTimer: reps without tempo")
struct DrillTimerRepsTests {
    @Test func waitsForTheRepsThenTimesTheRest() {
        var timer = DrillTimer(timing: squat)
        #expect(timer.displayedSeconds(at: .ms(0)) == nil)
        #expect(timer.toggle(at: .ms(0)) == [.phaseStarted(index: 0)])
        #expect(timer.state == .waitingForReps)
        #expect(timer.isRunning)
        #expect(timer.remaining(at: .ms(0)) == nil)
        #expect(timer.displayedSeconds(at: .ms(0)) == nil)
        #expect(timer.advance(to: .ms(600_000)).isEmpty, "time alone never ends a reps phase")
        #expect(timer.state == .waitingForReps)

        // Space says the reps are done; the rest starts then.
        #expect(timer.toggle(at: .ms(20_000)) == [.phaseStarted(index: 1)])
        #expect(timer.currentPhase.kind == .rest)
        #expect(timer.state == .running(phaseStart: .ms(20_000)))
        #expect(timer.displayedSeconds(at: .ms(20_000)) == 30)
        #expect(timer.advance(to: .ms(55_000)) == [.phaseStarted(index: 2)])
        #expect(timer.state == .waitingForReps)
        #expect(timer.completeRepsPhase(at: .ms(70_000)) == [.finished])
        #expect(timer.isFinished)
    }

    @Test func completeRepsPhaseOnlyWhileWaiting() {
        var timer = DrillTimer(timing: squat)
        #expect(timer.completeRepsPhase(at: .ms(0)).isEmpty, "ready")
        _ = timer.toggle(at: .ms(0))
        _ = timer.completeRepsPhase(at: .ms(1_000))
        #expect(timer.completeRepsPhase(at: .ms(2_000)).isEmpty, "running the rest")
        #expect(timer.phaseIndex == 1)

        var timed = DrillTimer(timing: work45)
        _ = timed.toggle(at: .ms(0))
        #expect(timed.completeRepsPhase(at: .ms(1_000)).isEmpty)
        #expect(timed.phaseIndex == 0)
    }

    @Test func perSideRepsWithoutTempo() {
        var timer = DrillTimer(timing: DrillTiming(effort: .reps(count: 5, tempo: nil), perSide: true))
        #expect(timer.toggle(at: .ms(0)) == [.phaseStarted(index: 0)])
        #expect(timer.completeRepsPhase(at: .ms(12_000)) == [.phaseStarted(index: 1)])
        #expect(timer.advance(to: .ms(17_000)) == [.phaseStarted(index: 2)])
        #expect(timer.currentPhase.side == .right)
        #expect(timer.state == .waitingForReps)
        #expect(timer.toggle(at: .ms(30_000)) == [.finished])
    }

    @Test func totalRemainingUsesTheEstimate() {
        var timer = DrillTimer(timing: squat)
        // 8 reps × 3 s estimated, twice, and 30 s rest.
        #expect(timer.totalLength == 78_000)
        #expect(timer.totalRemaining(at: .ms(0)) == 78_000)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.totalRemaining(at: .ms(10_000)) == 78_000, "the reps being done count in full")
        _ = timer.toggle(at: .ms(10_000))
        #expect(timer.totalRemaining(at: .ms(10_000)) == 54_000)
        #expect(timer.totalRemaining(at: .ms(25_000)) == 39_000)
    }
}

@Suite("DrillTimer: progress")
struct DrillTimerProgressTests {
    @Test func progressGoesFromZeroToOne() {
        var timer = DrillTimer(timing: brace)
        #expect(timer.progress(at: .ms(0)) == 0)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.progress(at: .ms(0)) == 0)
        _ = timer.advance(to: .ms(30_000))
        #expect(timer.progress(at: .ms(30_000)) == 0.5)
        _ = timer.advance(to: .ms(45_000))
        #expect(timer.progress(at: .ms(45_000)) == 0.75)
        _ = timer.advance(to: .ms(60_000))
        #expect(timer.isFinished)
        #expect(timer.progress(at: .ms(60_000)) == 1)
        #expect(timer.progress(at: .ms(90_000)) == 1)
    }

    @Test func progressNeverGoesBackWithoutAdjustments() {
        var timer = DrillTimer(timing: stretch)
        var now = Moment.ms(0)
        _ = timer.toggle(at: now)
        var last = timer.progress(at: now)
        var pauses = 0
        while !timer.isFinished {
            now = now + 333
            _ = timer.advance(to: now)
            if now.milliseconds % 20_000 < 333, pauses < 3 {
                _ = timer.toggle(at: now)
                now = now + 60_000
                #expect(timer.progress(at: now) == last || timer.progress(at: now) >= last)
                _ = timer.toggle(at: now)
                pauses += 1
            }
            let progress = timer.progress(at: now)
            #expect(progress >= last)
            #expect((0...1).contains(progress))
            last = progress
        }
        #expect(last == 1)
    }

    @Test func pausedProgressStaysPut() {
        var timer = DrillTimer(timing: work45)
        _ = timer.toggle(at: .ms(0))
        _ = timer.toggle(at: .ms(9_000))
        #expect(timer.progress(at: .ms(9_000)) == 0.2)
        #expect(timer.progress(at: .ms(900_000)) == 0.2)
    }
}

@Suite("DrillTimer: regressions")
struct DrillTimerRegressionTests {
    /// A finished drill shows 0 left even when its last phase was reps without tempo (which has no length).
    @Test func finishedRepsDrillShowsZeroLeft() {
        var timer = DrillTimer(timing: squat)
        _ = timer.toggle(at: .ms(0))
        _ = timer.completeRepsPhase(at: .ms(20_000))
        _ = timer.advance(to: .ms(50_000))
        #expect(timer.completeRepsPhase(at: .ms(70_000)) == [.finished])
        #expect(timer.isFinished)
        #expect(timer.totalRemaining(at: .ms(70_000)) == 0)
        #expect(timer.progress(at: .ms(70_000)) == 1)
        #expect(timer.remaining(at: .ms(70_000)) == 0)
        #expect(timer.displayedSeconds(at: .ms(70_000)) == 0)
    }

    /// `+`/`-` change the time left, not the time done: `-` before the start leaves progress at 0, and after `+`
    /// the bar still moves from the first second.
    @Test func progressIgnoresAdjustments() {
        var shortened = DrillTimer(timing: work45)
        shortened.adjust(bySeconds: -15, at: .ms(0))
        #expect(shortened.progress(at: .ms(0)) == 0)

        var lengthened = DrillTimer(timing: work45)
        _ = lengthened.toggle(at: .ms(0))
        lengthened.adjust(bySeconds: 15, at: .ms(0))
        #expect(lengthened.progress(at: .ms(10_000)) > 0)
        _ = lengthened.advance(to: .ms(60_000))
        #expect(lengthened.progress(at: .ms(60_000)) == 1)
    }
}

/// After `+`/`-` the adjusted length is the phase's length: the clock, the time left, the progress and the rep
/// under way all measure against it (issue 16: `-` twice showed 0:10 with "Rep 8 of 10").
@Suite("DrillTimer: an adjusted phase is that long")
struct DrillTimerAdjustedLengthTests {
    /// Cat-cow: 10 reps at 4 s, 40 s.
    let catCow = DrillTiming(effort: .reps(count: 10, tempo: 4))

    @Test func minusTwiceAtTheStart() {
        var timer = DrillTimer(timing: catCow)
        _ = timer.toggle(at: .ms(0))
        timer.adjust(bySeconds: -15, at: .ms(0))
        timer.adjust(bySeconds: -15, at: .ms(0))
        #expect(timer.phaseLength == 10_000)
        #expect(timer.displayedSeconds(at: .ms(0)) == 10)
        #expect(timer.repUnderWay(at: .ms(0)) == "Rep 1 of 10")
        #expect(timer.progress(at: .ms(0)) == 0)
        // The ten reps are spread over the 10 s: one a second, the last one in the last second.
        #expect(timer.repUnderWay(at: .ms(999)) == "Rep 1 of 10")
        #expect(timer.repUnderWay(at: .ms(1_000)) == "Rep 2 of 10")
        #expect(timer.repUnderWay(at: .ms(9_999)) == "Rep 10 of 10")
        #expect(timer.progress(at: .ms(5_000)) == 0.5)
        #expect(timer.totalRemaining(at: .ms(5_000)) == 5_000)
        #expect(timer.advance(to: .ms(10_000)) == [.finished])
        #expect(timer.phaseLength == 10_000, "a finished drill keeps the length it ran")
    }

    @Test func plusTenSecondsIn() {
        var timer = DrillTimer(timing: catCow)
        _ = timer.toggle(at: .ms(0))
        #expect(timer.repUnderWay(at: .ms(10_000)) == "Rep 3 of 10")
        timer.adjust(bySeconds: 15, at: .ms(10_000))
        #expect(timer.phaseLength == 55_000)
        #expect(timer.displayedSeconds(at: .ms(10_000)) == 45)
        #expect(abs(timer.progress(at: .ms(10_000)) - 10.0 / 55) < 1e-12)
        // 5.5 s a rep now: 10 s in is the second rep.
        #expect(timer.repUnderWay(at: .ms(10_000)) == "Rep 2 of 10")
        #expect(timer.repUnderWay(at: .ms(10_999)) == "Rep 2 of 10")
        #expect(timer.repUnderWay(at: .ms(11_000)) == "Rep 3 of 10")
        #expect(timer.repUnderWay(at: .ms(54_999)) == "Rep 10 of 10")
    }

    @Test func unadjustedRepsKeepTheTempo() {
        var timer = DrillTimer(timing: catCow)
        #expect(timer.repUnderWay(at: .ms(0)) == nil, "not before the start")
        _ = timer.toggle(at: .ms(0))
        for rep in 1...10 {
            let start = Int64(rep - 1) * 4_000
            #expect(timer.repUnderWay(at: .ms(start)) == "Rep \(rep) of 10")
            #expect(timer.repUnderWay(at: .ms(start + 3_999)) == "Rep \(rep) of 10")
            #expect(timer.phases[0].repUnderWay(remaining: 40_000 - start) == "Rep \(rep) of 10")
        }
        _ = timer.toggle(at: .ms(6_000))
        #expect(timer.repUnderWay(at: .ms(60_000)) == "Rep 2 of 10", "paused: the rep holds")
    }

    /// In a drill of several phases `-` changes only the current one: the time left and the progress count the
    /// shorter phase, and it is still shorter once it is over.
    @Test func severalPhasesCountTheAdjustedOne() {
        var timer = DrillTimer(timing: brace)  // 10, 15, 10, 15, 10
        _ = timer.toggle(at: .ms(0))
        timer.adjust(bySeconds: -15, at: .ms(2_000))  // the 10 s hold stops at 3 s
        #expect(timer.phaseLength == 3_000)
        #expect(timer.totalRemaining(at: .ms(2_000)) == 1_000 + 50_000)
        #expect(abs(timer.progress(at: .ms(2_000)) - 2.0 / 53) < 1e-12)
        #expect(timer.advance(to: .ms(3_000)) == [.phaseStarted(index: 1)])
        #expect(timer.phaseLength == 15_000)
        #expect(abs(timer.progress(at: .ms(3_000)) - 3.0 / 53) < 1e-12)
    }
}
