import ArgumentParser

extension Lockstep {
    struct Repo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repo",
            abstract: "The vendor's signed TUF repository: keys and root metadata (vendor).",
            subcommands: [Init.self, Rotate.self]
        )
    }
}

/// Where the vendor's keys and published directory are; shared by repo and publish.
struct RepositoryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory of the role keys (one file per key, mode 0600).", valueName: "dir"))
    var keys: String

    @Option(help: ArgumentHelp("The published repository directory (metadata/ and targets/).", valueName: "dir"))
    var out: String
}

enum RoleArgument: String, ExpressibleByArgument, CaseIterable {
    case root, targets, snapshot, timestamp
}
