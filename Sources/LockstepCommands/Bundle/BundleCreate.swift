import ArgumentParser
import Foundation
import LockstepRepository
import LockstepSync

extension Lockstep.Bundle {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Pack one channel's upgrade path from a published repository into a bundle (vendor).",
            discussion: """
                Verifies the published repository from its first root, plans the path with the planner's rule \
                (the same as `plan --from`) and writes the TUF metadata (root chain, timestamp, snapshot, targets), \
                the channel file and the manifest of every step to a tar, under a temporary name renamed when complete.
                """
        )

        @Option(help: ArgumentHelp("The published repository (the --out of `lockstep publish`).", valueName: "dir"))
        var repo: String

        @Option(help: "The channel.")
        var channel: String

        @Option(help: "The customer's installed version (omit for a first install).")
        var from: String?

        @Option(help: "The target: latest or a version.")
        var to: String

        @Option(help: ArgumentHelp("The bundle file to write.", valueName: "file"))
        var out: String

        @Flag(help: "Add one `save` archive per distinct image the path's manifests name; each is signed as a target.")
        var images = false

        @Option(help: "The engine that holds the images: podman or docker.")
        var runtime: BundleRuntime = .podman

        @Option(help: ArgumentHelp("The targets keys that sign the image archives (with --images).", valueName: "dir"))
        var keys: String?

        func validate() throws {
            if images && keys == nil { throw ValidationError("--images needs --keys DIR: each image archive is signed as a target") }
        }

        func run() async throws {
            let interactive = Terminal.standardErrorIsTerminal
            var progress: (@Sendable (String) -> Void)?
            if interactive {
                progress = { line in FileHandle.standardError.write(Data("\rbundle: \(line)\u{1B}[K".utf8)) }
            }
            var creator = BundleCreator(repository: URL(fileURLWithPath: repo), channel: channel, from: from, to: to)
            if images, let keys {
                creator.images = (ImageEngine(runtime.rawValue), URL(fileURLWithPath: keys), ManifestImages.references)
            }
            let descriptor = try await creator.create(out: URL(fileURLWithPath: out), progress: progress)
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let path = descriptor.path.map { $0.version + ($0.required ? " (required)" : "") }.joined(separator: " -> ")
            print("wrote \(out): \(channel) from \(from ?? "a first install"): \(path)")
            for image in descriptor.images ?? [] {
                print("  image \(image.references.joined(separator: ", ")): \(image.size) bytes, signed as \(image.targetName)")
            }
        }
    }
}
