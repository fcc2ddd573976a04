import Foundation
import GRDB
import LockstepStore
import LockstepTestSupport
import Synchronization
import Testing

@testable import LockstepLedger

/// Verify reads the log in blocks on several threads and links them in order. These
/// tests cut a 67-entry ledger into blocks of 2, 4 and 8 leaves, tamper with it at and
/// around the block edges, and check that every way of reading it names the same
/// first problem as one block read on one thread.
@Suite("Verify in blocks finds what one pass finds")
struct LedgerVerifyBlocksTests {
    static let rows = 67
    static let dropTriggers = """
        DROP TRIGGER ledger_entry_is_never_updated; DROP TRIGGER ledger_entry_is_never_deleted;
        DROP TRIGGER ledger_tree_hash_is_never_updated; DROP TRIGGER ledger_tree_hash_is_never_deleted;
        DROP TRIGGER ledger_log_never_shrinks;
        """

    enum Tamper: String, CaseIterable, Sendable {
        case none
        case editFirstRow, editLastOfBlock, editFirstOfBlock, editLastRow
        case deleteFirstRow, deleteLastOfBlock, deleteFirstOfBlock, deleteWholeBlock, deleteAcrossBlocks, deleteLastRows
        case previousHashOfFirstInBlock, rowHashOfLastInBlock, swappedRowsAcrossBlocks
        case leafHash, blockRoot, hashAboveBlocks, hashHighAboveBlocks, treeHashDeleted
        case treeShortened, treeSizeTooLarge, strayTreeHash, rowBeforeTheFirst, rehashedEdit
        case treeHashBeforeTheFirst, rowWithTheLargestID, largeTreeSize

        /// Leaf i is entry id i + 1; with blocks of 4, ids 4 and 5 sit either side of an edge.
        func sql(_ fixture: LedgerFixture) throws -> String {
            let columns = LedgerEntry.columnNames
            switch self {
            case .none: return ""
            case .editFirstRow: return "UPDATE ledger_entry SET operator = 'mallory' WHERE id = 1"
            case .editLastOfBlock: return "UPDATE ledger_entry SET status = 'failed' WHERE id = 4"
            case .editFirstOfBlock: return "UPDATE ledger_entry SET log_tail = NULL WHERE id = 5"
            case .editLastRow: return "UPDATE ledger_entry SET host = 'elsewhere' WHERE id = 67"
            case .deleteFirstRow: return "DELETE FROM ledger_entry WHERE id = 1"
            case .deleteLastOfBlock: return "DELETE FROM ledger_entry WHERE id = 4"
            case .deleteFirstOfBlock: return "DELETE FROM ledger_entry WHERE id = 5"
            case .deleteWholeBlock: return "DELETE FROM ledger_entry WHERE id BETWEEN 5 AND 8"
            case .deleteAcrossBlocks: return "DELETE FROM ledger_entry WHERE id BETWEEN 3 AND 10"
            case .deleteLastRows: return "DELETE FROM ledger_entry WHERE id >= 60"
            case .previousHashOfFirstInBlock:
                return "UPDATE ledger_entry SET previous_hash = (SELECT row_hash FROM ledger_entry WHERE id = 3) WHERE id = 5"
            case .rowHashOfLastInBlock:
                return "UPDATE ledger_entry SET row_hash = (SELECT row_hash FROM ledger_entry WHERE id = 5) WHERE id = 4"
            case .swappedRowsAcrossBlocks:
                let list = columns.dropFirst().joined(separator: ", ")
                return """
                    CREATE TABLE saved AS SELECT * FROM ledger_entry WHERE id IN (4, 5);
                    UPDATE ledger_entry SET (\(list)) = (SELECT \(list) FROM saved WHERE id = 5) WHERE id = 4;
                    UPDATE ledger_entry SET (\(list)) = (SELECT \(list) FROM saved WHERE id = 4) WHERE id = 5;
                    DROP TABLE saved;
                    """
            case .leafHash: return Self.zeroHash(StoredHashLayout.firstIndex(ofLeaf: 4))
            case .blockRoot: return Self.zeroHash(StoredHashLayout.index(level: 2, position: 1))
            case .hashAboveBlocks: return Self.zeroHash(StoredHashLayout.index(level: 3, position: 0))
            case .hashHighAboveBlocks: return Self.zeroHash(StoredHashLayout.index(level: 5, position: 1))
            case .treeHashDeleted: return "DELETE FROM ledger_tree_hash WHERE id = \(StoredHashLayout.index(level: 1, position: 5))"
            case .treeShortened:
                return "DELETE FROM ledger_tree_hash WHERE id >= \(StoredHashLayout.count(forSize: 60)); UPDATE ledger_log SET tree_size = 60"
            case .treeSizeTooLarge: return "UPDATE ledger_log SET tree_size = 70"
            case .strayTreeHash:
                return "INSERT INTO ledger_tree_hash (id, hash) VALUES (\(StoredHashLayout.count(forSize: 67)), zeroblob(32))"
            case .rowBeforeTheFirst:
                let list = columns.joined(separator: ", ")
                return "INSERT INTO ledger_entry (\(list)) SELECT 0, \(columns.dropFirst().joined(separator: ", ")) FROM ledger_entry WHERE id = 1"
            case .treeHashBeforeTheFirst: return "INSERT INTO ledger_tree_hash (id, hash) VALUES (-1, zeroblob(32))"
            case .rowWithTheLargestID:
                let list = columns.joined(separator: ", ")
                return
                    "INSERT INTO ledger_entry (\(list)) SELECT \(Int64.max), \(columns.dropFirst().joined(separator: ", ")) FROM ledger_entry WHERE id = 1"
            case .largeTreeSize: return "UPDATE ledger_log SET tree_size = \(Int64(1) << 40)"
            case .rehashedEdit:
                var forged = try #require(try fixture.ledger.entry(id: 9))
                forged.operatorName = "mallory"
                forged.rowHash = LedgerHash.hash(fields: forged.hashedFields)
                return "UPDATE ledger_entry SET operator = 'mallory', row_hash = '\(forged.rowHash)' WHERE id = 9"
            }
        }

