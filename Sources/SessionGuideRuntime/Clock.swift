import Foundation
import SessionGuideContent
import SessionGuideEngine

/// One reading of the clocks: the monotonic moment that timers count on, and the wall-clock date that the
/// kiosk's HH:MM, opening hours and record times use. Programs get it with every update and never read a clock.
public struct Instant: Sendable {
    public var moment: Moment
    public var date: Date
    /// Seconds east of UTC of the wall clock at `date` (daylight saving included).
    public var utcOffset: Int

    public init(moment: Moment, date: Date, utcOffset: Int) {
        self.moment = moment
        self.date = date
        self.utcOffset = utcOffset
    }

    public init(moment: Moment, date: Date, timeZone: TimeZone) {
        self.init(moment: moment, date: date, utcOffset: timeZone.secondsFromGMT(for: date))
    }

    /// The local weekday (1 Monday … 7 Sunday), hour and minute. Plain arithmetic on the offset: Foundation's
    /// calendars and time zones wake ICU, which costs every mode memory (docs/benchmarks.md).
    public var wall: WallTime {
        let local = Int64((date.timeIntervalSince1970).rounded(.down)) + Int64(utcOffset)
        let (days, secondOfDay) = (local.floorDivided(by: 86_400), local.floorModulo(86_400))
        let weekday = Int((days + 3).floorModulo(7)) + 1  // 1 January 1970 was a Thursday
        return WallTime(weekday: weekday, hour: Int(secondOfDay / 3600), minute: Int(secondOfDay % 3600 / 60))
    }

    /// Milliseconds until the wall clock's next whole minute (at least 1), for a clock on screen.
    public var millisecondsToNextMinute: Int64 {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let intoMinute = ((milliseconds % 60_000) + 60_000) % 60_000
        return max(1, 60_000 - intoMinute)
    }
}

/// The one place production code reads time. The runtime asks it for the time at every wake-up and how long
/// it may sleep; a manual clock (tests, and the binary under a test's control) moves only when told to.
public protocol RuntimeClock: AnyObject {
    func now() -> Instant
    /// How long `poll` may sleep before `deadline` (nil: no deadline): nil sleeps until input arrives.
    func sleepLimit(until deadline: Moment?) -> Int64?
    /// Called when the process goes on after being stopped (Ctrl-Z, `fg`): a real clock has counted the time
    /// already; a test's clock takes the time the test handed it meanwhile.
    func catchUpAfterSuspend()
}

extension RuntimeClock {
    public func catchUpAfterSuspend() {}
}

/// A clock that moves only when a test tells it to. Time handed to it with `advance(by:)` is given out in
/// steps that stop at each deadline the runtime waits for, so a program sees every deadline exactly as it would
/// on a real clock, however large the step.
public final class ManualClock: RuntimeClock, @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Int64 = 0
    private var pending: Int64 = 0
    private let origin: Moment
    private let startDate: Date
    /// The wall clock's offset from UTC at a date.
    private let utcOffset: @Sendable (Date) -> Int
    /// Jumps straight to each deadline instead of waiting for `advance`: for a run nobody types into (a
    /// hands-free `routine --plain` in a pipe), which then takes no real time at all.
    private let fastForward: Bool

    /// - Parameters:
    ///   - start: the wall-clock date at moment `origin`.
    ///   - origin: the monotonic reading at the start (any value: only differences count).
    ///   - fastForward: give out the time to every deadline at once, unasked.
    ///   - timeZone: the wall clock's zone (UTC unless given).
    public convenience init(start: Date = Date(timeIntervalSince1970: 1_780_000_000),
                            timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                            origin: Moment = Moment(milliseconds: 1_000_000), fastForward: Bool = false) {
        self.init(start: start, utcOffset: { timeZone.secondsFromGMT(for: $0) }, origin: origin,
                  fastForward: fastForward)
    }

    /// A clock whose wall-clock offset comes from `utcOffset` (the binary's own zone, read with the C library).
    public init(start: Date, utcOffset: @escaping @Sendable (Date) -> Int,
                origin: Moment = Moment(milliseconds: 1_000_000), fastForward: Bool = false) {
        self.startDate = start
        self.utcOffset = utcOffset
        self.origin = origin
        self.fastForward = fastForward
    }

    public func now() -> Instant {
        let elapsed = lock.withLock { self.elapsed }
        let date = startDate.addingTimeInterval(Double(elapsed) / 1000)
        return Instant(moment: origin + elapsed, date: date, utcOffset: utcOffset(date))
    }

    /// Hands the clock `milliseconds` more to give out.
    public func advance(by milliseconds: Int64) {
        lock.withLock { pending += max(0, milliseconds) }
    }

    /// Reads what the test handed over while the program was stopped (the binary's FIFO); set by its owner.
    public var takeWhatArrived: () -> Void = {}

    /// Everything handed over while the program was stopped passed while it was stopped.
    public func catchUpAfterSuspend() {
        takeWhatArrived()
        lock.withLock {
            elapsed += pending
            pending = 0
        }
    }

    /// Time handed over that the runtime has not yet reached.
    public var pendingMilliseconds: Int64 { lock.withLock { pending } }

    public func sleepLimit(until deadline: Moment?) -> Int64? {
        lock.withLock {
            let now = origin + elapsed
            if let deadline, deadline <= now { return 0 }
            if fastForward, let deadline {
                elapsed += deadline - now
                return 0
            }
            guard pending > 0 else { return nil }  // nothing to give out: wait for input or a step
            let step = deadline.map { min(pending, $0 - now) } ?? pending
            elapsed += step
            pending -= step
            return 0
        }
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 { ((self % divisor) + divisor) % divisor }
}

extension CalendarDay {
    /// The clinic's local day at an instant (its offset from UTC then).
    public init(_ instant: Instant) {
        let local = Int64((instant.date.timeIntervalSince1970).rounded(.down)) + Int64(instant.utcOffset)
        self.init(ordinal: Int(local.floorDivided(by: 86_400)))
    }
}
