/// Why a ledger operation failed. Descriptions tell the user what to do and
/// never carry row content (which could hold what a secret filter missed).
public enum LedgerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The store refused a read or write (locked past the busy timeout, disk full, …).
    case database(operation: String, reason: String)
    /// A value that cannot be stored as asked.
    case invalidEntry(reason: String)
    /// Writing an export failed.
    case output(reason: String)

    public var description: String {
        switch self {
        case .database(let operation, let reason):
            return "cannot \(operation) the ledger: \(reason)"
        case .invalidEntry(let reason):
            return "invalid ledger entry: \(reason)"
        case .output(let reason):
            return "cannot write the export: \(reason)"
        }
    }
}
