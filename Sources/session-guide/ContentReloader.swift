import SessionGuideContent
import SessionGuideEngine
import SessionGuideTerminal

/// Notices edits to the content folder while a full-screen mode runs, and reads it again. A broken edit is
/// never used: the screen keeps the last good content and says in one line what is wrong.
final class ContentReloader {
    enum Outcome {
        case loaded(ContentLibrary)
        /// The edit has errors: the first one, as `path:line: message`.
        case broken(String)
    }

    let folder: String
    let watcher: ContentWatcher
    private let ascii: Bool
    private var fingerprint: [String: String]
    /// When to look at the files next; nil while nothing suggests a change.
    private var lookAt: Moment?

    /// How long after a change event the files are read: an editor saves in several steps.
    static let settleDelay: Int64 = 300
    /// How often the files are looked at when the folder can't be watched.
    static let pollInterval: Int64 = 2_000

    init(folder: String, ascii: Bool) {
        self.folder = folder
        self.ascii = ascii
        watcher = ContentWatcher(folder: folder)
        fingerprint = ContentLoader.fingerprint(of: folder)
    }

    /// The watcher reported a change.
    func changed(at now: Moment) {
        lookAt = min(lookAt ?? now + Self.settleDelay, now + Self.settleDelay)
    }

    /// When the loop must wake up to look at the files.
    func deadline(after now: Moment) -> Moment? {
        if watcher.isWatching { return lookAt }
        return min(lookAt ?? now + Self.pollInterval, now + Self.pollInterval)
    }

    /// Reads the folder again when it is time and the files changed; nil when there is nothing new.
    func look(at now: Moment) -> Outcome? {
        if watcher.isWatching {
            guard let lookAt, now >= lookAt else { return nil }
        } else if let lookAt, now < lookAt {
            return nil
        }
        lookAt = watcher.isWatching ? nil : now + Self.pollInterval
        let current = ContentLoader.fingerprint(of: folder)
        guard current != fingerprint else { return nil }
        fingerprint = current
        guard var library = try? ContentLoader.load([folder]) else {
            return .broken("the content folder \(folder) can't be read")
        }
        if let first = library.diagnostics.first(where: { $0.severity == .error }) {
            let path = first.location.path
            let place = path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
            return .broken("\(place):\(first.location.line): \(first.message)")
        }
        if ascii { library = library.asciiFolded() }
        return .loaded(library)
    }
}
