import Foundation
import Testing
import SessionGuideContent
import SessionGuideEngine

// What a shared session sends to its followers (`session --share NAME`, `follow NAME`): the patient-facing
// state, without therapist scripts, one line of versioned JSON per message, checked before it is drawn.

/// The message as sent, without its newline: what `ShareMessage.decode` is given.
private func line(_ message: ShareMessage) -> [UInt8] {
    Array(message.encoded().dropLast())
}

private func line(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The decoded message, or the error it was read with.
private func decoded(_ line: [UInt8]) -> Result<ShareMessage, ShareMessage.ReadError> {
    Result { () throws(ShareMessage.ReadError) -> ShareMessage in try ShareMessage.decode(line) }
}

/// A message as a JSON object, to be changed the way a faulty (or other) program might send it.
private func object(_ message: ShareMessage) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line(message))) as? [String: Any])
}

private func line(_ object: [String: Any]) throws -> [UInt8] {
    Array(try JSONSerialization.data(withJSONObject: object))
}

/// The fixture session on its Warm-up step (45 s of marching), its timer started at 1 s.
private func warmUpRunning() throws -> SessionEngine {
    var engine = try Fixture.engine()
    engine.press(.right, at: .ms(0))
    engine.press(.character(" "), at: .ms(1_000))
    return engine
}

@Suite("Shared session state")
struct SharedSessionStateTests {
    @Test("a step with a therapist script is shared without it, and its JSON has none of the script's words")
    func scriptLeftOut() throws {
        let engine = try Fixture.engine()
        try #require(engine.step.blocks.contains { $0.script != nil }, "the Welcome step should have a script")
        let shared = SharedSessionState(engine)
        #expect(!shared.step.blocks.contains { $0.script != nil })
        #expect(shared.step.blocks == engine.step.blocks.filter { $0.script == nil })
        #expect(shared.step.blocks.count == 1)
        #expect(shared.step.title == "Welcome")
        #expect(shared.sessionTitle == "Engine test session")
        #expect(shared.stepIndex == 0 && shared.stepCount == Fixture.stepTitles.count)
        #expect(shared.timer == nil && !shared.showsSummary)

        let json = String(decoding: ShareMessage.state(shared).encoded(), as: UTF8.self)
        #expect(json.contains("Hello and welcome."), "\(json)")
        for word in ["How have you been", "have you", "Opening", "script", "Script"] {
            #expect(!json.contains(word), "the shared JSON contains “\(word)”: \(json)")
        }
    }

    @Test("no step of the session shares a script, with scripts shown or hidden on the therapist's screen")
    func noStepSharesAScript() throws {
        var engine = try Fixture.engine()
        for hidden in [false, true] {
            if hidden { engine.press(.character("s"), at: .ms(0)) }
            #expect(engine.showScripts == !hidden)
            engine.jump(to: 0, at: .ms(0))
            for index in 0..<engine.steps.count {
                #expect(engine.currentStep == index)
                let json = String(decoding: ShareMessage.state(SharedSessionState(engine)).encoded(), as: UTF8.self)
                #expect(!json.contains("How have you been"), "step \(index + 1): \(json)")
                #expect(!json.contains("\"script\""), "step \(index + 1): \(json)")
                engine.press(.right, at: .ms(0))
            }
            #expect(engine.showsSummary)
            #expect(SharedSessionState(engine).showsSummary)
        }
    }

    @Test("the shared state carries the step's drill timer as the therapist's engine has it")
    func timerShared() throws {
        let engine = try warmUpRunning()
        let shared = SharedSessionState(engine)
        #expect(shared.stepIndex == Fixture.warmUp)
        #expect(shared.step.drill?.drill.id == "march")
        #expect(shared.timer == engine.timers[Fixture.warmUp])
        #expect(shared.timer?.isRunning == true)
        #expect(shared.isDrawable)

        // A drill step whose timer was never started shares a ready timer.
        var other = try Fixture.engine()
        other.jump(to: Fixture.bracing, at: .ms(0))
        let ready = SharedSessionState(other).timer
        #expect(ready?.state == .ready)
        #expect(ready?.displayedSeconds(at: .ms(0)) == 10)
    }
}

@Suite("Follow protocol messages")
struct ShareMessageTests {
    @Test("a state survives the trip through one line of JSON, stamped with the protocol version")
    func stateRoundTrip() throws {
        for engine in [try Fixture.engine(), try warmUpRunning()] {
            let message = ShareMessage.state(SharedSessionState(engine))
            let bytes = message.encoded()
            #expect(bytes.last == UInt8(ascii: "\n"))
            #expect(!bytes.dropLast().contains(UInt8(ascii: "\n")), "a message must be exactly one line")
            #expect(try object(message)["version"] as? Int == ShareMessage.protocolVersion)
            #expect(ShareMessage.protocolVersion == 1)
            #expect(try ShareMessage.decode(line(message)) == message)
        }
    }

    @Test("the summary and 'ended' survive the trip too")
    func summaryAndEndedRoundTrip() throws {
        var engine = try Fixture.engine()
        engine.press(.right, times: Fixture.stepTitles.count, at: .ms(0))
        #expect(engine.showsSummary)
        let summary = ShareMessage.state(SharedSessionState(engine))
        #expect(try ShareMessage.decode(line(summary)) == summary)

        let ended = ShareMessage.ended.encoded()
        #expect(ended.last == UInt8(ascii: "\n"))
        #expect(try ShareMessage.decode(ended.dropLast()) == .ended)
        #expect(try object(.ended)["version"] as? Int == 1)
        #expect(try object(.ended)["ended"] as? Bool == true)
    }

