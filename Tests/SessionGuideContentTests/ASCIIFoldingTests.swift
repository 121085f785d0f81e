import Foundation
import Testing
@testable import SessionGuideContent

@Suite("ASCII stand-ins for terminals without UTF-8")
struct ASCIIFoldingTests {
    @Test("text", arguments: [
        ("move more → strain", "move more -> strain"), ("team — they", "team -- they"), ("Hip–Lumbar", "Hip-Lumbar"),
        ("“Free hips”", "\"Free hips\""), ("don’t", "don't"), ("• item", "* item"), ("wait…", "wait..."),
        ("2 × 30 s", "2 x 30 s"), ("café", "cafe"), ("naïve", "naive"), ("plain", "plain"),
    ])
    func folds(text: String, expected: String) {
        #expect(ASCIIFolding.fold(text) == expected)
    }

    @Test func cellsKeepTheirWidth() {
        for character in "→—–“”‘’•…×●○▸▶❚█░▌┃⚠✓éß" {
            let folded = ASCIIFolding.foldCell(character)
            #expect(folded.isASCII, "\(character) → \(folded)")
        }
        #expect(ASCIIFolding.foldCell("→") == ">")
    }

    @Test func theShippedContentFoldsToPureASCII() throws {
        let library = try Support.shippedLibrary().asciiFolded()
        for document in library.documents {
            let text = DocumentPrinter(library: library, width: 0).render(document)
                .replacingOccurrences(of: "›", with: ">").replacingOccurrences(of: "×", with: "x")
            let offending = text.unicodeScalars.filter { !$0.isASCII }
            #expect(offending.isEmpty, "\(document.id): \(String(String.UnicodeScalarView(offending)))")
        }
    }
}
