import Plot
import SessionGuideContent

/// A document as one self-contained, printable HTML page: the styles inline, no scripts, no images or fonts to
/// fetch. A routine is laid out to fit one A4 or Letter page where it can; a drill gets the page to itself; a
/// session's steps (and a deck's slides) follow one another.
///
/// Every piece of content goes through Plot as text, never as markup, so a drill that says `<script>` prints
/// those characters instead of running anything.
public enum Handout {
    /// What a patient's take-home sheet adds to their routine's handout: who it is for, the therapist's note,
    /// how often, and a box to tick for each day until the next visit.
    public struct ProgrammeSheet: Sendable {
        public var patient: String
        public var version: Int
        public var given: CalendarDay
        public var daysPerWeek: Int
        public var until: CalendarDay?
        public var note: String
        /// The days to tick, in order.
        public var days: [CalendarDay]

        public init(patient: String, version: Int, given: CalendarDay, daysPerWeek: Int, until: CalendarDay?,
                    note: String) {
            self.patient = patient
            self.version = version
            self.given = given
            self.daysPerWeek = daysPerWeek
            self.until = until
            self.note = note
            // From the day it was given to its last day (a week when none is set), at most five weeks of boxes.
            let last = until ?? given.adding(days: 7)
            days = (0...max(0, min(34, last.ordinal - given.ordinal))).map { given.adding(days: $0) }
        }

        /// "5 days a week until Fri 2026-12-11"
        public var frequency: String {
            var text = "\(daysPerWeek) day\(daysPerWeek == 1 ? "" : "s") a week"
            if let until { text += " until \(Self.dayName(until)) \(until)" }
            return text
        }

        public static func dayName(_ day: CalendarDay) -> String {
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day.weekday]
        }

