import ArgumentParser
import LockstepCatalog

extension Lockstep.Release {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one release, its promotions and its manifest.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var outputOptions: OutputOptions

        @Argument(help: ArgumentHelp("A release sequence number or version label.", valueName: "seq|version"))
        var release: String

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let record = try catalog.release(release)
            let promotions = try catalog.promotions(ofRelease: record.sequence ?? 0)
            switch outputOptions.output {
            case .json:
                try JSONOutput.print(ReleaseSummary(record, promotions: promotions, includeManifest: true))
            case .table:
                print(
                    """
                    release:   \(record.version)
                    sequence:  \(record.sequence ?? 0)
                    created:   \(record.createdAt.iso8601) by \(record.createdBy)
                    sha256:    \(record.manifestSHA256)
                    notes:     \(record.notes)
                    """
                )
                if promotions.isEmpty {
                    print("channels:  (not promoted)")
                } else {
                    var table = TextTable("CHANNEL", "CHANNEL SEQ", "REQUIRED", "DEMOTED", "PROMOTED")
                    for promotion in promotions {
                        table.append([
                            promotion.channel, String(promotion.channelSequence), promotion.required ? "yes" : "no", promotion.demoted ? "yes" : "no",
                            promotion.promotedAt.iso8601,
                        ])
                    }
                    print(table.render())
                }
                print("--- manifest ---")
                print(record.manifest, terminator: record.manifest.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
