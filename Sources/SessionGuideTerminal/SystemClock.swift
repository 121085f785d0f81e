import CNcursesW
import Foundation
import SessionGuideEngine
import SessionGuideRuntime

/// The real clocks: the monotonic clock that timers count on (NTP and daylight saving never move it) and the
/// wall clock with the machine's time zone. The only production code that reads the time.
public final class SystemClock: RuntimeClock {
    public init() {}

    public func now() -> Instant {
        Instant(moment: Moment(milliseconds: sg_monotonic_milliseconds()), date: Date(), timeZone: TimeZone.current)
    }

    public func sleepLimit(until deadline: Moment?) -> Int64? {
        deadline.map { max(0, $0 - now().moment) }
    }
}
