import ArgumentParser
import Foundation
import LockstepRepository

extension Lockstep.Repo {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create Ed25519 keys for the four roles and the first root metadata.",
            discussion: "Keep the root keys offline: they are needed only to rotate keys. Customers trust DIR/metadata/1.root.json."
        )

        @OptionGroup var repository: RepositoryOptions

        @Option(help: "Keys per role and signatures required (default 1).")
        var threshold = 1

        func validate() throws {
            guard (1...16).contains(threshold) else { throw ValidationError("--threshold must be between 1 and 16") }
        }

        func run() async throws {
            let writer = RepositoryWriter(keys: URL(fileURLWithPath: repository.keys), out: URL(fileURLWithPath: repository.out))
            try writer.initialize(threshold: threshold)
            print("created \(threshold) key(s) per role in \(repository.keys) and \(repository.out)/metadata/1.root.json")
        }
    }
}
