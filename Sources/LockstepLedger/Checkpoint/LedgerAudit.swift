import GRDB

/// A checkpoint to hold the store to, and where it came from (for messages).
public struct HeldCheckpoint: Sendable {
    public let source: String
    public let checkpoint: SignedCheckpoint

    public init(source: String, checkpoint: SignedCheckpoint) {
        self.source = source
        self.checkpoint = checkpoint
    }
}

/// What `ledger verify` found: the recomputed ledger and each checkpoint held against it.
public struct LedgerAudit: Sendable {
    public struct CheckpointResult: Sendable {
        public let source: String
        public let size: Int64
        /// nil when the checkpoint is signed and the store's tree extends it.
        public let problem: String?
    }

    public let verification: LedgerVerification
    public let head: LedgerTreeHead
    public let checkpoints: [CheckpointResult]

    public var isIntact: Bool {
        verification.isIntact && checkpoints.allSatisfy { $0.problem == nil }
    }

    /// The first thing that does not hold, in a sentence; nil when everything does.
    public var firstProblem: String? {
        if case .broken(let problem) = verification {
            return "\(problem.description); the \(problem.verifiedRows) rows before it verify"
        }
        return checkpoints.first { $0.problem != nil }?.problem
    }
}

extension Ledger {
    /// Recomputes every leaf, stored hash and the root, then checks each held
    /// checkpoint: signed by `verifier`, for this log, and a prefix of today's tree.
    /// `alongside` runs on the verify's threads while it reads.
    public func audit(
        checkpoints: [HeldCheckpoint],
        verifier: LedgerVerifierKey?,
        alongside: (@Sendable () throws -> Void)? = nil
    ) throws(LedgerError) -> LedgerAudit {
        let head = try treeHead()
        let verification = try verify(alongside: alongside)
        var results: [LedgerAudit.CheckpointResult] = []
        for held in checkpoints {
            let checkpoint = held.checkpoint.checkpoint
            let problem = try problem(with: held, head: head, verifier: verifier, treeIntact: verification.isIntact)
            results.append(.init(source: held.source, size: checkpoint.size, problem: problem))
        }
        return LedgerAudit(verification: verification, head: head, checkpoints: results)
    }

    private func problem(
        with held: HeldCheckpoint,
        head: LedgerTreeHead,
        verifier: LedgerVerifierKey?,
        treeIntact: Bool
    ) throws(LedgerError) -> String? {
        let checkpoint = held.checkpoint.checkpoint
        let name = "checkpoint \(held.source) (size \(checkpoint.size))"
        guard let verifier else {
            return "\(name): no verifier key to check its signature with; give --verifier or the ledger key"
        }
        guard held.checkpoint.note.isSigned(by: verifier) else {
            let signers = held.checkpoint.note.signatures.map { "\($0.name)+\(String(format: "%08x", $0.keyID))" }.joined(separator: ", ")
            return
                "\(name) is not signed by the ledger key \(verifier.name)+\(String(format: "%08x", verifier.keyID)) (signed by \(signers)): forged or from another ledger"
        }
        guard checkpoint.origin == head.origin else {
            return "\(name) is for the log \(checkpoint.origin), not this store's \(head.origin)"
        }
        guard checkpoint.size <= head.size else {
            return
                "the store contradicts \(name): it holds \(head.size) entries, fewer than the \(checkpoint.size) signed (entries deleted or the ledger truncated)"
        }
        // Only meaningful over a tree whose stored hashes were just recomputed and matched.
        guard treeIntact else { return nil }
        let root = try root(size: checkpoint.size)
        guard root == checkpoint.root else {
            return
                "the store contradicts \(name): its first \(checkpoint.size) entries no longer hash to the signed root (entries edited or deleted, or the log recomputed after the checkpoint)"
        }
        return nil
    }
}
