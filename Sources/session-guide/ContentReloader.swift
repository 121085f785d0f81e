import SessionGuideContent
import SessionGuideEngine
import SessionGuideRuntime
import SessionGuideTerminal

/// When to look at the content folder again, and whether its files changed since the last look. Used by every
/// mode that picks up edits: it sleeps until inotify reports a change (then waits a moment for the editor to
/// finish saving), and looks every two seconds when the folder can't be watched. File times stay the
/// authority: an event only says when to look.
final class ContentChanges {
    let folder: String
    let watcher: ContentWatcher
    /// With the folder watched, when to look anyway (the kiosk: each minute, for network shares whose edits
    /// from other machines raise no event); nil to rely on the events alone.
    private let lookWhileWatching: ((Instant) -> Moment)?
    private var fingerprint: [String: String]
    private var lookAt: Moment?

    /// How long after a change event the files are looked at: an editor saves in several steps.
    static let settleDelay: Int64 = 300
    /// How often the files are looked at when the folder can't be watched.
    static let pollInterval: Int64 = 2_000

    init(folder: String, at now: Instant, lookWhileWatching: ((Instant) -> Moment)? = nil) {
        self.folder = folder
        self.lookWhileWatching = lookWhileWatching
        watcher = ContentWatcher(folder: folder)
        fingerprint = ContentLoader.fingerprint(of: folder)
        lookAt = nextRoutineLook(after: now)
    }

    /// The watcher reported a change.
    func changed(at now: Moment) {
        lookAt = min(lookAt ?? now + Self.settleDelay, now + Self.settleDelay)
    }

    /// When the loop must wake up to look at the files; nil while only an event can say.
    func deadline(after now: Moment) -> Moment? { lookAt }

    /// True when it is time to look and the files changed since the last look.
    func takeChange(at now: Instant) -> Bool {
        guard let lookAt, now.moment >= lookAt else { return false }
        self.lookAt = nextRoutineLook(after: now)
        let current = ContentLoader.fingerprint(of: folder)
        guard current != fingerprint else { return false }
        fingerprint = current
        return true
    }

    private func nextRoutineLook(after now: Instant) -> Moment? {
        watcher.isWatching ? lookWhileWatching?(now) : now.moment + Self.pollInterval
    }
}

/// Reads edited content while a full-screen mode runs. A broken edit is never used: the screen keeps the last
/// good content and says in one line what is wrong.
final class ContentReloader {
    let changes: ContentChanges
    private let ascii: Bool

    init(folder: String, ascii: Bool, at now: Instant) {
        self.ascii = ascii
        changes = ContentChanges(folder: folder, at: now)
    }

    var watcher: ContentWatcher { changes.watcher }

    /// Reads the folder again when it is time and the files changed; nil when there is nothing new.
    func look(at now: Instant) -> ContentEdit? {
        guard changes.takeChange(at: now) else { return nil }
        let folder = changes.folder
        guard var library = try? ContentLoader.load([folder]) else {
            return .broken("the content folder \(folder) can't be read")
        }
        if let first = library.diagnostics.first(where: { $0.severity == .error }) {
            let path = first.location.path
            let place = path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
            return .broken("\(place):\(first.location.line): \(first.message)")
        }
        library = TestControl.shared.injecting(into: library)
        if ascii { library = library.asciiFolded() }
        return .loaded(library)
    }
}
