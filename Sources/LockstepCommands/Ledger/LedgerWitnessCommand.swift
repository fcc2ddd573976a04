import ArgumentParser
import Foundation
import LockstepLedger
import LockstepSync

extension Lockstep.Ledger {
    struct WitnessCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "witness",
            abstract: "Have a witness cosign the ledger's newest checkpoint.",
            discussion: """
                Signs a checkpoint of the whole ledger, sends it to URL/witness/add-checkpoint (a \
                `lockstep serve --witness-key`) with a consistency proof from the size that witness last \
                cosigned, and appends the cosigned note to the checkpoints file. The witness keeps the \
                newest checkpoint of each ledger and refuses one that does not extend it: a store \
                rewritten after a cosignature cannot get another. A server without a witness is skipped. \
                Exit 1 when the witness says the ledger was rewritten, 67 when it refuses the signature, \
                69 when it cannot be reached.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var keyOptions: LedgerKeyOptions

        @Argument(help: ArgumentHelp("The witness's base URL (http or https).", valueName: "url"))
        var url: String

        func validate() throws {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ValidationError("URL must start with http:// or https://: \(url)")
            }
        }

        func run() async throws {
            let ledger = LockstepLedger.Ledger(store: try storeOptions.openStore())
            let signed = try ledger.checkpoint(at: keyOptions.location)
            let key = try LedgerKey.loadOrCreate(path: keyOptions.keyPath)
            switch try await WitnessExchange(ledger: ledger, keyOptions: keyOptions).send(signed, to: url, verifier: key.verifier) {
            case .noWitness:
                Terminal.note("\(url) has no witness; checkpoint of \(signed.checkpoint.size) entries kept locally")
            case .cosigned(let cosigned, let names):
                Terminal.note("checkpoint of \(cosigned.checkpoint.size) entries cosigned by \(names)")
            }
        }
    }
}

extension WitnessClientError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .inconsistent: .failure
        case .refused: .refused
        case .unreachable, .unexpected: .unavailable
        case .ledger(let error): error.exitStatus
        }
    }

    var userMessage: String { description }
}

extension WitnessRefusal: ExitCoded {
    var exitStatus: ExitStatus { .storeError }
    var userMessage: String { description }
}
