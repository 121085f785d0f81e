import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq. Each call sends one statement and waits for its whole
/// answer on the calling thread; values go both ways as text (libpq's text format), and parameters are sent
/// apart from the statement (`$1`, `$2`…), so no value is ever part of the SQL.
///
/// Not thread-safe: `PostgresStore` holds one behind its lock.
final class LibPQConnection {
    /// Why a connection or a statement failed, with libpq's message on one line.
    enum Failure: Error {
        /// libpq is not on this machine (Debian's libpq5).
        case noClientLibrary(reason: String)
        /// No connection was made: the server can't be reached, or it refused (login, TLS).
        case connect(reason: String, needsPassword: Bool)
        /// The server answered a statement with an error; `connectionLost` when the connection broke instead.
        case statement(reason: String, sqlState: String?, connectionLost: Bool)
    }

    private let handle: OpaquePointer

    /// Connects with libpq's connection keywords (`host`, `port`, `sslmode`…), waiting at most what
    /// `connect_timeout` says.
    init(_ parameters: KeyValuePairs<String, String?>) throws(Failure) {
        try Self.loadLibrary()
        let given = parameters.compactMap { key, value in value.map { (key, $0) } }
        let keywords: [UnsafePointer<CChar>?] = given.map { UnsafePointer(strdup($0.0)) } + [nil]
        let values: [UnsafePointer<CChar>?] = given.map { UnsafePointer(strdup($0.1)) } + [nil]
        defer {
            for pointer in keywords + values { free(UnsafeMutablePointer(mutating: pointer)) }
        }
        guard let connection = sg_PQconnectdbParams(keywords, values, 0) else {
            throw .connect(reason: "out of memory", needsPassword: false)
        }
        guard sg_PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.oneLine(sg_PQerrorMessage(connection))
            let needsPassword = sg_PQconnectionNeedsPassword(connection) == 1
            sg_PQfinish(connection)
            throw .connect(reason: reason, needsPassword: needsPassword)
        }
        // The server's notices ("… already exists, skipping") would go to standard error, over a full screen.
        sg_PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit {
        sg_PQfinish(handle)
    }

    /// False once the connection broke (the server stopped, the network went): open a new one.
    var isUsable: Bool { sg_PQstatus(handle) == CONNECTION_OK }

    /// Runs one statement; its rows, each a list of column values (nil for NULL).
    @discardableResult
    func run(_ sql: String, _ parameters: [String?] = []) throws(Failure) -> [[String?]] {
        let values: [UnsafePointer<CChar>?] = parameters.map { $0.map { UnsafePointer(strdup($0)) } }
        defer {
            for pointer in values { free(UnsafeMutablePointer(mutating: pointer)) }
        }
        let result = sg_PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        defer { sg_PQclear(result) }
        let status = sg_PQresultStatus(result)
        guard result != nil, status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let message = result.flatMap { sg_PQresultErrorMessage($0) }.map { String(cString: $0) } ?? ""
            let sqlState = result.flatMap { sg_PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
            let reason = message.isEmpty ? Self.oneLine(sg_PQerrorMessage(handle)) : Self.oneLine(message)
            throw .statement(reason: reason, sqlState: sqlState, connectionLost: !isUsable)
        }
        var rows: [[String?]] = []
        let columns = sg_PQnfields(result)
        for row in 0..<sg_PQntuples(result) {
            rows.append((0..<columns).map { column in
                sg_PQgetisnull(result, row, column) == 1 ? nil : String(cString: sg_PQgetvalue(result, row, column))
            })
        }
        return rows
    }

    /// Loads libpq the first time (see CLibPQ.h), with its messages in English whatever the machine's language,
    /// as the rest of the program's are (and so the store can tell a refused login from an unreachable server
    /// by what libpq says).
    private static let loaded: Result<Void, Failure> = {
        var reason = [CChar](repeating: 0, count: 512)
        guard sg_libpq_load(&reason, reason.count) == 0 else {
            let text = reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return .failure(.noClientLibrary(reason: String(decoding: text, as: UTF8.self)))
        }
        return .success(())
    }()

    private static func loadLibrary() throws(Failure) {
        if case .failure(let failure) = loaded { throw failure }
    }

    /// A libpq message on one line: "connection to server at … failed: FATAL:  …\n\tIs the server…" becomes
    /// "FATAL: …; Is the server…", without the server's address (the caller names the server itself).
    static func oneLine(_ message: UnsafePointer<CChar>?) -> String {
        oneLine(message.map { String(cString: $0) } ?? "")
    }

    static func oneLine(_ message: String) -> String {
        var text = message
        if text.hasPrefix("connection to server"), let failed = text.range(of: " failed: ") {
            text = String(text[failed.upperBound...])
        }
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            .filter { !$0.isEmpty }
        return lines.joined(separator: "; ")
    }
}
