#if canImport(Glibc)
import Glibc
#endif

/// Tells the full-screen loops when something in the content folder may have changed, so they can sleep until
/// then instead of looking at file times every few seconds. It uses inotify on the folder and every folder
/// under it. It only says *when to look*: callers still compare file times, which stays the authority (and is
/// what they fall back to, once a minute, on a network share where inotify hears nothing of other machines'
/// edits, or when inotify is unavailable).
public final class ContentWatcher {
    /// The inotify descriptor to poll, or nil when watching isn't possible here.
    public let descriptor: Int32?
    private let root: String
    private var watchedFolders: Set<String> = []

    private static let events = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM
        | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

    public init(folder: String) {
        root = folder
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        self.descriptor = descriptor >= 0 ? descriptor : nil
        watchFolders()
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// True when watching works for the whole folder; false means the caller should look at file times itself.
    public var isWatching: Bool { descriptor != nil && !watchedFolders.isEmpty }

    /// Reads the pending events; true when there were any. New subfolders are watched from then on.
    public func drain() -> Bool {
        guard let descriptor else { return false }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var any = false
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            any = true
        }
        if any { watchFolders() }
        return any
    }

    /// Adds a watch for the folder and each folder under it that isn't watched yet (hidden ones skipped, as the
    /// loader skips them). A folder that can't be watched (the per-user limit, say) is simply left to the
    /// once-a-minute look at file times.
    private func watchFolders() {
        guard let descriptor else { return }
        var pending = [root]
        var seen: Set<String> = []
        while let folder = pending.popLast(), seen.count < 10_000 {
            guard seen.insert(folder).inserted else { continue }
            if !watchedFolders.contains(folder), inotify_add_watch(descriptor, folder, Self.events) >= 0 {
                watchedFolders.insert(folder)
            }
            guard let directory = opendir(folder) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard !name.hasPrefix(".") else { continue }
                let path = folder + "/" + name
                var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) {  // some file systems don't say; ask
                    var info = stat()
                    isFolder = lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                }
                guard isFolder else { continue }
                pending.append(path)
            }
        }
        watchedFolders.formIntersection(seen)
    }
}
