import Testing
@testable import SessionGuideContent

/// A drill file with `figures` as its `# Figures` section. Line 16 of the file is the first line under '# Figures'.
private func drill(figures: String) -> String {
    """
    ---
    kind: drill
    id: d
    title: D
    purpose: P
    work: 30s
    ---
    # Steps
    1. Lie down.
    2. Lift one foot.

    # Safety
    Pain-free, controlled movement; stop if it hurts.

    # Figures
    \(figures)
    """
}

/// One figure mistake and the diagnostic it must produce, at a `path:line:column`.
struct FigureCase: CustomTestStringConvertible, Sendable {
    var name: String
    var figures: String
    var line: Int
    var column: Int
    var message: String
    var severity: Severity = .error

    var testDescription: String { name }
}

let figureCases: [FigureCase] = [
    FigureCase(name: "unclosed fence at the end of the file", figures: "```figure Start\n  o\n /|\\\n", line: 16,
               column: 1, message: "fenced block is not closed; add a line with three backticks after it"),
    FigureCase(name: "unclosed fence before the next figure", figures: "```figure Start\n o\n```figure End\n o\n```\n",
               line: 16, column: 1, message: "fenced block is not closed"),
    FigureCase(name: "a non-ASCII character", figures: "```figure Start\n  o\n —|—\n```\n", line: 18, column: 2,
               message: "figures are drawn in plain ASCII, so every terminal shows them the same; '—' (U+2014) is "
                   + "not; use '-' instead"),
    FigureCase(name: "a non-ASCII character with no stand-in", figures: "```figure Start\n  🙂\n```\n", line: 17,
               column: 3, message: "'🙂' (U+1F642) is not"),
    FigureCase(name: "a no-break space", figures: "```figure Start\n o\u{A0}o\n```\n", line: 17, column: 3,
               message: "U+00A0 is not; use ' ' instead"),
    FigureCase(name: "too wide", figures: "```figure Start\n o\n" + String(repeating: "_", count: 34) + "\n```\n",
               line: 18, column: 31, message: "figure is 34 columns wide here; a figure may be at most 30"),
    FigureCase(name: "too wide, counted after the shared indentation",
               figures: "```figure Start\n      o\n    " + String(repeating: "_", count: 31) + "\n```\n",
               line: 18, column: 35, message: "figure is 31 columns wide here"),
    FigureCase(name: "too tall", figures: "```figure Start\n" + String(repeating: " |\n", count: 14) + "```\n",
               line: 29, column: 1, message: "figure is 14 lines tall; a figure may be at most 12"),
    FigureCase(name: "no drawing", figures: "```figure Start\n\n   \n```\n", line: 16, column: 1,
               message: "figure has no drawing"),
    FigureCase(name: "no caption", figures: "```\n o\n```\n", line: 16, column: 1,
               message: "figure has no caption; write one after the backticks, such as '```figure Start'",
               severity: .warning),
    FigureCase(name: "the word figure and no caption", figures: "```figure\n o\n```\n", line: 16, column: 1,
               message: "figure has no caption; write one after 'figure'", severity: .warning),
    FigureCase(name: "caption without the word figure", figures: "```Start\n o\n```\n", line: 16, column: 4,
               message: "write the word 'figure' before the caption: '```figure Start'", severity: .warning),
    FigureCase(name: "text instead of a drawing", figures: "Start: lying down\n", line: 15, column: 1,
               message: "'# Figures' holds only drawings, each in a fenced block"),
    FigureCase(name: "too many figures", figures: (1...4).map { "```figure \($0)\n o\n```\n" }.joined(), line: 25,
               column: 1, message: "a drill has at most 3 figures (such as Start and End); this is figure 4"),
]

