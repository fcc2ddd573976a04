import ArgumentParser
import Foundation
import LockstepCatalog
import Yams

extension Lockstep {
    struct CatalogCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "Import or export a whole release history (vendor).",
            subcommands: [Import.self, Export.self]
        )
    }
}

extension Lockstep.CatalogCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Create releases and promotions from one YAML or JSON document, all or nothing.",
            discussion: """
                Format: `channels:` (name, description, semver), `releases:` (version, notes, manifest or \
                manifestFile relative to the document), `promotions:` (channel, release, required, demoted, notes) \
                applied in order, and optional `defaults: {manifest|manifestFile}` for releases without one. \
                `lockstep catalog export` writes the same format.
                """
        )

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: ArgumentHelp("The document to import.", valueName: "file"))
        var file: String

        func run() async throws {
            let text = try readInputFile(file, limit: CatalogDocument.maximumSize)
            let document = try Catalog.loadDocument(text: text, file: file)
            let catalog = try storeOptions.openCatalog()
            let progress = ProgressLine("importing")
            // Every manifest passes the same lint as `release create`, before anything is stored.
            let summary = try catalog.importDocument(
                document,
                file: file,
                progress: { done, total in progress.update(done, of: total) },
                checkManifest: { text, name in try ManifestGate.check(text: text, file: name) }
            )
            print("imported \(summary.releases) releases and \(summary.promotions) promotions (\(summary.channels) new channels)")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Write the catalog in the import format.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Only this channel's promotions and releases.")
        var channel: String?

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case yaml, json
        }

        @Option(help: ArgumentHelp("yaml or json.", valueName: "format"))
        var format: Format = .yaml

        @Option(name: .customLong("file"), help: ArgumentHelp("Write here instead of standard output.", valueName: "path"))
        var outputFile: String?

        func run() async throws {
            let document = try storeOptions.openCatalog().exportDocument(channel: channel)
            let text = format == .json ? try JSONOutput.encode(document) + "\n" : try YAMLEncoder().encode(document)
            if let outputFile {
                try Data(text.utf8).write(to: URL(fileURLWithPath: outputFile), options: .atomic)
            } else {
                print(text, terminator: "")
            }
        }
    }
}
