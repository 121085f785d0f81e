import Foundation
import SessionGuidePostgres
import SessionGuideTestSupport
import Testing
@testable import SessionGuideHistory

/// What the store says, and what kind of failure it reports, when the server is not there, refuses, or goes
/// away: `.unreachable` is what sends a record to the machine's outbox with "can't reach the history server".
@Suite("The history server not there, refusing, or going away")
struct PostgresFailureTests {
    /// A password file (mode 600, libpq's format) that gives `password` for any server.
    static func passwordFile(_ password: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        try "*:*:*:*:\(password)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    @Test func noServerOnThePortIsUnreachableAndSaysTheConnectionWasRefused() throws {
        let passfile = try Self.passwordFile("secret")
        defer { try? FileManager.default.removeItem(atPath: passfile) }
        let url = "postgres://nobody@127.0.0.1:\(LoopbackPort.free())/records?passfile=\(passfile)&sslmode=disable"
        let failure = #expect(throws: HistoryError.self) {
            _ = try PostgresStore(server: try PostgresLocation.parse(url), programVersion: "test")
        }
        #expect(failure?.kind == .unreachable, "\(String(describing: failure))")
        let said = failure?.description ?? ""
        #expect(said.hasPrefix("can't reach the history server postgres://nobody@127.0.0.1:"), "\(said)")
        #expect(said.contains("Connection refused"), "\(said)")
        #expect(!said.contains("\n") && !said.contains("\t"), "one line: \(said.debugDescription)")
    }

    @Test func aWrongPasswordIsRefusedNotUnreachable() throws {
        let server = try PostgresTestServer.shared()
        let database = try server.freshDatabase()
        let wrong = try Self.passwordFile("not-the-password")
        defer { try? FileManager.default.removeItem(atPath: wrong) }
        let url = database.replacingOccurrences(of: server.passwordFile, with: wrong)
        let failure = #expect(throws: HistoryError.self) {
            _ = try PostgresStore(server: try PostgresLocation.parse(url), programVersion: "test")
        }
        #expect(failure?.kind == .refused, "\(String(describing: failure))")
        #expect(failure?.description.contains("the server refused the login") == true, "\(String(describing: failure))")
        #expect(failure?.description.contains("not-the-password") == false, "\(String(describing: failure))")
    }

    @Test func aServerThatStopsIsUnreachableUntilItIsBackAndThenTheSameStoreCarriesOn() throws {
        let server = try PostgresTestServer.start()
        defer { server.remove() }
        let store = try PostgresStore(server: try PostgresLocation.parse(try server.freshDatabase()),
                                      programVersion: "test")
        try store.record(sampleRun(0))

        server.stop()
        let failure = #expect(throws: HistoryError.self) { try store.record(sampleRun(1)) }
        #expect(failure?.kind == .unreachable, "\(String(describing: failure))")
        #expect(failure?.description.hasPrefix("can't reach the history server") == true,
                "\(String(describing: failure))")

        try server.restart()
        try store.record(sampleRun(2))
        #expect(try store.runs().count == 2, "the run saved before the stop and the one after it")
    }
}
