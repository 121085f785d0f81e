import ArgumentParser
import Foundation
import SessionGuideHistory
import SessionGuidePostgres

/// Where this program keeps its records: the SQLite file (by default in the state folder: one machine, nothing
/// to set up) or the clinic's PostgreSQL server (several rooms, one record store). Chosen by `--history`, else
/// the config file's `history:`, else the default file.
enum HistoryLocation: Equatable, CustomStringConvertible {
    case file(String)
    case server(PostgresLocation)

    /// `--history` as given on the command line (set while the options are parsed). Setting it drops a location
    /// worked out before, so whichever option group is validated first, the command line wins.
    nonisolated(unsafe) static var commandLine: String? {
        didSet { cached = nil }
    }

    /// The location in force, or why the one asked for can't be used (checked once).
    static var current: Result<HistoryLocation, HistoryError> {
        if let cached { return cached }
        // A relative path is taken from where it was written: the working folder for --history, the config
        // file's folder for `history:` (as `content:` is).
        let result: Result<HistoryLocation, HistoryError>
        if let commandLine {
            result = Result { () throws(HistoryError) in
                try resolve(commandLine, relativeTo: FileManager.default.currentDirectoryPath)
            }
        } else {
            let folder = (Configuration.current.path as NSString).deletingLastPathComponent
            result = Result { () throws(HistoryError) in
                try resolve(Configuration.current.file.history?.value, relativeTo: folder)
            }
        }
        cached = result
        return result
    }

    nonisolated(unsafe) private static var cached: Result<HistoryLocation, HistoryError>?

    /// `value` (a path, `~/…`, or a postgres:// URL; nil for the default file) as a location; a relative path is
    /// taken from `folder`.
    static func resolve(_ value: String?, relativeTo folder: String,
                        environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(HistoryError) -> HistoryLocation
    {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return .file(HistoryStore.defaultPath(environment: environment))
        }
        if PostgresLocation.isServerURL(value) { return .server(try PostgresLocation.parse(value, environment: environment)) }
        if value.contains("://") {
            throw HistoryError("can't use the history", path: PostgresLocation.redacted(value),
                               reason: "give a file's path or a URL of the form postgres://user@host/database",
                               kind: .refused)
        }
        return .file(Configuration.absolute(value, from: folder))
    }

    var description: String {
        switch self {
        case .file(let path): path
        case .server(let server): server.displayed
        }
    }

    /// The folder of this machine's own state: beside the file, or the default state folder for a server. The
    /// outbox (records the history could not take yet) and the last patient are kept here.
    var stateFolder: String {
        switch self {
        case .file(let path): HistoryFiles.folder(of: path)
        case .server: HistoryFiles.folder(of: HistoryStore.defaultPath())
        }
    }

    /// The store for reading, nil when no history exists yet. A file is never written to for this; a server's
    /// tables are set up on first contact.
    func openForReading() throws(HistoryError) -> (any RecordStore)? {
        switch self {
        case .file(let path): try HistoryStore.openExisting(path: path)
        case .server(let server): try PostgresStore(server: server, programVersion: SessionGuideCommand.version)
        }
    }

    /// The store for writing, created (or set up) when needed.
    func openForWriting(busyTimeout: TimeInterval = 10) throws(HistoryError) -> any RecordStore {
        switch self {
        case .file(let path):
            try HistoryStore(path: path, programVersion: SessionGuideCommand.version, busyTimeout: busyTimeout)
        case .server(let server): try PostgresStore(server: server, programVersion: SessionGuideCommand.version)
        }
    }

    /// The location in force, or one line on standard error and exit 74 (as for a history that can't be read).
    static func inForce() throws -> HistoryLocation {
        switch current {
        case .success(let location): return location
        case .failure(let error):
            Console.error("\(error.description)")
            throw ExitCode(SysExit.ioError)
        }
    }
}

/// `--history FILE|URL`: the one option that says where records are kept, for every command that reads or
/// writes them.
struct HistoryStoreOption: ParsableArguments {
    @Option(name: .customLong("history"), help: ArgumentHelp(
        "Where records are kept: a SQLite file, or the clinic's server as postgres://user@host/database "
            + "(default: the history: setting, else ~/.local/state/session-guide/history.sqlite).",
        valueName: "file-or-url"))
    var location: String?

    func validate() throws {
        guard let location else { return }
        HistoryLocation.commandLine = location
        if case .failure(let error) = HistoryLocation.current { throw ValidationError(error.description) }
    }
}
