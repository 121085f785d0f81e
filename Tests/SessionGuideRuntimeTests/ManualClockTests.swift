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

    @Test("the wall clock's weekday, hour and minute are the ones Foundation's calendar gives, in any zone",
          arguments: ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "Pacific/Chatham"])
    func wallTimeAgreesWithCalendar(_ zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Every 3 h 7 min 11 s across two years: all weekdays, both sides of each daylight-saving change.
        var date = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC
        for _ in 0..<5_600 {
            let wall = Instant(moment: Moment(milliseconds: 0), date: date, timeZone: timeZone).wall
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
            let weekday = parts.weekday == 1 ? 7 : (parts.weekday ?? 0) - 1
            #expect(wall == WallTime(weekday: weekday, hour: parts.hour ?? -1, minute: parts.minute ?? -1),
                    "\(date) in \(zone)")
            date.addTimeInterval(3 * 3600 + 7 * 60 + 11)
        }
    }

    @Test("a manual clock's wall time follows its zone's daylight-saving change")
    func manualClockZone() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        // 2026-03-29 00:30 UTC is 01:30 in Berlin (winter time); an hour later it is 03:30 (summer time).
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_774_744_200), timeZone: berlin,
                                origin: Moment(milliseconds: 0))
        #expect(clock.now().wall.hour == 1 && clock.now().wall.minute == 30)
        clock.advance(by: 3_600_000)
        _ = clock.sleepLimit(until: nil)
        #expect(clock.now().wall.hour == 3 && clock.now().wall.minute == 30)
    }
}
