import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideTerminal
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// The follow protocol in-process: a `ShareServer` (the therapist's side) and `ShareConnection`s (followers) on
// real Unix sockets in a temporary XDG_RUNTIME_DIR. Nothing here sleeps: sends on a Unix socket land in the
// peer's queue at once, and whatever must be waited for (a follower being accepted, a closed one being noticed)
// is polled for with a deadline.

/// A private runtime folder for one test, given to the server and its followers as their environment. Its path
/// is short (`/tmp/sg-XXXXXX`), like a real `/run/user/1000`, so that the longest names still fit in a socket
/// address (about 100 bytes).
private final class ShareSandbox: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/sg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RunnerError(description: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func path(of name: String) -> String { path + "/" + name }

    var environment: [String: String] { ["XDG_RUNTIME_DIR": path, "HOME": path(of: "home")] }
    var shareFolder: String { path + "/session-guide" }
    func socketPath(_ name: String) -> String { shareFolder + "/" + name + ".sock" }

    func server(_ name: String = "room-1") throws -> ShareServer {
        try ShareServer(name: name, environment: environment)
    }

    func connect(_ name: String = "room-1", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ShareConnection {
        try #require(ShareConnection.connect(name: name, environment: environment),
                     "no session shared as '\(name)' to connect to", sourceLocation: sourceLocation)
    }
}

/// The longest anything here is waited for; it normally takes microseconds.
private let deadline: Double = 10

private func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Hands the server whatever `poll` reports on its sockets (followers connecting or closing) until `condition`
/// holds; fails the test at the deadline.
private func pump(_ server: ShareServer, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                  until condition: () -> Bool) {
    let end = monotonicSeconds() + deadline
    while !condition() {
        guard monotonicSeconds() < end else {
            Issue.record("waited \(deadline) s for \(what)", sourceLocation: sourceLocation)
            return
        }
        var fds = server.descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        _ = poll(&fds, nfds_t(fds.count), 20)
        for fd in fds where fd.revents != 0 { server.handleReadable(fd.fd) }
    }
}

/// The server accepts every follower that has connected (it has `count` in all).
private func acceptFollowers(_ server: ShareServer, _ count: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    pump(server, "\(count) follower(s) to be accepted", sourceLocation: sourceLocation) { server.followerCount == count }
}

private typealias Received = Result<ShareMessage, ShareMessage.ReadError>

/// What has arrived for a follower so far, without waiting.
private func arrived(_ connection: ShareConnection) -> (messages: [Received], closed: Bool) {
    connection.read()
}

/// Reads until `condition` holds for everything read so far (or the deadline passes), and returns it all.
private func read(_ connection: ShareConnection, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                  until condition: ([Received], Bool) -> Bool) -> (messages: [Received], closed: Bool) {
    let end = monotonicSeconds() + deadline
    var messages: [Received] = []
    var closed = false
    while true {
        let (new, isClosed) = connection.read()
        messages += new
        closed = closed || isClosed
        if condition(messages, closed) { return (messages, closed) }
        guard monotonicSeconds() < end, !closed else {
            Issue.record("waited for \(what); read \(messages), closed: \(closed)", sourceLocation: sourceLocation)
            return (messages, closed)
        }
        var fd = pollfd(fd: connection.descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, 20)
    }
}

/// Treatment 8 as shipped, for realistic states.
private let shipped = Result { try ContentLoader.load([BinaryRunner.packageRoot.appendingPathComponent("Content").path]) }

private func treatment8(step: Int = 0) throws -> SessionEngine {
    let library = try shipped.get()
    guard case .session(let session)? = library.document(id: "treatment-08") else {
        throw RunnerError(description: "treatment-08 is not in the shipped content")
    }
    var engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
    for _ in 0..<step { _ = engine.handle(.right, at: Moment(milliseconds: 0)) }
    return engine
}

private func state(step: Int = 0) throws -> ShareMessage {
    .state(SharedSessionState(try treatment8(step: step)))
}

// MARK: - Raw sockets, for what the real server would never do

