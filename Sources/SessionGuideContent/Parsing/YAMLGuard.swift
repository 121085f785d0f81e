/// A quick look at YAML text before Yams reads it, for what would make Yams slow or its messages unclear.
///
/// Yams expands every alias into a copy of the node it names and hashes mapping keys whole, so a "billion
/// laughs" file (nine anchors each aliasing the one before ten times, the last used as a key) takes seconds to
/// minutes. Content and the config file never need anchors or aliases, so an alias is refused here, at its own
/// line and column, before Yams builds anything. Deep nesting is refused here too, in plain words.
///
/// The scan is linear and deliberately simple: it follows quotes, comments and block scalars only so far as to
/// tell an alias (`*name` where a value starts) from a `*` inside text (`3 * 4`, `*slowly*`).
enum YAMLGuard {
    /// Deeper than any value a content file or the config file takes (a key holding a list is two).
    static let maximumNesting = 16

    struct Problem: Equatable {
        var message: String
        /// 1-based, within the YAML text.
        var line: Int
        var column: Int
    }

    /// The first problem in `lines` (the YAML text, one string per line), or nil.
    static func check(_ lines: [String]) -> Problem? {
        var scanner = Scanner()
        for (index, line) in lines.enumerated() {
            if let problem = scanner.scan(Array(line.unicodeScalars), lineNumber: index + 1) { return problem }
        }
        return nil
    }

    private struct Scanner {
        enum Quote { case single, double }
        var quote: Quote?
        var flowDepth = 0
        /// Indentation of the open block collections, innermost last.
        var indents: [Int] = []
        /// Set after a line that opens a block scalar (`|` or `>`): lines indented more than this are its text.
        var blockScalarIndent: Int?

        mutating func scan(_ scalars: [Unicode.Scalar], lineNumber: Int) -> Problem? {
            var position = 0
            let indentation = scalars.prefix { $0 == " " }.count
            let isBlank = indentation == scalars.count
            if let blockIndent = blockScalarIndent {
                if isBlank || indentation > blockIndent { return nil }
                blockScalarIndent = nil
            }
            if isBlank { return nil }
            // Block nesting: each deeper indentation (outside quotes and flow collections) opens a level.
            if quote == nil, flowDepth == 0 {
                while let last = indents.last, last > indentation { indents.removeLast() }
                if indents.last != indentation { indents.append(indentation) }
                if indents.count > maximumNesting {
                    return Problem(message: nestingMessage, line: lineNumber, column: indentation + 1)
                }
            }
            var atNodeStart = quote == nil
            var lastIndicator: Unicode.Scalar?
            var blockNesting = indents.count
            while position < scalars.count {
                let scalar = scalars[position]
                if let open = quote {
                    switch (open, scalar) {
                    case (.double, "\\"): position += 1
                    case (.double, "\""): quote = nil
                    case (.single, "'"):
                        if position + 1 < scalars.count, scalars[position + 1] == "'" { position += 1 } else { quote = nil }
                    default: break
                    }
                    position += 1
                    continue
                }
                let previousIsBlank = position == 0 || scalars[position - 1] == " "
                let nextIsBlank = position + 1 >= scalars.count || scalars[position + 1] == " "
                if scalar == "#", previousIsBlank { return nil }  // a comment runs to the end of the line
                if scalar == " " {
                    position += 1
                    continue
                }
                if atNodeStart {
                    switch scalar {
                    case "*", "&":
                        let name = scalars[(position + 1)...].prefix(while: Self.isAnchorCharacter)
                        let after = position + 1 + name.count
                        let ends = after >= scalars.count || " ?:,]}%@`".unicodeScalars.contains(scalars[after])
                        if !name.isEmpty, ends {
                            if scalar == "*" {
                                let written = "*" + String(String.UnicodeScalarView(name))
                                var next = after
                                while next < scalars.count, scalars[next] == " " { next += 1 }
                                let asKey = lastIndicator == "?" || (next < scalars.count && scalars[next] == ":"
                                    && (next + 1 == scalars.count || scalars[next + 1] == " "))
                                return Problem(message: aliasMessage(written, asKey: asKey), line: lineNumber,
                                               column: position + 1)
                            }
                            position = after
                            continue  // an anchor names the node that follows it
                        }
                    case "\"": quote = .double; atNodeStart = false; position += 1; continue
                    case "'": quote = .single; atNodeStart = false; position += 1; continue
                    case "|", ">":
                        if flowDepth == 0 {
                            blockScalarIndent = indentation
                            return nil
                        }
                    default: break
                    }
                }
                switch scalar {
                case "[", "{":
                    if atNodeStart || flowDepth > 0 {
                        flowDepth += 1
                        if flowDepth + blockNesting > maximumNesting {
                            return Problem(message: nestingMessage, line: lineNumber, column: position + 1)
                        }
                        atNodeStart = true
                        position += 1
                        continue
                    }
                case "]", "}":
                    if flowDepth > 0 { flowDepth -= 1 }
                case ",":
                    if flowDepth > 0 {
                        atNodeStart = true
                        position += 1
                        continue
                    }
                case "-", "?", ":":
                    // An indicator followed by a blank starts a node (`- item`, `? key`, `key: value`); a `- ` or
                    // `? ` inside text (`Warm-up - *optional*`) is only text.
                    if (nextIsBlank || (flowDepth > 0 && scalar == ":")) && (scalar == ":" || atNodeStart) {
                        if scalar == "-", atNodeStart {
                            // `- - - x` nests sequences on one line.
                            blockNesting += 1
                            if blockNesting + flowDepth > maximumNesting {
                                return Problem(message: nestingMessage, line: lineNumber, column: position + 1)
                            }
                        }
                        atNodeStart = true
                        lastIndicator = scalar
                        position += 1
                        continue
                    }
                default: break
                }
                atNodeStart = false
                position += 1
            }
            return nil
        }

        /// The characters libyaml accepts in an anchor's or alias's name.
        static func isAnchorCharacter(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_": true
            default: false
            }
        }
    }

    static let nestingMessage = "values are nested more than \(maximumNesting) levels deep; a value is a single "
        + "line of text or a simple list such as '[mat, towel]'"

    static func aliasMessage(_ alias: String, asKey: Bool) -> String {
        (asKey ? "a YAML alias ('\(alias)') can't be used as a key" : "'\(alias)' is a YAML alias")
            + "; anchors ('&') and aliases ('*') are not used here: write the value itself (in double quotes if "
            + "it starts with '*' or '&')"
    }

    /// Yams' own message for nesting past libyaml's limit, in the words of ``nestingMessage``.
    static func plainProblem(_ problem: String) -> String {
        problem.contains("Maximum nesting level") ? nestingMessage : problem
    }
}
