/// Failures of `PostgresSession` and `PostgresAdvisoryLock`. Messages are
/// redacted: they never contain the connection's password.
public enum PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConnectionString(ConnectionStringError)
    case connectionFailed(target: String, sqlstate: String?, message: String)
    case queryFailed(sqlstate: String?, message: String)
    case timedOut(target: String)
    case cancelled

    public var description: String {
        switch self {
        case .invalidConnectionString(let error):
            return error.description
        case .connectionFailed(let target, let sqlstate, let message):
            return
                "cannot connect to \(target): \(message)\(sqlstate.map { " (SQLSTATE \($0))" } ?? ""); check the connection string and that the server is ready (lockstep probe postgres)"
        case .queryFailed(let sqlstate, let message):
            return "statement failed: \(message)\(sqlstate.map { " (SQLSTATE \($0))" } ?? "")"
        case .timedOut(let target):
            return "timed out connecting to \(target); check that the server is ready (lockstep probe postgres)"
        case .cancelled:
            return "cancelled"
        }
    }

    /// The SQLSTATE PostgreSQL reported, when known.
    public var sqlstate: String? {
        switch self {
        case .connectionFailed(_, let sqlstate, _), .queryFailed(let sqlstate, _): return sqlstate
        default: return nil
        }
    }
}