private func socketAddress(_ path: String) -> sockaddr_un {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    precondition(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    return address
}

/// A listening Unix socket at `path`, as some other program might leave or run there.
private func rawListener(at path: String) throws -> Int32 {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw RunnerError(description: "socket: \(String(cString: strerror(errno)))") }
    var address = socketAddress(path)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard bound == 0, listen(descriptor, 4) == 0 else {
        let reason = String(cString: strerror(errno))
        close(descriptor)
        throw RunnerError(description: "can't listen at \(path): \(reason)")
    }
    return descriptor
}

private func rawSend(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    #expect(sent == bytes.count)
}

/// The permission bits and file type of `path` (lstat: a symbolic link is not followed).
private func mode(of path: String) -> (permissions: UInt32, type: UInt32)? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return (UInt32(info.st_mode) & 0o7777, UInt32(info.st_mode) & UInt32(S_IFMT))
}

// MARK: - Tests

// Serialized: a server sets the process's umask while it binds its socket, and two doing so at once could leave
// the wrong one in place for the rest of the tests.
@Suite("Share channel: the follow protocol over a Unix socket", .serialized, .timeLimit(.minutes(10)))
struct ShareChannelTests {
    @Test("a follower that connects before anything is published gets nothing until the first publish")
    func connectBeforePublish() throws {
        let sandbox = try ShareSandbox()
        let server = try sandbox.server()
        #expect(!server.hasPublished)
        let follower = try sandbox.connect()
        acceptFollowers(server, 1)
        let early = arrived(follower)
        #expect(early.messages.isEmpty && !early.closed, "\(early)")

        let first = try state()
        server.publish(first)
        #expect(server.hasPublished)
        let got = read(follower, "the first state") { messages, _ in !messages.isEmpty }
        #expect(got.messages == [.success(first)])
        #expect(!got.closed)

        let second = try state(step: 1)
        server.publish(second)
        #expect(read(follower, "the second state") { messages, _ in !messages.isEmpty }.messages == [.success(second)])
    }

    @Test("a follower that connects later gets the last state at once, and only that")
    func lateCatchUp() throws {
        let sandbox = try ShareSandbox()
        let server = try sandbox.server()
        server.publish(try state())
        server.publish(try state(step: 4))
        let follower = try sandbox.connect()
        acceptFollowers(server, 1)
        // Sent while accepting: it is already there.
        let got = arrived(follower)
        #expect(got.messages == [.success(try state(step: 4))])
        #expect(!got.closed)
    }

    @Test("two followers both receive each publish, once (the same state twice is sent once)")
    func twoFollowers() throws {
        let sandbox = try ShareSandbox()
        let server = try sandbox.server()
        let first = try sandbox.connect()
        let second = try sandbox.connect()
        acceptFollowers(server, 2)
        for step in [0, 1, 1, 4, 0] {
            server.publish(try state(step: step))
        }
        let expected: [Received] = try [0, 1, 4, 0].map { .success(try state(step: $0)) }
        for follower in [first, second] {
            let got = read(follower, "four states") { messages, _ in messages.count >= 4 }
            #expect(got.messages == expected)
            #expect(arrived(follower).messages.isEmpty)
        }
    }

    @Test("a follower that closes is dropped without disturbing the other follower or the server")
    func followerCloses() throws {
        let sandbox = try ShareSandbox()
        let server = try sandbox.server()
        var leaving: ShareConnection? = try sandbox.connect()
        let staying = try sandbox.connect()
        acceptFollowers(server, 2)
        server.publish(try state())
        #expect(leaving.map { arrived($0).messages.count } == 1)
        leaving = nil  // closes its socket
        pump(server, "the closed follower to be dropped") { server.followerCount == 1 }
        #expect(server.followerCount == 1)

        server.publish(try state(step: 1))
        let got = read(staying, "both states") { messages, _ in messages.count >= 2 }
        #expect(got.messages == [.success(try state()), .success(try state(step: 1))])
        #expect(!got.closed)

        // A follower that arrives now is served as ever.
        let newcomer = try sandbox.connect()
        acceptFollowers(server, 2)
        #expect(arrived(newcomer).messages == [.success(try state(step: 1))])
    }

