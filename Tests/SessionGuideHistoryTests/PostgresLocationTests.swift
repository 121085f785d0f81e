import Foundation
import SessionGuideHistory
import SessionGuidePostgres
import Testing

@Suite("The history server's URL and password file")
struct PostgresLocationTests {
    @Test func aURLGivesHostPortUserDatabaseAndLibpqsTLSWords() throws {
        let location = try PostgresLocation.parse(
            "postgres://session_guide@records.clinic.lan:5433/clinic?sslmode=verify-full&connect_timeout=3",
            environment: ["HOME": "/nonexistent"])
        #expect(location.host == "records.clinic.lan" && location.port == 5433)
        #expect(location.user == "session_guide" && location.database == "clinic")
        #expect(location.tls == .verifyFull && location.connectTimeout == 3)
        #expect(location.displayed == "postgres://session_guide@records.clinic.lan:5433/clinic")
        let plain = try PostgresLocation.parse("postgresql://ab@db/", environment: ["HOME": "/nonexistent"])
        #expect(plain.port == 5432 && plain.database == "ab" && plain.tls == .prefer, "libpq's defaults")
    }

    @Test(arguments: [
        ("postgres://ab@db/x?sslmode=sometimes", "sslmode=sometimes is not one of"),
        ("postgres:///x", "names no host"),
        ("postgres://ab@db/x?sslcert=a.pem", "'sslcert' is not a setting this program knows"),
        ("postgres://ab@db/x?connect_timeout=soon", "connect_timeout must be a number"),
    ])
    func aURLThatCantBeUsedSaysWhy(url: String, reason: String) {
        let error = #expect(throws: HistoryError.self) {
            _ = try PostgresLocation.parse(url, environment: ["HOME": "/nonexistent", "USER": "x"])
        }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func aPasswordInTheURLIsNeverShown() {
        #expect(!PostgresLocation.redacted("postgres://ab:secret@db/x").contains("secret"))
    }

    @Test func thePasswordComesFromTheMatchingLineOfThePasswordFile() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let file = folder + "/pgpass"
            try """
                # comment
                other.lan:5432:*:session_guide:wrong
                records.clinic.lan:*:clinic:session_guide:pa\\:ss\\\\word
                *:*:*:*:fallback
                """.write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
            let url = "postgres://session_guide@records.clinic.lan/clinic"
            #expect(try PostgresLocation.parse(url, environment: ["PGPASSFILE": file]).password == "pa:ss\\word")
            #expect(try PostgresLocation.parse("postgres://x@elsewhere/db?passfile=\(file)", environment: [:])
                .password == "fallback")
            // Like libpq, a password file others can read is not used: here it is refused, saying how to fix it.
            chmod(file, 0o644)
            let error = #expect(throws: HistoryError.self) {
                _ = try PostgresLocation.parse(url, environment: ["PGPASSFILE": file])
            }
            #expect(error?.description.contains("chmod 600") == true)
        }
    }
}
