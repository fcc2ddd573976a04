import Foundation
import GRDB
import LockstepLedger
import LockstepStore
import LockstepTestSupport
import Testing

/// An attacker with a copy of a real store and the sqlite3 shell (or lockstep's
/// own code): each attack is caught by `ledger verify`, which names what.
@Suite("Attacks on a copy of the store are caught", .serialized)
struct LedgerAttackTests {
    static let dropTriggers = """
        DROP TRIGGER ledger_entry_is_never_updated; DROP TRIGGER ledger_entry_is_never_deleted;
        DROP TRIGGER ledger_tree_hash_is_never_updated; DROP TRIGGER ledger_tree_hash_is_never_deleted;
        DROP TRIGGER ledger_log_never_shrinks;
        """

    /// A store of 300 entries with a checkpoint in the checkpoints file, and a copy to attack.
    struct Victim {
        let cli: LockstepCLI
        let copy: String
        let verifier: String

        init() throws {
            cli = try LockstepCLI()
            #expect(try cli.fillLedger(rows: 300, batch: 50).status == 0)
            let checkpoint = try cli.run("ledger", "checkpoint", "--out", "held.checkpoint")
            #expect(checkpoint.status == 0, "\(checkpoint.combined)")
            verifier = try cli.run("ledger", "key").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            copy = cli.folder.appendingPathComponent("copy.sqlite").path
            let backup = try HostProcess.run("/usr/bin/sqlite3", [cli.storePath, ".backup '\(copy)'"])
            #expect(backup.status == 0, "\(backup.combined)")
        }

        func sqlite(_ sql: String) throws {
            let result = try HostProcess.run("/usr/bin/sqlite3", [copy, sql])
            #expect(result.status == 0, "sqlite3: \(result.combined)")
        }

        func verify(_ extra: String...) throws -> LockstepCLI.Output {
            try cli.run(arguments: ["ledger", "verify", "--store", copy] + extra)
        }

        /// What an attacker who knows the encodings does: edit row `id`, rewrite the
        /// hash chain from there on, and throw the tree away for lockstep to rebuild.
        func editAndRecompute(id: Int64) throws {
            try sqlite(
                dropTriggers
                    + "UPDATE ledger_entry SET status = 'succeeded', event = 'succeeded', exit_code = 0, message = NULL, operator = 'mallory' WHERE id = \(id)"
            )
            let queue = try DatabaseQueue(path: copy)
            try queue.write { db in
                var previous =
                    try String.fetchOne(db, sql: "SELECT row_hash FROM ledger_entry WHERE id = ?", arguments: [id - 1]) ?? LedgerHash.genesis
                let rows = try LedgerEntry.fetchAll(
                    db,
                    sql: "SELECT \(LedgerEntry.columnNames.joined(separator: ", ")) FROM ledger_entry WHERE id >= ? ORDER BY id",
                    arguments: [id]
                )
                for var row in rows {
                    row.previousHash = previous
                    row.rowHash = LedgerHash.hash(fields: row.hashedFields)
                    try db.execute(
                        sql: "UPDATE ledger_entry SET previous_hash = ?, row_hash = ? WHERE id = ?",
                        arguments: [row.previousHash, row.rowHash, row.id]
                    )
                    previous = row.rowHash
                }
                try db.execute(sql: "DELETE FROM ledger_tree_hash; UPDATE ledger_log SET tree_size = 0")
            }
            try queue.close()
        }
    }