    @Test("a message encodes to the same bytes every time, so an unchanged state can be recognised and not resent")
    func deterministicEncoding() throws {
        for message in [ShareMessage.state(SharedSessionState(try warmUpRunning())), .ended] {
            let first = message.encoded()
            for _ in 0..<20 {
                #expect(message.encoded() == first)
            }
        }
    }

    @Test("a message of another protocol version is refused as such, before the rest is read")
    func otherVersion() throws {
        let state = try object(.state(SharedSessionState(try warmUpRunning())))
        var newer = state
        newer["version"] = 2
        let cases: [[UInt8]] = [
            try line(newer),  // today's state under tomorrow's number
            line(#"{"version":2}"#),
            line(#"{"version":2,"state":{"somethingNew":true}}"#),
            line(#"{"ended":true,"version":2}"#),
        ]
        for bytes in cases {
            #expect(decoded(bytes) == .failure(.otherVersion(2)), "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(decoded(line(#"{"version":0,"ended":true}"#)) == .failure(.otherVersion(0)))

        let description = ShareMessage.ReadError.otherVersion(2).description
        #expect(description.contains("different version of session-guide"), "\(description)")
        #expect(description.contains("follow protocol 2"), "\(description)")
        #expect(description.contains("this one speaks 1"), "\(description)")
        #expect(description.contains("Run the same version on both screens"), "\(description)")
        #expect(!ShareMessage.ReadError.unreadable.description.isEmpty)
    }

    @Test("garbage is unreadable, never a crash")
    func garbage() {
        let cases: [[UInt8]] = [
            [], line(" "), line("hello"), line("{"), line("}"), line("[]"), line("null"), line("1"), line("\"version\""),
            line(#"{"version":"1","ended":true}"#),  // a version that isn't a number
            line(#"{"version":1.5,"ended":true}"#),
            line(#"{"ended":true}"#),  // no version at all
            line(#"{"version":1}"#),  // neither a state nor the end
            line(#"{"version":1,"ended":false}"#),
            line(#"{"version":1,"state":null}"#),
            line(#"{"version":1,"state":{}}"#),
            line(#"{"version":1,"state":"step 3"}"#),
            [0xFF, 0xFE, 0x00, 0x7B],
            line(#"{"version":1,"ended":true"#),
        ]
        for bytes in cases {
            #expect(decoded(bytes) == .failure(.unreadable), "\(bytes.count) bytes: \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("every truncation of a real message is unreadable")
    func truncated() throws {
        for message in [ShareMessage.state(SharedSessionState(try warmUpRunning())), .ended] {
            let bytes = line(message)
            // Every cut near either end, and every 5th byte in between (a state is a few kilobytes).
            let cuts = Set(Array(0..<min(40, bytes.count)) + Array(stride(from: 0, to: bytes.count, by: 5))
                + Array(max(0, bytes.count - 40)..<bytes.count))
            for cut in cuts.sorted() {
                #expect(decoded(Array(bytes.prefix(cut))) == .failure(.unreadable), "cut at \(cut) of \(bytes.count)")
            }
        }
    }

    @Test("a state that can't be drawn (step out of range, a timer without phases or with numbers no timer has) is unreadable")
    func undrawableStates() throws {
        let good = try object(.state(SharedSessionState(try warmUpRunning())))
        let goodState = try #require(good["state"] as? [String: Any])
        let stepCount = try #require(goodState["stepCount"] as? Int)
        #expect(decoded(try line(good)) != .failure(.unreadable))

        func with(_ change: (inout [String: Any]) throws -> Void) throws -> [UInt8] {
            var state = goodState
            try change(&state)
            var message = good
            message["state"] = state
            return try line(message)
        }
        func withTimer(_ change: @escaping (inout [String: Any]) -> Void) throws -> [UInt8] {
            try with { state in
                var timer = try #require(state["timer"] as? [String: Any])
                change(&timer)
                state["timer"] = timer
            }
        }
        let cases: [(String, [UInt8])] = [
            ("stepIndex == stepCount", try with { $0["stepIndex"] = stepCount }),
            ("stepIndex past the end", try with { $0["stepIndex"] = 1_000 }),
            ("negative stepIndex", try with { $0["stepIndex"] = -1 }),
            ("no steps", try with { $0["stepCount"] = 0; $0["stepIndex"] = 0 }),
            ("negative stepCount", try with { $0["stepCount"] = -3 }),
            ("a timer with no phases", try withTimer { $0["phases"] = [Any]() }),
            ("a timer with a negative phase", try withTimer { $0["phaseIndex"] = -1 }),
            ("a timer started at the edge of time", try withTimer {
                $0["state"] = ["running": ["phaseStart": ["milliseconds": Int64.min]]]
            }),
            ("a timer a century long", try withTimer { $0["adjustment"] = Int64(3_155_760_000_000) }),
            ("a timer paused for longer than a day", try withTimer {
                $0["state"] = ["paused": ["elapsed": Int64.max]]
            }),
            ("a timer that isn't one", try with { $0["timer"] = "running" }),
            ("a step that isn't one", try with { $0["step"] = 5 }),
            ("no title", try with { $0["sessionTitle"] = nil }),
        ]
        for (what, bytes) in cases {
            #expect(decoded(bytes) == .failure(.unreadable), "\(what)")
        }

        // Built in code, the same states are not drawable either.
        var state = SharedSessionState(try warmUpRunning())
        #expect(state.isDrawable)
        state.stepIndex = state.stepCount
        #expect(!state.isDrawable)
        state.stepIndex = -1
        #expect(!state.isDrawable)
        state.stepIndex = 0
        state.timer = nil
        #expect(state.isDrawable)
    }
}
