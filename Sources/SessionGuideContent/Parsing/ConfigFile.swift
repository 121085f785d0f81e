import Yams

/// A machine's defaults, from `$XDG_CONFIG_HOME/session-guide/config.yaml` (the waiting-room box:
/// `theme: high-contrast`). Command-line flags win over it. Read with Yams like the front matter, every value as
/// written, and every problem reported with its line and column; a bad entry is left out, never fatal.
public struct ConfigFile: Sendable, Equatable {
    /// A value and the line it came from, so `session-guide config` can say where each setting was made.
    public struct Entry<Value: Sendable & Equatable>: Sendable, Equatable {
        public var value: Value
        public var line: Int
    }

    public var content: Entry<String>?
    public var theme: Entry<String>?
    public var color: Entry<Bool>?
    public var ascii: Entry<Bool>?
    public var reduceMotion: Entry<Bool>?
    public var voice: Entry<Bool>?
    public var quiet: Entry<Bool>?
    public var painCheck: Entry<Bool>?
    public var large: Entry<Bool>?
    /// The home menu starts with the patient chosen last (`u`), kept in the state folder. Off unless set: on a
    /// shared machine the next person should not find the last patient's label.
    public var rememberPatient: Entry<Bool>?
    /// Where records are kept: a SQLite file's path (the default is in the state folder) or the clinic's
    /// PostgreSQL server, `postgres://user@host/database`.
    public var history: Entry<String>?

    public static let keys = ["content", "theme", "color", "ascii", "reduce-motion", "large", "voice", "quiet",
                              "pain-check", "remember-patient", "history"]
    public static let themes = ["default", "high-contrast", "mono"]

    public init() {}

    /// The most a config file may hold; a larger one is not read at all (check its size before reading it).
    public static let maximumBytes = 64 * 1024

    /// The settings in `text`, and the problems found; an empty or comment-only file is fine.
    public static func parse(_ text: String, path: String) -> (ConfigFile, [Diagnostic]) {
        parse(bytes: Array(text.utf8), path: path)
    }

    /// The settings in the bytes of a config file. Bytes that aren't UTF-8 and control characters are reported
    /// at their line and column (and the rest of the file is still read); aliases and deep nesting are refused
    /// before Yams reads anything.
    public static func parse(bytes: [UInt8], path: String) -> (ConfigFile, [Diagnostic]) {
        var config = ConfigFile()
        var sink = DiagnosticSink(path: path)
        func report(_ message: String, _ line: Int, _ column: Int) {
            sink.error(message, line: line, column: column)
        }
        guard bytes.count <= maximumBytes else {
            report("the config file is \(ByteCount.describe(bytes.count)); it may be at most "
                + "\(ByteCount.describe(maximumBytes))", 1, 1)
            return (config, sink.diagnostics)
        }
        guard let lines = SourceDecoder.lines(of: bytes, subject: "the config file", sink: &sink) else {
            return (config, sink.diagnostics)
        }
        let texts = lines.map { $0.text.replacingTabs() }
        if let problem = YAMLGuard.check(texts) {
            report(problem.message, problem.line, problem.column)
            return (config, sink.diagnostics)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: texts.joined(separator: "\n"), .basic, .default, .utf8)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                if let context, context.text.contains("quoted scalar"), problem.contains("end of stream") {
                    report("a quoted value is not closed; add the closing quote at the end of the value",
                           context.mark.line, context.mark.column)
                } else {
                    report("not valid YAML: \(YAMLGuard.plainProblem(problem))", mark.line, mark.column)
                }
            case .duplicatedKeysInMapping(let keys, let context):
                report("\(keys.map { "'\($0)'" }.joined(separator: ", ")) given more than once", context.mark.line,
                       context.mark.column)
            case .reader(let problem, _, _, _):
                report("can't be read: \(problem)", 1, 1)
            default:
                report("can't be read", 1, 1)
            }
            return (config, sink.diagnostics)
        } catch {
            report("can't be read", 1, 1)
            return (config, sink.diagnostics)
        }
        guard let root else { return (config, sink.diagnostics) }
        guard case .mapping(let mapping) = root else {
            report("settings are 'key: value' lines, such as 'theme: high-contrast'", root.mark?.line ?? 1,
                   root.mark?.column ?? 1)
            return (config, sink.diagnostics)
        }
        for (keyNode, valueNode) in mapping {
            let keyLine = keyNode.mark?.line ?? 1, keyColumn = keyNode.mark?.column ?? 1
            let line = valueNode.mark?.line ?? keyLine, column = valueNode.mark?.column ?? keyColumn
            guard case .scalar(let keyScalar) = keyNode else {
                report("a setting's name must be a plain word", keyLine, keyColumn)
                continue
            }
            let key = keyScalar.string
            // A control written as a YAML escape (`theme: "\e[2J"`) is reported, and the setting left out.
            let reported = sink.diagnostics.count
            FrontMatter.reportControls(in: keyNode, lineOffset: 0, fallback: (keyLine, keyColumn),
                                       what: "the config file", sink: &sink)
            FrontMatter.reportControls(in: valueNode, lineOffset: 0, fallback: (line, column), key: key,
                                       what: "the config file", sink: &sink)
            guard sink.diagnostics.count == reported else { continue }
            guard keys.contains(key) else {
                report("unknown setting '\(key)'\(Suggestion.hint(for: key, in: keys))", keyLine, keyColumn)
                continue
            }
            guard case .scalar(let valueScalar) = valueNode, !valueScalar.string.trimmingSpaces().isEmpty else {
                report("'\(key)' needs a single value", line, column)
                continue
            }
            let value = valueScalar.string.trimmingSpaces()
            func yesNo(_ assign: (Entry<Bool>) -> Void) {
                switch YesNoParser.value(in: value) {
                case .success(let flag): assign(Entry(value: flag, line: keyLine))
                case .failure(let error): report("'\(key)': \(error.message)", line, column)
                }
            }
            switch key {
            case "content": config.content = Entry(value: value, line: keyLine)
            case "history": config.history = Entry(value: value, line: keyLine)
            case "theme":
                if themes.contains(value) {
                    config.theme = Entry(value: value, line: keyLine)
                } else {
                    report("unknown theme '\(value)'\(Suggestion.hint(for: value, in: themes)) (one of "
                        + themes.joined(separator: ", ") + ")", line, column)
                }
            case "color": yesNo { config.color = $0 }
            case "ascii": yesNo { config.ascii = $0 }
            case "reduce-motion": yesNo { config.reduceMotion = $0 }
            case "voice": yesNo { config.voice = $0 }
            case "quiet": yesNo { config.quiet = $0 }
            case "pain-check": yesNo { config.painCheck = $0 }
            case "large": yesNo { config.large = $0 }
            case "remember-patient": yesNo { config.rememberPatient = $0 }
            default: break
            }
        }
        return (config, sink.diagnostics)
    }
}
