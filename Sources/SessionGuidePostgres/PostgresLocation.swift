import Foundation
import Glibc
import SessionGuideHistory

/// The clinic's history server, from a URL in libpq's form: `postgres://user@host:port/database`, with
/// `?sslmode=…` (libpq's words: disable, allow, prefer, require, verify-ca, verify-full; prefer by default),
/// `sslrootcert=FILE`, `passfile=FILE` and `connect_timeout=SECONDS`. The password comes from a password file
/// (`passfile=`, else `PGPASSFILE`, else `~/.pgpass`, in libpq's format) rather than the URL, so that it is never
/// in a config file others can read, in `ps` or in a message.
public struct PostgresLocation: Sendable, Hashable {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode
    /// The certificate authority that verify-ca and verify-full check the server against (the system's when nil).
    public var rootCertificate: String?
    /// From the password file, or (discouraged) the URL; never shown.
    public var password: String?
    public var connectTimeout: Int

    /// Whether a `history:` value names a server rather than a file.
    public static func isServerURL(_ value: String) -> Bool {
        value.hasPrefix("postgres://") || value.hasPrefix("postgresql://")
    }

    /// The server a URL names, with its password looked up; a one-line reason when the URL can't be used.
    public static func parse(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(HistoryError) -> PostgresLocation
    {
        func refuse(_ reason: String) -> HistoryError {
            HistoryError("can't use the history server", path: redacted(url), reason: reason, kind: .refused)
        }
        guard isServerURL(url), let components = URLComponents(string: url) else {
            throw refuse("it is not a URL like postgres://user@host/database")
        }
        guard let host = components.host, !host.isEmpty else { throw refuse("the URL names no host") }
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"]
            ?? environment["USER"] ?? ""
        guard !user.isEmpty else { throw refuse("the URL names no user (postgres://USER@host/database)") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? user
        var location = PostgresLocation(host: host, port: components.port ?? 5432, user: user, database: database,
                                        tls: .prefer, rootCertificate: nil,
                                        password: components.password?.removingPercentEncoding, connectTimeout: 5)
        var passfile: String?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw refuse("sslmode=\(value) is not one of "
                        + TLSMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                location.tls = mode
            case "sslrootcert": location.rootCertificate = value
            case "passfile": passfile = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw refuse("connect_timeout must be a number of seconds")
                }
                location.connectTimeout = seconds
            case "application_name": break
            default:
                throw refuse("'\(item.name)' is not a setting this program knows (sslmode, sslrootcert, passfile, "
                    + "connect_timeout)")
            }
        }
        if location.password == nil {
            let file = passfile ?? environment["PGPASSFILE"]
                ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"
            location.password = try PasswordFile.password(in: file, for: location, explicit: passfile != nil
                || environment["PGPASSFILE"] != nil)
        }
        return location
    }

    /// `postgres://user@host:port/database`: the server as messages show it, never with a password.
    public var displayed: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// A URL as messages may show it: any password replaced.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "the history server"
    }
}

/// libpq's password file: `hostname:port:database:username:password` per line, `*` matching anything, `\:` and
/// `\\` escaped. Like libpq, a file that others can read is not used.
enum PasswordFile {
    static func password(in path: String, for location: PostgresLocation, explicit: Bool) throws(HistoryError)
        -> String?
    {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if explicit {
                throw HistoryError("can't read the password file", path: path, reason: String(cString: strerror(errno)),
                                   kind: .refused)
            }
            return nil
        }
        guard info.st_mode & 0o077 == 0 else {
            throw HistoryError("won't use the password file", path: path,
                               reason: "others can read it; run: chmod 600 '\(path)'", kind: .refused)
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw HistoryError("can't read the password file", path: path, reason: "it is not a text file",
                               kind: .refused)
        }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [location.host, "\(location.port)", location.database, location.user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The fields of one line, with `\:` and `\\` taken as the characters they escape.
    static func split(_ line: String) -> [String] {
        var fields = [""]
        var escaped = false
        for character in line {
            if escaped {
                fields[fields.count - 1].append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":", fields.count < 5 {
                fields.append("")
            } else {
                fields[fields.count - 1].append(character)
            }
        }
        return fields
    }
}
