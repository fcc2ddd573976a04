import Foundation
import GRDB

/// A C2SP tlog-witness for lockstep ledgers: it cosigns a checkpoint only when the
/// log's own key signed it and the log still extends the newest checkpoint the
/// witness cosigned for that origin, so a store rewritten after a cosignature
/// can no longer get one. Each origin's key is trusted on first use and kept.
public final class Witness: Sendable {
    public let key: LedgerKey
    private let database: DatabaseQueue

    /// Opens (creating) the witness's own SQLite store at `storePath`.
    public init(key: LedgerKey, storePath: String) throws(WitnessRefusal) {
        self.key = key
        do {
            database = try DatabaseQueue(path: storePath)
            try database.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS witness_origin (
                            origin TEXT PRIMARY KEY NOT NULL,
                            verifier_key TEXT NOT NULL,
                            trusted_at TEXT NOT NULL,
                            tree_size INTEGER NOT NULL,
                            root TEXT NOT NULL,
                            checkpoint TEXT NOT NULL,
                            updated_at TEXT NOT NULL
                        ) STRICT
                        """
                )
            }
        } catch {
            throw .storage("\(storePath): \(error)")
        }
    }

    /// What a first contact with an origin did, for the server's log.
    public enum Acceptance: Sendable, Equatable {
        case trustedOnFirstUse(verifier: String)
        case extended(from: Int64)
    }

    /// Checks `request` and, when it holds, keeps its checkpoint and returns the
    /// cosignature lines. `offeredKey` is only used for an origin seen for the first time.
    public func add(_ request: WitnessRequest, offeredKey: LedgerVerifierKey?) throws(WitnessRefusal) -> (lines: String, acceptance: Acceptance) {
        let signed = request.checkpoint
        let checkpoint = signed.checkpoint
        guard request.oldSize <= checkpoint.size else {
            throw .malformed("old size \(request.oldSize) is larger than the checkpoint's \(checkpoint.size)")
        }
        let now = ISO8601DateFormatter().string(from: Date())
        let result: Result<Acceptance, WitnessRefusal>
        do {
            result = try database.write { db -> Result<Acceptance, WitnessRefusal> in
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT verifier_key, tree_size, root FROM witness_origin WHERE origin = ?",
                    arguments: [checkpoint.origin]
                )
                guard let row else {
                    guard let offeredKey else {
                        return .failure(
                            .untrusted("unknown origin \(checkpoint.origin): send its verifier key in the Lockstep-Ledger-Verifier header")
                        )
                    }
                    guard signed.note.isSigned(by: offeredKey) else {
                        return .failure(.untrusted("the checkpoint is not signed by the offered key \(offeredKey.name)"))
                    }
                    guard request.oldSize == 0 else { return .failure(.sizeMismatch(held: 0)) }
                    try db.execute(
                        sql: "INSERT INTO witness_origin VALUES (?, ?, ?, ?, ?, ?, ?)",
                        arguments: [
                            checkpoint.origin, offeredKey.description, now, checkpoint.size, checkpoint.root.base64, signed.note.serialized, now,
                        ]
                    )
                    return .success(.trustedOnFirstUse(verifier: offeredKey.description))
                }
                let stored: String = row["verifier_key"]
                guard let verifier = LedgerVerifierKey(stored), signed.note.isSigned(by: verifier) else {
                    return .failure(
                        .untrusted("the checkpoint of \(checkpoint.origin) is not signed by the key the witness trusts for it (\(stored))")
                    )
                }
                let heldSize: Int64 = row["tree_size"]
                guard request.oldSize == heldSize else { return .failure(.sizeMismatch(held: heldSize)) }
                let heldRootText: String = row["root"]
                guard let heldRoot = MerkleHash(base64: heldRootText) else { return .failure(.storage("a stored root is not base64")) }
                guard
                    MerkleProof.verifyConsistency(
                        oldSize: heldSize,
                        oldRoot: heldRoot,
                        size: checkpoint.size,
                        root: checkpoint.root,
                        proof: request.proof
                    )
                else {
                    return .failure(
                        .inconsistent(
                            "the checkpoint of size \(checkpoint.size) does not extend the cosigned one of size \(heldSize) of \(checkpoint.origin): the log was rewritten"
                        )
                    )
                }
                try db.execute(
                    sql: "UPDATE witness_origin SET tree_size = ?, root = ?, checkpoint = ?, updated_at = ? WHERE origin = ?",
                    arguments: [checkpoint.size, checkpoint.root.base64, signed.note.serialized, now, checkpoint.origin]
                )
                return .success(.extended(from: heldSize))
            }
        } catch {
            throw .storage("\(error)")
        }
        let acceptance = try result.get()
        let cosigned = SignedNote.sign(text: signed.note.text, with: key)
        return (String(cosigned.serialized.dropFirst(signed.note.text.count + 1)), acceptance)
    }
}
