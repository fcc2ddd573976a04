import ArgumentParser
import Foundation
import LockstepCatalog

extension Lockstep.Channel {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List channels.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var outputOptions: OutputOptions

        @Flag(help: "Include archived channels.")
        var all = false

        struct Row: Encodable {
            var name: String
            var description: String
            var semver: Bool
            var archived: Bool
            var releases: Int
            var latest: String?
        }

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let rows = try catalog.channels(includeArchived: all).map { channel in
                Row(
                    name: channel.name,
                    description: channel.description,
                    semver: channel.semver,
                    archived: channel.archived,
                    releases: try catalog.liveCount(onChannelID: channel.id!),
                    latest: try catalog.latestLivePromotion(onChannel: channel.name)?.version
                )
            }
            switch outputOptions.output {
            case .json:
                try JSONOutput.print(rows)
            case .table:
                var table = TextTable("CHANNEL", "ORDER", "RELEASES", "LATEST", "DESCRIPTION")
                for row in rows {
                    table.append([
                        row.name + (row.archived ? " (archived)" : ""), row.semver ? "semver" : "promotion", String(row.releases), row.latest ?? "-",
                        row.description,
                    ])
                }
                print(table.render())
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a channel's promotions in channel order.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var outputOptions: OutputOptions

        @Argument(help: "The channel name.")
        var name: String

        struct Report: Encodable {
            var name: String
            var description: String
            var semver: Bool
            var archived: Bool
            var promotions: [PromotionSummary]
        }

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let channel = try catalog.channel(named: name)
            let promotions = try catalog.promotions(onChannel: channel.name)
            switch outputOptions.output {
            case .json:
                try JSONOutput.print(
                    Report(
                        name: channel.name,
                        description: channel.description,
                        semver: channel.semver,
                        archived: channel.archived,
                        promotions: promotions.map(PromotionSummary.init)
                    )
                )
            case .table:
                print(
                    "\(channel.name): \(channel.description.isEmpty ? "" : channel.description + " ")(\(channel.semver ? "ordered by SemVer" : "ordered by promotion")\(channel.archived ? ", archived" : ""))"
                )
                var table = TextTable("CHANNEL SEQ", "VERSION", "RELEASE", "REQUIRED", "DEMOTED", "PROMOTED", "NOTES")
                for promotion in promotions {
                    table.append([
                        String(promotion.channelSequence), promotion.version, String(promotion.releaseSequence), promotion.required ? "required" : "",
                        promotion.demoted ? "demoted" : "", promotion.promotedAt.iso8601, promotion.notes,
                    ])
                }
                print(table.render())
            }
        }
    }
}
