import Foundation
import Glibc

/// A real PostgreSQL server for the tests, on the loopback address, with its own data folder, port and user,
/// and a password (scram) that clients read from a password file, as a clinic's would.
///
/// `shared` is the one the store suite uses: the server `.ci/run` started (`SESSION_GUIDE_TEST_POSTGRES` names
/// it), or else one started here from the machine's PostgreSQL and stopped when the tests end. Each test gets
/// its own database on it (`freshDatabase()`). A test that stops a server mid-way starts its own (`start()`).
public final class PostgresTestServer: @unchecked Sendable {
    public let port: Int
    public let user: String
    /// A password file (mode 600) with this server's password, for `passfile=` or `PGPASSFILE`.
    public let passwordFile: String
    /// Nil for a server this process did not start (and so must not stop).
    private let dataFolder: String?
    private let folder: String?
    private let lock = NSLock()
    private var databases = 0

    /// The URL of `database` on this server, in the form `history:` takes.
    public func url(database: String, sslmode: String = "disable") -> String {
        "postgres://\(user)@127.0.0.1:\(port)/\(database)?passfile=\(passwordFile)&sslmode=\(sslmode)"
    }

    /// The server's self-signed certificate (for 127.0.0.1), when it was started with TLS.
    public let certificate: String?
    /// The server's own options (`postgres -o`), the same on a restart.
    private let serverOptions: String

    private init(port: Int, user: String, passwordFile: String, dataFolder: String?, folder: String?,
                 certificate: String? = nil, serverOptions: String = "") {
        self.certificate = certificate
        self.serverOptions = serverOptions
        self.port = port
        self.user = user
        self.passwordFile = passwordFile
        self.dataFolder = dataFolder
        self.folder = folder
    }

