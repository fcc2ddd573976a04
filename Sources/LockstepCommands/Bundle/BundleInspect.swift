import ArgumentParser
import Foundation
import LockstepRepository
import LockstepSync

extension Lockstep.Bundle {
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show what a bundle holds, without importing it.",
            discussion: "Signatures are checked only by `bundle import`, against the remote's trusted root."
        )

        @Argument(help: "The bundle file.")
        var file: String

        @OptionGroup var outputOptions: OutputOptions

        struct Summary: Encodable {
            struct Metadata: Encodable {
                var role: String
                var version: Int64
                var expires: String
            }
            struct File: Encodable {
                var name: String
                var size: Int64
            }
            var channel: String
            var from: String?
            var to: String
            var path: [BundleDescriptor.Step]
            var metadata: [Metadata]
            var files: [File]
        }

        func run() async throws {
            let reader = try TarReader(url: URL(fileURLWithPath: file))
            guard let first = try reader.next(), first.name == BundleDescriptor.entryName else {
                throw BundleError.malformed("\(file): not a lockstep bundle (bundle.json must come first)")
            }
            let descriptor = try BundleDescriptor.decode(try reader.readAll(cap: 1_000_000))
            var summary = Summary(
                channel: descriptor.channel,
                from: descriptor.from,
                to: descriptor.to,
                path: descriptor.path,
                metadata: [],
                files: []
            )
            while let entry = try reader.next() {
                summary.files.append(.init(name: entry.name, size: entry.size))
                guard entry.name.hasPrefix("metadata/") else { continue }
                let data = try reader.readAll(cap: 5_000_000)
                if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let signed = object["signed"] as? [String: Any],
                    let role = signed["_type"] as? String, let version = (signed["version"] as? NSNumber)?.int64Value
                {
                    summary.metadata.append(.init(role: role, version: version, expires: signed["expires"] as? String ?? "?"))
                }
            }
            if outputOptions.output == .json {
                try JSONOutput.print(summary)
                return
            }
            print("channel \(summary.channel), from \(summary.from ?? "a first install") to \(summary.to)")
            print("path:")
            for step in summary.path { print("  \(step.version)\(step.required ? "  required" : "")  (channel sequence \(step.channelSequence))") }
            print("metadata (verified only on import):")
            for item in summary.metadata { print("  \(item.role) version \(item.version), expires \(item.expires)") }
            print("files:")
            for item in summary.files where !item.name.hasPrefix("metadata/") { print("  \(item.name)  \(item.size) bytes") }
        }
    }
}
