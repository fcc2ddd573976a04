import Foundation
import Yams

/// An application manifest: config items and components of containers, in
/// Replicated's classic dialect. Templated strings are kept verbatim here;
/// `render(values:nodeAddress:)` resolves them.
public struct Manifest: Sendable {
    public var name: String
    public var configGroups: [ConfigGroup]
    public var components: [Component]
    /// The file name used in locations.
    public var file: String
    /// The manifest as written; rendering decodes it again so that template
    /// errors can name their line and column.
    public var text: String
    /// Lint warnings found while loading.
    public var warnings: [Diagnostic]
    var templateUses: [TemplateUse]

    public var configItems: [ConfigItem] { configGroups.flatMap(\.items) }

    public func configItem(named name: String) -> ConfigItem? {
        configItems.first { $0.name == name }
    }

    /// Every container, in manifest order.
    public var containers: [ManifestContainer] { components.flatMap(\.containers) }

    public func container(_ id: ContainerID) -> ManifestContainer? {
        components.first { $0.name == id.component }?.container(id.container)
    }

    /// Decodes and lints; throws `.syntax` or `.invalid` (all errors) if it finds any error.
    public static func load(text: String, file: String) throws(ManifestError) -> Manifest {
        let (manifest, diagnostics) = Linter.check(text: text, file: file)
        guard let manifest, !diagnostics.hasErrors else {
            let errors = diagnostics.errors
            if errors.count == 1, errors[0].message.hasPrefix("invalid YAML: ") {
                throw .syntax(errors[0].location, String(errors[0].message.dropFirst("invalid YAML: ".count)))
            }
            throw .invalid(diagnostics.errors)
        }
        return manifest
    }

    public static func load(contentsOfFile path: String) throws(ManifestError) -> Manifest {
        try load(text: try readText(path), file: path)
    }

    /// The largest manifest (and config values file) lockstep reads: generous for this
    /// dialect, whose manifests are a few kilobytes, and small enough that a mistaken
    /// or hostile file cannot fill the memory or the store.
    public static let maximumSize = 1_048_576

    public static func readText(_ path: String) throws(ManifestError) -> String {
        do {
            return try BoundedFile.read(path, limit: maximumSize)
        } catch .unreadable(let path, let reason) {
            throw .unreadable(path: path, reason: reason)
        } catch {
            throw .file(error)
        }
    }

    /// Decodes without semantic checks: the raw material of lint and load.
    static func decode(text: String, file: String) -> (Manifest?, [Diagnostic]) {
        let root: Node?
        switch ManifestDecoder.compose(text: text, file: file) {
        case let .failure(diagnostic): return (nil, [diagnostic])
        case let .success(node): root = node
        }
        let session = DecodeSession(file: file, text: text, mode: .validate)
        guard let output = ManifestDecoder(session: session).decode(root) else {
            return (nil, session.diagnostics)
        }
        let manifest = Manifest(
            name: output.name,
            configGroups: output.configGroups,
            components: output.components,
            file: file,
            text: text,
            warnings: session.diagnostics.warnings,
            templateUses: session.templateUses
        )
        return (manifest, session.diagnostics)
    }
}