        static func zeroHash(_ index: Int64) -> String {
            "UPDATE ledger_tree_hash SET hash = zeroblob(32) WHERE id = \(index)"
        }
    }

    static func tampered(_ tamper: Tamper) throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        try fixture.fill(rows)
        if tamper != .none {
            try fixture.sqlite(dropTriggers + (try tamper.sql(fixture)))
        }
        return fixture
    }

    static func verify(_ fixture: LedgerFixture, level: Int, threads: Int, ownConnections: Bool = true) throws -> LedgerVerification {
        try fixture.store.database.read { db in
            try LedgerVerifier.verify(db, path: ownConnections ? fixture.path : nil, blockLevel: level, threads: threads)
        }
    }

    @Test("every block size and thread count names the same first problem", arguments: Tamper.allCases)
    func sameAsOnePass(_ tamper: Tamper) throws {
        let fixture = try Self.tampered(tamper)
        let onePass = try Self.verify(fixture, level: 20, threads: 1)
        #expect(onePass.isIntact == (tamper == .none), "\(tamper): \(onePass)")
        for (level, threads, own) in [(1, 2, true), (2, 3, true), (2, 2, false), (3, 2, true), (6, 4, true)] {
            let inBlocks = try Self.verify(fixture, level: level, threads: threads, ownConnections: own)
            #expect(inBlocks == onePass, "\(tamper), blocks of \(1 << level) on \(threads) threads: \(inBlocks), one pass: \(onePass)")
        }
    }

    @Test(
        "problems at block edges are named as one pass names them",
        arguments: [
            (Tamper.deleteWholeBlock, LedgerBreak(row: 9, reason: .missingRows(from: 5, through: 8), verifiedRows: 4)),
            (.deleteFirstOfBlock, LedgerBreak(row: 6, reason: .missingRows(from: 5, through: 5), verifiedRows: 4)),
            (.deleteLastOfBlock, LedgerBreak(row: 5, reason: .missingRows(from: 4, through: 4), verifiedRows: 3)),
            (.deleteLastRows, LedgerBreak(row: 60, reason: .truncated(from: 60, through: 67), verifiedRows: 59)),
            (.editFirstOfBlock, LedgerBreak(row: 5, reason: .contentMismatch, verifiedRows: 4)),
            (.rehashedEdit, LedgerBreak(row: 9, reason: .leafMismatch, verifiedRows: 8)),
            (.blockRoot, LedgerBreak(row: 8, reason: .treeHashMismatch(index: StoredHashLayout.index(level: 2, position: 1)), verifiedRows: 7)),
            (.hashAboveBlocks, LedgerBreak(row: 8, reason: .treeHashMismatch(index: StoredHashLayout.index(level: 3, position: 0)), verifiedRows: 7)),
            (
                .hashHighAboveBlocks,
                LedgerBreak(row: 64, reason: .treeHashMismatch(index: StoredHashLayout.index(level: 5, position: 1)), verifiedRows: 63)
            ),
            (.treeShortened, LedgerBreak(row: 61, reason: .treeSizeMismatch(entries: 67, treeSize: 60), verifiedRows: 67)),
            // What the single-pass verifier before the blocks (ff67c56) named for these three:
            (.treeHashBeforeTheFirst, LedgerBreak(row: 1, reason: .leafMismatch, verifiedRows: 0)),
            (.rowWithTheLargestID, LedgerBreak(row: .max, reason: .contentMismatch, verifiedRows: 67)),
            (.largeTreeSize, LedgerBreak(row: (1 << 40) + 1, reason: .treeSizeMismatch(entries: 67, treeSize: 1 << 40), verifiedRows: 67)),
        ]
    )
    func namedAtTheEdge(_ tamper: Tamper, _ expected: LedgerBreak) throws {
        let fixture = try Self.tampered(tamper)
        #expect(try Self.verify(fixture, level: 2, threads: 2) == .broken(expected))
    }

    @Test("entries appended after the verify's snapshot are left for the next verify")
    func appendedDuringTheVerify() throws {
        let fixture = try Self.tampered(.none)
        let writer = Ledger(store: try Store.open(path: fixture.path))
        let verification = try fixture.store.database.read { db in
            // The snapshot starts at the first read; the append commits after it, before the workers open.
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_log")
            _ = try writer.append(contentsOf: [fixture.sample(68)])
            return try LedgerVerifier.verify(db, path: fixture.path, blockLevel: 2, threads: 2)
        }
        #expect(verification.isIntact, "\(verification)")
        if case .intact(let rows, _) = verification { #expect(rows == Self.rows) }
        #expect(try fixture.ledger.verify().isIntact)
    }

    @Test("the work given to run alongside runs once, on the verify's threads, and its error stops the verify")
    func alongside() throws {
        let fixture = try Self.tampered(.none)
        let runs = Mutex(0)
        let verification = try fixture.ledger.verify { runs.withLock { $0 += 1 } }
        #expect(verification.isIntact)
        #expect(runs.withLock { $0 } == 1)

        struct Refused: Error {}
        #expect(throws: LedgerError.self) {
            try fixture.ledger.verify { throw Refused() }
        }
    }
}

