import SessionGuideEngine
import SessionGuideLayout

/// The patient's screen of a shared session: draws what the session last said, counts a running timer itself,
/// and can only scroll or stop following. The connection is the follow port's.
public struct FollowProgram: Program {
    public private(set) var follower: FollowerEngine
    private var size = Size(width: 80, height: 24)
    private var now = Moment(milliseconds: 0)
    /// How big digits and letters are drawn: full blocks (`#` once folded) where only ASCII reaches the screen.
    private let pixels: BigFont.Pixels

    public init(name: String, pixels: BigFont.Pixels = .halfBlocks) {
        follower = FollowerEngine(name: name)
        self.pixels = pixels
    }

    public mutating func update(_ input: ProgramInput, at instant: Instant) -> [ProgramCommand] {
        now = instant.moment
        switch input {
        case .start(let size), .resize(let size):
            self.size = size
        case .signal(let signal):
            return [.quit(signal.exitCode)]
        case .key(.control("c")):
            return [.quit(TerminalSignal.interrupt.exitCode)]
        case .key(let key):
            if follower.handle(key) { return [.quit(0)] }
        case .follow(.connected): follower.connected()
        case .follow(.message(let message)): follower.receive(message)
        case .follow(.unreadable(let error)): follower.unreadable(error)
        case .follow(.disconnected): follower.disconnected()
        case .tick, .contentEdited, .deckLoaded, .saved, .patientLoaded:
            break
        }
        let screen = FollowScreen.render(follower, at: now, size: size, pixels: pixels)
        follower.setScrollLimits(maximum: screen.maximumScroll, pageSize: screen.pageSize)
        return []
    }

    public func nextDeadline(after moment: Moment) -> Moment? { follower.nextDeadline(after: moment) }

    public func view(_ size: Size) -> Grid? { FollowScreen.render(follower, at: now, size: size, pixels: pixels).grid }
}
