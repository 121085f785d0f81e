import Testing
@testable import SessionGuideContent

@Suite("Durations, counts and yes/no values")
struct ValueParserTests {
    @Test("durations written as people write them", arguments: [
        ("45s", 45), ("45 s", 45), ("90 sec", 90), ("90 secs", 90), ("90 seconds", 90), ("1m30s", 90),
        ("1m 30s", 90), ("1 min 30 s", 90), ("1.5 min", 90), ("1:30", 90), ("0:45", 45), ("2 min", 120),
        ("2m", 120), ("2 minutes", 120), ("1h", 3600), ("1:00:00", 3600), ("1 hour 5 min", 3900),
        (" 45S ", 45), ("1 min and 30 s", 90), ("24h", 86400),
        // Leading zeros mean nothing, however many.
        ("00000000000000000000001s", 1), ("007 min", 420), ("0.5 min", 30), ("00.5 min", 30),
    ])
    func validDuration(text: String, seconds: Int) {
        #expect(DurationParser.seconds(in: text) == .success(seconds))
    }

    @Test("durations that are rejected, with the reason", arguments: [
        ("45", "has no unit; write '45s'"), ("0s", "must be more than zero"), ("0:00", "must be more than zero"),
        ("-5s", "must be more than zero"), ("1:3", "write minutes and seconds as '1:30'"),
        ("1:60", "write minutes and seconds"), ("abc", "is not a duration"), ("5 parsecs", "unknown time unit 'parsecs'"),
        ("5 mn", "did you mean"), ("25h", "longer than 24 hours"), ("0.5s", "not a whole number of seconds"),
        ("", "a duration is missing"), ("45s 10", "every number needs a unit"),
        // Too many digits is too long, not "not a duration".
        ("99999999999h", "duration '99999999999h' is longer than 24 hours"), ("1234567890s", "longer than 24 hours"),
    ])
    func invalidDuration(text: String, reason: String) throws {
        guard case .failure(let error) = DurationParser.seconds(in: text) else {
            Issue.record("'\(text)' should be rejected")
            return
        }
        #expect(error.message.contains(reason), "\(error.message)")
    }

    @Test func describesDurations() {
        #expect(DurationParser.describe(45) == "45 s")
        #expect(DurationParser.describe(120) == "2 min")
        #expect(DurationParser.describe(90) == "1 min 30 s")
        #expect(DurationParser.describe(3_900) == "1 h 5 min")
        #expect(DurationParser.clock(605) == "10:05")
        #expect(DurationParser.clock(3_723) == "1:02:03")
        #expect(DurationParser.clock(9) == "0:09")
    }

    @Test func counts() {
        #expect(CountParser.count(in: "10") == .success(10))
        #expect(CountParser.count(in: "0") == .failure(ValueError("'0' is not a whole number from 1 to 999")))
        #expect(CountParser.count(in: "-2").isFailure)
        #expect(CountParser.count(in: "2.5").isFailure)
        #expect(CountParser.count(in: "ten").isFailure)
        #expect(CountParser.count(in: "100", maximum: 99).isFailure)
    }

    @Test func yesAndNo() {
        for word in ["yes", "Yes", "true", "on", "y"] { #expect(YesNoParser.value(in: word) == .success(true)) }
        for word in ["no", "NO", "false", "off", "n"] { #expect(YesNoParser.value(in: word) == .success(false)) }
        #expect(YesNoParser.value(in: "maybe").isFailure)
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
