import Foundation

/// One container that the apply started, kept, or ran to completion; the ledger records it.
public struct ContainerRunReport: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// Unchanged and already running: left alone.
        case kept
        /// Started and running.
        case running
        /// An ephemeral container that exited 0.
        case succeeded
        /// Exited non-zero, timed out, or could not be created or started.
        case failed
        /// Started by this apply, then stopped because the apply failed.
        case stopped
    }

    public var component: String
    public var container: String
    public var name: String
    public var image: String
    public var imageID: String?
    public var command: [String]
    /// Secrets replaced by `***`.
    public var environment: [String: String]
    public var ephemeral: Bool
    public var startedAt: Date?
    public var finishedAt: Date?
    public var exitCode: Int32?
    public var outcome: Outcome
    public var detail: String?
    public var logTail: String

    /// The log tail's lines, split at line feeds without carriage returns.
    public var logLines: [String] {
        OutputFollower.lines(of: logTail)
    }
}

/// Why an apply failed, for the exit code: a service that never became available is
/// not the same news as a migration that ran and failed.
public enum ApplyFailureCause: String, Sendable, Codable {
    /// A database event's PostgreSQL never became ready.
    case databaseNotReady
    /// Anything else: a container failed, an event timed out, the engine refused.
    case failed
}

/// The result of applying one release.
public struct ApplyReport: Sendable, Codable, Equatable {
    public var succeeded: Bool
    /// Which event or container failed, and why; nil on success.
    public var failure: String?
    public var failureCause: ApplyFailureCause? = nil
    public var runs: [ContainerRunReport]
    /// Event names in the order they fired, as "component/container: event".
    public var firedEvents: [String]
    /// Containers of the previous release that were stopped, and whether they were started again.
    public var stoppedPrevious: [String]
    public var restoredPrevious: [String]
    public var startedAt: Date
    public var finishedAt: Date
}

extension ApplyReport {
    /// An apply that stopped before it changed anything.
    static func refused(_ failure: String, startedAt: Date) -> ApplyReport {
        ApplyReport(
            succeeded: false,
            failure: failure,
            failureCause: .failed,
            runs: [],
            firedEvents: [],
            stoppedPrevious: [],
            restoredPrevious: [],
            startedAt: startedAt,
            finishedAt: Date()
        )
    }
}