    public enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        public var description: String {
            switch self {
            case .unavailable(let why): "no PostgreSQL server for the tests: \(why)"
            }
        }
    }

    nonisolated(unsafe) private static var sharedResult: Result<PostgresTestServer, Failure>?
    private static let sharedLock = NSLock()

    /// The server the store suite shares (started on first use).
    public static func shared() throws -> PostgresTestServer {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let sharedResult { return try sharedResult.get() }
        let result: Result<PostgresTestServer, Failure>
        if let given = ProcessInfo.processInfo.environment["SESSION_GUIDE_TEST_POSTGRES"], !given.isEmpty {
            result = fromEnvironment(given)
        } else {
            result = Result { () throws(Failure) in try start() }
            if case .success = result { atexit { PostgresTestServer.stopShared() } }
        }
        sharedResult = result
        return try result.get()
    }

    private static func stopShared() {
        if case .success(let server)? = sharedResult { server.remove() }
    }

    /// `127.0.0.1:PORT:USER:PASSWORDFILE`, as `.ci/run` exports it.
    private static func fromEnvironment(_ value: String) -> Result<PostgresTestServer, Failure> {
        let parts = value.split(separator: ":", maxSplits: 3).map(String.init)
        guard parts.count == 4, let port = Int(parts[1]) else {
            return .failure(.unavailable("SESSION_GUIDE_TEST_POSTGRES is not HOST:PORT:USER:PASSWORDFILE"))
        }
        return .success(PostgresTestServer(port: port, user: parts[2], passwordFile: parts[3], dataFolder: nil,
                                           folder: nil))
    }

    /// The machine's PostgreSQL programs (`initdb`, `pg_ctl`, `psql`), newest version first.
    static func binaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions where access("\(root)/\(version)/bin/initdb", X_OK) == 0 {
            return "\(root)/\(version)/bin"
        }
        return nil
    }

    /// A new server in a folder of its own, started and answering. With `tls`, it has a self-signed certificate
    /// for 127.0.0.1 and takes connections over TLS only (`hostssl` in pg_hba.conf).
    public static func start(tls: Bool = false) throws(Failure) -> PostgresTestServer {
        guard let bin = binaries() else {
            throw .unavailable("PostgreSQL is not installed (Debian's postgresql package; .ci/run installs it)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString)").path
        let data = folder + "/data"
        let user = "session_guide_test"
        let password = UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
            try (password + "\n").write(toFile: folder + "/password", atomically: true, encoding: .utf8)
            try "*:*:*:\(user):\(password)\n".write(toFile: folder + "/pgpass", atomically: true, encoding: .utf8)
        } catch {
            throw .unavailable("can't make a folder for it: \(error)")
        }
        chmod(folder + "/pgpass", 0o600)
        // PostgreSQL never runs as root: as root (CI), the server runs as the postgres user Debian's package makes.
        let asServerUser: [String] = geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        if geteuid() == 0 {
            guard let account = getpwnam("postgres") else { throw .unavailable("there is no postgres user") }
            chown(folder, account.pointee.pw_uid, account.pointee.pw_gid)
            chown(folder + "/password", account.pointee.pw_uid, account.pointee.pw_gid)
        }
        try run(asServerUser + [bin + "/initdb", "-D", data, "-U", user, "--pwfile=" + folder + "/password",
                                "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        var tlsOptions = ""
        var certificate: String?
        if tls {
            let key = data + "/server.key"
            try run(["/usr/bin/openssl", "req", "-x509", "-nodes", "-newkey", "rsa:2048", "-days", "2",
                     "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key,
                     "-out", data + "/server.crt"], "openssl")
            chmod(key, 0o600)
            let hba = data + "/pg_hba.conf"
            let rules = (try? String(contentsOfFile: hba, encoding: .utf8)) ?? ""
            let tlsOnly = rules.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("host ") ? "hostssl" + $0.dropFirst(4) : $0 }.joined(separator: "\n")
            try? tlsOnly.write(toFile: hba, atomically: false, encoding: .utf8)
            if geteuid() == 0, let account = getpwnam("postgres") {
                for file in [key, data + "/server.crt", hba] { chown(file, account.pointee.pw_uid, account.pointee.pw_gid) }
            }
            tlsOptions = " -c ssl=on -c ssl_cert_file=\(data)/server.crt -c ssl_key_file=\(key)"
            certificate = data + "/server.crt"
        }
        var lastFailure = ""
        for _ in 0..<5 {
            let port = LoopbackPort.free()
            let options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
                + tlsOptions
            do {
                try run(asServerUser + [bin + "/pg_ctl", "start", "-w", "-t", "120", "-D", data, "-l",
                                        folder + "/server.log", "-o", options], "pg_ctl start")
                return PostgresTestServer(port: port, user: user, passwordFile: folder + "/pgpass", dataFolder: data,
                                          folder: folder, certificate: certificate, serverOptions: options)
            } catch {
                lastFailure = "\(error)"
            }
        }
        let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
        let lastLines = log.split(separator: "\n").suffix(6).joined(separator: "\n")
        throw .unavailable("the server did not start (\(lastFailure)); its log ends:\n\(lastLines)")
    }

    /// Stops the server and waits until it has; `restart()` starts it again on the same port.
    public func stop() {
        guard let dataFolder, let bin = Self.binaries() else { return }
        _ = try? Self.run(Self.asServerUser + [bin + "/pg_ctl", "stop", "-w", "-m", "fast", "-D", dataFolder], "pg_ctl stop")
    }

    public func restart() throws(Failure) {
        guard let dataFolder, let folder, let bin = Self.binaries() else { return }
        try Self.run(Self.asServerUser + [bin + "/pg_ctl", "start", "-w", "-t", "120", "-D", dataFolder, "-l",
                                          folder + "/server.log", "-o", serverOptions], "pg_ctl start")
    }

    /// Stops the server and removes its folder.
    public func remove() {
        stop()
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// A new, empty database on this server: its URL.
    public func freshDatabase() throws(Failure) -> String {
        lock.lock()
        databases += 1
        let name = "test_\(getpid())_\(databases)_\(UInt32.random(in: 0...UInt32.max))"
        lock.unlock()
        try psql("postgres", "CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Runs one SQL statement with psql; its output.
    @discardableResult
    public func psql(_ database: String, _ sql: String) throws(Failure) -> String {
        let psql = Self.binaries().map { $0 + "/psql" } ?? "/usr/bin/psql"
        return try Self.run([psql, "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d",
                             database, "-v", "ON_ERROR_STOP=1", "-c", sql], "psql",
                            environment: ["PGPASSFILE": passwordFile, "PGCONNECT_TIMEOUT": "30"])
    }

    private static var asServerUser: [String] { geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : [] }

    /// Runs a program to its end with `spawnAndWait` (not Foundation's `Process`, whose wait can miss the end of
    /// a program that leaves a daemon behind, as pg_ctl does); its standard output, or why it failed.
    @discardableResult
    private static func run(_ arguments: [String], _ name: String, environment: [String: String] = [:])
        throws(Failure) -> String
    {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pg-run-\(UUID().uuidString)").path
        defer {
            unlink(scratch + ".out")
            unlink(scratch + ".err")
        }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let status: Int32
        do {
            // initdb and pg_ctl take seconds; ten minutes only stops a hung one from hanging the suite.
            status = try spawnAndWait(arguments[0], Array(arguments.dropFirst()), environment: variables,
                                      stdout: scratch + ".out", stderr: scratch + ".err", deadline: 600)
        } catch {
            throw .unavailable("\(name) did not run to its end: \(error)")
        }
        let out = (try? String(contentsOfFile: scratch + ".out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: scratch + ".err", encoding: .utf8)) ?? ""
        guard status == 0 else { throw .unavailable("\(name) failed (exit status \(status)): \(err.suffix(600))") }
        return out
    }
}

/// A TCP port on the loopback address that nothing listens on just now, for a test's own server.
public enum LoopbackPort {
    public static func free() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
