#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SessionGuideContent

/// What a shared session sends to the screens that follow it (`session --share NAME`, `follow NAME`): the
/// patient-facing part of the engine's state, never a drawn screen, so each follower lays it out for its own
/// size and options. Therapist scripts, notes and overlays are left out here, so they can never reach a
/// patient's screen.
public struct SharedSessionState: Hashable, Sendable, Codable {
    public var sessionTitle: String
    /// The step shown, counting from 0, and how many there are.
    public var stepIndex: Int
    public var stepCount: Int
    /// The step without its therapist scripts.
    public var step: SessionStepModel
    /// The step's drill timer. Its moments are on the machine's monotonic clock, which a follower on the same
    /// machine shares, so the follower counts the seconds itself and needs no message per second.
    public var timer: DrillTimer?
    /// True once the therapist has moved past the last step.
    public var showsSummary: Bool

    public init(_ engine: SessionEngine) {
        sessionTitle = engine.session.title
        stepIndex = engine.currentStep
        stepCount = engine.steps.count
        var step = engine.step
        step.blocks = step.blocks.filter { $0.script == nil }
        self.step = step
        timer = engine.timer(forStep: engine.currentStep)
        showsSummary = engine.showsSummary
    }

    /// A state that can be drawn without tripping over itself: decoded data is checked before it is used.
    public var isDrawable: Bool {
        guard stepCount > 0, (0..<stepCount).contains(stepIndex) else { return false }
        if let timer { return timer.isPlausible }
        return true
    }
}

/// One line of the follow protocol: newline-delimited JSON, each message stamped with the protocol version.
public enum ShareMessage: Hashable, Sendable {
    case state(SharedSessionState)
    /// The therapist's program ended the session.
    case ended

    /// Raised when a message can't be read, with what to tell the person.
    public enum ReadError: Error, Hashable, Sendable, CustomStringConvertible {
        case otherVersion(Int)
        case unreadable

        public var description: String {
            switch self {
            case .otherVersion(let version):
                "the session is shared by a different version of session-guide (follow protocol \(version); "
                    + "this one speaks \(ShareMessage.protocolVersion)). Run the same version on both screens."
            case .unreadable:
                "a message from the shared session could not be read"
            }
        }
    }

    /// Bumped whenever a message changes in a way an older follower would misread.
    public static let protocolVersion = 1

    private struct Envelope: Codable {
        var version: Int
        var state: SharedSessionState?
        var ended: Bool?
    }

    private struct VersionOnly: Decodable {
        var version: Int
    }

    /// The message as one line of JSON, newline included.
    public func encoded() -> [UInt8] {
        let envelope: Envelope
        switch self {
        case .state(let state): envelope = Envelope(version: Self.protocolVersion, state: state)
        case .ended: envelope = Envelope(version: Self.protocolVersion, ended: true)
        }
        // Sorted keys: the same message is the same bytes every time, which is how the server tells an unchanged
        // state and sends nothing (without them, the order of keys changes from one encoding to the next).
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding plain value types can't fail; an empty line would be skipped by the follower anyway.
        return Array((try? encoder.encode(envelope)) ?? Data()) + [UInt8(ascii: "\n")]
    }

    /// Reads one line (without its newline). The version is checked first, so a follower of another version
    /// says so instead of misreading the rest.
    public static func decode(_ line: some Collection<UInt8>) throws(ReadError) -> ShareMessage {
        let data = Data(line)
        guard let stamp = try? JSONDecoder().decode(VersionOnly.self, from: data) else { throw .unreadable }
        guard stamp.version == protocolVersion else { throw .otherVersion(stamp.version) }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: data) else { throw .unreadable }
        if envelope.ended == true { return .ended }
        guard let state = envelope.state, state.isDrawable else { throw .unreadable }
        return .state(state)
    }
}
