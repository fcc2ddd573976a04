import LockstepPlanner
import LockstepVersioning

/// The tables of rules 5 to 8 and of promotion-ordered channels (DESIGN.md section 2).
extension PlannerRuleTests {
    static let upgrade: [PlannerCase] = [
        .init(
            name: "every required release in between, ascending, then the target",
            channel: ["1.0.0", "1.1.0!", "1.2.0", "1.3.0!", "1.4.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["1.1.0", "1.3.0", "1.4.0"])
        ),
        .init(
            name: "no required release in between: straight to the target",
            channel: ["1.0.0", "1.1.0", "1.2.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["1.2.0"])
        ),
        .init(
            name: "the installed release is not a stop even when required",
            channel: ["1.0.0!", "1.1.0", "1.2.0!", "1.3.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["1.2.0", "1.3.0"])
        ),
        .init(
            name: "a required target is simply the last step",
            channel: ["1.0.0", "1.1.0!", "1.2.0!", "1.3.0!"],
            installed: "1.0.0",
            target: "1.2.0",
            expected: .plan(.upgrade, ["1.1.0", "1.2.0"])
        ),
        .init(
            name: "required releases above the target are not stops",
            channel: ["1.0.0", "1.1.0", "1.2.0!"],
            installed: "1.0.0",
            target: "1.1.0",
            expected: .plan(.upgrade, ["1.1.0"])
        ),
        .init(
            name: "required releases below the installed one are not stops",
            channel: ["1.0.0!", "1.1.0!", "1.2.0", "1.3.0"],
            installed: "1.2.0",
            expected: .plan(.upgrade, ["1.3.0"])
        ),
        .init(
            name: "stops follow precedence, not promotion order",
            channel: ["1.0.0", "2.0.0", "1.7.0!", "1.5.0!"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["1.5.0", "1.7.0", "2.0.0"])
        ),
        .init(
            name: "numeric parts compare as numbers",
            channel: ["2.9.0", "2.10.0!", "2.11.0", "2.100.0"],
            installed: "2.9.0",
            expected: .plan(.upgrade, ["2.10.0", "2.100.0"])
        ),
        .init(
            name: "equivalent builds, both required: a single stop, the latest promotion",
            channel: ["1.0.0", "2.12.0+1!", "2.12.0+2!", "3.0.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["2.12.0+2", "3.0.0"])
        ),
        .init(
            name: "equivalent builds promoted in reverse order: the latest promotion wins",
            channel: ["1.0.0", "2.12.0+2!", "2.12.0+1!", "3.0.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["2.12.0+1", "3.0.0"])
        ),
        .init(
            name: "a build equivalent to the installed version is not a stop",
            channel: ["2.12.0+1", "2.12.0+2!", "3.0.0"],
            installed: "2.12.0+1",
            expected: .plan(.upgrade, ["3.0.0"])
        ),
        .init(
            name: "a required build equivalent to the target is not a stop",
            channel: ["1.0.0", "3.0.0+1!", "3.0.0+2"],
            installed: "1.0.0",
            target: "3.0.0+2",
            expected: .plan(.upgrade, ["3.0.0+2"])
        ),
        .init(
            name: "pre-releases come before their release",
            channel: ["1.0.0", "2.0.0!", "2.0.0-rc.2!", "2.0.0-rc.1", "3.0.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["2.0.0-rc.2", "2.0.0", "3.0.0"])
        ),
        .init(
            name: "pre-release identifiers: numeric below alphanumeric, numbers by value",
            channel: ["1.0.0", "2.0.0-beta.11!", "2.0.0-beta.2!", "2.0.0-beta!", "2.0.0-alpha.beta!", "2.0.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["2.0.0-alpha.beta", "2.0.0-beta", "2.0.0-beta.2", "2.0.0-beta.11", "2.0.0"])
        ),
        .init(
            name: "from a pre-release to its release",
            channel: ["2.0.0-rc.1", "2.0.0-rc.2!", "2.0.0"],
            installed: "2.0.0-rc.1",
            expected: .plan(.upgrade, ["2.0.0-rc.2", "2.0.0"])
        ),
        .init(
            name: "demoted required releases are skipped (rule 7)",
            channel: ["1.0.0", "1.1.0!~", "1.2.0!", "1.3.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["1.2.0", "1.3.0"])
        ),
        .init(
            name: "a demoted build does not stand in for its live equivalent",
            channel: ["1.0.0", "2.12.0+1!", "2.12.0+2!~", "3.0.0"],
            installed: "1.0.0",
            expected: .plan(.upgrade, ["2.12.0+1", "3.0.0"])
        ),
        .init(
            name: "upgrading to another build of the installed version",
            channel: ["2.12.0+1", "2.12.0+2"],
            installed: "2.12.0+1",
            expected: .plan(.upgrade, ["2.12.0+2"])
        ),
    ]

    static let downgrade: [PlannerCase] = [
        .init(
            name: "refused by default",
            channel: ["1.0.0", "1.1.0", "1.2.0"],
            installed: "1.2.0",
            target: "1.0.0",
            expected: .refused(.downgrade)
        ),
        .init(
            name: "allowed when asked and no deployed required release is crossed",
            channel: ["1.0.0", "1.1.0", "1.2.0"],
            installed: "1.2.0",
            deployed: ["1.0.0", "1.1.0", "1.2.0"],
            target: "1.0.0",
            allowDowngrade: true,
            expected: .plan(.downgrade, ["1.0.0"])
        ),
        .init(
            name: "refused past a deployed required release in between",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "1.2.0",
            deployed: ["1.0.0", "1.1.0", "1.2.0"],
            target: "1.0.0",
            allowDowngrade: true,
            expected: .refused(.downgradePastRequired, nearest: ["1.1.0"])
        ),
        .init(
            name: "refused when the installed release itself is required and deployed",
            channel: ["1.0.0", "1.2.0!"],
            installed: "1.2.0",
            deployed: ["1.0.0", "1.2.0"],
            target: "1.0.0",
            allowDowngrade: true,
            expected: .refused(.downgradePastRequired)
        ),
        .init(
            name: "a required target itself does not block",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "1.2.0",
            deployed: ["1.1.0", "1.2.0"],
            target: "1.1.0",
            allowDowngrade: true,
            expected: .plan(.downgrade, ["1.1.0"])
        ),
        .init(
            name: "a required release never deployed (skipped by a first install) does not block",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "1.2.0",
            deployed: ["1.2.0"],
            target: "1.0.0",
            allowDowngrade: true,
            expected: .plan(.downgrade, ["1.0.0"])
        ),
        .init(
            name: "a demoted required release does not block (rule 7)",
            channel: ["1.0.0", "1.1.0!~", "1.2.0"],
            installed: "1.2.0",
            deployed: ["1.0.0", "1.1.0", "1.2.0"],
            target: "1.0.0",
            allowDowngrade: true,
            expected: .plan(.downgrade, ["1.0.0"])
        ),
        .init(
            name: "a deployed required release above the installed one does not block",
            channel: ["1.0.0", "1.1.0", "1.3.0!"],
            installed: "1.1.0",
            deployed: ["1.0.0", "1.1.0", "1.3.0"],
            target: "1.0.0",
            allowDowngrade: true,
            expected: .plan(.downgrade, ["1.0.0"])
        ),
        .init(
            name: "from a release to its own pre-release is a downgrade",
            channel: ["2.0.0-rc.1", "2.0.0"],
            installed: "2.0.0",
            target: "2.0.0-rc.1",
            expected: .refused(.downgrade)
        ),
    ]

    static let channelSwitch: [PlannerCase] = [
        .init(
            name: "semver to semver walks the new channel's required releases",
            channel: ["1.0.0", "1.0.5!", "1.1.0", "1.2.0"],
            installed: "1.0.0",
            installedChannel: ["1.0.0", "1.1.0!"],
            expected: .plan(.channelSwitch, ["1.0.5", "1.2.0"])
        ),
        .init(
            name: "semver to semver from a version the new channel never had",
            channel: ["1.0.0", "1.1.0!", "2.0.0"],
            installed: "1.0.5-beta.1",
            installedChannel: ["1.0.5-beta.1"],
            expected: .plan(.channelSwitch, ["1.1.0", "2.0.0"])
        ),
        .init(
            name: "semver to semver keeps the downgrade rule",
            channel: ["1.0.0", "1.1.0"],
            installed: "2.0.0-beta.1",
            installedChannel: ["2.0.0-beta.1"],
            expected: .refused(.downgrade)
        ),
        .init(
            name: "to a promotion-ordered channel needs --yes",
            channel: ["nightly-1", "nightly-2"],
            channelName: "Nightly",
            semver: false,
            installed: "1.0.0",
            installedChannel: ["1.0.0"],
            expected: .refused(.channelSwitchNeedsConfirmation)
        ),
        .init(
            name: "to a promotion-ordered channel with --yes: one step to its target",
            channel: ["nightly-1", "nightly-2!", "nightly-3"],
            channelName: "Nightly",
            semver: false,
            installed: "1.0.0",
            installedChannel: ["1.0.0"],
            confirmChannelSwitch: true,
            expected: .plan(.channelSwitch, ["nightly-3"])
        ),
        .init(
            name: "from a promotion-ordered channel needs --yes",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "nightly-2",
            installedChannel: ["nightly-1", "nightly-2"],
            installedChannelName: "Nightly",
            installedChannelSemver: false,
            expected: .refused(.channelSwitchNeedsConfirmation)
        ),
        .init(
            name: "from a promotion-ordered channel with --yes: one step, no stops",
            channel: ["1.0.0", "1.1.0!", "1.2.0"],
            installed: "nightly-2",
            installedChannel: ["nightly-1", "nightly-2"],
            installedChannelName: "Nightly",
            installedChannelSemver: false,
            target: "1.2.0",
            confirmChannelSwitch: true,
            expected: .plan(.channelSwitch, ["1.2.0"])
        ),
    ]

    static let promotionOrdered: [PlannerCase] = [
        .init(
            name: "latest is the last promoted",
            channel: ["9.0", "10.0", "2.0"],
            semver: false,
            expected: .plan(.firstInstall, ["2.0"])
        ),
        .init(
            name: "stops follow the channel sequence, not the labels",
            channel: ["build-b", "build-a!", "build-d", "build-c!", "build-e"],
            semver: false,
            installed: "build-b",
            expected: .plan(.upgrade, ["build-a", "build-c", "build-e"])
        ),
        .init(
            name: "demoted required entries are skipped",
            channel: ["b", "a!~", "c"],
            semver: false,
            installed: "b",
            expected: .plan(.upgrade, ["c"])
        ),
        .init(
            name: "an earlier promotion is a downgrade",
            channel: ["build-b", "build-a", "build-c"],
            semver: false,
            installed: "build-c",
            target: "build-b",
            expected: .refused(.downgrade)
        ),
        .init(
            name: "labels that look like SemVer are still ordered by promotion",
            channel: ["2.0.0", "1.0.0!", "1.5.0"],
            semver: false,
            installed: "2.0.0",
            expected: .plan(.upgrade, ["1.0.0", "1.5.0"])
        ),
    ]
}
