import ArgumentParser
import Foundation
import LockstepRepository
import LockstepSync

extension Lockstep {
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "Sign the channels into the TUF repository (vendor).",
            discussion: """
                Writes channels/<NAME>.json and manifests/<sha256>.yaml as targets and signs new targets, snapshot \
                and timestamp metadata. With nothing changed only the timestamp is re-signed. Run \
                `publish --refresh-timestamp` on a schedule shorter than --timestamp-expires (for example every \
                6 hours for the 1-day default) so customers never see an expired timestamp.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var repository: RepositoryOptions

        @Option(name: .customLong("channel"), help: "A channel to publish; repeatable (default: every non-archived channel).")
        var channels: [String] = []

        @Option(help: "Expiry of the targets and snapshot metadata (default 365d).")
        var expires = DurationArgument(seconds: 365 * 86_400)

        @Option(name: .customLong("timestamp-expires"), help: "Expiry of the timestamp metadata (default 1d).")
        var timestampExpires = DurationArgument(seconds: 86_400)

        @Flag(name: .customLong("refresh-timestamp"), help: "Only re-sign the timestamp; the catalog is not read.")
        var refreshTimestamp = false

        func validate() throws {
            guard expires.seconds >= 60 else { throw ValidationError("--expires must be at least 1m") }
            guard timestampExpires.seconds >= 60 else { throw ValidationError("--timestamp-expires must be at least 1m") }
            if refreshTimestamp && !channels.isEmpty { throw ValidationError("--refresh-timestamp publishes no channels; drop --channel") }
        }

        func run() async throws {
            let writer = RepositoryWriter(keys: URL(fileURLWithPath: repository.keys), out: URL(fileURLWithPath: repository.out))
            if refreshTimestamp {
                let version = try writer.refreshTimestamp(expires: timestampExpires.seconds)
                print("timestamp version \(version), expires in \(timestampExpires)")
                return
            }
            let files = try ChannelExport.files(catalog: try storeOptions.openCatalog(), channels: channels.isEmpty ? nil : channels)
            var expiries = Expiries()
            expiries.targets = expires.seconds
            expiries.snapshot = expires.seconds
            expiries.timestamp = timestampExpires.seconds
            // Publishing every channel also withdraws the files of channels archived since.
            let withdrawn: Set<String> =
                channels.isEmpty ? try writer.publishedTargetNames().filter { $0.hasPrefix("channels/") && files[$0] == nil } : []
            let result = try writer.publish(files: files, removing: withdrawn, expiries: expiries)
            let channelCount = files.keys.filter { $0.hasPrefix("channels/") }.count
            if result.newTargets {
                print(
                    "published \(channelCount) channel(s): targets version \(result.targetsVersion), snapshot \(result.snapshotVersion), timestamp \(result.timestampVersion)"
                )
            } else {
                print("nothing changed; timestamp version \(result.timestampVersion)")
            }
        }
    }
}
