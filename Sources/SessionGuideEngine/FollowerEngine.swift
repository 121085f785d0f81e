/// The patient-facing second screen (`session-guide follow NAME`): what it last heard from the shared session,
/// and its own scrolling. It shows; it never drives: the only keys it takes scroll its own view or quit it.
public struct FollowerEngine: Sendable {
    public enum Status: Hashable, Sendable {
        /// No session is shared under the name yet (or any more): waiting for one to start.
        case waiting
        /// Connected, before the first state arrives (the therapist is still in the menu, say).
        case connected
        case following(SharedSessionState)
        /// The session ended (the therapist quit, or their program stopped); waiting for the next one.
        case ended
    }

    public let name: String
    public private(set) var status: Status = .waiting
    /// A problem with the last message (another version, say), shown until a good message arrives.
    public private(set) var problem: String?
    public private(set) var scrollOffset = 0
    public private(set) var maximumScroll = 0
    public private(set) var pageSize = 10

    public init(name: String) {
        self.name = name
    }

    /// The shared state, with its timer moved on to `now` on this screen's own clock (the same monotonic clock
    /// as the therapist's, since both run on one machine), so seconds pass without a message each.
    public func state(at now: Moment) -> SharedSessionState? {
        guard case .following(var state) = status else { return nil }
        if var timer = state.timer {
            _ = timer.advance(to: now)
            state.timer = timer
        }
        return state
    }

    /// When the screen next needs drawing without a message: the timer's next second.
    public func nextDeadline(after now: Moment) -> Moment? {
        state(at: now)?.timer?.nextDeadline(after: now)
    }

    // MARK: - Events

    public mutating func connected() {
        if status == .waiting { status = .connected }
    }

    /// The connection closed: the therapist's program ended without saying so (killed, say) or said so.
    public mutating func disconnected() {
        switch status {
        case .following, .ended: status = .ended
        case .connected, .waiting: status = .waiting
        }
    }

    public mutating func receive(_ message: ShareMessage) {
        problem = nil
        switch message {
        case .state(let state):
            var sameStep = false
            if case .following(let old) = status {
                sameStep = old.stepIndex == state.stepIndex && old.showsSummary == state.showsSummary
            }
            // A new step starts at its top, and so does a session's first (the last session's place may still be
            // set when no screen was laid out in between).
            if !sameStep { scrollOffset = 0 }
            status = .following(state)
        case .ended:
            status = .ended
        }
    }

    public mutating func unreadable(_ error: ShareMessage.ReadError) {
        problem = error.description
    }

    /// Keys scroll this screen's own view; `q` or Esc stops following. Returns true to quit.
    public mutating func handle(_ key: KeyEvent) -> Bool {
        switch key {
        case .character("q"), .character("Q"), .escape:
            return true
        case .down, .character("j"):
            scroll(by: 1)
        case .up, .character("k"):
            scroll(by: -1)
        case .pageDown, .character(" "):
            scroll(by: pageSize)
        case .pageUp:
            scroll(by: -pageSize)
        case .home:
            scrollOffset = 0
        case .end:
            scrollOffset = maximumScroll
        default:
            break
        }
        return false
    }

    /// The layout reports how far the body can scroll at the current size.
    public mutating func setScrollLimits(maximum: Int, pageSize: Int) {
        maximumScroll = max(0, maximum)
        self.pageSize = max(1, pageSize)
        scrollOffset = min(scrollOffset, maximumScroll)
    }

    private mutating func scroll(by lines: Int) {
        scrollOffset = min(max(0, scrollOffset + lines), maximumScroll)
    }
}