    @Test("an untouched copy verifies against the checkpoint")
    func untouched() throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        let verified = try victim.verify("--checkpoint", "held.checkpoint")
        #expect(verified.status == 0, "\(verified.combined)")
        #expect(verified.stdout.contains("ledger intact: 300 entries"))
    }

    @Test("a row edited after dropping the append-only triggers is named")
    func editedRow() throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        try victim.sqlite(Self.dropTriggers + "UPDATE ledger_entry SET exit_code = 0, status = 'succeeded' WHERE id = 195")
        let verified = try victim.verify()
        #expect(verified.status == 1)
        #expect(verified.stderr.contains("row 195: content does not match its hash (edited?)"), "\(verified.combined)")
    }

    @Test("deleting the last rows, with their tree hashes and the counters, contradicts the checkpoint")
    func truncated() throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        try victim.sqlite(
            Self.dropTriggers + """
                DELETE FROM ledger_entry WHERE id > 290; UPDATE sqlite_sequence SET seq = 290 WHERE name = 'ledger_entry';
                DELETE FROM ledger_tree_hash WHERE id >= \(2 * 290 - 290.nonzeroBitCount); UPDATE ledger_log SET tree_size = 290;
                """
        )
        let verified = try victim.verify("--checkpoint", "held.checkpoint")
        #expect(verified.status == 1)
        #expect(verified.stderr.contains("the store contradicts checkpoint"), "\(verified.combined)")
        #expect(verified.stderr.contains("(size 300): it holds 290 entries, fewer than the 300 signed"), "\(verified.combined)")
    }

    @Test("deleting the last rows only is named as a truncation")
    func deletedLastRows() throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        try victim.sqlite(Self.dropTriggers + "DELETE FROM ledger_entry WHERE id > 296")
        let verified = try victim.verify()
        #expect(verified.status == 1)
        #expect(verified.stderr.contains("rows 297-300 are missing at the end (ledger truncated?)"), "\(verified.combined)")
    }

    @Test("a log recomputed whole after an edit passes every internal check but contradicts the held checkpoint")
    func recomputed() throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        try victim.editAndRecompute(id: 98)
        // Without a checkpoint from before the edit, nothing inside the store can tell.
        let alone = try victim.cli.run("ledger", "verify", "--store", victim.copy, "--checkpoints", "/nonexistent/none")
        #expect(alone.status == 0, "the recomputed log is self-consistent: \(alone.combined)")
        let verified = try victim.verify()
        #expect(verified.status == 1)
        #expect(
            verified.stderr.contains("the store contradicts checkpoint \(victim.cli.folder.path)/keys/checkpoints (size 300)"),
            "\(verified.combined)"
        )
        #expect(verified.stderr.contains("no longer hash to the signed root"), "\(verified.combined)")
        let held = try victim.verify("--checkpoint", "held.checkpoint", "--checkpoints", "/nonexistent/none")
        #expect(held.stderr.contains("the store contradicts checkpoint held.checkpoint (size 300)"), "\(held.combined)")
    }

    @Test("a checkpoints file forged with another key is named as not signed by the ledger key")
    func forgedCheckpoints() throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        try victim.editAndRecompute(id: 12)
        let checkpoints = victim.cli.folder.appendingPathComponent("keys/checkpoints").path
        try FileManager.default.removeItem(atPath: checkpoints)
        let forged = try victim.cli.run(
            "ledger",
            "checkpoint",
            "--store",
            victim.copy,
            "--ledger-key",
            victim.cli.folder.appendingPathComponent("mallory.key").path,
            "--checkpoints",
            checkpoints
        )
        #expect(forged.status == 0, "\(forged.combined)")
        let verified = try victim.verify("--verifier", victim.verifier)
        #expect(verified.status == 1)
        #expect(verified.stderr.contains("is not signed by the ledger key \(victim.verifier.split(separator: "+")[0])"), "\(verified.combined)")
        #expect(verified.stderr.contains("forged or from another ledger"), "\(verified.combined)")
    }

    @Test("a rewritten origin does not hide the log from the checkpoints file")
    func rewrittenOrigin() throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        try victim.sqlite(
            Self.dropTriggers
                + "DELETE FROM ledger_entry WHERE id > 10; UPDATE sqlite_sequence SET seq = 10 WHERE name = 'ledger_entry';"
                + " DELETE FROM ledger_tree_hash WHERE id >= 18; UPDATE ledger_log SET tree_size = 10, origin = 'lockstep/elsewhere'"
        )
        let verified = try victim.verify()
        #expect(verified.status == 1, "\(verified.combined)")
        #expect(
            verified.stderr.contains("holds checkpoints of the ledger key for the log lockstep/"),
            "\(verified.combined)"
        )
        #expect(verified.stderr.contains("none for this store's lockstep/elsewhere: the store's origin was changed"), "\(verified.combined)")
        #expect(!verified.stdout.contains("intact"))
    }

    @Test(
        "an edited tree size or log row is named as an altered tree (exit 1), never a crash",
        arguments: [
            "UPDATE ledger_log SET tree_size = 4611686018427387905",
            "UPDATE ledger_log SET tree_size = 9223372036854775807",
            "UPDATE ledger_log SET tree_size = 'abc'",
            "UPDATE ledger_log SET origin = x'00ff'",
            "UPDATE ledger_log SET tree_size = 200",
            "UPDATE ledger_log SET tree_size = 400",
            "DELETE FROM ledger_log",
            "DELETE FROM ledger_tree_hash WHERE id = \(StoredHashLayout.count(forSize: 300) - 1)",
        ]
    )
    func alteredTreeRows(_ sql: String) throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        try victim.sqlite(Self.dropTriggers + " DROP TRIGGER ledger_log_is_never_deleted; " + sql)
        let verified = try victim.verify()
        #expect(verified.status == 1, "\(sql): \(verified.combined)")
        #expect(verified.stderr.hasPrefix("error: the ledger's Merkle tree was altered: "), "\(sql): \(verified.combined)")
        #expect(!verified.combined.contains("Fatal error"), "\(sql): \(verified.combined)")
        #expect(!verified.combined.contains("UNIQUE"), "\(sql): \(verified.combined)")
    }

    @Test("verify of a store that does not exist says so (66) and creates nothing")
    func missingStore() throws {
        let victim = try Victim()
        defer { victim.cli.removeFolder() }
        let missing = victim.cli.folder.appendingPathComponent("missing.sqlite").path
        let verified = try victim.cli.run("ledger", "verify", "--store", missing)
        #expect(verified.status == 66, "\(verified.combined)")
        #expect(verified.stderr.contains("no store at \(missing): nothing to verify"), "\(verified.combined)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
