import LockstepRuntime

/// What the runner needs to know about where and how a release is applied.
public struct RunnerOptions: Sendable {
    public enum OnFailure: String, Sendable, CaseIterable {
        /// Start the previous release's app containers again.
        case restore
        /// Leave them stopped.
        case stop
    }

    public var installation: String
    public var releaseLabel: String
    public var network: NetworkMode
    public var onFailure: OnFailure
    /// Treat `port-listen` on a postgres image as a bare TCP check.
    public var rawPortListen: Bool
    /// Lines of each container's log kept in its report.
    public var logTailLines: Int
    /// A run id that labels every container created by this apply. Resuming an apply
    /// reuses it, so a migration container that outlived a crash is recognised.
    public var runID: String
    /// Where ephemeral exit codes are recorded before their containers are removed.
    public var journal: (any RunJournal)?
    /// Hold `pg_advisory_lock` on the database while a migration that follows it runs.
    public var databaseLock: Bool
    /// Told at each point where the apply changes what runs (progress display, crash tests).
    public var milestones: (@Sendable (RunMilestone) -> Void)?

    public init(
        installation: String,
        releaseLabel: String,
        network: NetworkMode = .bridge,
        onFailure: OnFailure = .restore,
        rawPortListen: Bool = false,
        logTailLines: Int = 50,
        runID: String,
        journal: (any RunJournal)? = nil,
        databaseLock: Bool = false,
        milestones: (@Sendable (RunMilestone) -> Void)? = nil
    ) {
        self.installation = installation
        self.releaseLabel = releaseLabel
        self.network = network
        self.onFailure = onFailure
        self.rawPortListen = rawPortListen
        self.logTailLines = logTailLines
        self.runID = runID
        self.journal = journal
        self.databaseLock = databaseLock
        self.milestones = milestones
    }
}

/// Durable memory of ephemeral containers' exit codes, so that after a crash a
/// migration that already exited is judged by its recorded code, never run twice.
public protocol RunJournal: Sendable {
    func recordedExit(runID: String, containerName: String) async throws -> Int32?
    /// Must reach the disk before the container is removed: a resume depends on it.
    func recordExit(runID: String, containerName: String, exitCode: Int32) async throws
}

/// Points in an apply where what runs changes.
public enum RunMilestone: Sendable, Equatable {
    case waiting(event: String)
    case eventFired(String)
    case starting(container: String, ephemeral: Bool)
    case ephemeralStarted(container: String)
    /// A line an ephemeral container wrote (secrets masked).
    case output(container: String, line: String)
    /// The exit code is journaled; the container is not yet removed.
    case ephemeralExited(container: String, exitCode: Int32)
    case started(container: String)
}
