import SessionGuideEngine

/// How a timer's phase looks, so a patient on the floor tells get ready, work, hold, rest and switching sides
/// apart without reading the small print: a large word of its own and a colour of its own. The words differ
/// for every phase, so a monochrome screen (or `--no-color`) keeps them apart too.
public struct PhaseLook: Hashable, Sendable {
    /// What to draw in large letters, the most telling first: a caller draws the first that fits
    /// ("SWITCH SIDES → LEFT", then "SWITCH → LEFT").
    public var words: [String]
    /// The phase's colour, for its word and its digits.
    public var role: StyleRole

    /// Seconds at the end of a phase when the digits change colour, so the change of phase is seen coming.
    public static let finalSeconds: Int64 = 3

    /// The look of one phase of a drill. `next` is the phase after it (for the side a switch leads to); `rep`
    /// is the rep under way, for reps the timer counts out.
    public static func of(_ phase: DrillPhase, next: DrillPhase?, rep: Int?) -> PhaseLook {
        func word(_ side: Side) -> String { side == .left ? "LEFT" : "RIGHT" }
        let side = phase.side.map(word)
        func withSide(_ word: String) -> [String] { side.map { ["\(word) · \($0)", word] } ?? [word] }
        switch phase.kind {
        case .work: return PhaseLook(words: withSide("WORK"), role: .phaseWork)
        case .hold: return PhaseLook(words: withSide("HOLD"), role: .phaseHold)
        case .reps(let count, _):
            // Counted out by the timer: the rep under way; else how many to do.
            if let rep {
                return PhaseLook(words: withSide("REP \(rep)/\(count)"), role: .phaseWork)
            }
            return PhaseLook(words: withSide("\(count) REPS"), role: .phaseWork)
        case .switchSides:
            let to = next?.side.map(word)
            let words = to.map { ["SWITCH SIDES → \($0)", "SWITCH → \($0)", "SWITCH SIDES"] } ?? ["SWITCH SIDES", "SWITCH"]
            return PhaseLook(words: words, role: .phaseSwitch)
        case .rest: return PhaseLook(words: ["REST"], role: .phaseRest)
        }
    }

    public static let getReady = PhaseLook(words: ["GET READY"], role: .phaseGetReady)
    public static let rest = PhaseLook(words: ["REST"], role: .phaseRest)

    /// The role a running timer's digits take: the terminal's own colour, and the final-seconds colour in the
    /// last few seconds of the phase. The phase's colour is on its large word beside or under the digits, not
    /// on the digits: a running second then changes only the digits' characters, with no attribute sequence
    /// around them (8 bytes a tick for plain digits instead of 32; docs/benchmarks.md).
    public func digitRole(remaining: Int64?) -> StyleRole {
        if let remaining, remaining <= Self.finalSeconds * 1000 { return .finalSeconds }
        return .normal
    }
}

extension PhaseLook {
    /// The first of `words` that fits in big letters in `width` × `height` (one line, centred), or nil.
    func drawing(width: Int, height: Int, pixels: BigFont.Pixels) -> BigFont.Drawing? {
        for word in words {
            if let drawing = BigFont.heading(word, width: width, height: height, lineHeight: height,
                                             maximumLines: 1, centred: true, pixels: pixels) {
                return drawing
            }
        }
        return nil
    }
}
