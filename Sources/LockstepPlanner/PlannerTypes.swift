import LockstepVersioning

/// One promotion as the planner sees it.
public struct ChannelEntry: Sendable, Hashable, Codable {
    public var version: String
    /// `SemanticVersion.precedenceKey` of `version`; empty when it is not SemVer.
    public var versionKey: String
    public var releaseSequence: Int64
    public var channelSequence: Int64
    public var required: Bool
    public var demoted: Bool
    public var notes: String

    public init(
        version: String,
        versionKey: String? = nil,
        releaseSequence: Int64,
        channelSequence: Int64,
        required: Bool,
        demoted: Bool = false,
        notes: String = ""
    ) {
        self.version = version
        self.versionKey = versionKey ?? SemanticVersion(version)?.precedenceKey ?? ""
        self.releaseSequence = releaseSequence
        self.channelSequence = channelSequence
        self.required = required
        self.demoted = demoted
        self.notes = notes
    }
}

/// A channel's whole promotion history, demoted entries included.
public struct ChannelHistory: Sendable, Hashable {
    public var name: String
    public var semver: Bool
    public var entries: [ChannelEntry]

    public init(name: String, semver: Bool, entries: [ChannelEntry]) {
        self.name = name
        self.semver = semver
        self.entries = entries
    }
}

/// What an installation runs, and what it ran before.
public struct InstalledState: Sendable, Hashable {
    public var version: String
    public var releaseSequence: Int64
    public var channel: ChannelHistory
    /// The last deploy of the installed release failed.
    public var lastDeployFailed: Bool
    /// Releases this installation actually deployed successfully.
    public var deployedReleaseSequences: Set<Int64>

    public init(
        version: String,
        releaseSequence: Int64,
        channel: ChannelHistory,
        lastDeployFailed: Bool = false,
        deployedReleaseSequences: Set<Int64> = []
    ) {
        self.version = version
        self.releaseSequence = releaseSequence
        self.channel = channel
        self.lastDeployFailed = lastDeployFailed
        self.deployedReleaseSequences = deployedReleaseSequences
    }
}

public enum PlanTarget: Sendable, Hashable, CustomStringConvertible {
    case latest
    case version(String)

    public init(_ text: String) {
        self = text == "latest" ? .latest : .version(text)
    }

    public var description: String {
        switch self {
        case .latest: return "latest"
        case .version(let version): return version
        }
    }
}

public struct PlanRequest: Sendable, Hashable {
    public var installed: InstalledState?
    public var channel: ChannelHistory
    public var target: PlanTarget
    public var allowDowngrade: Bool
    /// `--yes`: accept a switch between channels whose versions cannot be compared.
    public var confirmChannelSwitch: Bool

    public init(
        installed: InstalledState?,
        channel: ChannelHistory,
        target: PlanTarget,
        allowDowngrade: Bool = false,
        confirmChannelSwitch: Bool = false
    ) {
        self.installed = installed
        self.channel = channel
        self.target = target
        self.allowDowngrade = allowDowngrade
        self.confirmChannelSwitch = confirmChannelSwitch
    }
}

public struct PlanStep: Sendable, Hashable, Codable {
    public var version: String
    public var releaseSequence: Int64
    public var channelSequence: Int64
    public var required: Bool
    public var notes: String
}

/// The wire name (`rawValue`) is for JSON; `description` is for people.
public enum PlanKind: String, Sendable, Codable, CustomStringConvertible {
    case firstInstall, redeploy, upgrade, downgrade, channelSwitch

    public var description: String {
        switch self {
        case .firstInstall: "first install"
        case .redeploy: "redeploy"
        case .upgrade: "upgrade"
        case .downgrade: "downgrade"
        case .channelSwitch: "channel switch"
        }
    }
}

public struct UpgradePlan: Sendable, Hashable, Codable {
    public var kind: PlanKind
    public var channel: String
    public var from: String?
    public var target: String
    public var steps: [PlanStep]
    public var warnings: [String]
}

/// The planner's "no", with a machine-readable reason and a sentence for people.
public struct PlanRefusal: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Reason: String, Sendable, Codable {
        case emptyChannel, notOnChannel, failedRequiredRelease, downgrade, downgradePastRequired
        case channelSwitchNeedsConfirmation, installedNotOnChannel
    }

    public var reason: Reason
    public var message: String
    public var nearest: [String]

    public var description: String { message }
}
