import LockstepPlanner
import LockstepVersioning
import Testing

/// The numbered rules of DESIGN.md section 2, one table per rule.
@Suite struct PlannerRuleTests {
    static let firstInstall: [PlannerCase] = [
        .init(
            name: "latest, required releases on the channel are not stops",
            channel: ["1.0.0!", "1.1.0!", "1.2.0"],
            expected: .plan(.firstInstall, ["1.2.0"])
        ),
        .init(
            name: "named target below required releases",
            channel: ["1.0.0", "1.1.0!", "1.2.0", "1.3.0!"],
            target: "1.2.0",
            expected: .plan(.firstInstall, ["1.2.0"])
        ),
        .init(
            name: "named required target",
            channel: ["1.0.0!", "1.1.0!"],
            target: "1.1.0",
            expected: .plan(.firstInstall, ["1.1.0"])
        ),
        .init(
            name: "named target must still be on the channel",
            channel: ["1.0.0", "1.2.0"],
            target: "1.1.0",
            expected: .refused(.notOnChannel, nearest: ["1.0.0", "1.2.0"])
        ),
    ]

    static let target: [PlannerCase] = [
        .init(
            name: "latest is the highest version, not the last promoted",
            channel: ["1.0.0", "2.0.0", "1.5.0"],
            expected: .plan(.firstInstall, ["2.0.0"])
        ),
        .init(
            name: "latest skips a demoted higher release",
            channel: ["1.0.0", "2.0.0", "2.1.0~"],
            expected: .plan(.firstInstall, ["2.0.0"])
        ),
        .init(
            name: "latest: a pre-release of a higher version beats a lower release",
            channel: ["1.0.0", "1.1.0-rc.1"],
            expected: .plan(.firstInstall, ["1.1.0-rc.1"])
        ),
        .init(
            name: "latest: release beats its own pre-release promoted later",
            channel: ["2.0.0", "2.0.0-rc.2"],
            expected: .plan(.firstInstall, ["2.0.0"])
        ),
        .init(
            name: "latest among equivalent builds is the latest promotion",
            channel: ["2.12.0+1", "2.12.0+2"],
            expected: .plan(.firstInstall, ["2.12.0+2"])
        ),
        .init(
            name: "latest among equivalent builds: ties broken by channel sequence, not build label",
            channel: ["2.12.0+2", "2.12.0+1"],
            expected: .plan(.firstInstall, ["2.12.0+1"])
        ),
        .init(
            name: "latest on an all-demoted channel is refused",
            channel: ["1.0.0~", "1.1.0~"],
            expected: .refused(.emptyChannel)
        ),
        .init(
            name: "named target between two versions names both neighbours",
            channel: ["1.0.0", "1.2.0", "2.0.0"],
            installed: "1.0.0",
            target: "1.1.0",
            expected: .refused(.notOnChannel, nearest: ["1.0.0", "1.2.0"])
        ),
        .init(
            name: "named target above everything names the highest",
            channel: ["1.0.0", "2.0.0"],
            installed: "1.0.0",
            target: "3.0.0",
            expected: .refused(.notOnChannel, nearest: ["2.0.0"])
        ),
        .init(
            name: "named target below everything names the lowest",
            channel: ["1.0.0", "2.0.0"],
            target: "0.1.0",
            expected: .refused(.notOnChannel, nearest: ["1.0.0"])
        ),
        .init(
            name: "nearest versions skip demoted neighbours",
            channel: ["1.0.0", "1.0.5~", "1.2.0", "1.1.5~"],
            target: "1.1.0",
            expected: .refused(.notOnChannel, nearest: ["1.0.0", "1.2.0"])
        ),
        .init(
            name: "named demoted target is refused, never replaced",
            channel: ["1.0.0", "1.1.0~", "1.2.0"],
            installed: "1.0.0",
            target: "1.1.0",
            expected: .refused(.notOnChannel, nearest: ["1.0.0", "1.2.0"])
        ),
        .init(
            name: "named demoted required target is refused",
            channel: ["1.0.0", "1.1.0!~", "1.2.0"],
            installed: "1.0.0",
            target: "1.1.0",
            expected: .refused(.notOnChannel)
        ),
        .init(
            name: "named demoted build is refused even when another build of the version is live",
            channel: ["1.0.0", "2.12.0+1~", "2.12.0+2", "3.0.0"],
            installed: "1.0.0",
            target: "2.12.0+1",
            expected: .refused(.notOnChannel, nearest: ["1.0.0", "2.12.0+2", "3.0.0"])
        ),
        .init(
            name: "named build that does not exist is not replaced by another build",
            channel: ["1.0.0", "2.12.0+2"],
            installed: "1.0.0",
            target: "2.12.0+7",
            expected: .refused(.notOnChannel, nearest: ["1.0.0", "2.12.0+2"])
        ),
        .init(
            name: "a bare version names its latest live build",
            channel: ["1.0.0", "2.12.0+2", "2.12.0+1", "2.12.0+3~", "3.0.0"],
            installed: "1.0.0",
            target: "2.12.0",
            expected: .plan(.upgrade, ["2.12.0+1"])
        ),
        .init(
            name: "a bare version that was itself demoted is refused",
            channel: ["1.0.0", "2.12.0~", "2.12.0+1"],
            installed: "1.0.0",
            target: "2.12.0",
            expected: .refused(.notOnChannel, nearest: ["1.0.0", "2.12.0+1"])
        ),
        .init(
            name: "a label that is not SemVer is not on a semver channel",
            channel: ["1.0.0"],
            target: "v1.0.0",
            expected: .refused(.notOnChannel)
        ),
        .init(
            name: "named target on a promotion-ordered channel",
            channel: ["nightly-7", "nightly-9"],
            semver: false,
            target: "nightly-7",
            expected: .plan(.firstInstall, ["nightly-7"])
        ),
    ]

