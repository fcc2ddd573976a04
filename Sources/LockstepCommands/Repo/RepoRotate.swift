import ArgumentParser
import Foundation
import LockstepRepository

extension Lockstep.Repo {
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Replace a role's keys: a new root version signed by the old and the new root keys.",
            discussion: "The old key files are kept beside the new ones with a .retired-vN suffix."
        )

        @OptionGroup var repository: RepositoryOptions

        @Option(help: "The role whose keys are replaced: root, targets, snapshot or timestamp.")
        var role: RoleArgument

        func run() async throws {
            let writer = RepositoryWriter(keys: URL(fileURLWithPath: repository.keys), out: URL(fileURLWithPath: repository.out))
            try writer.rotate(role: Role(rawValue: role.rawValue)!)
            print("rotated the \(role.rawValue) keys; customers follow the new root at their next sync")
        }
    }
}
