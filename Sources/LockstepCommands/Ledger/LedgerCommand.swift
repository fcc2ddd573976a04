import ArgumentParser

extension Lockstep {
    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "Query and verify the audit ledger (operator, auditor).",
            discussion: """
                Every upgrade, step and container run is recorded as a new row; rows are never \
                changed or deleted. The rows are the leaves of a Merkle tree (RFC 6962); checkpoints \
                of it, signed with a key kept outside the store, let `ledger verify` catch a store \
                edited, truncated or recomputed after them.
                """,
            subcommands: [
                List.self, Show.self, Verify.self, Export.self, Key.self, CheckpointCommand.self, Prove.self, Consistency.self, WitnessCommand.self,
            ]
        )
    }
}

enum LedgerOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}
