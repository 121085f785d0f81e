/// Timing in words, for print-outs, listings and screens: "2 sets × 30 s hold, each side; 10 s rest between sets".
public enum TimingDescription {
    public static func effort(_ effort: DrillTiming.Effort) -> String {
        switch effort {
        case .work(let seconds): "\(DurationParser.describe(seconds)) of movement"
        case .hold(let seconds): "\(DurationParser.describe(seconds)) hold"
        case .reps(let count, let tempo?): "\(count) reps, \(DurationParser.describe(tempo)) each"
        case .reps(let count, nil): "\(count) reps at your own pace"
        }
    }

    public static func describe(_ timing: DrillTiming) -> String {
        var text = timing.sets == 1 ? "1 set" : "\(timing.sets) sets"
        text += " × " + effort(timing.effort)
        if timing.perSide { text += ", each side" }
        if timing.sets > 1, timing.rest > 0 {
            text += "; \(DurationParser.describe(timing.rest)) rest between sets"
        }
        return text
    }

    /// "2 min 10 s" or "about 1 min" when reps have no tempo.
    public static func total(_ timing: DrillTiming) -> String {
        (timing.isEstimate ? "about " : "") + DurationParser.describe(timing.totalSeconds)
    }
}
