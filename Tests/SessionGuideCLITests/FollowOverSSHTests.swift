import Foundation
import SessionGuideTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

// The patient's screen on another machine, over OpenSSH: a real sshd on the loopback address with a throwaway
// host key, and a key that may only run `session-guide follow NAME` (`restrict,pty,command="…"`). One test
// follows a shared session through it; the other shows the key can run nothing else.

/// A throwaway sshd for one test: its own host key, a client key allowed only the follower, a free port.
private final class FollowerSSHServer: @unchecked Sendable {
    let folder: TemporaryFolder
    let port: Int

    static var sshd: String? { ["/usr/sbin/sshd", "/usr/bin/sshd"].first { FileManager.default.isExecutableFile(atPath: $0) } }

    /// The environment the forced command gives the follower, the same the test gives the session: the share
    /// folder is found from it.
    var shareEnvironment: [String: String] { ["HOME": folder.path(of: "home"), "XDG_RUNTIME_DIR": folder.path(of: "run")] }

    init(name: String, executable: String) throws {
        folder = try TemporaryFolder()
        for path in ["home", "run", "ssh"] {
            try FileManager.default.createDirectory(atPath: folder.path(of: path), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        for key in ["host", "client"] {
            let made = Process()
            made.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
            made.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", folder.path(of: "ssh/\(key)")]
            try made.run()
            made.waitUntilExit()
        }
        let clientKey = try String(contentsOfFile: folder.path(of: "ssh/client.pub"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let environment = shareEnvironmentFor(folder)
        let command = "env " + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            + " \(executable) follow \(name)"
        try Data("restrict,pty,command=\"\(command)\" \(clientKey)\n".utf8)
            .write(to: URL(fileURLWithPath: folder.path(of: "ssh/authorized_keys")))
        // A free port on the loopback address: the kernel's choice, then given to sshd.
        port = LoopbackPort.free()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(folder.path(of: "ssh/host"))
            AuthorizedKeysFile \(folder.path(of: "ssh/authorized_keys"))
            PidFile \(folder.path(of: "ssh/sshd.pid"))
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            PrintMotd no
            """
        try Data((config + "\n").utf8).write(to: URL(fileURLWithPath: folder.path(of: "ssh/sshd_config")))
        if getuid() == 0 { mkdir("/run/sshd", 0o755) }  // sshd's privilege separation folder, when run as root
        // sshd goes into the background itself (no -D) and is stopped through its pid file: no child of the
        // test process stays running beside the programs the test waits for.
        let started = Process()
        started.executableURL = URL(fileURLWithPath: Self.sshd ?? "/usr/sbin/sshd")
        started.arguments = ["-f", folder.path(of: "ssh/sshd_config"), "-E", folder.path(of: "ssh/sshd.log")]
        try started.run()
        started.waitUntilExit()
    }

    /// Waits (up to a generous deadline) until sshd accepts connections.
    func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if Self.connects(to: port) { return }
            usleep(50_000)
        }
        throw TmuxError(description: "sshd did not listen on port \(port)")
    }

    /// The ssh client's arguments for this server, before the command (if any).
    var clientArguments: [String] {
        ["-i", folder.path(of: "ssh/client"), "-p", "\(port)", "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
         "\(NSUserName())@127.0.0.1"]
    }

    func stop() {
        if let text = try? String(contentsOfFile: folder.path(of: "ssh/sshd.pid"), encoding: .utf8),
           let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGTERM)
        }
        folder.remove()
    }

    private static func connects(to port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

private func shareEnvironmentFor(_ folder: TemporaryFolder) -> [String: String] {
    ["HOME": folder.path(of: "home"), "XDG_RUNTIME_DIR": folder.path(of: "run")]
}

@Suite("follow over SSH, with a key that may only follow", .serialized, .enabled(if: FollowerSSHServer.sshd != nil))
struct FollowOverSSHTests {
    @Test func theSecondMachineFollowsASharedSessionThroughSSH() async throws {
        let executable = try #require(BinaryRunner.executable?.path)
        let server = try FollowerSSHServer(name: "room-2", executable: executable)
        defer { server.stop() }
        try server.waitUntilListening()
        var environment: [String: String?] = [:]
        for (key, value) in server.shareEnvironment { environment[key] = value }
        try await withTmuxTerminal(["session", "treatment-08", "--share", "room-2", "--no-log"],
                                   environment: environment) { session in
            try await session.waitFor("Step 1/9")
            // The patient's screen: ssh with a terminal, and no command (the key's own runs).
            try await withTmuxTerminal(["-tt"] + server.clientArguments, width: 80, height: 24,
                                       program: "/usr/bin/ssh") { follower in
                // sshd starts the follower without the client's locale: ASCII, headings in `#` letters.
                try await follower.waitFor("Step 1 of 9")
                try await session.press("Right")
                try await session.waitFor("Step 2/9")
                try await follower.waitFor("Step 2 of 9", "Hips = mobility joints")
                try await follower.press("q")
            }
        }
    }

    @Test func theFollowersKeyRunsNothingElse() async throws {
        let executable = try #require(BinaryRunner.executable?.path)
        let server = try FollowerSSHServer(name: "room-2", executable: executable)
        defer { server.stop() }
        try server.waitUntilListening()
        for asked in ["session-guide history", "cat /etc/passwd", "session-guide follow room-3", "sh"] {
            // Through BinaryRunner's launcher: `sh -c 'exec ssh … "$asked"'` (the program's own path is only `$0`).
            let ssh = (["/usr/bin/ssh", "-n"] + server.clientArguments).map { "'\($0)'" }.joined(separator: " ")
            let result = try await BinaryRunner.run([], environment: ["ASKED": asked],
                                                    launcher: ["/bin/sh", "-c", "exec \(ssh) \"$ASKED\""])
            let text = result.stdout + result.stderr
            #expect(result.exitCode == 77, "\(asked): \(text)")
            #expect(text.contains("this login only shows the patient's screen of 'room-2'"), "\(asked): \(text)")
            #expect(!text.contains("root:"), "\(asked): \(text)")
        }
    }
}
