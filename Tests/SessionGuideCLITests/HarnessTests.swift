import Foundation
import SessionGuideTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The harness itself: what the end-to-end tests rely on it to do.
@Suite("the test harness")
struct HarnessTests {
    /// A program the tests start (a tmux server, a PostgreSQL server) gets none of the test process's open
    /// files: a server that inherited hundreds of them, with many tests running, refused to start.
    @Test("a program the harness starts inherits no open file of the test process")
    func spawnedProgramsInheritNoFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let held = open("/dev/null", O_RDONLY)  // no O_CLOEXEC: a child would inherit it unless it is closed
        #expect(held > 2)
        defer { close(held) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        #expect(closeInheritedFiles(&actions), "this C library can't close a child's inherited files")

        let listing = folder.path + "/fds"
        let status = try Tmux.spawnAndWait("/bin/sh", ["-c", "ls /proc/$$/fd"], environment: [:], stdout: listing,
                                           stderr: folder.path + "/err", deadline: 60)
        #expect(status == 0)
        let open = try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(open.contains("1"), "the listing is the child's own: \(open)")
        #expect(!open.contains("\(held)"), "the child still had the test's file \(held) open: \(open)")
    }
}
