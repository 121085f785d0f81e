import Foundation
import SessionGuidePostgres
import SessionGuideTestSupport
import Testing
@testable import SessionGuideHistory

/// sslmode as libpq's words mean it, against a real server that takes TLS connections only, with a certificate
/// of its own (self-signed, for 127.0.0.1).
@Suite("TLS to the history server")
struct PostgresTLSTests {
    /// One server for the suite's tests, removed when the last of them is done.
    final class Server: @unchecked Sendable {
        let server: PostgresTestServer
        let database: String
        init() throws {
            server = try PostgresTestServer.start(tls: true)
            let url = try server.freshDatabase()
            database = String(URLComponents(string: url)?.path.dropFirst() ?? "")
        }
        deinit { server.remove() }

        func store(_ query: String) throws -> PostgresStore {
            let url = server.url(database: database, sslmode: "disable").replacingOccurrences(
                of: "sslmode=disable", with: query)
            return try PostgresStore(server: try PostgresLocation.parse(url), programVersion: "test")
        }
    }

    @Test func requireAndVerifyFullWithTheClinicsCertificateConnectAndKeepRecords() throws {
        let tls = try Server()
        let certificate = try #require(tls.server.certificate)
        let required = try tls.store("sslmode=require")
        try required.record(sampleRun())
        let verified = try tls.store("sslmode=verify-full&sslrootcert=\(certificate)")
        #expect(try verified.runs().count == 1)
        let preferred = try tls.store("sslmode=prefer")
        #expect(try preferred.runs().count == 1, "prefer uses TLS when the server offers it")
    }

    @Test func withoutTLSOrWithoutTrustingTheCertificateNothingIsSentAndTheReasonIsClear() throws {
        let tls = try Server()
        let plain = #expect(throws: HistoryError.self) { _ = try tls.store("sslmode=disable") }
        #expect(plain?.kind == .refused, "\(String(describing: plain))")
        #expect(plain?.description.contains("no encryption") == true, "\(String(describing: plain))")
        // Nothing names the clinic's own authority (no sslrootcert, no ~/.postgresql/root.crt): nothing to trust it by.
        let untrusted = #expect(throws: HistoryError.self) { _ = try tls.store("sslmode=verify-full") }
        #expect(untrusted?.kind == .refused, "\(String(describing: untrusted))")
        #expect(untrusted?.description.contains("TLS") == true, "\(String(describing: untrusted))")
    }
}
