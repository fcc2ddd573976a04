import ArgumentParser
import LockstepLedger

extension Lockstep.Ledger {
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key",
            abstract: "Print the ledger key's verifier key (name+id+base64), creating the key if needed.",
            discussion: """
                Give the printed line to whoever checks your checkpoints (`ledger verify --verifier`, \
                or Go's golang.org/x/mod/sumdb/note). The private key stays in its file, mode 0600.
                """
        )

        @OptionGroup var keyOptions: LedgerKeyOptions

        func run() async throws {
            print(try LedgerKey.loadOrCreate(path: keyOptions.keyPath).verifier.description)
        }
    }
}
