import ArgumentParser
import Foundation
import LockstepLedger

extension Lockstep.Ledger {
    struct CheckpointCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Sign a checkpoint of the ledger and append it to the checkpoints file.",
            discussion: """
                A C2SP tlog-checkpoint (origin line, entry count, base64 Merkle root) signed with the \
                ledger key as a C2SP signed-note. Keep copies away from the store: `ledger verify \
                --checkpoint FILE` then proves the ledger still extends it. Every upgrade ends by \
                writing one.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var keyOptions: LedgerKeyOptions

        @Option(help: ArgumentHelp("Also write the signed checkpoint to this file (else it is printed).", valueName: "path"))
        var out: String?

        func run() async throws {
            let ledger = LockstepLedger.Ledger(store: try storeOptions.openStore())
            let signed = try ledger.checkpoint(at: keyOptions.location)
            if let out {
                try CheckpointFile.save(signed, path: out)
                Terminal.note("checkpoint of \(signed.checkpoint.size) entries written to \(out)")
            } else {
                print(signed.note.serialized, terminator: "")
            }
        }
    }
}
