import Foundation
import GRDB

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
        let layout = try BlockLayout(db, level: blockLevel)
        let pool = VerifyPool(layout: layout, alongside: alongside)
        let blocks = try pool.run(threads: threads, main: VerifyConnection(borrowing: db.sqliteConnection!), path: path)
        var linker = BlockLinker()
        for block in blocks {
            // Only blocks after the first broken or unreadable one are left unread (nil),
            // and the loop has stopped before them.
            guard let block else { break }
            if let problem = linker.link(try block.get()) { return .broken(problem) }
        }
        return try linker.finish(treeSize: layout.treeSize, db: db)
    }
}

/// Which rows and stored hashes each block reads, fixed from the caller's snapshot:
/// the workers' connections may see entries appended since, which this verify
/// leaves for the next one.
struct BlockLayout: Sendable {
    let level: Int
    let treeSize: Int64
    /// The largest id in the caller's snapshot: no block reads beyond it.
    let lastID: Int64
    let blockCount: Int

    init(_ db: Database, level: Int) throws {
        self.level = level
        treeSize = try LedgerTreeStorage(db: db).log().size
        lastID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM ledger_entry") ?? 0
        // Blocks span the ids up to the number of rows the file can hold at most
        // (4 bytes per row: a cell pointer and the smallest cell), not up to the largest
        // id: a row inserted with a huge id would otherwise ask for billions of blocks.
        // The first missing id is at most the row count + 1, and the last block reads
        // on to `lastID`, so every row that matters is read.
        let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        let span = max(1, min(lastID, pages * pageSize / 4))
        let width = Int64(1) << Int64(level)
        blockCount = Int((span + width - 1) / width)
    }

    var width: Int64 { Int64(1) << Int64(level) }

    /// The ids block `block` reads, both ends included: block 0 also reads ids below 1,
    /// the last block every id up to `lastID` (both only a tamperer writes).
    func ids(of block: Int) -> ClosedRange<Int64> {
        let start = Int64(block) * width
        let lower = block == 0 ? Int64.min : start + 1
        let upper = block == blockCount - 1 ? max(lastID, lower) : min(start + width, max(lastID, lower))
        return lower...upper
    }

    /// The leaves of block `block` the stored tree covers.
    func leaves(of block: Int) -> Range<Int64> {
        let start = Int64(block) * width
        return start..<max(start, min(start + width, treeSize))
    }
}
