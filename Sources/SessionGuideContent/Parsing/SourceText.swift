/// One line of a content file, without its line ending.
struct SourceLine: Sendable {
    /// 1-based line number in the file.
    var number: Int
    var text: String

    var isBlank: Bool { text.allSatisfy { $0 == " " || $0 == "\t" } }
}

/// Turns the bytes of a file into lines, reporting everything that must never reach a terminal: bytes that are
/// not UTF-8, NUL and other control characters (ESC starts terminal escape sequences), and absurd sizes.
enum SourceDecoder {
    static let maximumFileBytes = 1 << 20
    static let maximumLineLength = 10_000
    /// More NUL bytes than this, and a file is taken for a binary one.
    static let maximumStrayNULs = 4

    /// The lines of the file, or nil when the file is not text at all (too large, or binary) and parsing it
    /// further would only produce noise. Lines with problems are reported and cleaned so parsing can go on.
    /// `subject` names what the file is in messages: "content", "the config file".
    static func lines(of bytes: [UInt8], subject: String = "content", sink: inout DiagnosticSink) -> [SourceLine]? {
        guard bytes.count <= maximumFileBytes else {
            sink.error("file is \(ByteCount.describe(bytes.count)); a content file may be at most "
                + "\(ByteCount.describe(maximumFileBytes))", line: 1, column: 1)
            return nil
        }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }  // UTF-8 byte-order mark

        // Many NUL bytes mean a binary file, not worth reading further; a stray one or two in a text file are
        // reported like any other control character, and the rest of the file is still read (so its id is known).
        let isBinary = bytes.lazy.filter { $0 == 0 }.prefix(maximumStrayNULs + 1).count > maximumStrayNULs
        var lines: [SourceLine] = []
        var lineNumber = 1
        var lineStart = start
        while true {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            if lineEnd == bytes.count, lineStart == bytes.count { break }  // nothing after the last newline
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }  // CRLF
            let lineBytes = bytes[lineStart..<contentEnd]
            if isBinary, let nul = lineBytes.firstIndex(of: 0) {
                let column = scalarCount(bytes[lineStart..<nul]) + 1
                sink.error("NUL byte: this looks like a binary file, not a text file", line: lineNumber,
                           column: column)
                return nil
            }
            lines.append(decodeLine(lineBytes, number: lineNumber, subject: subject, sink: &sink))
            if lineEnd == bytes.count { break }
            lineNumber += 1
            lineStart = lineEnd + 1
        }
        return lines
    }

    private static func decodeLine(_ bytes: ArraySlice<UInt8>, number: Int, subject: String,
                                   sink: inout DiagnosticSink)
        -> SourceLine
    {
        var text: String
        if let valid = String(validating: bytes, as: UTF8.self) {
            text = valid
        } else {
            let (column, byte) = firstInvalidUTF8(in: bytes)
            sink.error("invalid UTF-8 (byte 0x\(hex(byte))); save the file as UTF-8", line: number,
                       column: column)
            text = String(decoding: bytes, as: UTF8.self)
        }

        // Most lines are clean: find the first problem without copying, and rebuild only a line that has one.
        var column = 0
        var firstProblem: Int?
        for scalar in text.unicodeScalars {
            column += 1
            if column > maximumLineLength || isForbiddenControl(scalar) {
                firstProblem = column
                break
            }
        }
        guard firstProblem != nil else { return SourceLine(number: number, text: text) }

        column = 0
        var cleaned = String.UnicodeScalarView()
        var reportedControl = false
        for scalar in text.unicodeScalars {
            column += 1
            if column > maximumLineLength {
                sink.error("line is longer than \(maximumLineLength) characters; break it into shorter lines",
                           line: number, column: column)
                break
            }
            if isForbiddenControl(scalar) {
                if !reportedControl {
                    sink.error("\(describe(scalar)) is not allowed in \(subject): "
                        + "control characters and terminal escape sequences could garble the screen", line: number, column: column)
                    reportedControl = true
                }
                cleaned.append("\u{FFFD}")
            } else {
                cleaned.append(scalar)
            }
        }
        text = String(cleaned)
        return SourceLine(number: number, text: text)
    }

    /// What ``TextSafety/isUnsafe(_:)`` refuses (C0 and C1 controls, DEL, bidi controls and other invisible
    /// formatting), except the tab, which a text file may hold.
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar != "\t" && TextSafety.isUnsafe(scalar)
    }

    /// "control character ESC (U+001B)", "bidi control (U+202E)": how a diagnostic names an unsafe character.
    static func describe(_ scalar: Unicode.Scalar, inLine: Bool = true) -> String {
        let value = scalar.value
        let name = value == 0x0D && inLine ? TextSafety.describe(scalar) + " in the middle of a line" : TextSafety.describe(scalar)
        if value < 0x20 || (0x7F...0x9F).contains(value) { return "control character " + name }
        if name.hasPrefix("bidi control") { return name }
        return "invisible formatting character " + name
    }

    private static func hex(_ value: some BinaryInteger) -> String {
        String(value, radix: 16, uppercase: true)
    }

    private static func scalarCount(_ bytes: ArraySlice<UInt8>) -> Int {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.count
    }

    /// The 1-based column (in decoded characters) and value of the first byte that breaks UTF-8.
    static func firstInvalidUTF8(in bytes: ArraySlice<UInt8>) -> (column: Int, byte: UInt8) {
        var index = bytes.startIndex
        var column = 1
        while index < bytes.endIndex {
            let lead = bytes[index]
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: return (column, lead)
            }
            for offset in 1..<length {
                let position = index + offset
                guard position < bytes.endIndex else { return (column, lead) }
                let range = offset == 1 ? secondRange : 0x80...0xBF
                guard range.contains(bytes[position]) else { return (column, lead) }
            }
            index += length
            column += 1
        }
        return (column, bytes.last ?? 0)
    }
}

enum ByteCount {
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20 {
            let tenths = (bytes * 10) / (1 << 20)
            return tenths % 10 == 0 ? "\(tenths / 10) MiB" : "\(tenths / 10).\(tenths % 10) MiB"
        }
        if bytes >= 1 << 10 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }
}
