import ArgumentParser
import LockstepCatalog

extension Lockstep.Channel {
    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "promote", abstract: "Put a release on a channel.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The channel.")
        var channel: String

        @Argument(help: ArgumentHelp("A release sequence number or version label.", valueName: "seq|version"))
        var release: String

        @Flag(help: "Customers may not skip this release.")
        var required = false

        @Option(help: "Notes for this promotion (default: the release notes).")
        var notes: String?

        func run() async throws {
            let promotion = try storeOptions.openCatalog().promote(channel: channel, release: release, required: required, notes: notes)
            print(
                "promoted \(promotion.version) to \(promotion.channel) as channel sequence \(promotion.channelSequence)\(promotion.required ? " (required)" : "")"
            )
        }
    }

    struct Demote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "demote", abstract: "Hide a promotion from customers; it stays in history.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var promotion: PromotionSelectorOptions

        func run() async throws {
            let demoted = try storeOptions.openCatalog().demote(channel: promotion.channel, promotion.selector)
            if demoted.required {
                Terminal.warn("\(demoted.version) was required on \(demoted.channel); customers may now skip it and its migrations")
            }
            print("demoted \(demoted.version) on \(demoted.channel) (channel sequence \(demoted.channelSequence))")
        }
    }

    struct Undemote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "undemote",
            abstract: "Restore a demoted promotion in place, with its required flag."
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var promotion: PromotionSelectorOptions

        func run() async throws {
            let restored = try storeOptions.openCatalog().undemote(channel: promotion.channel, promotion.selector)
            print(
                "restored \(restored.version) on \(restored.channel) (channel sequence \(restored.channelSequence)\(restored.required ? ", required" : ""))"
            )
        }
    }

    struct Require: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "require",
            abstract: "Mark a promotion as required, or clear the mark with --clear."
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var promotion: PromotionSelectorOptions

        @Flag(help: "Clear the required flag instead.")
        var clear = false

        func run() async throws {
            let updated = try storeOptions.openCatalog().setRequired(!clear, channel: promotion.channel, promotion.selector)
            if clear {
                Terminal.warn("\(updated.version) is no longer required on \(updated.channel); customers may now skip it")
            }
            print("\(updated.version) on \(updated.channel) is \(updated.required ? "required" : "not required")")
        }
    }
}
