import Crypto

/// What one block of the ledger gave: enough for `LedgerVerifier` to link it to
/// the blocks before it (ids, chain, the tree above the block) without rereading it.
struct VerifiedBlock: Sendable {
    /// Rows that verified, in order, before `problem` (all of them when nil).
    var rows = 0
    /// The first row's id and stored previous hash, once its content matched: the
    /// link to the block before is the caller's to check.
    var first: (id: Int64, previousHash: [UInt8]?)?
    /// The id and chain hash of the last row that verified (a SHA-256, held like a tree hash).
    var last: (id: Int64, hash: MerkleHash)?
    /// The first problem inside the block, `verifiedRows` counted from the block's start.
    var problem: LedgerBreak?
    /// A full block inside the tree: its subtree hash, the id of its last row, and
    /// the stored hashes its last leaf completes above the block (nil: missing or malformed).
    var root: (hash: MerkleHash, lastID: Int64, above: [(index: Int64, hash: MerkleHash?)])?
}

/// Checks one block of 2^level leaves (ids `start + 1` … `start + 2^level`) on its
/// own connection: every row's chain hash, ids and links inside the block, every
/// leaf, and every stored hash of the subtrees inside the block. A block is an
/// aligned, complete subtree, so blocks are independent and can run on any thread.
struct LedgerBlockVerifier {
    let layout: BlockLayout
    private var level: Int { layout.level }
    private var treeSize: Int64 { layout.treeSize }
    private let entries: VerifyStatement
    private let tree: VerifyStatement
    // Instance copies of the encoding's constants: a global's lazy initialization
    // check on each of a million rows showed in the profile.
    private let previousHashColumn = CInt(LedgerEntryBytes.columnCount)
    private let rowHashColumn = CInt(LedgerEntryBytes.columnCount + 1)
    private let leafHeader: [UInt8] = [0] + LedgerEntryBytes.domain
    private let chainDomain = LedgerHash.domain

    init(connection: VerifyConnection, layout: BlockLayout) throws {
        self.layout = layout
        entries = try connection.prepare("SELECT \(LedgerEntry.selectList) FROM ledger_entry WHERE id >= ?1 AND id <= ?2 ORDER BY id")
        tree = try connection.prepare("SELECT id, hash FROM ledger_tree_hash WHERE id >= ?1 AND id <= ?2 ORDER BY id")
    }

    func verify(block: Int) throws -> VerifiedBlock {
        let width = layout.width
        let start = Int64(block) * width
        let ids = layout.ids(of: block)
        entries.restart(from: ids.lowerBound, through: ids.upperBound)
        let leaves = layout.leaves(of: block)
        if !leaves.isEmpty {
            // Block 0 also reads stored ids below 0, which only a tamperer writes: the first is then not hash 0.
            let first = block == 0 ? Int64.min : StoredHashLayout.count(forSize: leaves.lowerBound)
            tree.restart(from: first, through: StoredHashLayout.count(forSize: leaves.upperBound) - 1)
        }
        var result = VerifiedBlock()
        var frontier = MerkleFrontier()
        var encoding = FieldEncoding()
        var expectedID = start + 1
        while try entries.step() {
            let id = entries.int64(0)
            let (chainHash, leafEnd) = try encodeRow(into: &encoding)
            guard let stored = try entries.hashText(rowHashColumn), Hex.matches(chainHash, stored) else {
                result.problem = LedgerBreak(row: id, reason: .contentMismatch, verifiedRows: result.rows)
                return result
            }
            let previous = try entries.hashText(previousHashColumn)
            if result.first == nil {
                result.first = (id, previous.flatMap { $0.count == 64 ? Array($0) : nil })
                // A block that does not start at its first id follows a gap, which the caller names.
                if id != expectedID { return result }
            } else {
                if id != expectedID {
                    result.problem = LedgerBreak(row: id, reason: .missingRows(from: expectedID, through: id - 1), verifiedRows: result.rows)
                    return result
                }
                guard let previous, let last = result.last, Hex.matches(last.hash, previous) else {
                    result.problem = LedgerBreak(row: id, reason: .previousHashMismatch, verifiedRows: result.rows)
                    return result
                }
            }
            if leaves.contains(id - 1), let mismatch = try checkLeaf(id - 1, fields: encoding.prefix(leafEnd), frontier: &frontier) {
                result.problem = LedgerBreak(row: id, reason: mismatch, verifiedRows: result.rows)
                return result
            }
            result.last = (id, chainHash)
            result.rows += 1
            expectedID = id + 1
        }
        if expectedID == start + width + 1, start + width <= treeSize {
            result.root = (frontier.root, expectedID - 1, try storedAbove(lastLeaf: start + width - 1))
        }
        return result
    }

    /// Encodes the row's fields once for both hashes: the chain hashes them all, the
    /// leaf those before previous_hash (`leafEnd`).
    private func encodeRow(into encoding: inout FieldEncoding) throws -> (chainHash: MerkleHash, leafEnd: Int) {
        encoding.removeAll()
        for column in 0..<previousHashColumn {
            try entries.encode(column, into: &encoding)
        }
        let leafEnd = encoding.count
        try entries.encode(previousHashColumn, into: &encoding)
        var chain = SHA256()
        chainDomain.withUnsafeBytes { chain.update(bufferPointer: $0) }
        chain.update(bufferPointer: encoding.bytes)
        return (MerkleHash(digest: chain.finalize()), leafEnd)
    }

    /// Appends the leaf of `leafIndex` and compares it and each subtree it completes
    /// inside the block with the stored hashes, in their stored order.
    private func checkLeaf(_ leafIndex: Int64, fields: UnsafeRawBufferPointer, frontier: inout MerkleFrontier) throws -> LedgerBreak.Reason? {
        var leafHasher = SHA256()
        leafHeader.withUnsafeBytes { leafHasher.update(bufferPointer: $0) }
        leafHasher.update(bufferPointer: fields)
        var storedIndex = StoredHashLayout.firstIndex(ofLeaf: leafIndex)
        var mismatch: LedgerBreak.Reason?
        try frontier.append(MerkleHash(digest: leafHasher.finalize())) { hash in
            guard mismatch == nil else { return }
            guard try nextStoredHash(at: storedIndex) == hash else {
                mismatch = storedIndex == StoredHashLayout.firstIndex(ofLeaf: leafIndex) ? .leafMismatch : .treeHashMismatch(index: storedIndex)
                return
            }
            storedIndex += 1
        }
        return mismatch
    }

    /// The next stored hash if it is the one at `index`, else nil.
    private func nextStoredHash(at index: Int64) throws -> MerkleHash? {
        guard try tree.step(), tree.int64(0) == index, let bytes = tree.blob(1, count: MerkleHash.byteCount) else { return nil }
        return MerkleHash(bytes: bytes)
    }

    /// The stored hashes that `lastLeaf`, the block's last, completes above the block.
    private func storedAbove(lastLeaf: Int64) throws -> [(index: Int64, hash: MerkleHash?)] {
        let first = StoredHashLayout.firstIndex(ofLeaf: lastLeaf) + Int64(level) + 1
        let count = StoredHashLayout.completedLevels(byLeaf: lastLeaf) - level
        return try (0..<Int64(max(count, 0))).map { offset in (first + offset, try nextStoredHash(at: first + offset)) }
    }
}