@Suite("Drill figures")
struct FigureTests {
    @Test func figuresWithCaptionsAreRead() throws {
        let file = Support.parse(drill(figures: """
            ```figure Start: feet flat

                  o___/\\
                       \\__   \u{20}

            ```

            ```FIGURE End
              o___/\\_
            ```
            """))
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        let figures = try #require(file.drill).figures
        // Blank lines around the drawing, trailing spaces and the indentation all lines share are dropped.
        #expect(figures == [
            Figure(caption: "Start: feet flat", lines: ["o___/\\", "     \\__"]),
            Figure(caption: "End", lines: ["o___/\\_"]),
        ])
        #expect(figures[0].width == 8)
    }

    @Test func aFigureAtTheLimitsIsFine() throws {
        let line = String(repeating: "=", count: Figure.maximumWidth)
        let drawing = Array(repeating: line, count: Figure.maximumHeight).joined(separator: "\n")
        let file = Support.parse(drill(figures: "```figure Start\n\(drawing)\n```\n"))
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        #expect(try #require(file.drill).figures.first?.lines.count == Figure.maximumHeight)
    }

    @Test("a figure mistake is reported where it is", arguments: figureCases)
    func mistake(_ testCase: FigureCase) {
        let file = Support.parse(drill(figures: testCase.figures), path: "bad.md")
        let match = file.diagnostics.first { $0.message.contains(testCase.message) }
        #expect(match != nil, "expected '\(testCase.message)' in \(file.diagnostics.map(\.description))")
        if let match {
            #expect(match.location == SourceLocation(path: "bad.md", line: testCase.line, column: testCase.column),
                    "\(match)")
            #expect(match.severity == testCase.severity)
        }
        if testCase.severity == .error { #expect(file.document == nil) }
    }

    @Test func anUnclosedFigureDoesNotSwallowTheNextOne() {
        let file = Support.parse(drill(figures: "```figure Start\n o\n```figure End\n o\n```\n"))
        // One error, at the figure left open; the next figure is read on its own, with no second complaint.
        #expect(file.diagnostics.map(\.description) == [
            "test.md:16:1: error: fenced block is not closed; add a line with three backticks after it",
        ])
    }

    @Test func aDrawingUnderStepsSaysWhereItBelongs() {
        let file = Support.parse("""
            ---
            kind: drill
            id: d
            title: D
            purpose: P
            work: 30s
            ---
            # Steps
            1. Lie down.

            ```figure Start
             o___
            ```

            # Safety
            Pain-free, controlled movement; stop if it hurts.
            """)
        #expect(file.diagnostics.map(\.description) == [
            "test.md:11:1: error: drawings go under '# Figures', not '# Steps'",
        ])
    }

    @Test func everyProblemInOneFigureIsReported() {
        let file = Support.parse(drill(figures: "```figure Start\n ö\n é\n" + String(repeating: "-", count: 40)
            + "\n```\n"))
        #expect(file.diagnostics.map { "\($0.location.line):\($0.location.column)" } == ["17:2", "18:2", "19:31"])
    }

    @Test func captionsFoldToASCIIButDrawingsStayAsTheyAre() throws {
        let file = Support.parse(drill(figures: "```figure Start – feet flat\n o--\n```\n"))
        let folded = try #require(file.document).asciiFolded()
        guard case .drill(let drill) = folded else {
            Issue.record("not a drill")
            return
        }
        #expect(drill.figures == [Figure(caption: "Start - feet flat", lines: ["o--"])])
    }

    @Test func shippedDrillsEachHaveAStartAndAnEndFigure() throws {
        let library = try Support.shippedLibrary()
        let drills = library.documents.compactMap { document -> Drill? in
            if case .drill(let drill) = document { return drill }
            return nil
        }
        #expect(drills.count == 10)
        for drill in drills {
            #expect(drill.figures.count == 2, "\(drill.id)")
            #expect(drill.figures.first?.caption.hasPrefix("Start") == true, "\(drill.id)")
            #expect(drill.figures.allSatisfy { !$0.caption.isEmpty && $0.lines.count <= 6 }, "\(drill.id)")
        }
    }
}
