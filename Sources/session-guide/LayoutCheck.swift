import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout

/// What `check` sees by laying content out as the screen will: a slide cut off on its deck's kiosk screen, a
/// session's text step that needs scrolling on the session's screen (both `screen:`, 80×24 by default).
enum LayoutCheck {
    static func warnings(_ library: ContentLibrary) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        for file in library.files where !file.hasErrors {
            switch file.document {
            case .deck(let deck)?:
                let size = Size(width: deck.screen.columns, height: deck.screen.rows)
                for slide in deck.slides {
                    let over = KioskScreen.overflow(of: slide, size: size)
                    guard over > 0 else { continue }
                    warnings.append(.warning(
                        "slide '\(slide.title.plainText)' is \(lines(over)) too long for a \(deck.screen) kiosk screen: "
                            + "its end is cut off there; shorten it or split it into two slides (or set 'screen:' "
                            + "to the kiosk's size)", at: slide.location))
                }
            case .session(let session)?:
                let size = Size(width: session.screen.columns, height: session.screen.rows)
                var engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
                for (index, step) in session.steps.enumerated() {
                    if index > 0 { _ = engine.handle(.right, at: Moment(milliseconds: 0)) }
                    // A drill step shows the whole drill (its steps, cues, figures, safety) under its timer and is
                    // meant to be scrolled: only the step's own text is the session's to keep short.
                    guard !step.section.allBlocks.contains(where: { $0.drillReference != nil }) else { continue }
                    let over = SessionScreen.render(engine, at: Moment(milliseconds: 0), size: size).maximumScroll
                    guard over > 0 else { continue }
                    warnings.append(.warning(
                        "step '\(step.title.plainText)' is \(lines(over)) longer than a \(session.screen) screen: the "
                            + "therapist scrolls to see its end; shorten it or split it (or set 'screen:' to the "
                            + "treatment room's size)", at: step.section.location))
                }
            default:
                break
            }
        }
        return warnings
    }

    private static func lines(_ count: Int) -> String { count == 1 ? "1 line" : "\(count) lines" }
}
