import ArgumentParser
import Foundation
import LockstepLedger
import LockstepStore

extension Lockstep.Ledger {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the ledger's Merkle tree and hold it to its signed checkpoints.",
            discussion: """
                Recomputes every entry's leaf, every stored tree hash, the root and the old hash chain, \
                then checks the newest checkpoint of this ledger in the checkpoints file and each \
                --checkpoint: signed by the ledger key (or --verifier), and a prefix of today's tree. \
                Exit status 0 when everything holds; 1 naming the first entry that does not match or \
                the checkpoint the store contradicts. An edited, deleted, truncated or wholly \
                recomputed history is caught as long as a checkpoint from before it is held elsewhere.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var keyOptions: LedgerKeyOptions

        @Option(help: ArgumentHelp("A signed checkpoint held elsewhere, to check (repeatable).", valueName: "path"))
        var checkpoint: [String] = []

        @Option(help: ArgumentHelp("The verifier key (name+id+base64, or a file holding it). Default: the ledger key's.", valueName: "key"))
        var verifier: String?

        @Option(help: "Output format: table (lines) or json.")
        var output: OutputFormat = .table

        func run() async throws {
            let verifierKey = try keyOptions.verifier(verifier)
            var held = try checkpoint.map { HeldCheckpoint(source: $0, checkpoint: try CheckpointFile.readOne(path: $0)) }
            // Verifying must not create the store it was asked about (an empty one verifies).
            guard FileManager.default.fileExists(atPath: storeOptions.storePath) else {
                throw LedgerCommandError.noStore(path: storeOptions.storePath)
            }
            let store = try storeOptions.openStore()
            let pages = StorePageCheck(store: store)
            let audit: LedgerAudit
            do {
                let ledger = LockstepLedger.Ledger(store: store)
                let tree = try ledger.treeState()
                // Reading changes nothing, so the pages are checked beside the verify; but a
                // tree to catch up is written first, and never into damaged pages.
                if tree.isBehind { try pages.requireSoundPages() }
                let checkpointsPath = keyOptions.checkpointsPath
                let inFile = try CheckpointFile.read(path: checkpointsPath)
                if let newest = inFile.last(where: { $0.checkpoint.origin == tree.origin }) {
                    held.insert(HeldCheckpoint(source: checkpointsPath, checkpoint: newest), at: 0)
                } else if let verifierKey, let other = inFile.last(where: { $0.note.isSigned(by: verifierKey) }) {
                    // The origin is read from the store: an attacker who rewrites it must not
                    // make the held checkpoints look like another log's and go unchecked.
                    throw LedgerCommandError.originNotHeld(file: checkpointsPath, heldOrigin: other.checkpoint.origin, storeOrigin: tree.origin)
                }
                audit = try ledger.audit(checkpoints: held, verifier: verifierKey, alongside: pages.run)
            } catch {
                // A store that cannot be read may have damaged pages: that is what to say then.
                try pages.requireSoundPages()
                throw error
            }
            try pages.requireSoundPages()
            switch output {
            case .table:
                if audit.verification.isIntact {
                    print("ledger intact: \(audit.head.size) entries, root \(audit.head.root.base64), origin \(audit.head.origin)")
                }
                for result in audit.checkpoints where result.problem == nil {
                    print("checkpoint \(result.source) (size \(result.size)): signed, and the ledger extends it")
                }
                if held.isEmpty {
                    Terminal.warn(
                        "no checkpoint of this ledger is held (\(keyOptions.checkpointsPath) has none): `lockstep ledger checkpoint` makes one"
                    )
                }
            case .json:
                print(try JSONOutput.encode(LedgerAuditReport(audit)))
            }
            if let problem = audit.firstProblem {
                throw LedgerCommandError.auditFailed(problem)
            }
        }
    }
}

/// `verify --output json`.
struct LedgerAuditReport: Encodable {
    struct CheckpointReport: Encodable {
        let source: String
        let size: Int64
        let consistent: Bool
        let problem: String?
    }

    let intact: Bool
    let entries: Int64
    let origin: String
    let root: String
    /// The chain fields of earlier versions, kept for scripts that read them.
    let rows: Int?
    let headHash: String?
    let firstBadRow: Int64?
    let checkpoints: [CheckpointReport]
    let message: String

    enum CodingKeys: String, CodingKey {
        case intact, entries, origin, root, rows, checkpoints, message
        case headHash = "head_hash"
        case firstBadRow = "first_bad_row"
    }

    init(_ audit: LedgerAudit) {
        intact = audit.isIntact
        entries = audit.head.size
        origin = audit.head.origin
        root = audit.head.root.base64
        let chain = LedgerVerificationReport(audit.verification)
        rows = chain.rows
        headHash = chain.headHash
        firstBadRow = chain.firstBadRow
        checkpoints = audit.checkpoints.map { CheckpointReport(source: $0.source, size: $0.size, consistent: $0.problem == nil, problem: $0.problem) }
        message = audit.firstProblem ?? "ledger intact"
    }
}