    @Test("a follower that never reads is dropped rather than holding the therapist's screen up")
    func stuckFollowerDropped() throws {
        let sandbox = try ShareSandbox()
        let server = try sandbox.server()
        let stuck = try sandbox.connect()
        acceptFollowers(server, 1)
        var shared = SharedSessionState(try treatment8(step: 4))
        let start = monotonicSeconds()
        var published = 0
        // Each state is a few kilobytes, all different; the socket's buffer holds a few hundred kilobytes.
        while server.followerCount > 0, published < 10_000 {
            shared.sessionTitle = "Treatment 8, publish \(published)"
            server.publish(.state(shared))
            published += 1
        }
        #expect(server.followerCount == 0, "still following after \(published) states nobody read")
        #expect(monotonicSeconds() - start < 5, "publishing to a stuck follower took too long")
        // It sees its connection end (after what did fit), and can connect again for the latest state.
        let got = read(stuck, "the end of the connection") { _, closed in closed }
        #expect(got.closed)
        let again = try sandbox.connect()
        acceptFollowers(server, 1)
        #expect(arrived(again).messages == [.success(.state(shared))])
    }

    @Test("end() sends 'ended', closes every follower's connection and removes the socket")
    func end() throws {
        let sandbox = try ShareSandbox()
        let server = try sandbox.server()
        let first = try sandbox.connect()
        let second = try sandbox.connect()
        acceptFollowers(server, 2)
        server.publish(try state())
        #expect(FileManager.default.fileExists(atPath: sandbox.socketPath("room-1")))
        server.end()
        for follower in [first, second] {
            let got = read(follower, "'ended' and the close") { _, closed in closed }
            #expect(got.messages == [.success(try state()), .success(.ended)])
            #expect(got.closed)
        }
        #expect(server.followerCount == 0)
        #expect(!FileManager.default.fileExists(atPath: sandbox.socketPath("room-1")))
        #expect(ShareConnection.connect(name: "room-1", environment: sandbox.environment) == nil)
        server.end()  // again: nothing happens
        server.publish(try state(step: 2))  // after the end: goes nowhere, harms nothing
        // The name is free again.
        let next = try sandbox.server()
        #expect(next.path == server.path)
    }

    @Test("the socket is 0600 and its folder 0700, whatever the umask and the folder's mode before")
    func permissions() throws {
        let sandbox = try ShareSandbox()
        let server = try sandbox.server()
        let socketMode = try #require(mode(of: server.path))
        #expect(socketMode.type == UInt32(S_IFSOCK))
        #expect(socketMode.permissions == 0o600, "socket mode \(String(socketMode.permissions, radix: 8))")
        let folderMode = try #require(mode(of: sandbox.shareFolder))
        #expect(folderMode.type == UInt32(S_IFDIR))
        #expect(folderMode.permissions == 0o700, "folder mode \(String(folderMode.permissions, radix: 8))")
        #expect(server.path == sandbox.socketPath("room-1"))
        server.end()

        // A folder made open by someone else is made private again.
        #expect(chmod(sandbox.shareFolder, 0o755) == 0)
        let again = try sandbox.server("room-2")
        #expect(mode(of: sandbox.shareFolder)?.permissions == 0o700)
        #expect(mode(of: again.path)?.permissions == 0o600)
    }

