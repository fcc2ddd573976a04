import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepRepository

extension Lockstep.Remote {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List remotes.")

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            var table = TextTable("NAME", "LOCATION", "TARGETS", "SYNCED")
            for remote in try storeOptions.openCatalog().remotes() {
                table.append([remote.name, remote.location, "\(remote.targetsVersion)", remote.syncedAt.map { Timestamps.format($0) } ?? "never"])
            }
            print(table.render(), terminator: "")
        }
    }
}
