import Foundation

/// The formats `history` and `notes` share, so their exports agree: timestamps, clock times and CSV.
public enum ReportFormat {
    /// An ISO 8601 timestamp with its offset, as every export writes dates.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Minutes and seconds, `4:05`.
    static func clock(_ seconds: Int) -> String {
        "\(seconds / 60):\(seconds % 60 < 10 ? "0" : "")\(seconds % 60)"
    }

    /// A CSV document with a header row, RFC 4180 quoting and CRLF line ends, so commas, quotes and line breaks
    /// in a field survive a spreadsheet.
    public static func csv(header: String, rows: [[String]]) -> String {
        ([header] + rows.map { $0.map(csvField).joined(separator: ",") }).joined(separator: "\r\n") + "\r\n"
    }

    static func csvField(_ field: String) -> String {
        // "\r\n" is one Character in Swift, equal to neither "\r" nor "\n".
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
