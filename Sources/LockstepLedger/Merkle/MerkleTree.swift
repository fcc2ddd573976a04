/// Reads stored hashes by their `StoredHashLayout` index.
public protocol StoredHashReader {
    /// The hashes at `indexes`, in the same order.
    func hashes(at indexes: [Int64]) throws -> [MerkleHash]
}

/// Roots and proofs of a tree whose interior hashes are stored: each costs
/// O(log n) stored hashes, fetched in one read. Proofs are RFC 6962's PATH and
/// SUBPROOF, deepest hash first, as Go's `sumdb/tlog` orders them too.
public struct MerkleTree<Reader: StoredHashReader> {
    public let reader: Reader

    public init(reader: Reader) {
        self.reader = reader
    }

    /// The root of the first `size` leaves.
    public func root(size: Int64) throws -> MerkleHash {
        guard size > 0 else { return .empty }
        return try hashes(of: [(0, size)])[0]
    }

    /// The audit path of leaf `index` in the tree of `size` leaves.
    public func inclusionProof(index: Int64, size: Int64) throws -> [MerkleHash] {
        precondition(index >= 0 && index < size, "leaf outside the tree")
        return try hashes(of: Self.inclusionRanges(index, 0, size))
    }

    /// The proof that the tree of `oldSize` leaves is a prefix of the tree of `size`.
    public func consistencyProof(oldSize: Int64, size: Int64) throws -> [MerkleHash] {
        precondition(oldSize >= 0 && oldSize <= size, "old tree larger than the new one")
        guard oldSize > 0, oldSize < size else { return [] }
        return try hashes(of: Self.consistencyRanges(oldSize, 0, size, true))
    }

    /// The hash of each leaf range, with every stored hash they need read at once.
    func hashes(of ranges: [(Int64, Int64)]) throws -> [MerkleHash] {
        let covers = ranges.map { StoredHashLayout.subtrees(from: $0.0, to: $0.1) }
        let indexes = covers.flatMap { $0.map { StoredHashLayout.index(level: $0.level, position: $0.position) } }
        let stored = try reader.hashes(at: indexes)
        var offset = 0
        return covers.map { cover in
            let parts = stored[offset..<(offset + cover.count)]
            offset += cover.count
            // A range's hash folds its subtrees from the right (RFC 6962's MTH).
            return parts.dropLast().reversed().reduce(parts.last!) { MerkleHash.node($1, $0) }
        }
    }

    static func inclusionRanges(_ index: Int64, _ lo: Int64, _ hi: Int64) -> [(Int64, Int64)] {
        guard hi - lo > 1 else { return [] }
        let k = StoredHashLayout.split(hi - lo)
        if index < lo + k {
            return inclusionRanges(index, lo, lo + k) + [(lo + k, hi)]
        }
        return inclusionRanges(index, lo + k, hi) + [(lo, lo + k)]
    }

    /// `old` counts leaves from `lo`; `whole` is true while the old tree's range is the one asked for.
    static func consistencyRanges(_ old: Int64, _ lo: Int64, _ hi: Int64, _ whole: Bool) -> [(Int64, Int64)] {
        let n = hi - lo
        if old == n {
            return whole ? [] : [(lo, hi)]
        }
        let k = StoredHashLayout.split(n)
        if old <= k {
            return consistencyRanges(old, lo, lo + k, whole) + [(lo + k, hi)]
        }
        return consistencyRanges(old - k, lo + k, hi, false) + [(lo, lo + k)]
    }
}

/// Checks proofs without the tree, as a third party does (RFC 9162 sections 2.1.3.2 and 2.1.4.2).
public enum MerkleProof {
    public static func verifyInclusion(leaf: MerkleHash, index: Int64, size: Int64, proof: [MerkleHash], root: MerkleHash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in proof {
            guard sn > 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = .node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = .node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    public static func verifyConsistency(oldSize: Int64, oldRoot: MerkleHash, size: Int64, root: MerkleHash, proof: [MerkleHash]) -> Bool {
        guard oldSize >= 0, oldSize <= size else { return false }
        if oldSize == size { return proof.isEmpty && oldRoot == root }
        if oldSize == 0 { return proof.isEmpty }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard let first = path.first else { return false }
        var fn = oldSize - 1
        var sn = size - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = first
        var sr = first
        for c in path.dropFirst() {
            guard sn > 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = .node(c, fr)
                sr = .node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = .node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == root && sn == 0
    }
}

/// The right edge of a tree built leaf by leaf: the roots of its complete
/// subtrees, largest first. Appending a leaf yields exactly the hashes that
/// `StoredHashLayout` stores for it, in order; used to append and to verify.
struct MerkleFrontier {
    private(set) var size: Int64 = 0
    private var stack: [MerkleHash] = []

    init() {}

    /// Starts from stored hashes: the complete subtrees of the first `size` leaves.
    init(size: Int64, subtreeHashes: [MerkleHash]) {
        self.size = size
        stack = subtreeHashes
    }

    /// Adds a leaf; returns the leaf hash followed by each subtree it completes.
    mutating func append(_ leaf: MerkleHash) -> [MerkleHash] {
        var produced: [MerkleHash] = []
        append(leaf) { produced.append($0) }
        return produced
    }

    /// Adds a leaf, handing `visit` the leaf hash and then each subtree hash it
    /// completes (the order they are stored in), without building an array.
    mutating func append(_ leaf: MerkleHash, _ visit: (MerkleHash) throws -> Void) rethrows {
        try visit(leaf)
        var hash = leaf
        for _ in 0..<StoredHashLayout.completedLevels(byLeaf: size) {
            hash = .node(stack.removeLast(), hash)
            try visit(hash)
        }
        stack.append(hash)
        size += 1
    }

    var root: MerkleHash {
        guard let last = stack.last else { return .empty }
        return stack.dropLast().reversed().reduce(last) { MerkleHash.node($1, $0) }
    }
}
