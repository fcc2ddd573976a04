import Foundation
import LockstepLedger
import LockstepManifest
import LockstepPlanner
import LockstepRunner
import LockstepRuntime

/// What a customer asked `upgrade` for.
public struct UpgradeRequest: Sendable {
    public var installation: String
    public var channel: String?
    public var target: String
    public var allowDowngrade: Bool
    public var confirmChannelSwitch: Bool
    /// Values from `--config` and `--set`; merged over those the installation used before.
    public var configValues: [String: String]
    public var nodeAddress: String?
    public var network: String?
    public var onFailure: RunnerOptions.OnFailure
    public var rawPortListen: Bool
    public var databaseLock: Bool
    public var lockTimeout: Duration
    /// `lockstep resume`: finish an interrupted upgrade and plan nothing new.
    public var resumeOnly: Bool
    /// Seals saved password values; without one they are not saved (asked for again).
    public var configSealer: ConfigSealer?
    /// `--redeploy`: deploy the installed release again even though its last deploy succeeded.
    public var redeploy: Bool = false

    public init(
        installation: String,
        channel: String? = nil,
        target: String,
        allowDowngrade: Bool = false,
        confirmChannelSwitch: Bool = false,
        configValues: [String: String] = [:],
        nodeAddress: String? = nil,
        network: String? = nil,
        onFailure: RunnerOptions.OnFailure = .restore,
        rawPortListen: Bool = false,
        databaseLock: Bool = false,
        lockTimeout: Duration = .seconds(60),
        resumeOnly: Bool = false,
        configSealer: ConfigSealer? = nil
    ) {
        self.installation = installation
        self.channel = channel
        self.target = target
        self.allowDowngrade = allowDowngrade
        self.confirmChannelSwitch = confirmChannelSwitch
        self.configValues = configValues
        self.nodeAddress = nodeAddress
        self.network = network
        self.onFailure = onFailure
        self.rawPortListen = rawPortListen
        self.databaseLock = databaseLock
        self.lockTimeout = lockTimeout
        self.resumeOnly = resumeOnly
        self.configSealer = configSealer
    }
}

/// What `upgrade` tells its caller while it works; the CLI renders it.
public enum UpgradeProgress: Sendable {
    case waitingForLock(holder: String?)
    case resuming(upgradeID: String, remaining: Int)
    case planned(steps: [UpgradeStepRecord], from: String?, kind: PlanKind)
    case upToDate(version: String)
    case nothingToResume
    case stepStarted(position: Int, of: Int, version: String)
    case milestone(position: Int, of: Int, RunMilestone)
    case stepFinished(position: Int, of: Int, version: String, report: ApplyReport)
}

/// How an upgrade ended.
public struct UpgradeOutcome: Sendable {
    public var upgradeID: String?
    public var succeeded: Bool
    public var installedVersion: String?
    public var failure: String?
    public var steps: [UpgradeStepRecord]
    public var reports: [ApplyReport]
}

public enum UpgradeError: Error, Sendable, CustomStringConvertible {
    case manifest(version: String, reason: String)
    case lock(InstallationLock.LockError)
    /// The upgrade journal could not be read or written.
    case journal(operation: String, reason: String)
    /// An image a step of the path needs is absent (lockstep never pulls): named before
    /// the first step starts, so an air-gapped walk never stops halfway for it.
    case imageMissing(version: String, image: String)

    public var description: String {
        switch self {
        case .manifest(let version, let reason): return "release \(version): \(reason)"
        case .lock(let error): return error.description
        case .journal(let operation, let reason):
            return
                "cannot \(operation) the upgrade journal: \(reason); run the same command again once the store is writable, it resumes where this one stopped"
        case .imageMissing(let version, let image):
            return
                "release \(version) needs image \(image), which the container engine does not have (lockstep never pulls; import a bundle with --images or load it); nothing was changed"
        }
    }
}
