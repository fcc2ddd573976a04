import Foundation
import LockstepLedger
import Testing

/// A tamperer with the sqlite3 shell: drops the triggers, then edits.
@Suite("Verify names the first altered row")
struct LedgerTamperTests {
    static let dropTriggers = "DROP TRIGGER ledger_entry_is_never_updated; DROP TRIGGER ledger_entry_is_never_deleted; "

    func broken(_ verification: LedgerVerification) -> LedgerBreak? {
        if case .broken(let problem) = verification { return problem }
        return nil
    }

    @Test("an untouched ledger verifies")
    func intact() throws {
        let fixture = try LedgerFixture()
        let rows = try fixture.fill(60)
        #expect(try fixture.ledger.verify() == .intact(rows: 60, headHash: rows.last!.rowHash))
    }

    @Test(
        "editing a field breaks that row's content hash",
        arguments: [
            "UPDATE ledger_entry SET exit_code = 1, status = 'failed' WHERE id = 42",
            "UPDATE ledger_entry SET log_tail = NULL WHERE id = 42",
            "UPDATE ledger_entry SET log_tail = '' WHERE id = 42",
            "UPDATE ledger_entry SET operator = 'mallory' WHERE id = 42",
            "UPDATE ledger_entry SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE id = 42",
            "UPDATE ledger_entry SET release_sequence = 4 WHERE id = 42",
        ]
    )
    func editedField(_ sql: String) throws {
        let fixture = try LedgerFixture()
        try fixture.fill(60)
        try fixture.sqlite(Self.dropTriggers + sql)
        let problem = try #require(broken(try fixture.ledger.verify()))
        #expect(problem.row == 42)
        #expect(problem.reason == .contentMismatch)
        #expect(problem.verifiedRows == 41)
        #expect(problem.description == "row 42: content does not match its hash (edited?)")
    }

    @Test("an edit with a recomputed row hash no longer matches its Merkle leaf")
    func editedAndRehashed() throws {
        let fixture = try LedgerFixture()
        try fixture.fill(60)
        var forged = try #require(try fixture.ledger.entry(id: 42))
        forged.operatorName = "mallory"
        forged.rowHash = LedgerHash.hash(fields: forged.hashedFields)
        try fixture.sqlite(Self.dropTriggers + "UPDATE ledger_entry SET operator = 'mallory', row_hash = '\(forged.rowHash)' WHERE id = 42")
        let problem = try #require(broken(try fixture.ledger.verify()))
        #expect(problem.row == 42)
        #expect(problem.reason == .leafMismatch)
        #expect(problem.description == "row 42: content does not match its leaf in the Merkle tree (edited?)")
    }

    @Test("deleting a row names the row after the gap")
    func deletedRow() throws {
        let fixture = try LedgerFixture()
        try fixture.fill(60)
        try fixture.sqlite(Self.dropTriggers + "DELETE FROM ledger_entry WHERE id IN (41, 42)")
        let problem = try #require(broken(try fixture.ledger.verify()))
        #expect(problem.row == 43)
        #expect(problem.reason == .missingRows(from: 41, through: 42))
        #expect(problem.description == "row 43: rows 41-42 are missing before it (deleted?)")
    }

    @Test("deleting the first row is noticed")
    func deletedFirstRow() throws {
        let fixture = try LedgerFixture()
        try fixture.fill(5)
        try fixture.sqlite(Self.dropTriggers + "DELETE FROM ledger_entry WHERE id = 1")
        let problem = try #require(broken(try fixture.ledger.verify()))
        #expect(problem.row == 2)
        #expect(problem.reason == .missingRows(from: 1, through: 1))
    }

    @Test("deleting the last rows is noticed (truncation)")
    func truncated() throws {
        let fixture = try LedgerFixture()
        try fixture.fill(60)
        try fixture.sqlite(Self.dropTriggers + "DELETE FROM ledger_entry WHERE id >= 59")
        let problem = try #require(broken(try fixture.ledger.verify()))
        #expect(problem.row == 59)
        #expect(problem.reason == .truncated(from: 59, through: 60))
        #expect(problem.verifiedRows == 58)
    }

    @Test("swapping two rows breaks the first of them")
    func reordered() throws {
        let fixture = try LedgerFixture()
        try fixture.fill(60)
        try fixture.sqlite(
            Self.dropTriggers
                + "UPDATE ledger_entry SET id = -1 WHERE id = 30; UPDATE ledger_entry SET id = 30 WHERE id = 31; UPDATE ledger_entry SET id = 31 WHERE id = -1;"
        )
        let problem = try #require(broken(try fixture.ledger.verify()))
        #expect(problem.row == 30)
        #expect(problem.reason == .contentMismatch)
    }

    @Test("swapping the content of two rows, hashes included, breaks the first of them")
    func swappedContent() throws {
        let fixture = try LedgerFixture()
        try fixture.fill(60)
        let columns = "log_tail, command, previous_hash, row_hash"
        try fixture.sqlite(
            Self.dropTriggers + """
                CREATE TEMP TABLE saved AS SELECT \(columns) FROM ledger_entry WHERE id = 20;
                UPDATE ledger_entry SET (\(columns)) = (SELECT \(columns) FROM ledger_entry WHERE id = 21) WHERE id = 20;
                UPDATE ledger_entry SET (\(columns)) = (SELECT \(columns) FROM saved) WHERE id = 21;
                """
        )
        let problem = try #require(broken(try fixture.ledger.verify()))
        #expect(problem.row == 20)
    }

    @Test("appends after a deletion do not hide it")
    func appendAfterDeletion() throws {
        let fixture = try LedgerFixture()
        try fixture.fill(10)
        try fixture.sqlite(Self.dropTriggers + "DELETE FROM ledger_entry WHERE id = 10")
        let next = try fixture.ledger.append(fixture.sample(11))
        #expect(next.id == 11, "an id is never reused")
        let problem = try #require(broken(try fixture.ledger.verify()))
        #expect(problem.row == 11)
        #expect(problem.reason == .missingRows(from: 10, through: 10))
    }
}

@Suite("The ledger is append-only")
struct LedgerImmutabilityTests {
    @Test(
        "UPDATE and DELETE are refused by the store",
        arguments: [
            "UPDATE ledger_entry SET status = 'succeeded' WHERE id = 1",
            "DELETE FROM ledger_entry WHERE id = 1",
            "DELETE FROM ledger_entry",
        ]
    )
    func refused(_ sql: String) throws {
        let fixture = try LedgerFixture()
        try fixture.fill(3)
        #expect(throws: (any Error).self) {
            try fixture.store.database.write { db in try db.execute(sql: sql) }
        }
        let shell = try ProcessRunner.run("/usr/bin/sqlite3", [fixture.path, sql])
        #expect(shell.status != 0)
        #expect(shell.stderr.contains("append-only"))
        #expect(try fixture.ledger.verify() == .intact(rows: 3, headHash: try fixture.ledger.entry(id: 3)!.rowHash))
    }
}
