/// A position in a content file. Lines and columns start at 1; columns count Unicode scalars,
/// as libyaml does, so front-matter and body positions agree.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}

public enum Severity: String, Sendable, Hashable {
    case error
    case warning
}

/// One problem found in content, in the `path:line:column: severity: message` form that compilers use.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    public static func warning(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Collects the diagnostics of one file. A file that is broken everywhere (a binary file, say) stops
/// reporting after a limit, so one bad file cannot bury the rest of the report.
struct DiagnosticSink {
    static let limitPerFile = 50

    let path: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var isFull = false

    init(path: String) {
        self.path = path
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(path: path, line: line, column: column)
    }

    mutating func error(_ message: String, line: Int, column: Int) {
        add(.error(message, at: location(line: line, column: column)))
    }

    mutating func warning(_ message: String, line: Int, column: Int) {
        add(.warning(message, at: location(line: line, column: column)))
    }

    mutating func add(_ diagnostic: Diagnostic) {
        guard !isFull else { return }
        if diagnostics.count == Self.limitPerFile - 1 {
            isFull = true
            diagnostics.append(.error(
                "too many problems in this file; stopping here (fix these and run check again)",
                at: diagnostic.location))
            return
        }
        diagnostics.append(diagnostic)
    }
}
