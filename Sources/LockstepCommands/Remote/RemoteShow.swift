import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepRepository

extension Lockstep.Remote {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a remote and the metadata versions it trusts.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The remote.")
        var name: String

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let remote = try catalog.remote(named: name)
            print("remote:    \(remote.name)")
            print("location:  \(remote.location)")
            print(
                "versions:  root \(remote.rootVersion), timestamp \(remote.timestampVersion), snapshot \(remote.snapshotVersion), targets \(remote.targetsVersion)"
            )
            print("synced:    \(remote.syncedAt.map { Timestamps.format($0) } ?? "never")")
            let channels = try catalog.channels().filter { $0.name.hasPrefix(remote.name + "/") }
            print("channels:  \(channels.isEmpty ? "none yet" : channels.map(\.name).joined(separator: ", "))")
        }
    }
}
