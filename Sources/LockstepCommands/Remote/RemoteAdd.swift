import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepRepository

extension Lockstep.Remote {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Trust a vendor's repository, starting from root metadata obtained out of band."
        )

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "A name for the remote; its channels appear as NAME/CHANNEL.")
        var name: String

        @Argument(help: "http(s):// base of metadata/ and targets/, or a local directory (default: the directory holding --root's metadata/).")
        var url: String?

        @Option(help: ArgumentHelp("The vendor's root metadata (for example 1.root.json).", valueName: "file"))
        var root: String

        func validate() throws {
            if let url, url.contains("://"), !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw ValidationError("URL must be http://, https:// or a local directory")
            }
        }

        func run() async throws {
            let data = Data(try readInputFile(root).utf8)
            let envelope = try Envelope(data: data, file: root)
            let metadata = try RootMetadata(envelope.signed, file: root)
            try metadata.verify(envelope, role: .root, file: root)
            var location = url ?? URL(fileURLWithPath: root).deletingLastPathComponent().deletingLastPathComponent().path
            if !location.hasPrefix("http://") && !location.hasPrefix("https://") {
                // Absolute, so a sync from any working directory reads the same repository.
                location = URL(fileURLWithPath: location).standardizedFileURL.path
            }
            let remote = try storeOptions.openCatalog().addRemote(name: name, location: location, root: data)
            print("added remote \(remote.name) at \(remote.location) (root version \(metadata.header.version)); run `lockstep sync \(remote.name)`")
        }
    }
}
