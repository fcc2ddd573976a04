import Foundation
import LockstepRedaction
import Yams

/// A manifest with every template resolved, ready for the runner.
public struct RenderedManifest: Sendable {
    public var name: String
    public var configGroups: [ConfigGroup]
    public var components: [Component]
    /// The resolved value of every config item that has one.
    public var configValues: [String: String]
    /// Resolved values of password items: redact these from logs and reports.
    public var secrets: [String]
    public var nodeAddress: String

    public var containers: [ManifestContainer] { components.flatMap(\.containers) }

    public func container(_ id: ContainerID) -> ManifestContainer? {
        components.first { $0.name == id.component }?.container(id.container)
    }

    public var graph: EventGraph { EventGraph(self) }

    /// The one masking rule, over this manifest's secrets.
    public var redactor: Redactor { Redactor(secrets: secrets) }

    /// `text` with every secret masked.
    public func redact(_ text: String) -> String {
        redactor.redact(text)
    }
}

extension Manifest {
    /// Each item's value: the customer's, else the item's `value`, else its `default`.
    public func resolvedValues(_ values: ConfigValues) -> [String: String] {
        var resolved: [String: String] = [:]
        for item in configItems {
            if let value = values[item.name] ?? item.manifestValue { resolved[item.name] = value }
        }
        return resolved
    }

    /// Names given in `values` that this manifest's config does not have
    /// (left from another release, or a typo); callers may warn about them.
    public func unknownConfigNames(in values: ConfigValues) -> [String] {
        let known = Set(configItems.map(\.name))
        return values.values.keys.filter { !known.contains($0) }.sorted()
    }

    /// Resolves every template. Throws `.render` with one diagnostic per problem
    /// (unknown function, missing required value...), each at its line and column.
    public func render(values: ConfigValues, nodeAddress: String = "127.0.0.1") throws(ManifestError) -> RenderedManifest {
        let resolved = resolvedValues(values)
        var items: [String: ConfigItem] = [:]
        for item in configItems { items[item.name] = items[item.name] ?? item }
        var containers: [ContainerID: ManifestContainer] = [:]
        for container in self.containers { containers[container.id] = containers[container.id] ?? container }
        let context = TemplateContext(items: items, values: resolved, nodeAddress: nodeAddress, containers: containers)

        let session = DecodeSession(file: file, text: text, mode: .render(context))
        let root: Yams.Node?
        switch ManifestDecoder.compose(text: text, file: file) {
        case let .failure(diagnostic): throw .render([diagnostic])
        case let .success(node): root = node
        }
        let output = ManifestDecoder(session: session).decode(root)

        var problems = session.diagnostics.errors
        let referenced = Set(templateUses.filter { $0.function.configItemArgument }.map { $0.arguments[0] })
        for item in configItems where item.required && resolved[item.name] == nil && !referenced.contains(item.name) {
            problems.append(
                Diagnostic(
                    .error,
                    "required config item '\(item.name)' has no value: give one with --set \(item.name)=VALUE or in the --config file",
                    at: item.location
                )
            )
        }
        guard let output, problems.isEmpty else { throw .render(problems.sortedByLocation()) }

        let secrets = configItems.filter(\.isSecret).compactMap { resolved[$0.name] }.filter { !$0.isEmpty }
        return RenderedManifest(
            name: output.name,
            configGroups: output.configGroups,
            components: output.components,
            configValues: resolved,
            secrets: Array(Set(secrets)).sorted(),
            nodeAddress: nodeAddress
        )
    }
}