        /// The sheet's lines for the text and markdown handouts.
        public func textLines() -> [String] {
            var lines = ["Programme for \(patient) (version \(version), given \(given)): \(frequency)."]
            if !note.isEmpty { lines.append("From your therapist: \(note)") }
            lines.append("")
            lines.append("Tick a box each day you do it:")
            var row: [String] = []
            for day in days {
                row.append("[ ] \(Self.dayName(day)) \(day)")
                if row.count == 4 {
                    lines.append("  " + row.joined(separator: "   "))
                    row = []
                }
            }
            if !row.isEmpty { lines.append("  " + row.joined(separator: "   ")) }
            return lines
        }
    }

    public static func html(for document: SessionGuideContent.Document, library: ContentLibrary,
                            programme: ProgrammeSheet? = nil) -> String {
        let page = HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .viewport(.accordingToDevice),
                // Plot's `.title` helper also copies the title into attributes, which it does not escape.
                .element(named: "title", nodes: [text(document.title)]),
                .style(HandoutStyle.css)
            ),
            .body(
                .class(document.kind.rawValue),
                .main(.class("handout \(document.kind.rawValue)"),
                      .unwrap(programme) { programmeSection($0) },
                      content(of: document, library: library))
            )
        )
        return page.render() + "\n"
    }

    private static func content(of document: SessionGuideContent.Document, library: ContentLibrary)
        -> Node<HTML.BodyContext>
    {
        switch document {
        case .routine(let routine): routinePage(routine, library: library)
        case .drill(let drill): drillPage(drill)
        case .session(let session): sessionPage(session, library: library)
        case .deck(let deck): deckPage(deck)
        }
    }

    /// The patient's part of the sheet, above the routine: whose, how often, the note, the days to tick.
    private static func programmeSection(_ sheet: ProgrammeSheet) -> Node<HTML.BodyContext> {
        .section(
            .class("programme"),
            .p(.class("for"), .strong(text("Programme for \(sheet.patient)")),
               text(" · version \(sheet.version), given \(sheet.given) · \(sheet.frequency)")),
            .if(!sheet.note.isEmpty, .p(.class("therapist-note"), .strong("From your therapist: "), text(sheet.note))),
            .p(.class("tick"), text("Tick a box each day you do it:")),
            .ul(.class("days"), .forEach(sheet.days) { day in
                .li(.span(.class("box"), text("☐")), text(" \(ProgrammeSheet.dayName(day)) \(day)"))
            })
        )
    }

    // MARK: - Documents

    private static func routinePage(_ routine: Routine, library: ContentLibrary) -> Node<HTML.BodyContext> {
        let drills = routine.drills.compactMap(library.resolve)
        var facts = ["About \(DurationParser.describe(library.totalSeconds(of: routine))) in all",
                     "\(drills.count) drill\(drills.count == 1 ? "" : "s")"]
        if routine.restBetween > 0, drills.count > 1 {
            facts.append("\(DurationParser.describe(routine.restBetween)) rest between drills")
        }
        return .group(
            .header(
                .h1(text(routine.title)),
                .unwrap(routine.goal) { .p(.class("goal"), text($0)) },
                .p(.class("facts"), text(facts.joined(separator: " · "))),
                safetyNote([.paragraph(RichText(plain: routine.safety))])
            ),
            // The routine's own words (how often, when, what to bring): the patient's homework notes.
            .if(!routine.introduction.isEmpty,
                .section(.class("notes"), blocks(routine.introduction, library: library))),
            // Two columns of drills, the first half on the left: CSS multi-column layout would do this, but
            // browsers break it badly across printed pages.
            .section(.class("drills"), .forEach(columns(of: Array(drills.enumerated()))) { column in
                .div(.class("column"), .forEach(column) { index, drill in
                    drillCard(drill.drill, timing: drill.timing, number: index + 1, headingLevel: 2, compact: true)
                })
            })
        )
    }

    /// The first half (rounded up) and the rest, in order.
    private static func columns<Element>(of items: [Element]) -> [[Element]] {
        let split = (items.count + 1) / 2
        return [Array(items[..<split]), Array(items[split...])].filter { !$0.isEmpty }
    }

    private static func drillPage(_ drill: Drill) -> Node<HTML.BodyContext> {
        .group(
            .header(.h1(text(drill.title))),
            drillCard(drill, timing: drill.timing, number: nil, headingLevel: nil)
        )
    }

    private static func sessionPage(_ session: Session, library: ContentLibrary) -> Node<HTML.BodyContext> {
        var facts: [String] = []
        if let planned = session.plannedSeconds { facts.append("Planned length: \(DurationParser.describe(planned))") }
        let steps = session.steps
        facts.append("\(steps.count) step\(steps.count == 1 ? "" : "s")")
        return .group(
            .header(
                .h1(text(session.title)),
                .unwrap(session.goal) { .p(.class("goal"), .strong("Session goal: "), text($0)) },
                .p(.class("facts"), text(facts.joined(separator: " · ")))
            ),
            .forEach(steps.enumerated()) { index, step in
                .section(
                    .class("step"),
                    .h2(
                        .span(.class("number"), text("Step \(index + 1)")), text(" "),
                        .unwrap(step.group) { .span(.class("group"), rich($0), text(" › ")) },
                        rich(step.title)
                    ),
                    blocks(step.section.blocks, library: library)
                )
            }
        )
    }

    private static func deckPage(_ deck: Deck) -> Node<HTML.BodyContext> {
        .group(
            .header(.h1(text(deck.title))),
            .forEach(deck.slides.enumerated()) { index, slide in
                .section(
                    .class("slide"),
                    .h2(.span(.class("number"), text("\(index + 1)")), text(" "), rich(slide.title)),
                    blocks(slide.blocks, library: ContentLibrary(files: []))
                )
            }
        )
    }

    // MARK: - Drills

    /// One drill: its name, purpose, timing as used here, what it needs, figures beside the steps, cues and its
    /// safety note. `headingLevel` nil: the drill is the page, and its name is already the page's title.
    /// `compact` (a routine's page, which should fit one sheet) leaves out the purpose and the cues, which the
    /// routine's screens show while the patient moves.
    private static func drillCard(_ drill: Drill, timing drillTiming: DrillTiming, number: Int?, headingLevel: Int?,
                                  compact: Bool = false) -> Node<HTML.BodyContext>
    {
        let name: Node<HTML.BodyContext> = .group(
            .unwrap(number) { .group(.span(.class("number"), text("\($0)")), text(" ")) }, text(drill.title))
        let timing = TimingDescription.describe(drillTiming) + " (" + TimingDescription.total(drillTiming) + " in all)"
        return .article(
            .class("drill"),
            .unwrap(headingLevel) { $0 <= 2 ? .h2(name) : .h3(name) },
            .if(!compact, .p(.class("purpose"), text(drill.purpose))),
            .dl(
                .class("facts"),
                .dt("Timing"), .dd(text(timing)),
                .unwrap(drill.equipment) { .group(.dt("You need"), .dd(text($0))) }
            ),
            .div(
                .class(drill.figures.isEmpty ? "how" : "how with-figures"),
                .if(!drill.figures.isEmpty, .div(.class("figures"), .forEach(drill.figures, figure))),
                .div(
                    .class("steps"),
                    .if(!compact, .h3("Steps")),
                    .ol(.forEach(drill.steps) { .li(rich($0)) }),
                    .if(!compact && !drill.cues.isEmpty, .group(
                        .h3("Cues"),
                        .ul(.class("cues"), .forEach(drill.cues) { .li(rich($0)) })
                    ))
                )
            ),
            safetyNote(drill.safety)
        )
    }

    private static func figure(_ figure: Figure) -> Node<HTML.BodyContext> {
        .element(named: "figure", nodes: [
            .pre(text(figure.lines.joined(separator: "\n"))),
            .if(!figure.caption.isEmpty, .element(named: "figcaption", nodes: [text(figure.caption)])),
        ])
    }

    private static func safetyNote(_ content: [Block]) -> Node<HTML.BodyContext> {
        .div(.class("safety"), .strong(.class("label"), text("⚠ Safety: ")), inlineBlocks(content))
    }

    /// A safety note's blocks, run into the label's line when the note is a single paragraph.
    private static func inlineBlocks(_ content: [Block]) -> Node<HTML.BodyContext> {
        if content.count == 1, case .paragraph(let paragraph) = content[0] { return rich(paragraph) }
        return blocks(content, library: ContentLibrary(files: []))
    }

    // MARK: - Blocks

    private static func blocks(_ content: [Block], library: ContentLibrary) -> Node<HTML.BodyContext> {
        .forEach(content) { block in
            switch block {
            case .paragraph(let paragraph):
                return .p(rich(paragraph))
            case .bulletList(let items):
                return .ul(.forEach(items) { .li(rich($0)) })
            case .numberedList(let items):
                return .ol(.forEach(items) { .li(rich($0)) })
            case .quote(let paragraphs):
                return .blockquote(.forEach(paragraphs) { .p(rich($0)) })
            case .script(let script):
                let label = script.label.lowercased().contains("therapist") ? script.label
                    : script.label + " (for the therapist)"
                return .div(.class("script"), .p(.class("label"), text(label)),
                            .forEach(script.paragraphs) { .p(rich($0)) })
            case .preformatted(let fenced):
                return .pre(text(fenced.lines.joined(separator: "\n")))
            case .table(let table):
                return .table(
                    .thead(.tr(.forEach(table.header) { .th(rich($0)) })),
                    .tbody(.forEach(table.rows) { row in .tr(.forEach(row) { .td(rich($0)) }) })
                )
            case .drill(let reference):
                guard let resolved = library.resolve(reference) else { return .empty }
                return drillCard(resolved.drill, timing: resolved.timing, number: nil, headingLevel: 3)
            }
        }
    }

    // MARK: - Text

    /// Text with its emphasis, escaped.
    private static func rich(_ richText: RichText) -> Node<HTML.BodyContext> {
        .forEach(richText.inlines, inline)
    }

    private static func inline(_ inline: Inline) -> Node<HTML.BodyContext> {
        switch inline {
        case .text(let value): text(value)
        case .emphasis(let children): .em(.forEach(children, self.inline))
        case .strong(let children): .strong(.forEach(children, self.inline))
        // The words and the address, as text: paper has nothing to click, and no address becomes markup.
        case .link(let children, let url): .group(.forEach(children, self.inline), text(" (\(url))"))
        }
    }

    /// Content text, shown exactly as written. Plot escapes `<` and `>` but leaves what looks like an entity
    /// (`&amp;`, `&lt;`) alone, so a clinic's "&lt;" would print as "<"; escaping every `&` first keeps each one
    /// literal.
    static func text<Context>(_ value: String) -> Node<Context> {
        var escaped = ""
        for character in value {
            if character == "&" { escaped += "&amp;" } else { escaped.append(character) }
        }
        return .text(escaped)
    }
}
