import LockstepPlanner
import LockstepVersioning
import Testing

/// One row of the rule table: a channel, what is installed, what is asked, what must come out.
struct PlannerCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        /// The path, as version labels, in order.
        case plan(PlanKind, [String])
        /// `nearest` is checked only when given.
        case refused(PlanRefusal.Reason, nearest: [String]? = nil)
    }

    var name: String
    var channel: [String]
    var channelName = "Stable"
    var semver = true
    var installed: String?
    /// The installation's channel when it differs from `channel` (rule 8).
    var installedChannel: [String]?
    var installedChannelName = "Beta"
    var installedChannelSemver = true
    var lastDeployFailed = false
    var deployed: [String] = []
    var target = "latest"
    var allowDowngrade = false
    var confirmChannelSwitch = false
    var expected: Expected

    var testDescription: String { name }

    var request: PlanRequest {
        let history = ChannelFixture.history(channel, name: channelName, semver: semver)
        let installedState = installed.map { label in
            let own =
                installedChannel.map {
                    ChannelFixture.history($0, name: installedChannelName, semver: installedChannelSemver)
                } ?? history
            return ChannelFixture.installed(label, on: own, lastDeployFailed: lastDeployFailed, deployed: deployed)
        }
        return PlanRequest(
            installed: installedState,
            channel: history,
            target: PlanTarget(target),
            allowDowngrade: allowDowngrade,
            confirmChannelSwitch: confirmChannelSwitch
        )
    }
}
