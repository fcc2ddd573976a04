import Foundation
import LockstepCatalog
import LockstepPlanner

/// Where a plan starts: an installation's recorded state, a `--from` preview, or nothing.
public enum PlanOrigin: Sendable {
    case installation(InstallationRecord)
    case preview(version: String)
    case none
}

/// Reads what the planner needs from the catalog and asks it.
public struct PlanInputs: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// The channel a plan follows: the one asked for, else the installation's, else the default.
    public func channelName(requested: String?, installation: InstallationRecord?) throws -> String {
        if let requested { return requested }
        if let installation { return try catalog.channel(id: installation.channelID).name }
        return Catalog.defaultChannel
    }

    public func request(
        origin: PlanOrigin,
        channel channelName: String,
        target: String,
        allowDowngrade: Bool,
        confirmChannelSwitch: Bool
    ) throws -> PlanRequest {
        var installedSequence: Int64?
        var installedVersion: String?
        var installedChannelID: Int64?
        var lastDeployFailed = false
        var deployed = Set<Int64>()

        switch origin {
        case .none:
            break
        case .installation(let installation):
            if let sequence = installation.releaseSequence {
                let release = try catalog.release(sequence: sequence)
                installedSequence = sequence
                installedVersion = release.version
                installedChannelID = installation.channelID
                let deployments = try catalog.deployments(of: installation.name)
                lastDeployFailed = deployments.last(where: { $0.releaseSequence == sequence })?.status == .failed
                deployed = Set(deployments.filter { $0.status == .succeeded }.map(\.releaseSequence))
            }
        case .preview(let version):
            if let release = try? catalog.release(version) {
                installedSequence = release.sequence
                installedVersion = release.version
            } else {
                // A version the catalog never had can still be placed by SemVer precedence.
                installedSequence = -1
                installedVersion = version
            }
        }

        let slice = try catalog.planningSlice(
            channel: channelName,
            target: target,
            installedReleaseSequence: installedSequence,
            installedVersion: installedVersion
        )
        let history = slice.history

        var installed: InstalledState?
        if let installedSequence, let installedVersion {
            var installedChannel = history
            if let installedChannelID, installedChannelID != slice.channel.id {
                let (channel, own) = try catalog.promotions(ofRelease: installedSequence, onChannelID: installedChannelID)
                installedChannel = ChannelHistory(channel, promotions: own)
            }
            installed = InstalledState(
                version: installedVersion,
                releaseSequence: installedSequence,
                channel: installedChannel,
                lastDeployFailed: lastDeployFailed,
                deployedReleaseSequences: deployed
            )
        }
        return PlanRequest(
            installed: installed,
            channel: history,
            target: PlanTarget(target),
            allowDowngrade: allowDowngrade,
            confirmChannelSwitch: confirmChannelSwitch
        )
    }
}
