/// Reads durations, counts and yes/no values as people write them. Each returns a message on failure, which
/// the caller turns into a diagnostic pointing at the value.
public enum DurationParser {
    public static let maximumSeconds = 24 * 60 * 60

    /// Seconds in `45s`, `90 sec`, `1m30s`, `1m 30s`, `2 min`, `1.5 min`, `1h`, `1:30` or `1:00:00`.
    public static func seconds(in text: String) -> Result<Int, ValueError> {
        let written = text.trimmingSpaces()
        guard !written.isEmpty else { return .failure(ValueError("a duration is missing here; write e.g. '45s'")) }
        let lowered = written.lowercased()
        let total: Double
        if lowered.contains(":") {
            guard let clock = clockSeconds(lowered) else {
                return .failure(ValueError("'\(written)' is not a duration; write minutes and seconds as '1:30'"))
            }
            total = clock
        } else {
            switch unitSeconds(lowered) {
            case .success(let seconds): total = seconds
            case .failure(let error): return .failure(error)
            }
        }
        guard total > 0 else { return .failure(ValueError("duration '\(written)' must be more than zero")) }
        guard total <= Double(maximumSeconds) else {
            return .failure(ValueError("duration '\(written)' is longer than 24 hours"))
        }
        guard total == total.rounded() else {
            return .failure(ValueError("duration '\(written)' is not a whole number of seconds"))
        }
        return .success(Int(total))
    }

    /// `m:ss` or `h:mm:ss`.
    private static func clockSeconds(_ text: String) -> Double? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy(\.isASCIIDigit) }),
              parts.dropFirst().allSatisfy({ $0.count == 2 })
        else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count, numbers.dropFirst().allSatisfy({ $0 < 60 }) else { return nil }
        return Double(numbers.reduce(0) { $0 * 60 + $1 })
    }

    private static let unitFactors: [String: Double] = [
        "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
        "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
        "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    ]

    /// A sequence of number-and-unit pairs: `1m30s`, `1 min 30 s`, `2 minutes`.
    private static func unitSeconds(_ text: String) -> Result<Double, ValueError> {
        let original = text
        var scalars = Substring(text)
        var total = 0.0
        var pairs = 0
        func skipSpaces() { scalars = scalars.drop { $0 == " " || $0 == "\t" || $0 == "," } }
        skipSpaces()
        if scalars.first == "-" {
            return .failure(ValueError("duration '\(original)' must be more than zero"))
        }
        while !scalars.isEmpty {
            let written = scalars.prefix { $0.isASCIIDigit || $0 == "." }
            // Leading zeros mean nothing (`007s`); a number of more than 9 digits is far past 24 hours.
            var number = written.drop { $0 == "0" }
            if number.isEmpty || number.first == "." { number = written.suffix(number.count + 1) }
            if number.count > 9, number.prefix(while: \.isASCIIDigit).count > 9 {
                return .failure(ValueError("duration '\(original)' is longer than 24 hours"))
            }
            guard !number.isEmpty, number.count <= 20, let value = Double(number) else {
                return .failure(ValueError("'\(original)' is not a duration; write e.g. '45s', '2 min' or '1:30'"))
            }
            scalars = scalars.dropFirst(written.count)
            scalars = scalars.drop { $0 == " " || $0 == "\t" }
            let unit = scalars.prefix { $0.isLetter }
            guard !unit.isEmpty else {
                if pairs == 0 && scalars.isEmpty {
                    return .failure(ValueError("'\(original)' has no unit; write '\(number)s' or '\(number) min'"))
                }
                return .failure(ValueError("'\(original)' is not a duration; every number needs a unit (s, min, h)"))
            }
            guard let factor = unitFactors[String(unit)] else {
                let hint = Suggestion.hint(for: String(unit), in: unitFactors.keys.sorted())
                return .failure(ValueError("unknown time unit '\(unit)' in '\(original)'\(hint)"))
            }
            scalars = scalars.dropFirst(unit.count)
            total += value * factor
            pairs += 1
            skipSpaces()
            if scalars.hasPrefix("and ") { scalars = scalars.dropFirst(4) }
        }
        return .success(total)
    }

    /// Seconds of a rest, where "none" (or a written zero) is meaningful: no rest at all.
    public static func restSeconds(in text: String) -> Result<Int, ValueError> {
        ["none", "0", "0s"].contains(text.trimmingSpaces().lowercased()) ? .success(0) : seconds(in: text)
    }

    /// A compact form for screens and listings: `45 s`, `2 min`, `1 min 30 s`, `1 h 5 min`.
    public static func describe(_ seconds: Int) -> String {
        let hours = seconds / 3600, minutes = (seconds % 3600) / 60, rest = seconds % 60
        var parts: [String] = []
        if hours > 0 { parts.append("\(hours) h") }
        if minutes > 0 { parts.append("\(minutes) min") }
        if rest > 0 || parts.isEmpty { parts.append("\(rest) s") }
        return parts.joined(separator: " ")
    }

    /// A clock form: `0:45`, `10:05`, `1:02:03`.
    public static func clock(_ seconds: Int) -> String {
        let hours = seconds / 3600, minutes = (seconds % 3600) / 60, rest = seconds % 60
        let paddedSeconds = rest < 10 ? "0\(rest)" : "\(rest)"
        if hours > 0 {
            return "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(paddedSeconds)"
        }
        return "\(minutes):\(paddedSeconds)"
    }
}

public struct ValueError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

enum CountParser {
    /// A whole number from 1 to `maximum`, as in `reps: 10` or `sets: 2`.
    static func count(in text: String, maximum: Int = 999) -> Result<Int, ValueError> {
        let written = text.trimmingSpaces()
        guard !written.isEmpty, written.count <= 9, written.allSatisfy(\.isASCIIDigit), let value = Int(written),
              (1...maximum).contains(value)
        else {
            return .failure(ValueError("'\(written)' is not a whole number from 1 to \(maximum)"))
        }
        return .success(value)
    }
}

enum YesNoParser {
    static func value(in text: String) -> Result<Bool, ValueError> {
        switch text.trimmingSpaces().lowercased() {
        case "yes", "y", "true", "on": .success(true)
        case "no", "n", "false", "off": .success(false)
        default: .failure(ValueError("'\(text)' is not yes or no"))
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String { String(self).trimming([" ", "\t"]) }
}

extension String {
    /// Trims the given characters from both ends (Foundation-free).
    func trimming(_ set: Set<Character>) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = lastIndex(where: { !set.contains($0) })!
        return String(self[first...last])
    }
}
