/// Documented exit statuses (README "Exit codes"). `probe postgres` has its own table.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// The operation ran and failed: a step failed, the ledger does not verify.
    case failure = 1
    /// Bad flags or arguments (ArgumentParser's own validation code).
    case usage = 64
    /// Invalid data: bad SemVer, bad YAML, a manifest with lint errors.
    case invalidData = 65
    /// An unknown release, channel, installation or ledger row.
    case notFound = 66
    /// Refused: the planner's rule or an immutability/uniqueness rule says no.
    case refused = 67
    /// A needed service is unavailable: no container engine, a step whose PostgreSQL never became ready.
    case unavailable = 69
    /// The store cannot be used: not SQLite, written by a newer lockstep, a read or write refused.
    case storeError = 74
    /// Another process holds the installation's lock past --lock-timeout.
    case locked = 75
}

/// An error that knows how the CLI should report it. Conformances live in this
/// module so the core libraries stay free of CLI concerns.
protocol ExitCoded: Error {
    var exitStatus: ExitStatus { get }
    var userMessage: String { get }
}
