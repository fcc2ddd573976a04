import ArgumentParser
import Foundation
import LockstepCatalog

extension Lockstep.Release {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Cut a release from a manifest; releases are immutable.",
            discussion: "The manifest is stored verbatim with its SHA-256. With --promote, the release is promoted in the same transaction."
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var outputOptions: OutputOptions

        @Option(help: ArgumentHelp("The application manifest (YAML).", valueName: "file"))
        var manifest: String

        @Option(help: ArgumentHelp("The version label (SemVer 2.0.0 for semver channels).", valueName: "label"))
        var version: String

        @Option(help: "Release notes.")
        var notes: String = ""

        @Option(help: ArgumentHelp("Promote the new release to this channel.", valueName: "channel"))
        var promote: String?

        @Flag(help: "Mark the promotion as required (needs --promote).")
        var required = false

        func validate() throws {
            if required && promote == nil {
                throw ValidationError("--required needs --promote CHANNEL")
            }
        }

        func run() async throws {
            let text = try readInputFile(manifest)
            try ManifestGate.check(text: text, file: manifest)
            let catalog = try storeOptions.openCatalog()
            let (release, promotion) = try catalog.createRelease(
                version: version,
                manifest: text,
                manifestFile: manifest,
                notes: notes,
                promoteTo: promote,
                required: required
            )
            switch outputOptions.output {
            case .json:
                try JSONOutput.print(ReleaseSummary(release, promotions: promotion.map { [$0] } ?? []))
            case .table:
                var line =
                    "created release \(release.version) (sequence \(release.sequence ?? 0), manifest sha256 \(release.manifestSHA256.prefix(12)))"
                if let promotion {
                    line +=
                        "; promoted to \(promotion.channel) as channel sequence \(promotion.channelSequence)\(promotion.required ? ", required" : "")"
                }
                print(line)
            }
        }
    }
}
