import ArgumentParser

extension Lockstep {
    struct Manifest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inspect application manifests.",
            subcommands: [Graph.self]
        )
    }
}
