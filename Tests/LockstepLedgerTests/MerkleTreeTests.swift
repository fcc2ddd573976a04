import Crypto
import Foundation
import Testing

@testable import LockstepLedger

/// The stored-hash tree against RFC 6962's recursive definition, computed from scratch.
@Suite("Merkle tree: roots and proofs from stored hashes")
struct MerkleTreeTests {
    /// Stored hashes in memory, filled the way the store is.
    struct Memory: StoredHashReader {
        var stored: [MerkleHash] = []
        func hashes(at indexes: [Int64]) throws -> [MerkleHash] { indexes.map { stored[Int($0)] } }
    }

    static func leaves(_ count: Int) -> [MerkleHash] {
        (0..<count).map { MerkleHash.leaf(Array("entry \($0)".utf8)) }
    }

    static func tree(_ leaves: [MerkleHash]) -> MerkleTree<Memory> {
        var frontier = MerkleFrontier()
        var memory = Memory()
        for leaf in leaves {
            let index = StoredHashLayout.count(forSize: frontier.size)
            #expect(Int64(memory.stored.count) == index)
            memory.stored += frontier.append(leaf)
        }
        return MerkleTree(reader: memory)
    }

    /// RFC 6962 section 2.1, literally.
    static func mth(_ leaves: ArraySlice<MerkleHash>) -> MerkleHash {
        if leaves.isEmpty { return .empty }
        if leaves.count == 1 { return leaves.first! }
        let k = Int(StoredHashLayout.split(Int64(leaves.count)))
        return .node(mth(leaves.prefix(k)), mth(leaves.dropFirst(k)))
    }

    @Test("the empty tree's root is SHA-256 of nothing")
    func empty() {
        #expect(MerkleHash.empty.base64 == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test("stored-hash indexes follow Go's tlog numbering")
    func indexes() {
        // tlog: StoredHashIndex(0, n) for n = 0...7 and StoredHashIndex(1, 0), (2, 0), (1, 1).
        #expect((0...7).map { StoredHashLayout.index(level: 0, position: $0) } == [0, 1, 3, 4, 7, 8, 10, 11])
        #expect(StoredHashLayout.index(level: 1, position: 0) == 2)
        #expect(StoredHashLayout.index(level: 2, position: 0) == 6)
        #expect(StoredHashLayout.index(level: 1, position: 1) == 5)
        #expect((1...9).map { StoredHashLayout.count(forSize: $0) } == [1, 3, 4, 7, 8, 10, 11, 15, 16])
    }

    @Test("root at every size up to 70 equals the recursive definition")
    func roots() throws {
        let leaves = Self.leaves(70)
        let tree = Self.tree(leaves)
        for size in 0...70 {
            #expect(try tree.root(size: Int64(size)) == Self.mth(leaves.prefix(size)), "size \(size)")
        }
    }

    @Test("every inclusion proof verifies, and fails for another leaf or root")
    func inclusion() throws {
        let leaves = Self.leaves(37)
        let tree = Self.tree(leaves)
        for size in [1, 2, 3, 7, 8, 9, 36, 37] {
            let root = try tree.root(size: Int64(size))
            for index in 0..<size {
                let proof = try tree.inclusionProof(index: Int64(index), size: Int64(size))
                #expect(MerkleProof.verifyInclusion(leaf: leaves[index], index: Int64(index), size: Int64(size), proof: proof, root: root))
                let other = leaves[(index + 1) % leaves.count]
                if size > 1 {
                    #expect(!MerkleProof.verifyInclusion(leaf: other, index: Int64(index), size: Int64(size), proof: proof, root: root))
                }
            }
        }
    }

    @Test("every consistency proof verifies, and fails against a different old root")
    func consistency() throws {
        let leaves = Self.leaves(40)
        let tree = Self.tree(leaves)
        for size in 1...40 {
            let root = try tree.root(size: Int64(size))
            for old in 1...size {
                let oldRoot = try tree.root(size: Int64(old))
                let proof = try tree.consistencyProof(oldSize: Int64(old), size: Int64(size))
                #expect(
                    MerkleProof.verifyConsistency(oldSize: Int64(old), oldRoot: oldRoot, size: Int64(size), root: root, proof: proof),
                    "\(old) -> \(size)"
                )
                let forged = MerkleHash.leaf(Array("forged".utf8))
                #expect(!MerkleProof.verifyConsistency(oldSize: Int64(old), oldRoot: forged, size: Int64(size), root: root, proof: proof))
            }
        }
    }
}
