import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepRepository

extension Lockstep {
    struct Remote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remote",
            abstract: "Vendors' repositories this store mirrors (customer).",
            subcommands: [Add.self, List.self, Show.self, Remove.self]
        )
    }
}
