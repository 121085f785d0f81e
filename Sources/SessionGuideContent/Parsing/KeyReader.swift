/// Typed access to front-matter values, reporting each problem at the value it concerns.
struct KeyReader {
    let frontMatter: FrontMatter
    /// Line of the opening `---`, where missing keys are reported.
    let openingLine: Int

    init(frontMatter: FrontMatter, openingLine: Int) {
        self.frontMatter = frontMatter
        self.openingLine = openingLine
    }

    func kind(sink: inout DiagnosticSink) -> DocumentKind? {
        let names = DocumentKind.allCases.map(\.rawValue)
        guard let entry = frontMatter["kind"] else {
            sink.error("missing key 'kind' (one of \(names.joined(separator: ", ")))", line: openingLine, column: 1)
            return nil
        }
        guard let written = text(of: entry, sink: &sink) else { return nil }
        guard let kind = DocumentKind(rawValue: written.lowercased()) else {
            let hint = Suggestion.hint(for: written.lowercased(), in: names)
            sink.error("unknown kind '\(written)'\(hint) (one of \(names.joined(separator: ", ")))",
                       line: entry.valueLine, column: entry.valueColumn)
            return nil
        }
        return kind
    }

    /// The text of a key; nil (and an error when `required`) when it is missing or empty.
    func text(_ key: String, required: Bool = false, sink: inout DiagnosticSink) -> String? {
        guard let entry = frontMatter[key] else {
            if required {
                sink.error("missing key '\(key)'", line: openingLine, column: 1)
            }
            return nil
        }
        return text(of: entry, sink: &sink)
    }

    private func text(of entry: FrontMatter.Entry, sink: inout DiagnosticSink) -> String? {
        switch entry.value {
        case .text(let text):
            let trimmed = text.trimming([" ", "\t", "\n"])
            guard !trimmed.isEmpty else {
                sink.error("'\(entry.key)' has no value", line: entry.keyLine, column: entry.keyColumn)
                return nil
            }
            return trimmed
        case .list:
            sink.error("'\(entry.key)' takes a single value, not a list", line: entry.valueLine,
                       column: entry.valueColumn)
            return nil
        case .unsupported(let what):
            sink.error("'\(entry.key)' takes a single value, not \(what)", line: entry.valueLine,
                       column: entry.valueColumn)
            return nil
        }
    }

    /// `screen: 80x24`: the size a deck or a session is written for; nil when not given.
    func screenSize(sink: inout DiagnosticSink) -> ScreenSize? {
        guard let entry = frontMatter["screen"], let written = text(of: entry, sink: &sink) else { return nil }
        guard let size = ScreenSize(written) else {
            sink.error("'screen' is columns x rows, such as 80x24; '\(written)' is not", line: entry.valueLine,
                       column: entry.valueColumn)
            return nil
        }
        guard size.columns >= ScreenSize.smallest.columns, size.rows >= ScreenSize.smallest.rows,
              size.columns <= 1000, size.rows <= 500 else {
            sink.error("'screen' must be between \(ScreenSize.smallest) and 1000×500; \(size) is not",
                       line: entry.valueLine, column: entry.valueColumn)
            return nil
        }
        return size
    }

    /// A duration in seconds; `none` (when allowed) reads as zero.
    func duration(_ key: String, allowNone: Bool = false, sink: inout DiagnosticSink) -> Int? {
        guard let entry = frontMatter[key], let written = text(of: entry, sink: &sink) else { return nil }
        switch allowNone ? DurationParser.restSeconds(in: written) : DurationParser.seconds(in: written) {
        case .success(let seconds): return seconds
        case .failure(let error):
            sink.error(error.message, line: entry.valueLine, column: entry.valueColumn)
            return nil
        }
    }

    /// `hours: 08:00-18:00` and `days: mon-fri`; days alone mean all day on those days.
    func openingHours(sink: inout DiagnosticSink) -> OpeningHours? {
        var hours: (Int, Int)?
        var days: Set<Int>?
        if let entry = frontMatter["hours"], let written = text(of: entry, sink: &sink) {
            switch OpeningHours.parseHours(written) {
            case .success(let value): hours = value
            case .failure(let error): sink.error(error.message, line: entry.valueLine, column: entry.valueColumn)
            }
        }
        if let entry = frontMatter["days"], let written = text(of: entry, sink: &sink) {
            switch OpeningHours.parseDays(written) {
            case .success(let value): days = value
            case .failure(let error): sink.error(error.message, line: entry.valueLine, column: entry.valueColumn)
            }
        }
        guard hours != nil || days != nil else { return nil }
        return OpeningHours(opens: hours?.0 ?? 0, closes: hours?.1 ?? 24 * 60, days: days ?? Set(1...7))
    }

    /// Reports keys that this kind does not take, suggesting the nearest one.
    func reportUnknownKeys(allowed: [String], kind: DocumentKind, sink: inout DiagnosticSink) {
        let otherKinds = DocumentParser.keysByKind.filter { $0.key != kind }
        for entry in frontMatter.entries where !allowed.contains(entry.key) {
            if let owner = otherKinds.first(where: { $0.value.contains(entry.key) })?.key {
                sink.error("key '\(entry.key)' is used in a \(owner.rawValue), not in a \(kind.rawValue)",
                           line: entry.keyLine, column: entry.keyColumn)
            } else {
                let hint = Suggestion.hint(for: entry.key, in: allowed)
                sink.error("unknown key '\(entry.key)'\(hint)", line: entry.keyLine, column: entry.keyColumn)
            }
        }
    }

    /// A drill's timing from its `work`/`hold`/`reps`, `tempo`, `sets`, `rest` and `per-side` keys.
    func drillTiming(sink: inout DiagnosticSink) -> DrillTiming? {
        var override = TimingOverride()
        var valid = true
        for key in DrillReferenceReader.overrideKeys {
            guard let entry = frontMatter[key], let written = text(of: entry, sink: &sink) else {
                if frontMatter[key] != nil { valid = false }
                continue
            }
            if case .failure(let error) = TimingValues.assign(key, written, to: &override) {
                sink.error(error.message, line: entry.valueLine, column: entry.valueColumn)
                valid = false
            }
        }
        let efforts = ["work", "hold", "reps"].filter { frontMatter[$0] != nil }
        if efforts.isEmpty {
            sink.error("drill has neither a time nor reps; add 'work: 45s', 'hold: 30s' or 'reps: 10'",
                       line: openingLine, column: 1)
            return nil
        }
        if efforts.count > 1 {
            let entry = frontMatter[efforts[1]]!
            sink.error("give only one of 'work', 'hold' and 'reps' (found \(efforts.joined(separator: " and ")))",
                       line: entry.keyLine, column: entry.keyColumn)
            return nil
        }
        if let entry = frontMatter["tempo"], efforts != ["reps"] {
            sink.error("'tempo' is the time for one repetition and goes with 'reps'", line: entry.keyLine,
                       column: entry.keyColumn)
            return nil
        }
        guard valid else { return nil }
        let effort: DrillTiming.Effort
        if let seconds = override.work {
            effort = .work(seconds: seconds)
        } else if let seconds = override.hold {
            effort = .hold(seconds: seconds)
        } else if let count = override.reps {
            effort = .reps(count: count, tempo: override.tempo)
        } else {
            return nil
        }
        return DrillTiming(effort: effort, sets: override.sets ?? 1, rest: override.rest ?? 0,
                           perSide: override.perSide ?? false)
    }
}
