#if canImport(Glibc)
import Glibc
#endif
import SessionGuideEngine

/// Why a session can't be shared or followed, in words for the person at the keyboard.
public struct ShareError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Where shared sessions meet their followers: one Unix socket per name, in a folder only this user can enter.
/// Local only: nothing listens on the network.
public enum ShareLocation {
    /// `$XDG_RUNTIME_DIR/session-guide` (a per-login folder in memory), else the state folder
    /// (`$XDG_STATE_HOME/session-guide/share`, by default under `~/.local/state`).
    public static func folder(environment: [String: String]) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return runtime + "/session-guide"
        }
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? "/tmp") + "/.local/state"
        return state + "/session-guide/share"
    }

    /// A name is what the therapist and the follower type: letters, digits, `-`, `_` and `.`, up to 40.
    public static func validate(_ name: String) throws(ShareError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-_.".unicodeScalars.contains($0)
        }
        guard !name.isEmpty, name.count <= 40, allowed, !name.hasPrefix(".") else {
            throw ShareError("'\(name)' can't name a shared session: use up to 40 letters, digits, '-', '_' or '.' "
                + "(for example room-2)")
        }
    }

    public static func socketPath(name: String, environment: [String: String]) -> String {
        folder(environment: environment) + "/" + name + ".sock"
    }

    /// The most bytes a socket's path can have (`sun_path` less its closing NUL: 107 on Linux).
    public static var longestSocketPath: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    /// Throws when the socket for `name` would have a path too long for a socket, in terms of the name.
    public static func checkLength(name: String, environment: [String: String]) throws(ShareError) {
        let path = socketPath(name: name, environment: environment)
        let excess = path.utf8.count - longestSocketPath
        guard excess > 0 else { return }
        let room = name.utf8.count - excess
        throw ShareError("the name '\(name)' is too long to share here: its socket, \(path), would be "
            + "\(path.utf8.count) bytes and sockets allow \(longestSocketPath); "
            + (room >= 1 ? "use a name of at most \(room) characters" : "set XDG_RUNTIME_DIR to a shorter folder"))
    }

    /// Creates the folder (and its parents) if needed, and makes sure only this user can enter it.
    public static func prepareFolder(_ folder: String) throws(ShareError) {
        var path = ""
        for part in folder.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o700) != 0, errno != EEXIST {
                throw ShareError("can't create \(path): \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw ShareError("\(folder) is not a folder")
        }
        guard info.st_uid == getuid() else {
            throw ShareError("\(folder) belongs to another user; sharing needs a folder of your own")
        }
        if info.st_mode & 0o077 != 0, chmod(folder, 0o700) != 0 {
            throw ShareError("can't make \(folder) private: \(String(cString: strerror(errno)))")
        }
    }

    /// A socket address for `path`, or nil when the path is too long for one (about 100 bytes).
    static func address(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    static func connect(_ descriptor: Int32, to address: sockaddr_un) -> Int32 {
        var address = address
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}

/// The therapist's side: listens on the session's socket and sends each new state to every follower. It never
/// reads what followers send (they can't drive the session); it only notices when one goes away.
public final class ShareServer {
    public let name: String
    public let path: String
    private let listener: Int32
    private var followers: [Int32] = []
    /// The last message sent, for followers that connect later.
    private var lastMessage: [UInt8]?
    private var lastPublished: ShareMessage?

    public init(name: String, environment: [String: String]) throws(ShareError) {
        try ShareLocation.validate(name)
        try ShareLocation.checkLength(name: name, environment: environment)
        let folder = ShareLocation.folder(environment: environment)
        try ShareLocation.prepareFolder(folder)
        let path = ShareLocation.socketPath(name: name, environment: environment)
        guard let address = ShareLocation.address(path) else {
            throw ShareError("the sharing folder's path is too long for a socket: \(path)")
        }
        self.name = name
        self.path = path

        // A socket left by a program that was killed answers nobody: it is removed. One that answers is a
        // session already shared under this name.
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if probe >= 0 {
            defer { close(probe) }
            if ShareLocation.connect(probe, to: address) == 0 {
                throw ShareError("a session is already shared as '\(name)'; choose another name or end that one")
            }
        }
        unlink(path)

        // The socket is bound under a temporary name and linked to its own only once it listens. A follower
        // connects as soon as the name appears (inotify wakes it), and a socket that didn't listen yet would
        // refuse it, leaving it to wait for its next try.
        // Never longer than the socket's own path ("." and at most 5 base-36 digits against a name of at
        // least one character and ".sock"), so a name that fits binds.
        let temporary = folder + "/." + String(getpid(), radix: 36)
        guard var bindAddress = ShareLocation.address(temporary) else {
            throw ShareError("the sharing folder's path is too long for a socket: \(path)")
        }
        unlink(temporary)  // left by a program that was killed, whose process id has come round again

        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        guard listener >= 0 else { throw ShareError("can't open a socket: \(String(cString: strerror(errno)))") }
        // From here a throw runs deinit, whose end() must not remove a socket that isn't this server's.
        func fail(_ message: String) -> ShareError {
            ended = true
            close(listener)
            unlink(temporary)
            return ShareError(message)
        }
        // The socket is created 0600 (no moment with wider permissions), and then checked.
        let previousMask = umask(0o177)
        let bound = withUnsafePointer(to: &bindAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        umask(previousMask)
        guard bound == 0, listen(listener, 16) == 0 else {
            throw fail("can't share as '\(name)' at \(path): \(String(cString: strerror(errno)))")
        }
        // link, not rename: it fails rather than replace a socket another program has just put there.
        guard link(temporary, path) == 0 else {
            if errno == EEXIST {
                throw fail("a session is already shared as '\(name)'; choose another name or end that one")
            }
            throw fail("can't share as '\(name)' at \(path): \(String(cString: strerror(errno)))")
        }
        unlink(temporary)
    }

    deinit { end() }

    private var ended = false

    /// The listening socket and every follower's, for the main loop to wait on.
    public var descriptors: [Int32] { listener >= 0 ? [listener] + followers : [] }

    public var followerCount: Int { followers.count }

    /// True once a message has been sent (before that, a follower that connects waits for the first).
    public var hasPublished: Bool { lastMessage != nil }

    /// Handles a descriptor that `poll` reported: a follower connecting (it gets the current state at once), or
    /// one that went away.
    public func handleReadable(_ descriptor: Int32) {
        if descriptor == listener {
            while true {
                let follower = accept(listener, nil, nil)
                guard follower >= 0 else { break }
                _ = fcntl(follower, F_SETFD, FD_CLOEXEC)
                _ = fcntl(follower, F_SETFL, fcntl(follower, F_GETFL) | O_NONBLOCK)
                followers.append(follower)
                if let lastMessage, !send(lastMessage, to: follower) { drop(follower) }
            }
        } else if followers.contains(descriptor) {
            // Followers send nothing; readable means closed (or talking out of turn, which is ignored).
            var scratch = [UInt8](repeating: 0, count: 512)
            let count = recv(descriptor, &scratch, scratch.count, Int32(MSG_DONTWAIT))
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { drop(descriptor) }
        }
    }

    /// Sends the message to every follower, when it differs from the last one sent (compared before it is
    /// encoded, so the therapist's loop pays next to nothing for a frame that changed nothing shared).
    public func publish(_ message: ShareMessage) {
        guard message != lastPublished else { return }
        lastPublished = message
        let bytes = message.encoded()
        lastMessage = bytes
        for follower in followers where !send(bytes, to: follower) { drop(follower) }
    }

    /// Tells the followers the session has ended, and removes the socket. Safe to call more than once.
    public func end() {
        guard listener >= 0, !ended else { return }
        ended = true
        let bytes = ShareMessage.ended.encoded()
        for follower in followers {
            _ = send(bytes, to: follower)
            close(follower)
        }
        followers = []
        close(listener)
        unlink(path)
    }

    /// Writes the whole message without blocking. A follower too slow to take a few kilobytes is dropped (it
    /// reconnects and catches up) rather than holding up the therapist's screen.
    private func send(_ bytes: [UInt8], to follower: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(follower, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private func drop(_ follower: Int32) {
        close(follower)
        followers.removeAll { $0 == follower }
    }
}

/// The follower's side: a connection to a shared session, read a line at a time. It never writes.
public final class ShareConnection {
    public let descriptor: Int32
    private var pending: [UInt8] = []

    /// Connects to the session shared as `name`, or returns nil when none is shared under that name now.
    public static func connect(name: String, environment: [String: String]) -> ShareConnection? {
        let path = ShareLocation.socketPath(name: name, environment: environment)
        guard let address = ShareLocation.address(path) else { return nil }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        guard ShareLocation.connect(descriptor, to: address) == 0 else {
            close(descriptor)
            return nil
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        return ShareConnection(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Everything that has arrived: the messages (or why one couldn't be read), and whether the session's end
    /// of the connection is closed.
    public func read() -> (messages: [Result<ShareMessage, ShareMessage.ReadError>], closed: Bool) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var closed = false
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { pending += buffer[0..<count]; continue }
            if count == 0 { closed = true; break }
            if errno == EINTR { continue }
            if errno != EAGAIN, errno != EWOULDBLOCK { closed = true }
            break
        }
        var messages: [Result<ShareMessage, ShareMessage.ReadError>] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[..<newline]
            if !line.isEmpty {
                do { messages.append(.success(try ShareMessage.decode(line))) } catch { messages.append(.failure(error)) }
            }
            pending.removeSubrange(...newline)
        }
        // A line that never ends is not a message: give up on it rather than hold it forever.
        if pending.count > 4 << 20 { pending = []; messages.append(.failure(.unreadable)) }
        return (messages, closed)
    }
}
