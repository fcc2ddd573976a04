import ArgumentParser

extension Lockstep {
    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Query and verify the audit ledger (operator, auditor).",
            discussion: """
            Every upgrade, step and container run is recorded as a new row; rows are never \
            changed or deleted. Each row holds the SHA-256 of its content and of the row \
            before it, so `ledger verify` can name the first row that was altered.
            """,
            subcommands: [List.self, Show.self, Verify.self, Export.self]
        )
    }
}

enum LedgerOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}
