import ArgumentParser
import Foundation
import LockstepLedger

extension Lockstep.Ledger {
    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consistency",
            abstract: "Print a proof that the ledger still extends an older checkpoint.",
            discussion: """
                JSON: the old checkpoint, a new checkpoint of the whole ledger (appended to the \
                checkpoints file) and the RFC 6962 consistency proof between them, which Go's \
                sumdb/tlog CheckTree accepts.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var keyOptions: LedgerKeyOptions

        @Option(help: ArgumentHelp("The older signed checkpoint.", valueName: "path"))
        var from: String

        func run() async throws {
            let ledger = LockstepLedger.Ledger(store: try storeOptions.openStore())
            let old = try CheckpointFile.readOne(path: from)
            let signed = try ledger.checkpoint(at: keyOptions.location)
            let oldSize = old.checkpoint.size
            guard oldSize <= signed.checkpoint.size, try ledger.root(size: oldSize) == old.checkpoint.root else {
                throw LedgerCommandError.contradicts(checkpoint: from, size: oldSize)
            }
            let proof = try ledger.consistencyProof(oldSize: oldSize, size: signed.checkpoint.size)
            try JSONOutput.print(
                ConsistencyProofOutput(
                    oldCheckpoint: old.note.serialized,
                    checkpoint: signed.note.serialized,
                    proof: proof.map(\.base64)
                )
            )
        }
    }
}

struct ConsistencyProofOutput: Encodable {
    let oldCheckpoint: String
    let checkpoint: String
    let proof: [String]

    enum CodingKeys: String, CodingKey {
        case checkpoint, proof
        case oldCheckpoint = "old_checkpoint"
    }
}
