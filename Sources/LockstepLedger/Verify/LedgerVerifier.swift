import Dispatch
import Foundation
import GRDB
import Synchronization

/// Recomputes the whole ledger: every row's chain hash and link, every Merkle leaf,
/// every stored tree hash, with nothing missing at the end.
///
/// The log is read in blocks of 2^`blockLevel` leaves. Each block is a complete,
/// aligned subtree, so blocks are checked on every core at once, each thread on
/// its own read-only connection, and then linked here in log order: ids and the
/// chain across block edges, and the few stored hashes above the blocks. The first
/// problem in log order is the one reported, as a single pass would find it.
/// Verify must stay fast on a million rows (DESIGN section 13: under 3 s).
enum LedgerVerifier {
    static let defaultBlockLevel = 14

    /// `path` names the store's file for the extra connections; without it (or if
    /// they cannot be opened) the caller's connection does all the reading.
    /// `alongside` runs on the same threads, first: one pool keeps every core busy,
    /// where a thread of its own would share them with the verify's.
    static func verify(
        _ db: Database,
        path: String?,
        alongside: (@Sendable () throws -> Void)? = nil,
        blockLevel: Int = defaultBlockLevel,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws -> LedgerVerification {
        let treeSize = try LedgerTreeStorage(db: db).log().size
        let lastID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM ledger_entry") ?? 0
        let width = Int64(1) << Int64(blockLevel)
        let blockCount = Int(max(1, (max(lastID, 0) + width - 1) / width))
        let pool = VerifyPool(blockCount: blockCount, alongside: alongside)
        let blocks = try pool.run(
            threads: threads,
            main: VerifyConnection(borrowing: db.sqliteConnection!),
            path: path,
            level: blockLevel,
            treeSize: treeSize
        )
        var linker = BlockLinker()
        for block in blocks {
            // Blocks after the first broken one may be left unread; the loop stops before them.
            guard let block else { break }
            if let problem = linker.link(block) { return .broken(problem) }
        }
        return try linker.finish(treeSize: treeSize, db: db)
    }
}

/// The verify's threads: they take tasks in order (the work to run alongside, then
/// each block) until none is left, or none is needed: a block after one found
/// broken is skipped (nil), since nothing after the first problem is reported.
struct VerifyPool: Sendable {
    let blockCount: Int
    let alongside: (@Sendable () throws -> Void)?

    private var firstBlockTask: Int { alongside == nil ? 0 : 1 }

    func run(threads: Int, main: VerifyConnection, path: String?, level: Int, treeSize: Int64) throws -> [VerifiedBlock?] {
        let taskCount = firstBlockTask + blockCount
        let next = Atomic<Int>(0)
        let firstBroken = Atomic<Int>(.max)
        let results = Mutex<[VerifiedBlock?]>(Array(repeating: nil, count: blockCount))
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: min(max(threads, 1), taskCount)) { thread in
            // Each thread reads on a connection of its own, opened before it takes a task;
            // the caller's is the first thread's fallback, so some thread takes every block.
            guard let connection = path.flatMap(VerifyConnection.init(readOnly:)) ?? (thread == 0 ? main : nil) else { return }
            do {
                let verifier = try LedgerBlockVerifier(connection: connection, level: level, treeSize: treeSize)
                while true {
                    let task = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard task < taskCount else { return }
                    if task < firstBlockTask {
                        try alongside?()
                        continue
                    }
                    let block = task - firstBlockTask
                    guard block <= firstBroken.load(ordering: .relaxed) else { return }
                    let outcome = try verifier.verify(block: Int64(block))
                    if outcome.problem != nil { firstBroken.min(block, ordering: .relaxed) }
                    results.withLock { $0[block] = outcome }
                }
            } catch {
                failure.withLock { $0 = $0 ?? error }
                firstBroken.store(-1, ordering: .relaxed)
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0 }
    }
}

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
        let strayHashes = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM ledger_tree_hash WHERE id >= ?) OR EXISTS (SELECT 1 FROM ledger_tree_hash WHERE id < 0)",
            arguments: [StoredHashLayout.count(forSize: treeSize)]
        )
        if treeSize != Int64(count) || strayHashes == true {
            return .broken(
                LedgerBreak(row: treeSize + 1, reason: .treeSizeMismatch(entries: Int64(count), treeSize: treeSize), verifiedRows: count)
            )
        }
        return .intact(rows: count, headHash: lastHash.map(Hex.string) ?? LedgerHash.genesis)
    }
}
