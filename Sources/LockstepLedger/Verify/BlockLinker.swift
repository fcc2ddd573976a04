import GRDB

/// Joins verified blocks in log order, as one pass over the whole log would.
struct BlockLinker {
    private var count = 0
    private var expectedID: Int64 = 1
    private var lastHash: MerkleHash?
    /// The tree above the blocks, one leaf per block.
    private var above = MerkleFrontier()

    mutating func link(_ block: VerifiedBlock) -> LedgerBreak? {
        if let first = block.first {
            if first.id != expectedID {
                return LedgerBreak(row: first.id, reason: .missingRows(from: expectedID, through: first.id - 1), verifiedRows: count)
            }
            guard let previous = first.previousHash, linksTo(previous) else {
                return LedgerBreak(row: first.id, reason: .previousHashMismatch, verifiedRows: count)
            }
        }
        if let problem = block.problem {
            return LedgerBreak(row: problem.row, reason: problem.reason, verifiedRows: count + problem.verifiedRows)
        }
        if let root = block.root, let index = mismatchAbove(root) {
            return LedgerBreak(row: root.lastID, reason: .treeHashMismatch(index: index), verifiedRows: count + block.rows - 1)
        }
        count += block.rows
        if let last = block.last {
            expectedID = last.id + 1
            lastHash = last.hash
        }
        return nil
    }

    private func linksTo(_ previous: [UInt8]) -> Bool {
        guard let lastHash else { return previous.elementsEqual(LedgerHash.genesis.utf8) }
        return Hex.matches(lastHash, previous)
    }

    /// Appends the block's subtree and compares the hashes it completes above the block.
    private mutating func mismatchAbove(_ root: (hash: MerkleHash, lastID: Int64, above: [(index: Int64, hash: MerkleHash?)])) -> Int64? {
        var position = -1
        var mismatch: Int64?
        above.append(root.hash) { hash in
            // The first hash handed back is the block's own, already checked with the block.
            defer { position += 1 }
            guard position >= 0, mismatch == nil else { return }
            assert(position < root.above.count, "the block read every hash its last leaf completes")
            if root.above[position].hash != hash {
                mismatch = root.above[position].index
            }
        }
        return mismatch
    }

    /// After the last block: nothing was cut from the end, and the tree covers
    /// exactly the entries (the ledger catches it up before verifying).
    func finish(treeSize: Int64, db: Database) throws -> LedgerVerification {
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'ledger_entry'") ?? 0
        if sequence >= expectedID {
            return .broken(LedgerBreak(row: expectedID, reason: .truncated(from: expectedID, through: sequence), verifiedRows: count))
        }
        let mismatch = LedgerVerification.broken(
            LedgerBreak(
                row: min(treeSize, Int64.max - 1) + 1,
                reason: .treeSizeMismatch(entries: Int64(count), treeSize: treeSize),
                verifiedRows: count
            )
        )
        // Only a tree of the entries' size bounds its stored hashes (a tampered size may be huge).
        guard treeSize == Int64(count) else { return mismatch }
        let strayHashes = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM ledger_tree_hash WHERE id >= ?) OR EXISTS (SELECT 1 FROM ledger_tree_hash WHERE id < 0)",
            arguments: [StoredHashLayout.count(forSize: treeSize)]
        )
        if strayHashes == true { return mismatch }
        return .intact(rows: count, headHash: lastHash.map(Hex.string) ?? LedgerHash.genesis)
    }
}
