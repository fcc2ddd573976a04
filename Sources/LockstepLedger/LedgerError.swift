import LockstepStore

/// Why a ledger operation failed. Descriptions tell the user what to do and
/// never carry row content (which could hold what a secret filter missed).
public enum LedgerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The store refused a read or write (locked past the busy timeout, …).
    case database(operation: String, reason: String)
    /// The store's file is read-only, corrupt or full: the store's own sentence says what to fix.
    case store(StoreError)
    /// The Merkle tree's rows contradict each other (a stored hash missing, a size
    /// that does not fit): the store was edited, as a failed verify would say.
    case alteredTree(reason: String)
    /// A value that cannot be stored as asked.
    case invalidEntry(reason: String)
    /// Writing an export failed.
    case output(reason: String)

    public var description: String {
        switch self {
        case .database(let operation, let reason):
            return "cannot \(operation) the ledger: \(reason)"
        case .store(let error):
            return error.description
        case .alteredTree(let reason):
            return
                "the ledger's Merkle tree was altered: \(reason); `lockstep ledger verify` with a checkpoint held elsewhere says whether entries were"
        case .invalidEntry(let reason):
            return "invalid ledger entry: \(reason)"
        case .output(let reason):
            return "cannot write the export: \(reason)"
        }
    }
}
