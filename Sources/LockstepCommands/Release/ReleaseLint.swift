import ArgumentParser

extension Lockstep.Release {
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a manifest for errors and warnings.")
        func run() async throws {}
    }
}
