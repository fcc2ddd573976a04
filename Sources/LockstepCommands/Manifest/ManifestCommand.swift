import ArgumentParser

extension Lockstep {
    struct Manifest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "manifest",
            abstract: "Inspect application manifests.",
            subcommands: [Graph.self]
        )
    }
}
