import ArgumentParser
import Foundation
import LockstepLedger

extension Lockstep.Ledger {
    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove",
            abstract: "Print an inclusion proof of one ledger entry that anyone can check.",
            discussion: """
                JSON: the entry's index (id − 1), its exact entry bytes (`leaf`, base64), the RFC 6962 \
                audit path (`proof`, deepest hash first) and the signed checkpoint it leads to. \
                Without --checkpoint the proof is against a new checkpoint of the whole ledger \
                (appended to the checkpoints file). README "Checking a proof" says how to check one.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var keyOptions: LedgerKeyOptions

        @Argument(help: "The entry's id (as `ledger ls` shows it).")
        var id: Int64

        @Option(help: ArgumentHelp("Prove against this signed checkpoint instead (a file from `ledger checkpoint --out`).", valueName: "path"))
        var checkpoint: String?

        func run() async throws {
            let ledger = LockstepLedger.Ledger(store: try storeOptions.openStore())
            let signed = try checkpoint.map { try CheckpointFile.readOne(path: $0) } ?? ledger.checkpoint(at: keyOptions.location)
            let size = signed.checkpoint.size
            if checkpoint != nil {
                let head = try ledger.treeHead()
                guard size <= head.size, try ledger.root(size: size) == signed.checkpoint.root else {
                    throw LedgerCommandError.contradicts(checkpoint: checkpoint ?? "", size: size)
                }
            }
            guard let proof = try ledger.inclusionProof(id: id, size: size) else { throw LedgerCommandError.notFound(id: id) }
            try JSONOutput.print(InclusionProofOutput(proof, checkpoint: signed))
        }
    }
}

/// `ledger prove` output; the field names are what a third party's checker reads.
struct InclusionProofOutput: Encodable {
    let id: Int64
    let index: Int64
    let treeSize: Int64
    let leaf: String
    let leafHash: String
    let proof: [String]
    let checkpoint: String

    enum CodingKeys: String, CodingKey {
        case id, index, leaf, proof, checkpoint
        case treeSize = "tree_size"
        case leafHash = "leaf_hash"
    }

    init(_ proof: LedgerInclusionProof, checkpoint: SignedCheckpoint) {
        id = proof.id
        index = proof.index
        treeSize = proof.treeSize
        leaf = Data(proof.leaf).base64EncodedString()
        leafHash = MerkleHash.leaf(proof.leaf).base64
        self.proof = proof.proof.map(\.base64)
        self.checkpoint = checkpoint.note.serialized
    }
}
