import ArgumentParser

extension Lockstep {
    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Query and verify the audit ledger (operator, auditor).",
            subcommands: []
        )
    }
}
