import ArgumentParser
import LockstepLedger
import LockstepStore

extension Lockstep.Ledger {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; name the first row that does not match.",
            discussion: """
            Exit status 0 when every row matches its hash and links to the row before it; \
            1 naming the first edited, deleted or reordered row otherwise. Keep the printed \
            head hash: a later verify whose chain no longer contains it was rewritten.
            """
        )

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Output format: table (one line) or json.")
        var output: OutputFormat = .table

        func run() async throws {
            let store = try storeOptions.openStore()
            // A hash chain read from damaged pages proves nothing: check the pages first.
            if let problem = try store.quickCheck().first {
                throw StoreError.corrupt(path: store.path, detail: problem)
            }
            let verification = try LockstepLedger.Ledger(store: store).verify()
            switch output {
            case .table:
                if verification.isIntact { print(verification.description) }
            case .json:
                print(try JSONOutput.encode(LedgerVerificationReport(verification)))
            }
            if case .broken(let problem) = verification {
                throw LedgerCommandError.doesNotVerify(problem)
            }
        }
    }
}
