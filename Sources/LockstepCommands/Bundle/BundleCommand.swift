import ArgumentParser
import Foundation
import LockstepManifest
import LockstepRepository
import LockstepSync

extension Lockstep {
    struct Bundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bundle",
            abstract: "Air-gap bundles: one signed file for a whole upgrade path.",
            subcommands: [Create.self, Inspect.self, Import.self]
        )
    }
}

extension BundleError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .plan, .wrongStart: return .refused
        case .images: return .unavailable
        case .malformed, .unsigned: return .untrusted
        }
    }

    var userMessage: String { description }
}

extension TarError: ExitCoded {
    var exitStatus: ExitStatus { .untrusted }
    var userMessage: String { description }
}

/// A bundle refused: the store and the engine are as they were.
struct BundleRefusal: ExitCoded {
    let file: String
    let underlying: any ExitCoded

    var exitStatus: ExitStatus { underlying.exitStatus }
    var userMessage: String { "bundle \(file) refused, nothing loaded or written: \(underlying.userMessage)" }
}

enum BundleRuntime: String, ExpressibleByArgument, CaseIterable, Sendable {
    case podman, docker
}

enum ManifestImages {
    /// The image references a manifest names, for `--images`.
    @Sendable static func references(_ text: String) throws -> [String] {
        do {
            return try Manifest.load(text: text, file: "manifest").containers.map(\.imageReference)
        } catch {
            throw BundleError.malformed("a manifest on the path does not parse: \(error)")
        }
    }
}
