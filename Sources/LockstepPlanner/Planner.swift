import LockstepVersioning

/// The upgrade-path rule of the design (section 2). Pure: no I/O, no clock.
public enum Planner {
    public static func plan(_ request: PlanRequest) -> Result<UpgradePlan, PlanRefusal> {
        do {
            return .success(try makePlan(request))
        } catch let refusal as PlanRefusal {
            return .failure(refusal)
        } catch {
            preconditionFailure("the planner throws only refusals")
        }
    }

    static func makePlan(_ request: PlanRequest) throws -> UpgradePlan {
        let channel = OrderedChannel(request.channel)
        let target = try resolveTarget(request.target, on: channel)
        let targetStep = channel.step(for: target)

        // Rule 1: first install goes straight to the target.
        guard let installed = request.installed else {
            return UpgradePlan(kind: .firstInstall, channel: channel.name, from: nil, target: target.version, steps: [targetStep], warnings: [])
        }

        // Rule 3: the same release is a redeploy, even when it is required.
        if installed.releaseSequence == target.releaseSequence {
            return UpgradePlan(
                kind: .redeploy,
                channel: channel.name,
                from: installed.version,
                target: target.version,
                steps: [targetStep],
                warnings: []
            )
        }

        // Rule 4: a required release whose last deploy failed blocks every other target.
        if installed.lastDeployFailed, OrderedChannel(installed.channel).isLiveRequired(releaseSequence: installed.releaseSequence) {
            throw PlanRefusal(
                reason: .failedRequiredRelease,
                message:
                    "the installed release \(installed.version) is required and its last deploy failed; redeploy it (`--to \(installed.version)`) until it succeeds, or have the vendor clear its required flag",
                nearest: []
            )
        }

        // Rule 8: a channel switch between channels whose versions cannot be compared.
        let switching = installed.channel.name.lowercased() != channel.name.lowercased()
        if switching, !(installed.channel.semver && channel.semver && SemanticVersion(installed.version) != nil) {
            guard request.confirmChannelSwitch else {
                throw PlanRefusal(
                    reason: .channelSwitchNeedsConfirmation,
                    message:
                        "switching from channel \(installed.channel.name) to \(channel.name): their versions cannot be compared, so required releases cannot be walked; pass --yes to install \(target.version) from \(channel.name) directly",
                    nearest: []
                )
            }
            return UpgradePlan(
                kind: .channelSwitch,
                channel: channel.name,
                from: installed.version,
                target: target.version,
                steps: [targetStep],
                warnings: ["switching channel \(installed.channel.name) -> \(channel.name) without comparing versions; starting at \(target.version)"]
            )
        }

        guard let position = channel.position(of: installed) else {
            throw PlanRefusal(
                reason: .installedNotOnChannel,
                message:
                    "the installed release \(installed.version) was never on channel \(channel.name), which orders releases by promotion; pass --yes with --channel to switch and start from the target",
                nearest: []
            )
        }
        let warnings =
            switching ? ["switching channel \(installed.channel.name) -> \(channel.name); required releases of \(channel.name) are walked"] : []

        switch channel.compare(position, channel.position(of: target)) {
        case .ascending, .equivalent:
            // Rule 5: every live required release strictly between, one per equivalent version, then the target.
            let stops = channel.requiredStops(after: position, before: channel.position(of: target))
            return UpgradePlan(
                kind: switching ? .channelSwitch : .upgrade,
                channel: channel.name,
                from: installed.version,
                target: target.version,
                steps: stops + [targetStep],
                warnings: warnings
            )
        case .descending:
            // Rule 6: downgrades need --allow-downgrade and may not cross a deployed required release.
            guard request.allowDowngrade else {
                throw PlanRefusal(
                    reason: .downgrade,
                    message:
                        "\(target.version) is older than the installed \(installed.version); downgrades are refused unless --allow-downgrade is given",
                    nearest: []
                )
            }
            let crossed = channel.deployedRequired(in: installed.deployedReleaseSequences, above: channel.position(of: target), upTo: position)
            if let blocker = crossed.first {
                throw PlanRefusal(
                    reason: .downgradePastRequired,
                    message:
                        "cannot downgrade from \(installed.version) to \(target.version): required release \(blocker.version) was deployed and its migrations cannot be undone",
                    nearest: crossed.map(\.version)
                )
            }
            return UpgradePlan(
                kind: .downgrade,
                channel: channel.name,
                from: installed.version,
                target: target.version,
                steps: [targetStep],
                warnings: warnings
            )
        }
    }

    /// The promotion rule 2 picks for `target` on `channel`, or nil when the plan would be
    /// refused. The store's planning slice asks this over the target's own promotions (all of
    /// the label's, and the live ones of equivalent versions), which decide it alone.
    public static func resolvedTarget(_ target: PlanTarget, on channel: ChannelHistory) -> ChannelEntry? {
        try? resolveTarget(target, on: OrderedChannel(channel))
    }

    /// Rule 2: `latest` is the highest live release; a named target must be live on the channel.
    static func resolveTarget(_ target: PlanTarget, on channel: OrderedChannel) throws -> ChannelEntry {
        switch target {
        case .latest:
            guard let latest = channel.live.last else {
                throw PlanRefusal(reason: .emptyChannel, message: "channel \(channel.name) has no releases", nearest: [])
            }
            return latest
        case .version(let label):
            if let exact = channel.live.last(where: { $0.version == label }) {
                return exact
            }
            // A bare version (`2.12.0`) names the version: its latest live promotion, as for stops.
            // A label with build metadata, or one that was promoted and demoted, names one release:
            // never replaced by another build.
            let promoted = channel.history.entries.contains { $0.version == label }
            if channel.semver, !promoted, let wanted = SemanticVersion(label), wanted.build.isEmpty,
                let equivalent = channel.live.last(where: { SemanticVersion($0.version)?.isEquivalent(to: wanted) == true })
            {
                return equivalent
            }
            let nearest = channel.nearest(to: label)
            let demoted = channel.history.entries.contains { $0.version == label && $0.demoted }
            let why = demoted ? "\(label) was demoted on channel \(channel.name)" : "\(label) is not on channel \(channel.name)"
            let hint = nearest.isEmpty ? "" : "; nearest available: \(nearest.joined(separator: ", "))"
            throw PlanRefusal(reason: .notOnChannel, message: why + hint, nearest: nearest)
        }
    }
}
