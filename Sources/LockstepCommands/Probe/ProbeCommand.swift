import ArgumentParser

extension Lockstep {
    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check whether a service is truly ready.",
            subcommands: [Postgres.self]
        )
    }
}
