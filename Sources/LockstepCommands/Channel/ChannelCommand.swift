import ArgumentParser

extension Lockstep {
    struct Channel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage channels and promotions (vendor).", subcommands: [])
    }
    struct Catalog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import or export a release history.", subcommands: [])
    }
    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage installations.", subcommands: [])
    }
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an installation's status.")
    }
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the upgrade path.")
    }
}
