import ArgumentParser
import LockstepCatalog

extension Lockstep {
    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Manage installations.",
            subcommands: [Mark.self, List.self]
        )
    }
}

extension Lockstep.Install {
    struct Mark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mark",
            abstract: "Record that an installation runs a release, without running anything.",
            discussion: "For adopting an installation deployed by other means, and for trying plans."
        )

        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .customLong("install"), help: ArgumentHelp("Installation name.", valueName: "name"))
        var installation: String = Catalog.defaultInstallation

        @Option(help: "The installation's channel.")
        var channel: String

        @Option(help: ArgumentHelp("The release it runs: sequence or version.", valueName: "seq|version"))
        var release: String

        func run() async throws {
            let record = try storeOptions.openCatalog().markInstalled(name: installation, channel: channel, release: release)
            print("installation \(record.name) now runs release \(release) on \(channel)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List installations.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var outputOptions: OutputOptions

        struct Row: Encodable {
            var name: String
            var channel: String
            var release: String?
            var status: String
        }

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let channels = try catalog.channels(includeArchived: true)
            let rows = try catalog.installations().map { installation in
                Row(
                    name: installation.name,
                    channel: channels.first { $0.id == installation.channelID }?.name ?? "?",
                    release: try installation.releaseSequence.map { try catalog.release(sequence: $0).version },
                    status: installation.status.rawValue
                )
            }
            switch outputOptions.output {
            case .json:
                try JSONOutput.print(rows)
            case .table:
                var table = TextTable("INSTALLATION", "CHANNEL", "RELEASE", "STATUS")
                for row in rows { table.append([row.name, row.channel, row.release ?? "-", row.status]) }
                print(table.render())
            }
        }
    }
}
