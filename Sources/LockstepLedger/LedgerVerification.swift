/// The outcome of recomputing the hash chain.
public enum LedgerVerification: Sendable, Equatable, CustomStringConvertible {
    /// Every row matches its hash and links to the one before. `headHash` is the
    /// last row's hash: record it elsewhere to detect a chain rewritten wholesale later.
    case intact(rows: Int, headHash: String)
    case broken(LedgerBreak)

    public var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .intact(let rows, let headHash):
            return rows == 0 ? "ledger intact: 0 rows" : "ledger intact: \(rows) rows, head \(headHash)"
        case .broken(let problem):
            return problem.description
        }
    }
}

/// The first row where the chain does not hold, and why.
public struct LedgerBreak: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The row's content no longer hashes to its row_hash.
        case contentMismatch
        /// The row's previous_hash is not the row_hash of the row before it.
        case previousHashMismatch
        /// Row ids jump: these ids before the row are missing.
        case missingRows(from: Int64, through: Int64)
        /// The store once held rows after the last one.
        case truncated(from: Int64, through: Int64)
        /// The row's content does not hash to its leaf in the Merkle tree.
        case leafMismatch
        /// A stored interior hash of the tree, completed by this row, is not what the leaves give.
        case treeHashMismatch(index: Int64)
        /// The tree covers a different number of entries than the ledger holds.
        case treeSizeMismatch(entries: Int64, treeSize: Int64)
    }

    /// The row auditors should look at (for `.truncated`, the first missing id).
    public let row: Int64
    public let reason: Reason
    /// Rows before `row` that verified.
    public let verifiedRows: Int

    public init(row: Int64, reason: Reason, verifiedRows: Int) {
        self.row = row
        self.reason = reason
        self.verifiedRows = verifiedRows
    }

    public var description: String {
        switch reason {
        case .contentMismatch:
            return "row \(row): content does not match its hash (edited?)"
        case .previousHashMismatch:
            return "row \(row): previous-hash link broken (row deleted, edited or reordered?)"
        case .missingRows(let from, let through):
            return "row \(row): \(Self.span(from, through)) missing before it (deleted?)"
        case .truncated(let from, let through):
            return "row \(row): \(Self.span(from, through)) missing at the end (ledger truncated?)"
        case .leafMismatch:
            return "row \(row): content does not match its leaf in the Merkle tree (edited?)"
        case .treeHashMismatch(let index):
            return "row \(row): stored tree hash \(index) does not match the leaves (tree altered?)"
        case .treeSizeMismatch(let entries, let treeSize):
            return "the Merkle tree covers \(treeSize) entries but the ledger holds \(entries) (rows or tree hashes deleted?)"
        }
    }

    private static func span(_ from: Int64, _ through: Int64) -> String {
        from == through ? "row \(from) is" : "rows \(from)-\(through) are"
    }
}
