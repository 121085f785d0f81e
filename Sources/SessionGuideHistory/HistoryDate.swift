import Foundation
import GRDB
import Glibc

/// How the history stores a moment: SQLite's own text form in UTC, `2026-12-03 18:11:57.250`, the same text GRDB
/// writes by default, so histories from earlier versions read and sort the same.
///
/// Written and read here with the C library's calendar arithmetic rather than GRDB's default, which goes through
/// Foundation's `DateFormatter`: that wakes ICU, whose code and data cost a session that keeps its record about
/// 6 MB of memory (docs/benchmarks.md), for a fixed format that needs none of it.
public enum HistoryDate {
    /// The stored text of `date`, to the nearest millisecond (as GRDB writes it).
    public static func text(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(totalMilliseconds >= 0 ? totalMilliseconds / 1000 : (totalMilliseconds - 999) / 1000)
        let milliseconds = Int(totalMilliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-"
            + padded(Int(parts.tm_mday), 2) + " " + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2)
            + ":" + padded(Int(parts.tm_sec), 2) + "." + padded(milliseconds, 3)
    }

    /// The moment a stored text names: `YYYY-MM-DD`, optionally followed (after a space or a `T`) by
    /// `HH:MM`, `:SS` and a fraction, in UTC. Nil for anything else.
    public static func date(fromText text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + width)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += width
            return value
        }
        func expect(_ separator: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == separator else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        if index < bytes.count {
            guard bytes[index] == 0x20 || bytes[index] == 0x54 else { return nil }
            index += 1
            guard let readHour = number(2), expect(0x3A), let readMinute = number(2) else { return nil }
            (hour, minute) = (readHour, readMinute)
            if index < bytes.count {
                guard expect(0x3A), let readSecond = number(2) else { return nil }
                second = readSecond
                if index < bytes.count {
                    guard expect(0x2E), index < bytes.count else { return nil }
                    var scale = 0.1
                    while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                        fraction += Double(bytes[index] - 0x30) * scale
                        scale /= 10
                        index += 1
                    }
                }
            }
        }
        guard index == bytes.count, hour < 24, minute < 60, second < 61 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (Int32(hour), Int32(minute), Int32(second))
        let seconds = timegm(&parts)
        // Milliseconds, as stored: adding the fraction as a Double would give back 0.249999… for .250.
        let milliseconds = (fraction * 1000).rounded()
        return Date(timeIntervalSince1970: (Double(seconds) * 1000 + milliseconds) / 1000)
    }

    /// A stored moment as GRDB hands it over: our text, or (from another tool) a number of seconds since 1970.
    static func date(from value: DatabaseValue) -> Date? {
        switch value.storage {
        case .string(let text): return date(fromText: text)
        case .int64(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .double(let seconds): return Date(timeIntervalSince1970: seconds)
        default: return nil
        }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Every history record stores and reads its moments through `HistoryDate`.
public protocol HistoryDated: FetchableRecord, EncodableRecord {}

extension HistoryDated {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { HistoryDate.text($0) }
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { HistoryDate.date(from: $0) }
    }
}
