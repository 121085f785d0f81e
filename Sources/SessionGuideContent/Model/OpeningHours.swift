/// When a waiting room is open: a daily time range on some days of the week. Outside it the kiosk blanks the
/// screen. Written as `08:00-18:00` and `mon-fri` (or `mon,wed,fri`, `daily`).
public struct OpeningHours: Hashable, Sendable {
    /// Minutes after midnight; `closes` may be before `opens` for a range that runs past midnight.
    public var opens: Int
    public var closes: Int
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    public var days: Set<Int>

    public static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public init(opens: Int, closes: Int, days: Set<Int> = Set(1...7)) {
        self.opens = opens
        self.closes = closes
        self.days = days
    }

    /// Whether the room is open at a weekday (1–7) and minute of the day.
    public func isOpen(weekday: Int, minuteOfDay: Int) -> Bool {
        if opens <= closes {
            return days.contains(weekday) && minuteOfDay >= opens && minuteOfDay < closes
        }
        // Past midnight: the evening belongs to today, the small hours to the day before.
        if minuteOfDay >= opens { return days.contains(weekday) }
        let previous = weekday == 1 ? 7 : weekday - 1
        return minuteOfDay < closes && days.contains(previous)
    }

    /// `08:00-18:00` → (480, 1080).
    public static func parseHours(_ text: String) -> Result<(Int, Int), ValueError> {
        let parts = text.replacingTabs().split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        guard parts.count == 2, let opens = minutes(parts[0]), let closes = minutes(parts[1]), opens != closes else {
            return .failure(ValueError("'\(text)' is not an opening time; write it as '08:00-18:00'"))
        }
        return .success((opens, closes))
    }

    /// `mon-fri`, `mon,wed,fri`, `sat-sun`, `daily`.
    public static func parseDays(_ text: String) -> Result<Set<Int>, ValueError> {
        let written = text.lowercased().trimmingSpaces()
        if ["daily", "every day", "all"].contains(written) { return .success(Set(1...7)) }
        var days: Set<Int> = []
        for part in written.split(separator: ",").map({ $0.trimmingSpaces() }) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            let numbers = ends.compactMap(dayNumber)
            guard !ends.isEmpty, numbers.count == ends.count, ends.count <= 2 else {
                let unknown = ends.first { dayNumber($0) == nil } ?? part
                let hint = Suggestion.hint(for: unknown, in: dayNames)
                return .failure(ValueError("'\(part)' is not a day or range of days such as 'mon-fri'\(hint)"))
            }
            if numbers.count == 1 {
                days.insert(numbers[0])
            } else {
                var day = numbers[0]
                while true {
                    days.insert(day)
                    if day == numbers[1] { break }
                    day = day % 7 + 1
                }
            }
        }
        return days.isEmpty ? .failure(ValueError("no days given; write e.g. 'mon-fri'")) : .success(days)
    }

    private static let fullDayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// 1–7 for `mon` or `monday` (nothing else: `monkey` is not a day).
    private static func dayNumber(_ name: String) -> Int? {
        (dayNames.firstIndex(of: name) ?? fullDayNames.firstIndex(of: name)).map { $0 + 1 }
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), parts[1].count == 2,
              (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 24 * 60
        else { return nil }
        return hours * 60 + minutes
    }
}
