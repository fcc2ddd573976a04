import ArgumentParser

extension Lockstep {
    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "probe",
            abstract: "Check whether a service is truly ready.",
            subcommands: [Postgres.self]
        )
    }
}