    static let sameRelease: [PlannerCase] = [
        .init(
            name: "redeploy",
            channel: ["1.0.0", "1.1.0", "1.2.0"],
            installed: "1.1.0",
            target: "1.1.0",
            expected: .plan(.redeploy, ["1.1.0"])
        ),
        .init(
            name: "redeploy of the latest",
            channel: ["1.0.0", "1.1.0"],
            installed: "1.1.0",
            expected: .plan(.redeploy, ["1.1.0"])
        ),
        .init(
            name: "redeploy of a required release",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "1.1.0",
            target: "1.1.0",
            expected: .plan(.redeploy, ["1.1.0"])
        ),
    ]

    static let failedRequired: [PlannerCase] = [
        .init(
            name: "upgrade past a failed required release is refused",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "1.1.0",
            lastDeployFailed: true,
            expected: .refused(.failedRequiredRelease)
        ),
        .init(
            name: "a named other version is refused too",
            channel: ["1.0.0", "1.1.0!", "1.2.0", "1.3.0"],
            installed: "1.1.0",
            lastDeployFailed: true,
            target: "1.2.0",
            expected: .refused(.failedRequiredRelease)
        ),
        .init(
            name: "a downgrade is refused too, even when allowed",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "1.1.0",
            lastDeployFailed: true,
            target: "1.0.0",
            allowDowngrade: true,
            expected: .refused(.failedRequiredRelease)
        ),
        .init(
            name: "another build of the same version is another target",
            channel: ["1.0.0", "1.1.0+1!", "1.1.0+2"],
            installed: "1.1.0+1",
            lastDeployFailed: true,
            target: "1.1.0+2",
            expected: .refused(.failedRequiredRelease)
        ),
        .init(
            name: "the redeploy is allowed",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "1.1.0",
            lastDeployFailed: true,
            target: "1.1.0",
            expected: .plan(.redeploy, ["1.1.0"])
        ),
        .init(
            name: "allowed again once the vendor clears the required flag",
            channel: ["1.0.0", "1.1.0", "1.2.0"],
            installed: "1.1.0",
            lastDeployFailed: true,
            expected: .plan(.upgrade, ["1.2.0"])
        ),
        .init(
            name: "allowed again once the vendor demotes it",
            channel: ["1.0.0", "1.1.0!~", "1.2.0"],
            installed: "1.1.0",
            lastDeployFailed: true,
            expected: .plan(.upgrade, ["1.2.0"])
        ),
        .init(
            name: "a required release whose last deploy succeeded does not block",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "1.1.0",
            expected: .plan(.upgrade, ["1.2.0"])
        ),
    ]

    @Test("rule 1: first install", arguments: firstInstall) func rule1(_ row: PlannerCase) { check(row) }
    @Test("rule 2: target resolution", arguments: target) func rule2(_ row: PlannerCase) { check(row) }
    @Test("rule 3: same release", arguments: sameRelease) func rule3(_ row: PlannerCase) { check(row) }
    @Test("rule 4: failed required release", arguments: failedRequired) func rule4(_ row: PlannerCase) { check(row) }
    @Test("rules 5 and 7: upgrade stops", arguments: upgrade) func rule5(_ row: PlannerCase) { check(row) }
    @Test("rule 6: downgrade", arguments: downgrade) func rule6(_ row: PlannerCase) { check(row) }
    @Test("rule 8: channel switch", arguments: channelSwitch) func rule8(_ row: PlannerCase) { check(row) }
    @Test("promotion-ordered channels", arguments: promotionOrdered) func promotionOrder(_ row: PlannerCase) { check(row) }

    private func check(_ row: PlannerCase, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = Planner.plan(row.request)
        switch (row.expected, result) {
        case (.plan(let kind, let path), .success(let plan)):
            #expect(plan.kind == kind, sourceLocation: sourceLocation)
            #expect(plan.steps.map(\.version) == path, sourceLocation: sourceLocation)
            #expect(plan.target == path.last, sourceLocation: sourceLocation)
            #expect(plan.from == row.installed, sourceLocation: sourceLocation)
        case (.refused(let reason, let nearest), .failure(let refusal)):
            #expect(refusal.reason == reason, "\(refusal.message)", sourceLocation: sourceLocation)
            if let nearest {
                #expect(refusal.nearest == nearest, sourceLocation: sourceLocation)
            }
            #expect(!refusal.message.isEmpty, sourceLocation: sourceLocation)
        case (.plan, .failure(let refusal)):
            Issue.record("expected a plan, got a refusal (\(refusal.reason)): \(refusal.message)", sourceLocation: sourceLocation)
        case (.refused(let reason, _), .success(let plan)):
            Issue.record("expected a refusal (\(reason)), got \(plan.kind) \(plan.steps.map(\.version))", sourceLocation: sourceLocation)
        }
    }
}
