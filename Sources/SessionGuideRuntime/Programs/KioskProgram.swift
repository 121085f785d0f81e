import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout

/// The waiting-room kiosk: loops the deck, lets visitors browse, and ends only on SIGTERM, SIGHUP or the exit
/// chord. A broken edit never reaches it: the deck port hands it good decks only.
public struct KioskProgram: Program {
    public private(set) var engine: KioskEngine
    private let large: Bool
    /// How block letters are drawn: full blocks (`#` once folded) where only ASCII reaches the screen.
    private let pixels: BigFont.Pixels
    private let options: KioskEngine.Options
    private var size = Size(width: 80, height: 24)
    private var now: Instant?

    /// - Parameters:
    ///   - deck: the deck to show; nil shows `fallbackTitle` until a good deck arrives.
    public init(deck: Deck?, fallbackTitle: String, options: KioskEngine.Options, large: Bool,
                pixels: BigFont.Pixels = .halfBlocks) {
        let emptyDeck = Deck(id: "", title: fallbackTitle, slides: [],
                             location: SourceLocation(path: "", line: 1, column: 1))
        self.engine = KioskEngine(deck: deck ?? emptyDeck, options: options, at: Moment(milliseconds: 0))
        self.options = options
        self.large = large
        self.pixels = pixels
    }

    public mutating func update(_ input: ProgramInput, at now: Instant) -> [ProgramCommand] {
        self.now = now
        switch input {
        case .start(let size):
            self.size = size
            engine = KioskEngine(deck: engine.deck, options: options, at: now.moment)  // the loop starts now
        case .tick:
            engine.tick(at: now.moment)
        case .resize(let size):
            self.size = size
        case .deckLoaded(let deck?):
            engine.replaceDeck(deck, at: now.moment)
        case .signal(let signal) where signal == .terminate || signal == .hangup:
            return [.quit(signal.exitCode)]
        case .signal:
            break  // Ctrl-C and Ctrl-\ from a visitor do nothing
        case .key(let key):
            if engine.handle(key, at: now.moment, screenWidth: size.width, wall: now.wall) == .exit { return [.quit(0)] }
        case .deckLoaded(nil), .contentEdited, .follow, .saved, .patientLoaded:
            break
        }
        return []
    }

    public func nextDeadline(after moment: Moment) -> Moment? {
        guard let now else { return engine.nextDeadline(after: moment) }
        // The clock on the slide changes each minute.
        return min(engine.nextDeadline(after: moment), now.moment + now.millisecondsToNextMinute)
    }

    public func view(_ size: Size) -> Grid? {
        guard let now else { return nil }
        return KioskScreen.render(engine, at: now.moment, wall: now.wall, size: size, large: large, pixels: pixels)
    }
}
