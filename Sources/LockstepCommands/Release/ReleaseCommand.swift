import ArgumentParser

extension Lockstep {
    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Cut, list and inspect releases (vendor).",
            subcommands: [Create.self, List.self, Show.self, Lint.self]
        )
    }
}
