import Foundation
import Yams

/// The customer's config values: from a `--config` YAML file and `--set name=value`
/// arguments. Values are never printed: they may be passwords.
public struct ConfigValues: Sendable, Hashable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> String? { values[name] }

    /// These values overridden by `other`'s (`--set` wins over `--config`).
    public func merging(_ other: ConfigValues) -> ConfigValues {
        ConfigValues(values.merging(other.values) { _, new in new })
    }

    public static func load(yamlFile path: String) throws(ManifestError) -> ConfigValues {
        try parse(yaml: try Manifest.readText(path), file: path)
    }

    /// Accepts a plain mapping `name: value`, Replicated's `values:` wrapper,
    /// KOTS's `spec: {values: ...}`, and entries of the form `name: {value: x}`.
    public static func parse(yaml: String, file: String) throws(ManifestError) -> ConfigValues {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw .configValues(ManifestDecoder.diagnostic(for: error, file: file).description)
        } catch {
            throw .configValues("\(file): not valid YAML")
        }
        guard let root else { return ConfigValues() }
        guard var mapping = root.mapping else {
            throw .configValues(
                "\(file):\(root.mark?.line ?? 1):\(root.mark?.column ?? 1): error: config values must be a mapping of item name to value"
            )
        }
        if let spec = mapping["spec"]?.mapping, let inner = spec["values"]?.mapping {
            mapping = inner
        } else if mapping.count == 1, let inner = mapping["values"]?.mapping {
            mapping = inner
        }
        var values: [String: String] = [:]
        for (keyNode, valueNode) in mapping {
            let at = "\(file):\(keyNode.mark?.line ?? 1):\(keyNode.mark?.column ?? 1)"
            guard case let .scalar(key) = keyNode else { throw .configValues("\(at): error: config item names must be strings") }
            guard let value = try scalarValue(valueNode, at: at, name: key.string) else { continue }
            values[key.string] = value
        }
        return ConfigValues(values)
    }

    private static func scalarValue(_ node: Node, at: String, name: String) throws(ManifestError) -> String? {
        switch node {
        case let .scalar(scalar):
            return NSNull.construct(from: scalar) != nil ? nil : scalar.string
        case let .mapping(mapping):
            guard let inner = mapping["value"] ?? mapping["default"] else { return nil }
            return try scalarValue(inner, at: at, name: name)
        case let .sequence(sequence) where sequence.count == 1:
            return try scalarValue(sequence[0], at: at, name: name)
        default:
            throw .configValues("\(at): error: the value of '\(name)' must be a string")
        }
    }

    /// `--set name=value` arguments; the value may contain '='.
    public static func parse(setArguments: [String]) throws(ManifestError) -> ConfigValues {
        var values: [String: String] = [:]
        for argument in setArguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                let name = argument.split(separator: "=").first.map(String.init) ?? ""
                throw .configValues("--set expects name=value, got '\(name.isEmpty ? "=…" : name)'")
            }
            values[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
        }
        return ConfigValues(values)
    }
}
