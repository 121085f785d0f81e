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
        let status = try spawnAndWait("/bin/sh", ["-c", "ls /proc/$$/fd"], environment: [:], stdout: listing,
                                      stderr: folder.path + "/err", deadline: 60)
        #expect(status == 0)
        let open = try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(open.contains("1"), "the listing is the child's own: \(open)")
        #expect(!open.contains("\(held)"), "the child still had the test's file \(held) open: \(open)")
    }

    /// A test's thread blocks nearly every signal; a tmux server that inherited that mask never saw SIGCHLD or
    /// SIGTERM, hung, and outlived the test.
    @Test("a program the harness starts has no signal blocked or ignored")
    func spawnedProgramsHaveCleanSignals() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var blocked = sigset_t()
        sigfillset(&blocked)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)  // as a libdispatch worker's mask is
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let output = folder.path + "/status"
        let status = try spawnAndWait("/bin/grep", ["-E", "^Sig(Blk|Ign):", "/proc/self/status"], environment: [:],
                                      stdout: output, stderr: folder.path + "/err", deadline: 60)
        #expect(status == 0)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        // Signals 1–31, the ones a program handles (glibc keeps 32 and 33 for itself).
        for line in lines {
            let mask = line.split(separator: "\t").last.flatMap { UInt64($0, radix: 16) }
            #expect(mask.map { $0 & 0x7FFF_FFFF } == 0, "\(line)")
        }
    }

    @Test("a program that outlives its deadline is killed, and the harness says so")
    func hungProgramsAreKilledAtTheDeadline() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: SpawnFailure.self) {
            try spawnAndWait("/bin/sleep", ["600"], environment: [:], stdout: folder.path + "/out",
                             stderr: folder.path + "/err", deadline: 0.2)
        }
        #expect(throws: SpawnFailure.self) {
            try spawnAndWait("/nonexistent/program", [], environment: [:], stdout: folder.path + "/out",
                             stderr: folder.path + "/err", deadline: 60)
        }
    }
}
