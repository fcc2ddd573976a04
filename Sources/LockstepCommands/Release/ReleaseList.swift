import ArgumentParser
import LockstepCatalog

extension Lockstep.Release {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List releases by sequence.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let releases = try catalog.releases()
            switch outputOptions.output {
            case .json:
                try JSONOutput.print(releases.map { ReleaseSummary($0, promotions: []) })
            case .table:
                var table = TextTable("SEQUENCE", "VERSION", "CREATED", "BY", "SHA256", "NOTES")
                for release in releases {
                    table.append([
                        String(release.sequence ?? 0), release.version, release.createdAt.iso8601, release.createdBy,
                        String(release.manifestSHA256.prefix(12)), release.notes,
                    ])
                }
                print(table.render())
            }
        }
    }
}
