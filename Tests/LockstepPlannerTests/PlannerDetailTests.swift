import LockstepPlanner
import LockstepVersioning
import Testing

/// What `plan` prints besides the versions: channel sequence, required marker, notes, reasons.
@Suite struct PlannerDetailTests {
    @Test func stepsCarryChannelSequenceRequiredMarkerAndNotes() throws {
        let channel = ChannelFixture.history(["1.0.0", "1.1.0!", "1.2.0", "1.3.0"])
        let installed = ChannelFixture.installed("1.0.0", on: channel)
        let plan = try Planner.plan(PlanRequest(installed: installed, channel: channel, target: .latest)).get()
        #expect(plan.steps.map(\.channelSequence) == [2, 4])
        #expect(plan.steps.map(\.required) == [true, false])
        #expect(plan.steps.map(\.notes) == ["notes of 1.1.0", "notes of 1.3.0"])
        #expect(plan.steps.map(\.releaseSequence) == ["1.1.0", "1.3.0"].map(ChannelFixture.releaseSequence(of:)))
        #expect(plan.channel == "Stable")
    }

    @Test func refusalForAMissingVersionNamesTheNearestOnesInItsMessage() {
        let channel = ChannelFixture.history(["1.0.0", "1.2.0", "2.0.0"])
        let refusal = Planner.plan(PlanRequest(installed: nil, channel: channel, target: .version("1.1.0"))).refusal
        #expect(refusal?.reason == .notOnChannel)
        #expect(refusal?.message.contains("1.1.0") == true)
        #expect(refusal?.message.contains("1.0.0") == true)
        #expect(refusal?.message.contains("1.2.0") == true)
        #expect(refusal?.message.contains("Stable") == true)
    }

    @Test func refusalForADemotedTargetSaysItWasDemoted() {
        let channel = ChannelFixture.history(["1.0.0", "1.1.0~"])
        let refusal = Planner.plan(PlanRequest(installed: nil, channel: channel, target: .version("1.1.0"))).refusal
        #expect(refusal?.reason == .notOnChannel)
        #expect(refusal?.message.contains("demoted") == true)
    }

    @Test func failedRequiredRefusalTellsHowToGetUnstuck() {
        let channel = ChannelFixture.history(["1.0.0", "1.1.0!", "1.2.0"])
        let installed = ChannelFixture.installed("1.1.0", on: channel, lastDeployFailed: true)
        let refusal = Planner.plan(PlanRequest(installed: installed, channel: channel, target: .latest)).refusal
        #expect(refusal?.reason == .failedRequiredRelease)
        #expect(refusal?.message.contains("1.1.0") == true)
    }

    @Test func downgradeRefusalNamesTheBlockingRelease() {
        let channel = ChannelFixture.history(["1.0.0", "1.1.0!", "1.2.0"])
        let installed = ChannelFixture.installed("1.2.0", on: channel, deployed: ["1.0.0", "1.1.0", "1.2.0"])
        let refusal = Planner.plan(PlanRequest(installed: installed, channel: channel, target: .version("1.0.0"), allowDowngrade: true)).refusal
        #expect(refusal?.reason == .downgradePastRequired)
        #expect(refusal?.message.contains("1.1.0") == true)
    }

    @Test func confirmedSwitchBetweenIncomparableChannelsIsLogged() throws {
        let old = ChannelFixture.history(["n-1"], name: "Nightly", semver: false)
        let new = ChannelFixture.history(["1.0.0"])
        let installed = ChannelFixture.installed("n-1", on: old)
        let plan = try Planner.plan(PlanRequest(installed: installed, channel: new, target: .latest, confirmChannelSwitch: true)).get()
        #expect(plan.kind == .channelSwitch)
        #expect(plan.warnings.contains { $0.contains("Nightly") && $0.contains("Stable") })
    }

    @Test func targetTextLatestIsTheKeyword() {
        #expect(PlanTarget("latest") == .latest)
        #expect(PlanTarget("1.0.0") == .version("1.0.0"))
    }

    @Test func entriesNeedNotArriveSorted() throws {
        // Catalog rows come in channel-sequence order, which is not precedence order.
        let sorted = ChannelFixture.history(["1.0.0", "1.1.0!", "1.2.0!", "2.0.0"])
        var shuffled = sorted
        shuffled.entries = [sorted.entries[3], sorted.entries[1], sorted.entries[0], sorted.entries[2]]
        let installed = ChannelFixture.installed("1.0.0", on: shuffled)
        let plan = try Planner.plan(PlanRequest(installed: installed, channel: shuffled, target: .latest)).get()
        #expect(plan.steps.map(\.version) == ["1.1.0", "1.2.0", "2.0.0"])
    }
}
