import ArgumentParser
import Foundation
import Glibc
import SessionGuideContent

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new content file from a template, with every part in place.",
        discussion: """
            Writes KIND-folder/ID.md in the content folder (drills/, routines/, decks/ or sessions/), with a line in \
            each part saying what goes there; it never overwrites a file. Then edit it, and run 'session-guide \
            check' (or 'session-guide preview FILE' to see it). Example: session-guide new drill side-bend \
            --title "Side bend"
            """
    )

    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case drill, routine, deck, session
        var documentKind: DocumentKind { DocumentKind(rawValue: rawValue)! }
    }

    @OptionGroup var options: ContentOptions

    @Argument(help: "What to make: drill, routine, deck or session.")
    var kind: Kind

    @Argument(help: ArgumentHelp("Its id: small letters, digits and hyphens (such as side-bend).", valueName: "id"))
    var id: String

    @Option(help: "The title people see (made from the id when left out).")
    var title: String?

    func validate() throws {
        guard IdentifierRules.isValid(id) else {
            let suggested = IdentifierRules.suggestion(for: id)
            throw ValidationError("the id must be small letters, digits and hyphens (at most 64)"
                + (suggested.isEmpty || suggested == id ? "" : "; try '\(suggested)'"))
        }
        if let title, title.trimmingCharacters(in: .whitespaces).isEmpty || title.contains("\n") {
            throw ValidationError("--title must be one line of text")
        }
    }

    func run() throws {
        let folder = try options.contentDirectory()
        let library = try options.loadLibrary()
        if let existing = library.file(declaring: id) {
            Console.error("the id '\(id)' is already used by \(existing.path); choose another")
            throw ExitCode(SysExit.usage)
        }
        let drill = library.documents.first { $0.kind == .drill }?.id
        if kind == .routine || kind == .session, drill == nil {
            Console.error("a \(kind.rawValue) needs a drill to use: make one first with 'session-guide new drill ID'")
            throw ExitCode(SysExit.usage)
        }
        let text = Templates.text(kind: kind.documentKind, id: id,
                                  title: title?.trimmingCharacters(in: .whitespaces) ?? Templates.title(forID: id),
                                  drill: drill)
        let subfolder = folder + "/" + Templates.folder(for: kind.documentKind)
        let path = subfolder + "/" + id + ".md"
        if mkdir(subfolder, 0o755) != 0, errno != EEXIST {
            Console.error("can't make the folder \(subfolder): \(Console.reason(errno))")
            throw ExitCode(SysExit.cantCreate)
        }
        // O_EXCL: never overwrite, even a file made a moment ago by someone else.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists (nothing was changed)" : Console.reason(errno)
            Console.error("can't write \(path): \(reason)")
            throw ExitCode(errno == EEXIST ? SysExit.usage : SysExit.cantCreate)
        }
        defer { close(descriptor) }
        if let failure = Console.writeAll(Array(text.utf8), to: descriptor) {
            unlink(path)
            Console.error("can't write \(path): \(Console.reason(failure))")
            throw ExitCode(SysExit.ioError)
        }
        Console.write("Wrote \(path). Edit it, then run: session-guide check\n" as SafeText)
    }
}
