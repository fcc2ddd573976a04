import ArgumentParser
import LockstepCatalog

extension Lockstep {
    struct Channel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "channel",
            abstract: "Manage channels and promotions (vendor).",
            subcommands: [Create.self, List.self, Show.self, Promote.self, Demote.self, Undemote.self, Require.self, Archive.self]
        )
    }
}

/// Names one promotion on a channel: by version label or by `--channel-sequence N`.
struct PromotionSelectorOptions: ParsableArguments {
    @Argument(help: "The channel.")
    var channel: String

    @Argument(help: ArgumentHelp("The version label of the promotion.", valueName: "version"))
    var version: String?

    @Option(
        name: .customLong("channel-sequence"),
        parsing: .unconditional,
        help: ArgumentHelp("Select the promotion by its channel sequence instead.", valueName: "n")
    )
    var channelSequence: Int64?

    func validate() throws {
        if (version == nil) == (channelSequence == nil) {
            throw ValidationError("name the promotion by VERSION or by --channel-sequence N (exactly one)")
        }
        if let channelSequence, channelSequence < 1 {
            throw ValidationError("--channel-sequence must be 1 or more, found \(channelSequence)")
        }
    }

    var selector: PromotionSelector {
        if let channelSequence { return .channelSequence(channelSequence) }
        return .version(version ?? "")
    }
}
