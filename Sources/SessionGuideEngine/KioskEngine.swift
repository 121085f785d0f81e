import SessionGuideContent

/// The local wall-clock time, passed in for the on-screen clock and opening hours (the engine reads no clock).
public struct WallTime: Hashable, Sendable {
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public var weekday: Int
    public var hour: Int
    public var minute: Int

    public init(weekday: Int, hour: Int, minute: Int) {
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
    }

    public var minuteOfDay: Int { hour * 60 + minute }
    public var clock: String { (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)" }
}

/// A key pressed a number of times within a time window, the only way (besides a signal) to leave the kiosk.
public struct ExitChord: Hashable, Sendable {
    public var key: KeyEvent
    public var presses: Int
    public var windowMilliseconds: Int64

    /// A press counts only this long after the key before it: a person's presses come as separate reads, a
    /// paste or a held key's repeats come together.
    public static let minimumGapMilliseconds: Int64 = 150

    public init(key: KeyEvent, presses: Int = 3, windowMilliseconds: Int64 = 2_000) {
        self.key = key
        self.presses = presses
        self.windowMilliseconds = windowMilliseconds
    }

    /// `ctrl-x`, `ctrl-q`, `f10`… as given to `--exit-key`.
    public static func parse(_ text: String) -> ExitChord? {
        let lowered = text.lowercased()
        if lowered.hasPrefix("ctrl-") || lowered.hasPrefix("c-") || lowered.hasPrefix("^") {
            let letter = lowered.hasPrefix("^") ? String(lowered.dropFirst())
                : lowered.split(separator: "-").last.map(String.init) ?? ""
            guard letter.count == 1, let character = letter.first, character.isLetter, character.isASCII,
                  !"cmijhz".contains(character)  // those are Enter, Tab, Backspace or reserved
            else { return nil }
            return ExitChord(key: .control(character))
        }
        if lowered.hasPrefix("f"), let number = Int(lowered.dropFirst()), (1...12).contains(number) {
            return ExitChord(key: .function(number))
        }
        return nil
    }
}

/// The waiting-room loop: each slide for its dwell time, forever. Anyone may browse with ←/→ or a tap, and the
/// loop takes over again after a quiet spell. Nothing a visitor does can end it; only the exit chord can. It
/// blanks the screen outside opening hours (a key wakes it for a minute) and shifts the slide now and then so
/// nothing burns into the screen. Time is passed in.
public struct KioskEngine: Sendable {
    public struct Options: Hashable, Sendable {
        public var idleMilliseconds: Int64
        public var exitChord: ExitChord?
        /// How often the slide moves by a cell, against burn-in.
        public var shiftMilliseconds: Int64
        /// Overrides the deck's own opening hours.
        public var openingHours: OpeningHours?
        public var wakeMilliseconds: Int64

        public init(idleMilliseconds: Int64 = 60_000, exitChord: ExitChord? = nil, shiftMilliseconds: Int64 = 180_000,
                    openingHours: OpeningHours? = nil, wakeMilliseconds: Int64 = 60_000) {
            self.idleMilliseconds = idleMilliseconds
            self.exitChord = exitChord
            self.shiftMilliseconds = shiftMilliseconds
            self.openingHours = openingHours
            self.wakeMilliseconds = wakeMilliseconds
        }
    }

    public enum Action: Hashable, Sendable {
        case exit
    }

    /// Offsets the slide cycles through, one cell at a time.
    static let shifts: [(Int, Int)] = [(0, 0), (1, 0), (1, 1), (0, 1)]

    public private(set) var deck: Deck
    public let options: Options
    public private(set) var slideIndex = 0
    /// When the current slide went up (shifted on exactly, so the loop never drifts).
    public private(set) var slideShownAt: Moment
    /// While someone browses, the loop waits until this moment.
    public private(set) var browsingUntil: Moment?
    /// Outside opening hours, a key shows the slides until this moment.
    public private(set) var awakeUntil: Moment?
    private var chordPresses: [Moment] = []
    private var lastKeyAt: Moment?
    private let startedAt: Moment

    public init(deck: Deck, options: Options = Options(), at now: Moment) {
        self.deck = deck
        self.options = options
        self.slideShownAt = now
        self.startedAt = now
    }

    public var slide: Slide? { deck.slides.indices.contains(slideIndex) ? deck.slides[slideIndex] : nil }
    public var isBrowsing: Bool { browsingUntil != nil }
    public var openingHours: OpeningHours? { options.openingHours ?? deck.openingHours }

    /// A slide's time on screen; never less than a second, so a deck built in code with 0 can't spin the loop.
    private func dwell(of index: Int) -> Int64 {
        let seconds = deck.slides.indices.contains(index) ? deck.slides[index].dwell ?? deck.dwell : deck.dwell
        return Int64(max(1, seconds)) * 1000
    }

