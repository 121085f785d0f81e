import ArgumentParser
import Foundation
import SessionGuideContent

/// Shell completion of document ids (`session-guide session <Tab>`): the ids of the right kind in the content
/// folder the command would use. Runs inside the shell's completion, so it never prints anything but ids: the
/// config file is read without reporting its problems, and content that can't be loaded completes nothing.
enum IDCompletion {
    static func ids(_ kinds: DocumentKind...) -> CompletionKind {
        let wanted = Set(kinds)
        return .custom { words, _, prefix in
            guard let folder = contentFolder(words: words),
                  let library = try? ContentLoader.load([folder]) else { return [] }
            return library.documents.filter { wanted.contains($0.kind) }.map(\.id)
                .filter { $0.hasPrefix(prefix) }.sorted()
        }
    }

    /// `--content DIR` among the words typed, else what `ContentOptions` would choose, without its messages.
    private static func contentFolder(words: [String]) -> String? {
        if let index = words.firstIndex(of: "--content"), index + 1 < words.count { return words[index + 1] }
        if let option = words.first(where: { $0.hasPrefix("--content=") }) { return String(option.dropFirst(10)) }
        if let fromEnvironment = ProcessInfo.processInfo.environment[ContentOptions.environmentVariable],
           !fromEnvironment.isEmpty { return fromEnvironment }
        let configPath = Configuration.path()
        if case .bytes(let bytes)? = ContentLoader.readConfig(at: configPath),
           let value = ConfigFile.parse(bytes: bytes, path: configPath).0.content?.value {
            return Configuration.path(value, writtenIn: configPath)
        }
        return ContentOptions.bundledContentDirectory()
    }
}
