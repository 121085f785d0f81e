import Testing
import SessionGuideContent
import SessionGuideEngine

@Suite("DrillPlan: a drill's timing expanded into phases")
struct DrillPlanTests {
    @Test func oneSetOfWork() {
        let phases = DrillPlan.phases(for: DrillTiming(effort: .work(seconds: 45)))
        #expect(phases.map(summary) == ["Work 45s 1/1"])
        #expect(phases[0].kind == .work)
        #expect(phases[0].side == nil)
        #expect(phases[0].isEffort)
    }

    @Test func threeSetsWithRest() {
        let phases = DrillPlan.phases(for: DrillTiming(effort: .hold(seconds: 10), sets: 3, rest: 15))
        #expect(phases.map(summary) == [
            "Hold 10s 1/3", "Rest 15s 1/3", "Hold 10s 2/3", "Rest 15s 2/3", "Hold 10s 3/3",
        ])
        #expect(phases.map(\.kind) == [.hold, .rest, .hold, .rest, .hold])
        #expect(phases.map(\.isEffort) == [true, false, true, false, true])
        #expect(phases.allSatisfy { $0.side == nil })
    }

    @Test func setsWithoutRestFollowEachOtherDirectly() {
        let phases = DrillPlan.phases(for: DrillTiming(effort: .work(seconds: 20), sets: 3, rest: 0))
        #expect(phases.map(summary) == ["Work 20s 1/3", "Work 20s 2/3", "Work 20s 3/3"])
    }

    @Test func perSideWithSetsAndRest() {
        let phases = DrillPlan.phases(for: DrillTiming(effort: .hold(seconds: 20), sets: 2, rest: 10, perSide: true))
        #expect(phases.map(summary) == [
            "Hold 20s L 1/2", "Switch sides 5s 1/2", "Hold 20s R 1/2",
            "Rest 10s 1/2",
            "Hold 20s L 2/2", "Switch sides 5s 2/2", "Hold 20s R 2/2",
        ])
        #expect(phases.map(\.kind) == [.hold, .switchSides, .hold, .rest, .hold, .switchSides, .hold])
        #expect(phases.map(\.side) == [.left, nil, .right, nil, .left, nil, .right])
        #expect(phases[1].seconds == DrillTiming.switchSidesSeconds)
        #expect(phases.filter(\.isEffort).count == 4)
    }

    @Test func perSideOneSetHasNoRest() {
        let phases = DrillPlan.phases(for: DrillTiming(effort: .work(seconds: 30), rest: 20, perSide: true))
        #expect(phases.map(summary) == ["Work 30s L 1/1", "Switch sides 5s 1/1", "Work 30s R 1/1"])
    }

    @Test func repsWithTempoLastCountTimesTempo() {
        let phases = DrillPlan.phases(for: DrillTiming(effort: .reps(count: 10, tempo: 3)))
        #expect(phases.map(summary) == ["10 reps 30s 1/1"])
        #expect(phases[0].kind == .reps(count: 10, tempo: 3))
        #expect(phases[0].seconds == 10 * 3)
    }

    @Test func repsWithTempoPerSide() {
        let phases = DrillPlan.phases(for: DrillTiming(effort: .reps(count: 10, tempo: 3), perSide: true))
        #expect(phases.map(summary) == ["10 reps 30s L 1/1", "Switch sides 5s 1/1", "10 reps 30s R 1/1"])
    }

    @Test func repsWithoutTempoHaveNoLength() {
        let phases = DrillPlan.phases(for: DrillTiming(effort: .reps(count: 8, tempo: nil), sets: 2, rest: 30))
        #expect(phases.map(summary) == ["8 reps ? 1/2", "Rest 30s 1/2", "8 reps ? 2/2"])
        #expect(phases[0].kind == .reps(count: 8, tempo: nil))
        #expect(phases[0].seconds == nil)
        #expect(phases[1].seconds == 30)
    }

    @Test func titles() {
        let timing = DrillTiming(effort: .reps(count: 12, tempo: nil), sets: 2, rest: 5, perSide: true)
        #expect(Set(DrillPlan.phases(for: timing).map(\.title)) == ["12 reps", "Switch sides", "Rest"])
        #expect(DrillPlan.phases(for: DrillTiming(effort: .work(seconds: 1)))[0].title == "Work")
        #expect(DrillPlan.phases(for: DrillTiming(effort: .hold(seconds: 1)))[0].title == "Hold")
        #expect(Side.left.title == "Left side")
        #expect(Side.right.title == "Right side")
    }

    static let timedTimings: [DrillTiming] = [
        DrillTiming(effort: .work(seconds: 45)),
        DrillTiming(effort: .work(seconds: 45), sets: 3),
        DrillTiming(effort: .hold(seconds: 10), sets: 3, rest: 15),
        DrillTiming(effort: .hold(seconds: 20), sets: 2, rest: 10, perSide: true),
        DrillTiming(effort: .hold(seconds: 30), perSide: true),
        DrillTiming(effort: .reps(count: 10, tempo: 3)),
        DrillTiming(effort: .reps(count: 10, tempo: 3), sets: 4, rest: 20, perSide: true),
        DrillTiming(effort: .reps(count: 1, tempo: 1), sets: 99, rest: 1),
        DrillTiming(effort: .work(seconds: 295), sets: 6, rest: 6, perSide: true),
    ]

    @Test("phase seconds add up to DrillTiming.totalSeconds", arguments: timedTimings)
    func phaseSecondsAddUpToTotal(timing: DrillTiming) throws {
        let phases = DrillPlan.phases(for: timing)
        let seconds = try phases.map { try #require($0.seconds) }
        #expect(seconds.reduce(0, +) == timing.totalSeconds)
        #expect(phases.filter(\.isEffort).count == timing.sets * (timing.perSide ? 2 : 1))
        #expect(phases.filter { $0.kind == .rest }.count == (timing.rest > 0 ? timing.sets - 1 : 0))
        #expect(phases.filter { $0.kind == .switchSides }.count == (timing.perSide ? timing.sets : 0))
        #expect(phases.allSatisfy { (1...timing.sets).contains($0.set) && $0.sets == timing.sets })
        #expect(DrillTimer(timing: timing).totalLength == Int64(timing.totalSeconds) * 1000)
    }

    @Test("the timer's estimate for reps without tempo matches DrillTiming.totalSeconds",
          arguments: [
              DrillTiming(effort: .reps(count: 8, tempo: nil)),
              DrillTiming(effort: .reps(count: 8, tempo: nil), sets: 2, rest: 30),
              DrillTiming(effort: .reps(count: 12, tempo: nil), sets: 3, rest: 10, perSide: true),
          ])
    func estimateForRepsWithoutTempo(timing: DrillTiming) {
        #expect(DrillPlan.phases(for: timing).filter(\.isEffort).allSatisfy { $0.seconds == nil })
        #expect(DrillTimer(timing: timing).totalLength == Int64(timing.totalSeconds) * 1000)
    }

    @Test("plans from parsed drill files, with and without use-site overrides")
    func plansFromParsedContent() throws {
        let library = try Fixture.library()
        let stretch = try #require(library.drill(id: "stretch"))
        #expect(DrillPlan.phases(for: stretch.timing).map(summary) == [
            "Hold 30s L 1/2", "Switch sides 5s 1/2", "Hold 30s R 1/2", "Rest 10s 1/2",
            "Hold 30s L 2/2", "Switch sides 5s 2/2", "Hold 30s R 2/2",
        ])
        let reference = DrillReference(drillID: "stretch", override: TimingOverride(hold: 20, sets: 1),
                                       location: SourceLocation(path: "x.md", line: 1, column: 1))
        let resolved = try #require(library.resolve(reference))
        #expect(DrillPlan.phases(for: resolved.timing).map(summary) == [
            "Hold 20s L 1/1", "Switch sides 5s 1/1", "Hold 20s R 1/1",
        ])
        let squat = try #require(library.drill(id: "squat"))
        #expect(DrillPlan.phases(for: squat.timing).map(summary) == ["8 reps ? 1/2", "Rest 30s 1/2", "8 reps ? 2/2"])
        let rocks = try #require(library.drill(id: "rocks"))
        #expect(DrillPlan.phases(for: rocks.timing).map(summary) == ["10 reps 30s 1/1"])
        let march = try #require(library.drill(id: "march"))
        #expect(DrillPlan.phases(for: march.timing).map(summary) == ["Work 45s 1/1"])
    }
}
