import Foundation

/// The engine's view of a container's lifecycle state.
public enum ContainerStatus: Sendable, Hashable, CustomStringConvertible {
    case created, running, paused, restarting, exited, removing, dead
    /// A state this driver does not model (podman's "configured", "stopping"...).
    case other(String)

    public init(engineValue: String) {
        switch engineValue.lowercased() {
        case "created", "configured": self = .created
        case "running": self = .running
        case "paused": self = .paused
        case "restarting": self = .restarting
        case "exited", "stopped": self = .exited
        case "removing": self = .removing
        case "dead": self = .dead
        default: self = .other(engineValue)
        }
    }

    public var description: String {
        switch self {
        case .created: "created"
        case .running: "running"
        case .paused: "paused"
        case .restarting: "restarting"
        case .exited: "exited"
        case .removing: "removing"
        case .dead: "dead"
        case .other(let value): value
        }
    }
}

/// What `inspect` reports about one container.
public struct ContainerState: Sendable, Hashable {
    public var id: String
    public var name: String
    public var status: ContainerStatus
    /// Meaningful once `status == .exited`.
    public var exitCode: Int32
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The image's ID (hex, without a `sha256:` prefix).
    public var imageID: String
    /// The image reference the container was created from.
    public var image: String
    public var labels: [String: String]
    public var oomKilled: Bool

    public init(
        id: String,
        name: String,
        status: ContainerStatus,
        exitCode: Int32,
        startedAt: Date?,
        finishedAt: Date?,
        imageID: String,
        image: String,
        labels: [String: String],
        oomKilled: Bool
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.exitCode = exitCode
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.imageID = imageID
        self.image = image
        self.labels = labels
        self.oomKilled = oomKilled
    }

    public var isRunning: Bool { status == .running }

    /// "exited 3", "killed (137)", "running"...
    public var statusDescription: String {
        status == .exited ? ExitInterpretation.describe(exitCode, oomKilled: oomKilled) : status.description
    }
}

/// One row of `list(labels:)`.
public struct ContainerSummary: Sendable, Hashable {
    public var id: String
    public var name: String
    public var image: String
    /// The image's ID (hex, without a `sha256:` prefix).
    public var imageID: String
    public var status: ContainerStatus
    public var exitCode: Int32
    public var labels: [String: String]

    public init(id: String, name: String, image: String, imageID: String = "", status: ContainerStatus, exitCode: Int32, labels: [String: String]) {
        self.id = id
        self.name = name
        self.image = image
        self.imageID = imageID
        self.status = status
        self.exitCode = exitCode
        self.labels = labels
    }

    public init(_ state: ContainerState) {
        self.init(
            id: state.id,
            name: state.name,
            image: state.image,
            imageID: state.imageID,
            status: state.status,
            exitCode: state.exitCode,
            labels: state.labels
        )
    }

    /// The spec hash recorded when the container was created, if it was made by lockstep.
    public var specHash: String? { labels[LockstepLabel.specHash] }
}
