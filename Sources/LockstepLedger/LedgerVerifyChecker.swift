import Crypto
import Foundation
import Synchronization

/// The hashing half of `LedgerVerifier`: batches arrive in order, one at a time, and
/// each row is checked as the single-threaded verifier did (content against row_hash,
/// ids without gaps, the previous-hash link, then the leaf and the tree hashes it
/// completes). The first problem stops it.
final class VerifyChecker: Sendable {
    struct State {
        var frontier = MerkleFrontier()
        var previousHash = Array(LedgerHash.genesis.utf8)
        var expectedID: Int64 = 1
        var count = 0
        var problem: LedgerBreak?
        /// The row's computed hash in hex, before it becomes `previousHash` (swapped, not reallocated).
        var hex = [UInt8](repeating: 0, count: 64)
    }

    let treeSize: Int64
    let state = Mutex(State())

    init(treeSize: Int64) {
        self.treeSize = treeSize
    }

    var isBroken: Bool { state.withLock { $0.problem != nil } }

    func check(_ batch: VerifyBatch) {
        state.withLock { state in
            batch.encoded.withUnsafeBytes { encoded in
                batch.rowHashes.withUnsafeBytes { rowHashes in
                    batch.previousHashes.withUnsafeBytes { previousHashes in
                        batch.treeHashes.withUnsafeBytes { treeHashes in
                            var treeOffset = 0
                            for row in 0..<batch.count {
                                let fields = UnsafeRawBufferPointer(
                                    rebasing: encoded[batch.starts[row]..<(row + 1 < batch.count ? batch.starts[row + 1] : batch.encoded.count)]
                                )
                                let leafFields = UnsafeRawBufferPointer(rebasing: encoded[batch.starts[row]..<batch.leafEnds[row]])
                                let stored = (
                                    row: UnsafeRawBufferPointer(rebasing: rowHashes[(row * 64)..<(row * 64 + 64)]),
                                    previous: UnsafeRawBufferPointer(rebasing: previousHashes[(row * 64)..<(row * 64 + 64)])
                                )
                                let trees = treeOffset..<(treeOffset + batch.treeCounts[row])
                                treeOffset = trees.upperBound
                                let problem = check(
                                    &state,
                                    id: batch.ids[row],
                                    fields: fields,
                                    leafFields: leafFields,
                                    stored: stored,
                                    valid: batch.hashValid[row],
                                    trees: trees,
                                    batch: batch,
                                    treeHashes: treeHashes
                                )
                                if let problem {
                                    state.problem = problem
                                    return
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static let leafHeader: [UInt8] = [0] + LedgerEntryBytes.domain
    private static let digits = Array("0123456789abcdef".utf8)

    private func check(
        _ state: inout State,
        id: Int64,
        fields: UnsafeRawBufferPointer,
        leafFields: UnsafeRawBufferPointer,
        stored: (row: UnsafeRawBufferPointer, previous: UnsafeRawBufferPointer),
        valid: (row: Bool, previous: Bool),
        trees: Range<Int>,
        batch: VerifyBatch,
        treeHashes: UnsafeRawBufferPointer
    ) -> LedgerBreak? {
        var chain = SHA256()
        chain.update(data: LedgerHash.domain)
        chain.update(bufferPointer: fields)
        var index = 0
        for byte in chain.finalize() {
            state.hex[index] = Self.digits[Int(byte >> 4)]
            state.hex[index + 1] = Self.digits[Int(byte & 0x0f)]
            index += 2
        }
        let count = state.count
        guard valid.row, state.hex.withUnsafeBytes({ Self.equal($0, stored.row) }) else {
            return LedgerBreak(row: id, reason: .contentMismatch, verifiedRows: count)
        }
        if id != state.expectedID {
            return LedgerBreak(row: id, reason: .missingRows(from: state.expectedID, through: id - 1), verifiedRows: count)
        }
        guard valid.previous, state.previousHash.withUnsafeBytes({ Self.equal($0, stored.previous) }) else {
            return LedgerBreak(row: id, reason: .previousHashMismatch, verifiedRows: count)
        }
        swap(&state.previousHash, &state.hex)
        if state.frontier.size < treeSize {
            var leafHasher = SHA256()
            leafHasher.update(data: Self.leafHeader)
            leafHasher.update(bufferPointer: leafFields)
            let leaf = MerkleHash(digest: leafHasher.finalize())
            var storedIndex = StoredHashLayout.count(forSize: state.frontier.size)
            var position = trees.lowerBound
            var mismatch: LedgerBreak.Reason?
            state.frontier.append(leaf) { hash in
                guard mismatch == nil else { return }
                guard position < trees.upperBound, batch.treeIDs[position] == storedIndex, batch.treeHashValid[position],
                    hash.withBytes({ Self.equal($0, UnsafeRawBufferPointer(rebasing: treeHashes[(position * 32)..<(position * 32 + 32)])) })
                else {
                    mismatch =
                        storedIndex == StoredHashLayout.firstIndex(ofLeaf: Int64(count)) ? .leafMismatch : .treeHashMismatch(index: storedIndex)
                    return
                }
                storedIndex += 1
                position += 1
            }
            if let mismatch {
                return LedgerBreak(row: id, reason: mismatch, verifiedRows: count)
            }
        }
        state.expectedID = id + 1
        state.count += 1
        return nil
    }

    private static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        lhs.count == rhs.count && (lhs.isEmpty || memcmp(lhs.baseAddress!, rhs.baseAddress!, lhs.count) == 0)
    }
}