    /// True when the screen should be blank: outside opening hours and not woken by a key.
    public func isBlank(at now: Moment, wall: WallTime) -> Bool {
        guard let hours = openingHours, !hours.isOpen(weekday: wall.weekday, minuteOfDay: wall.minuteOfDay) else {
            return false
        }
        if let awakeUntil, now < awakeUntil { return false }
        return true
    }

    /// The burn-in offset (columns, rows) at `now`.
    public func shift(at now: Moment) -> (Int, Int) {
        guard options.shiftMilliseconds > 0 else { return (0, 0) }
        let step = Int((now - startedAt) / options.shiftMilliseconds) % Self.shifts.count
        return Self.shifts[step]
    }

    // MARK: - Time

    /// Advances the loop to `now`: each slide changes at the exact end of the one before.
    public mutating func tick(at now: Moment) {
        if let until = awakeUntil, now >= until { awakeUntil = nil }
        if let until = browsingUntil {
            guard now >= until else { return }
            browsingUntil = nil
            slideShownAt = until  // the loop resumes from where the visitor left it
        }
        guard !deck.slides.isEmpty else { return }
        // Many dwells may have passed (a suspended box, a long sleep): skip whole loops at once.
        let loop = deck.slides.indices.reduce(Int64(0)) { $0 + dwell(of: $1) }
        if loop > 0, now - slideShownAt > loop * 2 {
            slideShownAt = slideShownAt + ((now - slideShownAt) / loop - 1) * loop
        }
        while now - slideShownAt >= dwell(of: slideIndex) {
            slideShownAt = slideShownAt + dwell(of: slideIndex)
            slideIndex = (slideIndex + 1) % deck.slides.count
        }
    }

    /// The next moment the screen changes on its own: the next slide, the end of browsing or waking, or the
    /// next burn-in shift.
    public func nextDeadline(after now: Moment) -> Moment {
        // With no slides nothing advances: only a wake, a visitor or a shift can change the screen.
        let nextSlide = deck.slides.isEmpty ? now + 3_600_000 : slideShownAt + dwell(of: slideIndex)
        var deadline = browsingUntil ?? nextSlide
        if let awakeUntil { deadline = min(deadline, awakeUntil) }
        if options.shiftMilliseconds > 0 {
            let elapsed = now - startedAt
            deadline = min(deadline, now + (options.shiftMilliseconds - elapsed % options.shiftMilliseconds))
        }
        return max(deadline, now)
    }

    // MARK: - Input

    /// Browsing keys and taps move between slides; every other key does nothing but count toward the exit
    /// chord and wake a blank screen.
    public mutating func handle(_ key: KeyEvent, at now: Moment, screenWidth: Int, wall: WallTime) -> Action? {
        tick(at: now)
        let pressedByHand = lastKeyAt.map { now - $0 >= ExitChord.minimumGapMilliseconds } ?? true
        lastKeyAt = now
        if let chord = options.exitChord, key == chord.key, pressedByHand {
            chordPresses = chordPresses.filter { now - $0 < chord.windowMilliseconds } + [now]
            if chordPresses.count >= chord.presses { return .exit }
        } else {
            chordPresses = []  // another key, a paste or a held key starts the count again
        }
        if let hours = openingHours, !hours.isOpen(weekday: wall.weekday, minuteOfDay: wall.minuteOfDay) {
            let wasBlank = isBlank(at: now, wall: wall)
            awakeUntil = now + options.wakeMilliseconds  // every key outside hours keeps it awake a minute
            if wasBlank { return nil }  // the first key only wakes the screen
        }
        switch key {
        case .right, .character("l"), .character(" "), .pageDown:
            browse(by: 1, at: now)
        case .left, .character("h"), .pageUp, .backspace:
            browse(by: -1, at: now)
        case .click(let column, _):
            browse(by: column < screenWidth / 2 ? -1 : 1, at: now)
        default:
            break
        }
        return nil
    }

    private mutating func browse(by step: Int, at now: Moment) {
        guard !deck.slides.isEmpty else { return }
        slideIndex = (slideIndex + step + deck.slides.count) % deck.slides.count
        slideShownAt = now
        browsingUntil = now + options.idleMilliseconds
    }

    /// A new version of the deck (an edit picked up while running): stay on the same slide number if it still
    /// exists, so the screen doesn't jump.
    public mutating func replaceDeck(_ deck: Deck, at now: Moment) {
        let hadSlides = !self.deck.slides.isEmpty
        self.deck = deck
        // The first good deck after the fallback starts at its first slide, with its full dwell.
        if !hadSlides || !deck.slides.indices.contains(slideIndex) {
            slideIndex = 0
            slideShownAt = now
        }
    }
}