/// The ledger passes the store file's condition on in the store's words (and exit 74),
/// as the catalog does, rather than as "cannot append to the ledger: attempt to write…".
@Suite("Ledger errors about the store's file", .serialized)
struct LedgerStoreConditionTests {
    @Test("an append to a store on a read-only file system is the store's read-only error")
    func readOnlyStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-ledger-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mounted = try HostProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", folder.path])
        try #require(mounted.status == 0, "mount tmpfs (the tests run as root): \(mounted.combined)")
        defer { _ = try? HostProcess.run("/bin/umount", ["-l", folder.path]) }
        let path = folder.appendingPathComponent("store.sqlite").path
        do {
            let store = try Store.open(path: path)
            _ = try Ledger(store: store).append(contentsOf: [LedgerFixture.sample(1)])
            try store.database.close()
        }
        let remounted = try HostProcess.run("/bin/mount", ["-o", "remount,ro", folder.path])
        try #require(remounted.status == 0, "\(remounted.combined)")

        let ledger = Ledger(store: try Store.open(path: path))
        #expect(try ledger.verify().isIntact, "reading a read-only store works")
        #expect(throws: LedgerError.store(.readOnly(path: path))) {
            try ledger.append(contentsOf: [LedgerFixture.sample(2)])
        }
    }
}
