import ArgumentParser
import LockstepCatalog

extension Lockstep.Channel {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a channel.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The channel name.")
        var name: String

        @Option(help: "What the channel is for.")
        var description: String = ""

        @Flag(name: .customLong("no-semver"), help: "Order releases by promotion instead of SemVer precedence; labels are free-form.")
        var noSemver = false

        func run() async throws {
            let channel = try storeOptions.openCatalog().createChannel(name: name, description: description, semver: !noSemver)
            print("created channel \(channel.name) (\(channel.semver ? "ordered by SemVer" : "ordered by promotion"))")
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "archive",
            abstract: "Archive a channel: it takes no new promotions and leaves `channel ls`."
        )

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The channel name.")
        var name: String

        func run() async throws {
            let channel = try storeOptions.openCatalog().archive(channel: name)
            print("archived channel \(channel.name)")
        }
    }
}
