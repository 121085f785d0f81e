/// A line of the form `[name: value, key: value, …]`, with the column of every part for diagnostics.
struct Directive {
    struct Argument {
        var key: String
        var keyColumn: Int
        var value: String
        var valueColumn: Int
    }

    var name: String
    /// Column of the opening `[`.
    var column: Int
    var value: String
    var valueColumn: Int
    var arguments: [Argument]
    var line: Int

    static func parse(_ line: SourceLine, sink: inout DiagnosticSink) -> Directive? {
        let scalars = Array(line.text.unicodeScalars)
        var end = scalars.count
        while end > 0, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        let open = scalars.firstIndex(of: "[") ?? 0
        guard end > open + 1, scalars[end - 1] == "]" else {
            sink.error("a '[…]' line must end with ']'", line: line.number, column: end + 1)
            return nil
        }
        if let stray = scalars[(open + 1)..<(end - 1)].firstIndex(where: { $0 == "[" || $0 == "]" }) {
            sink.error("unexpected '\(scalars[stray])' inside '[…]'", line: line.number, column: stray + 1)
            return nil
        }
        // Split the inside on commas, remembering where each part starts.
        var parts: [(text: String, column: Int)] = []
        var partStart = open + 1
        for position in (open + 1)...(end - 1) where position == end - 1 || scalars[position] == "," {
            parts.append((String(String.UnicodeScalarView(scalars[partStart..<position])), partStart + 1))
            partStart = position + 1
        }
        var arguments: [Argument] = []
        for part in parts {
            let leading = part.text.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count
            let text = part.text.trimmingSpaces()
            guard let colon = text.firstIndex(of: ":") else {
                sink.error("expected 'key: value' here, found '\(text)'", line: line.number,
                           column: part.column + leading)
                return nil
            }
            let key = text[..<colon].trimmingSpaces().lowercased()
            let rawValue = text[text.index(after: colon)...]
            let valueOffset = text.unicodeScalars.distance(
                from: text.unicodeScalars.startIndex, to: colon.samePosition(in: text.unicodeScalars)!) + 1
                + rawValue.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count
            arguments.append(Argument(key: key, keyColumn: part.column + leading,
                                      value: String(rawValue).trimmingSpaces(),
                                      valueColumn: part.column + leading + valueOffset))
        }
        let first = arguments.removeFirst()
        return Directive(name: first.key, column: open + 1, value: first.value, valueColumn: first.valueColumn,
                         arguments: arguments, line: line.number)
    }
}

/// Reads `[drill: ID, key: value, …]` into a reference with its timing overrides.
enum DrillReferenceReader {
    static let overrideKeys = ["work", "hold", "reps", "tempo", "sets", "rest", "per-side"]

    static func read(_ directive: Directive, sink: inout DiagnosticSink) -> DrillReference? {
        let id = directive.value
        guard !id.isEmpty else {
            sink.error("'[drill: …]' needs a drill id, as in '[drill: cat-cow]'", line: directive.line,
                       column: directive.valueColumn)
            return nil
        }
        var override = TimingOverride()
        var seen: Set<String> = []
        var valid = IdentifierRules.check(id, line: directive.line, column: directive.valueColumn, sink: &sink)
        for argument in directive.arguments {
            let at = (line: directive.line, column: argument.valueColumn)
            guard overrideKeys.contains(argument.key) else {
                let hint = Suggestion.hint(for: argument.key, in: overrideKeys)
                sink.error("unknown timing key '\(argument.key)'\(hint)", line: directive.line,
                           column: argument.keyColumn)
                valid = false
                continue
            }
            guard seen.insert(argument.key).inserted else {
                sink.error("'\(argument.key)' is given twice", line: directive.line, column: argument.keyColumn)
                valid = false
                continue
            }
            let result = TimingValues.assign(argument.key, argument.value, to: &override)
            if case .failure(let error) = result {
                sink.error(error.message, line: at.line, column: at.column)
                valid = false
            }
        }
        let efforts = ["work", "hold", "reps"].filter(seen.contains)
        if efforts.count > 1 {
            sink.error("give only one of 'work', 'hold' and 'reps' (found \(efforts.joined(separator: " and ")))",
                       line: directive.line, column: directive.column)
            valid = false
        }
        guard valid else { return nil }
        return DrillReference(drillID: id, override: override,
                              location: sink.location(line: directive.line, column: directive.valueColumn))
    }
}

/// The timing keys shared by drill front matter and `[drill: …]` overrides.
enum TimingValues {
    static func assign(_ key: String, _ value: String, to override: inout TimingOverride) -> Result<Void, ValueError> {
        func duration(_ assign: (Int) -> Void) -> Result<Void, ValueError> {
            DurationParser.seconds(in: value).map(assign)
        }
        switch key {
        case "work": return duration { override.work = $0 }
        case "hold": return duration { override.hold = $0 }
        case "tempo": return duration { override.tempo = $0 }
        case "reps": return CountParser.count(in: value).map { override.reps = $0 }
        case "sets": return CountParser.count(in: value, maximum: 99).map { override.sets = $0 }
        case "rest": return DurationParser.restSeconds(in: value).map { override.rest = $0 }
        case "per-side": return YesNoParser.value(in: value).map { override.perSide = $0 }
        default: return .failure(ValueError("unknown timing key '\(key)'"))
        }
    }
}

/// Ids are lower-case words joined by hyphens, so they are easy to type and safe in file names.
public enum IdentifierRules {
    public static func isValid(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, id.unicodeScalars.count <= 64 else { return false }
        func allowed(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
        }
        return first != "-" && id.unicodeScalars.allSatisfy(allowed)
    }

    /// The id as it should have been written: `Cat Cow` → `cat-cow`.
    public static func suggestion(for id: String) -> String {
        var result = ""
        for character in id.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                result.append(character)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return String(result.prefix(64))
    }

    @discardableResult
    static func check(_ id: String, line: Int, column: Int, sink: inout DiagnosticSink) -> Bool {
        guard !isValid(id) else { return true }
        let suggested = suggestion(for: id)
        let hint = suggested.isEmpty || suggested == id ? "" : "; did you mean '\(suggested)'?"
        sink.error("id '\(id)' must be lower-case letters, digits and hyphens (at most 64)\(hint)", line: line,
                   column: column)
        return false
    }
}
