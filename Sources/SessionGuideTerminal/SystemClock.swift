import CNcursesW
import Foundation
import SessionGuideEngine
import SessionGuideRuntime

/// The real clocks: the monotonic clock that timers count on (NTP and daylight saving never move it) and the
/// wall clock with the machine's time zone. The only production code that reads the time.
public final class SystemClock: RuntimeClock {
    public init() {}

    public func now() -> Instant {
        let date = Date()
        return Instant(moment: Moment(milliseconds: sg_monotonic_milliseconds()), date: date,
                       utcOffset: Self.utcOffset(at: date))
    }

    /// The machine's offset from UTC at `date` (`TZ`, else /etc/localtime), from the C library: Foundation's
    /// `TimeZone.current` would wake ICU on every reading, at a cost in memory (docs/benchmarks.md).
    public static func utcOffset(at date: Date) -> Int {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }

    public func sleepLimit(until deadline: Moment?) -> Int64? {
        deadline.map { max(0, $0 - now().moment) }
    }
}