    @Test("a symbolic link in place of the sharing folder is refused")
    func folderIsALink() throws {
        let sandbox = try ShareSandbox()
        let elsewhere = sandbox.path(of: "elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: sandbox.shareFolder, withDestinationPath: elsewhere)
        let error = #expect(throws: ShareError.self) { try sandbox.server() }
        #expect(error?.description.contains("is not a folder") == true, "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    }

    @Test("a second server under a live session's name is refused, and the first carries on")
    func nameInUse() throws {
        let sandbox = try ShareSandbox()
        let first = try sandbox.server()
        first.publish(try state())
        let error = #expect(throws: ShareError.self) { try sandbox.server() }
        #expect(error?.description == "a session is already shared as 'room-1'; choose another name or end that one")
        // The first session's socket is still there and still serves.
        #expect(mode(of: sandbox.socketPath("room-1"))?.type == UInt32(S_IFSOCK))
        // (The refused server's probe connected and left; the first server drops it as it accepts it.)
        let follower = try sandbox.connect()
        acceptFollowers(first, 1)
        #expect(arrived(follower).messages == [.success(try state())])
        // Another name is fine.
        _ = try sandbox.server("room-2")
    }

    @Test("a socket left by a program that was killed is replaced")
    func staleSocketReplaced() throws {
        let sandbox = try ShareSandbox()
        try FileManager.default.createDirectory(atPath: sandbox.shareFolder, withIntermediateDirectories: true)
        // A listening socket closed without removing its file: what `kill -9` leaves.
        close(try rawListener(at: sandbox.socketPath("room-1")))
        #expect(mode(of: sandbox.socketPath("room-1"))?.type == UInt32(S_IFSOCK))
        #expect(ShareConnection.connect(name: "room-1", environment: sandbox.environment) == nil,
                "a stale socket answers nobody")

        let server = try sandbox.server()
        let follower = try sandbox.connect()
        acceptFollowers(server, 1)
        server.publish(try state())
        #expect(read(follower, "the state") { messages, _ in !messages.isEmpty }.messages == [.success(try state())])
        #expect(mode(of: server.path)?.permissions == 0o600)
    }

    /// What a follower trying to connect over and over saw while servers were being created.
    private final class ConnectRecord: Sendable {
        /// Counts every change: odd while a server is being created, even otherwise (a server living, then
        /// ending, whose closed socket refuses connections for a moment before it is removed).
        let generation = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let attempts = Atomic<Int>(0)
        /// Connections refused by a socket file that existed but didn't listen yet.
        let refused = Atomic<Int>(0)
    }

    @Test("the socket appears only once it listens: a follower woken by its creation never finds it refusing")
    func socketAppearsListening() throws {
        // A follower waits for the socket with inotify and connects as soon as it appears. If the file appeared
        // (bind) before the server listened, that connection would be refused, and with nothing more happening
        // in the folder the follower would wait for its next retry, ten seconds later.
        let sandbox = try ShareSandbox()
        try ShareLocation.prepareFolder(sandbox.shareFolder)
        let path = sandbox.socketPath("room-1")
        let record = ConnectRecord()
        let done = DispatchSemaphore(value: 0)
        let follower = Thread {
            var address = socketAddress(path)
            while !record.stop.load(ordering: .sequentiallyConsistent) {
                let before = record.generation.load(ordering: .sequentiallyConsistent)
                // Non-blocking, so a live server's full backlog can't hold the loop up.
                let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                let result = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
                let error = errno
                close(descriptor)
                let after = record.generation.load(ordering: .sequentiallyConsistent)
                record.attempts.add(1, ordering: .relaxed)
                // Counted only when the whole attempt fell within one server's creation.
                if result != 0, error == ECONNREFUSED, before == after, before % 2 == 1 {
                    record.refused.add(1, ordering: .relaxed)
                }
            }
            done.signal()
        }
        follower.start()
        for _ in 0..<1_000 {
            record.generation.add(1, ordering: .sequentiallyConsistent)
            let server = try sandbox.server()
            record.generation.add(1, ordering: .sequentiallyConsistent)
            server.end()
        }
        record.stop.store(true, ordering: .sequentiallyConsistent)
        done.wait()
        #expect(record.attempts.load(ordering: .relaxed) > 0)
        let refused = record.refused.load(ordering: .relaxed)
        let attempts = record.attempts.load(ordering: .relaxed)
        #expect(refused == 0, "\(refused) of \(attempts) attempts found the socket before it listened")
    }

    @Test("a server that goes away without a word (killed) closes its followers' connections")
    func serverVanishes() throws {
        let sandbox = try ShareSandbox()
        try FileManager.default.createDirectory(atPath: sandbox.shareFolder, withIntermediateDirectories: true)
        let listener = try rawListener(at: sandbox.socketPath("room-1"))
        let follower = try sandbox.connect()
        let accepted = accept(listener, nil, nil)
        #expect(accepted >= 0)
        rawSend(String(decoding: try state().encoded(), as: UTF8.self), to: accepted)
        close(accepted)
        close(listener)
        let got = read(follower, "the close") { _, closed in closed }
        #expect(got.messages == [.success(try state())])
        #expect(got.closed)
    }

    @Test("invalid names are refused, and nothing is created for them", arguments: [
        "../x", "", "a b", "x/y", "/tmp/x", ".hidden", "..", "room\n", "é", "room*", String(repeating: "a", count: 41),
    ])
    func invalidNames(name: String) throws {
        let sandbox = try ShareSandbox()
        let error = #expect(throws: ShareError.self) { try sandbox.server(name) }
        #expect(error?.description.contains("can't name a shared session") == true)
        #expect(error?.description.contains("letters, digits, '-', '_' or '.'") == true)
        #expect(throws: ShareError.self) { try ShareLocation.validate(name) }
        // Nothing was made, in the sharing folder or next to it.
        let made = (try? FileManager.default.contentsOfDirectory(atPath: sandbox.path)) ?? []
        #expect(made.isEmpty, "\(made)")
    }

    @Test("valid names: letters, digits, '-', '_' and '.', up to 40",
          arguments: ["room-2", "a", "Room_2.b", "7", String(repeating: "z", count: 40)])
    func validNames(name: String) throws {
        let sandbox = try ShareSandbox()
        try ShareLocation.validate(name)
        let server = try sandbox.server(name)
        #expect(server.name == name)
        #expect(server.path == sandbox.socketPath(name))
        _ = try sandbox.connect(name)
    }

    @Test("a session shared by another protocol version: the follower reads .otherVersion(99)")
    func otherVersion() throws {
        let sandbox = try ShareSandbox()
        try ShareLocation.prepareFolder(sandbox.shareFolder)
        let listener = try rawListener(at: sandbox.socketPath("room-1"))
        defer { close(listener) }
        let follower = try sandbox.connect()
        let accepted = accept(listener, nil, nil)
        #expect(accepted >= 0)
        defer { close(accepted) }
        rawSend(#"{"version":99}"# + "\n" + #"{"version":99,"state":{"frames":[1,2,3]}}"# + "\n", to: accepted)
        let got = read(follower, "two messages") { messages, _ in messages.count >= 2 }
        #expect(got.messages == [.failure(.otherVersion(99)), .failure(.otherVersion(99))])
        #expect(!got.closed)
        if case .failure(let error) = got.messages.first {
            #expect(error.description.contains("follow protocol 99"))
        }

        // Lines split across writes, several in one write, empty lines and garbage, as the reader sees them.
        let line = Array(try state().encoded())
        let half = line.count / 2
        rawSend(String(decoding: line[..<half], as: UTF8.self), to: accepted)
        let partial = read(follower, "nothing yet") { _, _ in true }
        #expect(partial.messages.isEmpty)
        rawSend(String(decoding: line[half...], as: UTF8.self) + "\n\nnot json\n"
                    + String(decoding: ShareMessage.ended.encoded(), as: UTF8.self), to: accepted)
        let rest = read(follower, "three more") { messages, _ in messages.count >= 3 }
        #expect(rest.messages == [.success(try state()), .failure(.unreadable), .success(.ended)])
    }

    @Test("where the sockets go: the runtime folder, else the state folder, else ~/.local/state")
    func location() throws {
        #expect(ShareLocation.folder(environment: ["XDG_RUNTIME_DIR": "/run/user/1000", "XDG_STATE_HOME": "/s"])
                == "/run/user/1000/session-guide")
        #expect(ShareLocation.folder(environment: ["XDG_RUNTIME_DIR": "relative", "XDG_STATE_HOME": "/s"])
                == "/s/session-guide/share")
        #expect(ShareLocation.folder(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/session-guide/share")
        #expect(ShareLocation.folder(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"])
                == "/h/.local/state/session-guide/share")
        #expect(ShareLocation.folder(environment: ["HOME": "/h"]) == "/h/.local/state/session-guide/share")
        #expect(ShareLocation.socketPath(name: "room-2", environment: ["XDG_RUNTIME_DIR": "/r"])
                == "/r/session-guide/room-2.sock")

        // Without a runtime folder, sharing works in the state folder.
        let sandbox = try ShareSandbox()
        let environment = ["XDG_STATE_HOME": sandbox.path(of: "state")]
        let server = try ShareServer(name: "room-1", environment: environment)
        #expect(server.path == sandbox.path(of: "state") + "/session-guide/share/room-1.sock")
        #expect(mode(of: sandbox.path(of: "state") + "/session-guide")?.permissions == 0o700)
        #expect(mode(of: sandbox.path(of: "state") + "/session-guide/share")?.permissions == 0o700)
        let follower = try #require(ShareConnection.connect(name: "room-1", environment: environment))
        acceptFollowers(server, 1)
        server.publish(.ended)
        #expect(read(follower, "ended") { messages, _ in !messages.isEmpty }.messages == [.success(.ended)])
    }

    @Test("a socket path of exactly 107 bytes (the limit) shares and is followed; 108 is refused in terms of the name")
    func socketPathAtTheLimit() throws {
        let sandbox = try ShareSandbox()
        // XDG_RUNTIME_DIR/session-guide/NAME.sock: pad the folder so that NAME (7 letters) makes 107 bytes.
        let name = "room-12"
        let fixed = "/session-guide/".utf8.count + name.utf8.count + ".sock".utf8.count
        let runtime = sandbox.path(of: String(repeating: "r", count: 107 - fixed - sandbox.path.utf8.count - 1))
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        let environment = ["XDG_RUNTIME_DIR": runtime]
        #expect(ShareLocation.socketPath(name: name, environment: environment).utf8.count == 107)
        let server = try ShareServer(name: name, environment: environment)
        let follower = try #require(ShareConnection.connect(name: name, environment: environment))
        acceptFollowers(server, 1)
        server.publish(.ended)
        #expect(read(follower, "ended") { messages, _ in !messages.isEmpty }.messages == [.success(.ended)])
        server.end()

        let error = #expect(throws: ShareError.self) {
            try ShareServer(name: name + "x", environment: environment)
        }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("the name 'room-12x' is too long to share here"), "\(message)")
        #expect(message.contains("would be 108 bytes and sockets allow 107; use a name of at most 7 characters"),
                "\(message)")
        #expect(!message.contains("/."), "a hidden temporary path in the message: \(message)")
    }

    @Test("follow on a name whose socket can't exist says so at once and exits, instead of waiting for ever")
    func followImpossiblePath() async throws {
        let sandbox = try ShareSandbox()
        let long = sandbox.path(of: String(repeating: "d", count: 100))
        let result = try await BinaryRunner.run(["follow", "room-1"], environment: ["XDG_RUNTIME_DIR": long])
        #expect(result.exitCode == 69, Comment(rawValue: result.summary))
        #expect(result.stderr.contains("the name 'room-1' is too long to share here"), Comment(rawValue: result.summary))
    }

    @Test("a folder whose path is too long for a socket is refused with a clear message")
    func pathTooLong() throws {
        let sandbox = try ShareSandbox()
        let long = sandbox.path(of: String(repeating: "d", count: 100))
        let error = #expect(throws: ShareError.self) {
            try ShareServer(name: "room-1", environment: ["XDG_RUNTIME_DIR": long])
        }
        #expect(error?.description.contains("is too long to share here") == true, "\(String(describing: error))")
        #expect(ShareConnection.connect(name: "room-1", environment: ["XDG_RUNTIME_DIR": long]) == nil)
    }

    @Test("the bytes on the wire carry no therapist script, on any step of Treatment 8")
    func noScriptOnTheWire() throws {
        let sandbox = try ShareSandbox()
        let server = try sandbox.server()
        let path = sandbox.socketPath("room-1")
        // A raw reader, so what is checked is exactly what was sent.
        let reader = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(reader) }
        var address = socketAddress(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(reader, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        try #require(connected == 0)
        acceptFollowers(server, 1)
        var engine = try treatment8()
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        for _ in 0...9 {
            server.publish(.state(SharedSessionState(engine)))
            _ = engine.handle(.right, at: Moment(milliseconds: 0))
            while true {
                let count = recv(reader, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                guard count > 0 else { break }
                bytes += buffer[..<count]
            }
        }
        server.end()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.split(separator: "\n").count == 10, "one line per step and the summary")
        #expect(text.contains("Mobility is controlled movement."))
        for word in ["Did you notice", "lumbar mobility drills", "Free hips mean", "Massage resets the system",
                     "Suggested Therapist Script", "\"script\""] {
            #expect(!text.contains(word), "“\(word)” went over the wire")
        }
    }
}
