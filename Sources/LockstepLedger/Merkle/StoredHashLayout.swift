/// Where each interior hash of the tree lives, numbered the way Go's
/// `golang.org/x/mod/sumdb/tlog` numbers its stored hashes: appending leaf n
/// (0-based) stores the leaf hash and then one hash per subtree that leaf
/// completes, all at consecutive indexes right after those of leaf n-1. So the
/// hashes of a tree of size n are exactly indexes 0 ..< `count(forSize: n)`, an
/// append only ever adds rows at the end, and any complete, aligned subtree
/// (2^level leaves starting at a multiple of 2^level) has one stored hash.
public enum StoredHashLayout {
    /// The index of the hash of the `position`-th complete subtree of 2^level leaves.
    public static func index(level: Int, position: Int64) -> Int64 {
        // The subtree's last leaf is leaf (position+1)·2^level − 1; the hashes of
        // every earlier leaf come first, then this leaf's, of which ours is the
        // level-th after the leaf hash.
        let lastLeaf = ((position + 1) << Int64(level)) - 1
        return firstIndex(ofLeaf: lastLeaf) + Int64(level)
    }

    /// The index of leaf n's own hash: every leaf before it stored itself plus
    /// one hash per subtree it completed, which sums to 2n − popcount(n).
    public static func firstIndex(ofLeaf leaf: Int64) -> Int64 {
        2 * leaf - Int64(leaf.nonzeroBitCount)
    }

    /// How many hashes a tree of `size` leaves stores.
    public static func count(forSize size: Int64) -> Int64 {
        size == 0 ? 0 : 2 * size - Int64(size.nonzeroBitCount)
    }

    /// How many subtrees appending leaf n completes (its trailing one bits).
    public static func completedLevels(byLeaf leaf: Int64) -> Int {
        (~leaf).trailingZeroBitCount
    }

    /// The complete, aligned subtrees that cover leaves lo ..< hi, left to right,
    /// as (level, position): the stored hashes a range's hash is folded from.
    public static func subtrees(from lo: Int64, to hi: Int64) -> [(level: Int, position: Int64)] {
        var result: [(level: Int, position: Int64)] = []
        var start = lo
        while start < hi {
            // The largest aligned power of two starting at `start` that fits.
            var level = start == 0 ? 62 : start.trailingZeroBitCount
            while (Int64(1) << Int64(level)) > hi - start { level -= 1 }
            result.append((level, start >> Int64(level)))
            start += Int64(1) << Int64(level)
        }
        return result
    }

    /// The largest power of two strictly below n (n ≥ 2): RFC 6962's split point.
    static func split(_ n: Int64) -> Int64 {
        var k: Int64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
