import ArgumentParser
import LockstepLedger
import LockstepStore

extension Lockstep {
    /// The checks an operator runs on a store before trusting it: SQLite's page check,
    /// then the ledger's hash chain.
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the store: SQLite's quick_check, then the ledger's hash chain.",
            discussion: "Exit status 0 when both hold, 74 when the store's pages are corrupt, 1 when the ledger does not verify."
        )

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try storeOptions.openStore()
            let problems = try store.quickCheck()
            if let first = problems.first {
                for problem in problems { print("store: \(problem)") }
                throw StoreError.corrupt(path: store.path, detail: first)
            }
            print("store: ok (quick_check)")
            let verification = try LockstepLedger.Ledger(store: store).verify()
            if case .broken(let problem) = verification {
                throw LedgerCommandError.doesNotVerify(problem)
            }
            print(verification.description)
        }
    }
}
