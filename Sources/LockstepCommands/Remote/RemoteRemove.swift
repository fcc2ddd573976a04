import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepRepository

extension Lockstep.Remote {
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Forget a remote; its channels are archived.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The remote.")
        var name: String

        func run() async throws {
            try storeOptions.openCatalog().removeRemote(named: name)
            print("removed remote \(name)")
        }
    }
}
