import Foundation

/// Finds content files on disk and reads them into a `ContentLibrary`. The only file-system code of the
/// content layer.
public enum ContentLoader {
    /// File names in a content folder that are documentation, not content.
    public static let documentationNames: Set<String> = ["README.md", "FORMAT.md"]

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        /// A path named on the command line that exists but can't be followed: a dangling or looping link.
        case unreadable(String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): "no such file or folder: \(TextSafety.sanitized(path))"
            case .unreadable(let path, let reason): "can't read \(TextSafety.sanitized(path)): \(reason)"
            }
        }
    }

    /// What a search of the content paths found: the files to parse, and the problems met on the way (an
    /// unreadable folder, a broken link, a name that isn't UTF-8), each as a file with one error.
    public struct Discovery: Sendable {
        public var files: [String] = []
        public var problems: [ParsedFile] = []
    }

    /// Reads every content file under `paths` (files are read as given; folders are searched for `.md`
    /// files). Throws when a path does not exist at all.
    public static func load(_ paths: [String]) throws -> ContentLibrary {
        let found = try discover(paths)
        return ContentLibrary(files: found.problems + parseFiles(at: found.files))
    }

    /// Parses files on every core; the result is in the order of `paths`. Each file is independent, so a
    /// large folder checks in a fraction of the time.
    public static func parseFiles(at paths: [String]) -> [ParsedFile] {
        guard paths.count > 16 else { return paths.map(parseFile) }
        let results = ParsedFileSlots(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            results.store(parseFile(at: paths[index]), at: index)
        }
        return results.files
    }

    /// Each content file under `folder` with its size and modification time: any edit, addition or removal
    /// changes it, so comparing two tells whether the content must be read again.
    public static func fingerprint(of folder: String) -> [String: String] {
        guard let found = try? discover([folder]) else { return [:] }
        var result: [String: String] = [:]
        for path in found.files {
            var info = stat()
            if stat(path, &info) == 0 {
                result[path] = "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            }
        }
        for problem in found.problems { result[problem.path] = "problem" }
        return result
    }

    /// The content files under `paths`, sorted, without duplicates (the problems met are left out: see
    /// ``discover(_:)``).
    public static func contentFiles(in paths: [String]) throws -> [String] {
        try discover(paths).files
    }

    /// The content files under `paths`, sorted, without duplicates, and every problem met on the way. Links to
    /// files and folders are followed; a folder reached again through a link is read once, and a link back to
    /// a folder that contains it is reported, not followed. Throws when a named path does not exist or is a
    /// dangling or looping link.
    public static func discover(_ paths: [String]) throws -> Discovery {
        var walker = FolderWalker()
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                let error = errno
                var linkInfo = stat()
                if lstat(path, &linkInfo) == 0, isLink(linkInfo) {
                    throw LoadError.unreadable(path, reason: linkProblem(error))
                }
                if error == ENOENT || error == ENOTDIR { throw LoadError.missing(path) }
                throw LoadError.unreadable(path, reason: reason(error))
            }
            if isFolder(info) {
                walker.walk(folder: path, id: FileID(info), ancestors: [])
            } else {
                walker.add(file: path, id: FileID(info))
            }
        }
        var seen: Set<String> = []
        walker.found.files = walker.found.files.filter { seen.insert($0).inserted }.sorted()
        walker.found.problems.sort { $0.path < $1.path }
        return walker.found
    }

    /// A file or folder, by device and inode, to tell when two paths (one through a link) are the same.
    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    private struct FolderWalker {
        var found = Discovery()
        var visitedFolders: Set<FileID> = []
        var seenFiles: Set<FileID> = []

        /// A problem met on the way, at `path` with every control in it shown visibly.
        mutating func problem(_ rawPath: String, _ message: String, severity: Severity = .error) {
            let path = TextSafety.sanitized(rawPath)
            found.problems.append(ParsedFile(path: path, diagnostics: [
                Diagnostic(severity, message, at: SourceLocation(path: path, line: 1, column: 1)),
            ]))
        }

        mutating func add(file path: String, id: FileID?) {
            if let id, !seenFiles.insert(id).inserted { return }  // the same file again, through a link
            found.files.append(path)
        }

        mutating func walk(folder: String, id: FileID, ancestors: [FileID]) {
            guard visitedFolders.insert(id).inserted else { return }  // read already, through another path
            guard let directory = opendir(folder) else {
                problem(folder, "can't read folder: \(ContentLoader.reason(errno)); its files are not checked")
                return
            }
            var entries: [[UInt8]] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
                if name.first == UInt8(ascii: ".") { continue }  // hidden files, `.` and `..`
                entries.append(name)
            }
            closedir(directory)
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            for nameBytes in entries.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                guard let name = String(validating: nameBytes, as: UTF8.self) else {
                    let shown = prefix + ContentLoader.visibleName(nameBytes)
                    let (_, byte) = SourceDecoder.firstInvalidUTF8(in: nameBytes[...])
                    problem(shown, "the name is not valid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)))"
                        + "; rename it so that it can be read and shown")
                    continue
                }
                if name.hasSuffix("~") { continue }  // editor backups
                let full = prefix + name
                let isContentName = name.hasSuffix(".md") && !documentationNames.contains(name)
                var info = stat()
                guard lstat(full, &info) == 0 else {
                    if isContentName { problem(full, "can't read file: \(ContentLoader.reason(errno))") }
                    continue
                }
                if ContentLoader.isLink(info) {
                    guard stat(full, &info) == 0 else {
                        // A broken link named like content is an error; another may have been a folder.
                        let message = ContentLoader.linkProblem(errno)
                        problem(full, isContentName ? "can't read file: \(message)"
                            : "can't follow link: \(message); if it was a folder of content, its files are missing",
                            severity: isContentName ? .error : .warning)
                        continue
                    }
                }
                if ContentLoader.isFolder(info) {
                    let folderID = FileID(info)
                    if folderID == id || ancestors.contains(folderID) {
                        problem(full, "this link leads back to a folder that contains it; it is not followed")
                        continue
                    }
                    walk(folder: full, id: folderID, ancestors: ancestors + [id])
                } else if isContentName {
                    add(file: full, id: FileID(info))
                }
            }
        }
    }

    /// Slots that concurrent parsers fill, one each; the lock makes the writes safe to share.
    private final class ParsedFileSlots: @unchecked Sendable {
        private var slots: [ParsedFile?]
        private let lock = NSLock()

        init(count: Int) {
            slots = Array(repeating: nil, count: count)
        }

        func store(_ file: ParsedFile, at index: Int) {
            lock.lock()
            slots[index] = file
            lock.unlock()
        }

        var files: [ParsedFile] { slots.compactMap { $0 } }
    }

    /// Reads and parses one file; a file that can't be read becomes a diagnostic, never a crash. Its size is
    /// looked at before anything is read, and only regular files are opened (a named pipe or a device would
    /// block or never end).
    public static func parseFile(at path: String) -> ParsedFile {
        switch readRegularFile(at: path, limit: SourceDecoder.maximumFileBytes) {
        case .bytes(let bytes):
            return DocumentParser.parse(bytes: bytes, path: path)
        case .tooLarge(let size):
            return ParsedFile(path: path, diagnostics: [.error(
                "file is \(ByteCount.describe(size)); a content file may be at most "
                    + "\(ByteCount.describe(SourceDecoder.maximumFileBytes))",
                at: SourceLocation(path: path, line: 1, column: 1))])
        case .unreadable(let reason):
            return ParsedFile(path: path, diagnostics: [.error("can't read file: \(reason)",
                                                                at: SourceLocation(path: path, line: 1, column: 1))])
        }
    }

    /// What reading a file with a size limit gave.
    enum BoundedRead {
        case bytes([UInt8])
        case tooLarge(Int)
        case unreadable(String)
    }

    /// The bytes of the regular file at `path` (links followed) if it holds at most `limit` bytes; its size is
    /// checked before it is opened, and no more than `limit + 1` bytes are ever read.
    static func readRegularFile(at path: String, limit: Int) -> BoundedRead {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let error = errno
            var linkInfo = stat()
            if lstat(path, &linkInfo) == 0, isLink(linkInfo) { return .unreadable(linkProblem(error)) }
            return .unreadable(error == ENOENT ? "it does not exist" : reason(error))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .unreadable("it is not a regular file" + kind(info)) }
        guard Int(info.st_size) <= limit else { return .tooLarge(Int(info.st_size)) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .unreadable(reason(errno)) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            // One byte past the limit: a file that grew since the stat is still refused without reading it all.
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            if data.count > limit { return .tooLarge(max(Int(info.st_size), data.count)) }
            return .bytes([UInt8](data))
        } catch {
            return .unreadable(error.localizedDescription)
        }
    }

    /// What reading the config file gave: nil when there is none.
    public enum ConfigRead {
        case bytes([UInt8])
        case problem(Diagnostic)
    }

    /// The bytes of the config file at `path`, its size checked before it is read; nil when there is none.
    public static func readConfig(at path: String) -> ConfigRead? {
        var info = stat()
        if stat(path, &info) != 0 {
            // Nothing to be seen there (not even a broken link): no config file, so the defaults.
            var linkInfo = stat()
            guard lstat(path, &linkInfo) == 0 else { return nil }
        }
        let problem = { (message: String) in
            ConfigRead.problem(.error(message + "; it is ignored", at: SourceLocation(path: path, line: 1, column: 1)))
        }
        switch readRegularFile(at: path, limit: ConfigFile.maximumBytes) {
        case .bytes(let bytes): return .bytes(bytes)
        case .tooLarge(let size):
            return problem("the config file is \(ByteCount.describe(size)); it may be at most "
                + "\(ByteCount.describe(ConfigFile.maximumBytes))")
        case .unreadable(let reason): return problem("the config file can't be read: \(reason)")
        }
    }

    /// The first lines of a file, for the excerpt under a diagnostic: never more than 1 MiB is read, whatever
    /// the file's size, and only from a regular file.
    public static func excerptLines(of path: String) -> [Substring]? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        guard var data = try? handle.read(upToCount: SourceDecoder.maximumFileBytes) else { return nil }
        if Int(info.st_size) > data.count, let lastBreak = data.lastIndex(of: UInt8(ascii: "\n")) {
            data = data[..<lastBreak]  // the last line read may be cut short: leave it out
        }
        // Split bytes, not Characters: "\r\n" is one Character in Swift.
        return data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Substring(String(decoding: $0, as: UTF8.self)) }
    }

    // MARK: - File system helpers

    static func isLink(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFLNK }
    static func isFolder(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }

    /// " (a named pipe)": what a file that isn't a regular one is.
    private static func kind(_ info: stat) -> String {
        switch info.st_mode & S_IFMT {
        case S_IFDIR: " (it is a folder)"
        case S_IFIFO: " (it is a named pipe)"
        case S_IFCHR, S_IFBLK: " (it is a device)"
        case S_IFSOCK: " (it is a socket)"
        default: ""
        }
    }

    /// Why a link that `stat` could not follow can't be read.
    static func linkProblem(_ error: Int32) -> String {
        switch error {
        case ENOENT, ENOTDIR: "it is a dangling link: it points to a file or folder that does not exist"
        case ELOOP: "it is a link that loops back on itself"
        default: "it is a link that can't be followed (\(reason(error)))"
        }
    }

    /// A system error in words: "permission denied".
    static func reason(_ error: Int32) -> String {
        switch error {
        case EACCES, EPERM: "permission denied"
        case ENOENT: "it does not exist"
        default: String(cString: strerror(error)).lowercased()
        }
    }

    /// A file name that isn't UTF-8 shown with its bad bytes as `\xFF` and every control visible.
    static func visibleName(_ bytes: [UInt8]) -> String {
        var result = ""
        var index = 0
        while index < bytes.count {
            var decoded = false
            for length in 1...4 where index + length <= bytes.count {
                if let piece = String(validating: bytes[index..<(index + length)], as: UTF8.self) {
                    result += TextSafety.sanitized(piece)
                    index += length
                    decoded = true
                    break
                }
            }
            if !decoded {
                result += "\\x" + String(bytes[index], radix: 16, uppercase: true)
                index += 1
            }
        }
        return result
    }
}
