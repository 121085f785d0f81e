import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
@_exported import SessionGuideTestSupport

/// The sizes every screen is snapshotted at: a classic terminal, a small split pane, a big one.
let screenSizes = [Size(width: 80, height: 24), Size(width: 40, height: 12), Size(width: 132, height: 43)]

extension Size {
    /// "80x24", for snapshot names.
    var name: String { "\(width)x\(height)" }
}

extension Moment {
    static func ms(_ milliseconds: Int64) -> Moment { Moment(milliseconds: milliseconds) }
}

/// Drives a session the way the app does: before each key the screen is laid out and its scroll limits are fed
/// back to the engine; time only moves when a test says so.
struct SessionDriver {
    var engine: SessionEngine
    let size: Size
    private(set) var now: Moment

    init(size: Size, startedAt: Moment = .ms(0)) throws {
        engine = SessionEngine(session: try Shipped.treatment(), library: try Shipped.library(), startedAt: startedAt)
        self.size = size
        now = startedAt
    }

    /// Lays out the screen at the current moment (after letting timers catch up), as the app's draw does.
    mutating func render() -> Screen {
        _ = engine.tick(at: now)
        let screen = SessionScreen.render(engine, at: now, size: size)
        engine.setScrollLimits(maximum: screen.maximumScroll, page: screen.pageSize)
        if let first = screen.noteFirstVisible { engine.keepNoteScroll(firstVisible: first) }
        return screen
    }

    /// Moves the clock (never back).
    mutating func wait(until moment: Moment) {
        precondition(moment >= now, "a monotonic clock never goes back")
        now = moment
    }

    /// Presses keys at `moment` (or now), laying the screen out before each, as the app does.
    @discardableResult
    mutating func press(_ keys: KeyEvent..., at moment: Moment? = nil) -> [Effect] {
        if let moment { wait(until: moment) }
        var effects: [Effect] = []
        for key in keys {
            _ = render()
            effects += engine.handle(key, at: now)
        }
        return effects
    }

    /// Goes to a step (1-based) with → presses.
    mutating func goToStep(_ number: Int, at moment: Moment? = nil) {
        if let moment { wait(until: moment) }
        while engine.currentStep + 1 < number, !engine.showsSummary {
            press(.right)
        }
    }
}
