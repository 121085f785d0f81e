import Foundation
import SessionGuideEngine
import SessionGuideRuntime
import Testing

@Suite("manual clock")
struct ManualClockTests {
    @Test("time handed over is given out deadline by deadline, and stands still when none is left")
    func stepsToEachDeadline() {
        let clock = ManualClock(origin: Moment(milliseconds: 0))
        #expect(clock.sleepLimit(until: Moment(milliseconds: 500)) == nil)
        clock.advance(by: 1_200)
        #expect(clock.sleepLimit(until: Moment(milliseconds: 500)) == 0)
        #expect(clock.now().moment == Moment(milliseconds: 500))
        #expect(clock.sleepLimit(until: Moment(milliseconds: 1_000)) == 0)
        #expect(clock.now().moment == Moment(milliseconds: 1_000))
        #expect(clock.sleepLimit(until: nil) == 0)
        #expect(clock.now().moment == Moment(milliseconds: 1_200))
        #expect(clock.pendingMilliseconds == 0)
        #expect(clock.sleepLimit(until: Moment(milliseconds: 5_000)) == nil)
    }

    @Test("fast-forward jumps to each deadline unasked, and waits for input when there is none")
    func fastForward() {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 0), origin: Moment(milliseconds: 0), fastForward: true)
        #expect(clock.sleepLimit(until: Moment(milliseconds: 90_000)) == 0)
        #expect(clock.now().moment == Moment(milliseconds: 90_000))
        #expect(clock.now().date == Date(timeIntervalSince1970: 90))
        #expect(clock.sleepLimit(until: nil) == nil)
        #expect(clock.now().moment == Moment(milliseconds: 90_000))
    }
}
