import Foundation

/// Finds content files on disk and reads them into a `ContentLibrary`. The only file-system code of the
/// content layer.
public enum ContentLoader {
    /// File names in a content folder that are documentation, not content.
    public static let documentationNames: Set<String> = ["README.md", "FORMAT.md"]

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)

        public var description: String {
            switch self {
            case .missing(let path): "no such file or folder: \(path)"
            }
        }
    }

    /// Reads every content file under `paths` (files are read as given; folders are searched for `.md`
    /// files). Throws when a path does not exist at all.
    public static func load(_ paths: [String]) throws -> ContentLibrary {
        ContentLibrary(files: parseFiles(at: try contentFiles(in: paths)))
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
        guard let files = try? contentFiles(in: [folder]) else { return [:] }
        var result: [String: String] = [:]
        for path in files {
            var info = stat()
            if stat(path, &info) == 0 {
                result[path] = "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            }
        }
        return result
    }

    /// The content files under `paths`, sorted, without duplicates.
    public static func contentFiles(in paths: [String]) throws -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw LoadError.missing(path) }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            guard let enumerator = manager.enumerator(atPath: path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    enumerator.skipDescendants()
                    continue
                }
                guard name.hasSuffix(".md"), !documentationNames.contains(name), !name.hasSuffix("~") else { continue }
                let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                var isFolder: ObjCBool = false
                let exists = manager.fileExists(atPath: full, isDirectory: &isFolder)
                // A dangling link is listed so that parsing reports it, rather than skipped in silence.
                if !exists || !isFolder.boolValue { found.append(full) }
            }
        }
        var seen: Set<String> = []
        return found.filter { seen.insert($0).inserted }.sorted()
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

    /// Reads and parses one file; a file that can't be read becomes a diagnostic, never a crash.
    public static func parseFile(at path: String) -> ParsedFile {
        let unreadable = { (reason: String) in
            ParsedFile(path: path, diagnostics: [.error("can't read file: \(reason)",
                                                        at: SourceLocation(path: path, line: 1, column: 1))])
        }
        // Only regular files are read: opening a named pipe or a device would block or never end.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            let isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
            return unreadable(isLink ? "it is a link to a file that does not exist" : "it does not exist")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            return unreadable("it is not a regular file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.isReadableFile(atPath: path) ? "it could not be opened"
                : "permission denied"
            return unreadable(reason)
        }
        defer { try? handle.close() }
        do {
            // Read one byte past the limit so an oversized file is reported without reading all of it.
            let data = try handle.read(upToCount: SourceDecoder.maximumFileBytes + 1) ?? Data()
            if data.count > SourceDecoder.maximumFileBytes {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? data.count
                return ParsedFile(path: path, diagnostics: [.error(
                    "file is \(ByteCount.describe(size)); a content file may be at most "
                        + "\(ByteCount.describe(SourceDecoder.maximumFileBytes))",
                    at: SourceLocation(path: path, line: 1, column: 1))])
            }
            return DocumentParser.parse(bytes: [UInt8](data), path: path)
        } catch {
            return unreadable(error.localizedDescription)
        }
    }
}
