/// Why a manifest or a values file cannot be used. Messages name the place
/// (file:line:column) and never contain a config value: values may be passwords.
public enum ManifestError: Error, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is above `Manifest.maximumSize`, a device, or not text; refused before reading it whole.
    case file(BoundedFile.Problem)
    /// The text is not valid YAML.
    case syntax(SourceLocation, String)
    /// The manifest decodes or lints with errors (all of them, in file order).
    case invalid([Diagnostic])
    /// Rendering the templates failed (unknown function, missing required value...).
    case render([Diagnostic])
    /// A config values file or a `--set` argument is malformed.
    case configValues(String)
    /// The event graph has a cycle; containers in it would wait on each other forever.
    case cycle([ContainerID])

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .file(problem):
            return problem.description
        case let .syntax(location, message):
            return "\(location): error: invalid YAML: \(message)"
        case let .invalid(diagnostics), let .render(diagnostics):
            return diagnostics.errors.map(\.description).joined(separator: "\n")
        case let .configValues(message):
            return message
        case let .cycle(ids):
            let path = (ids + ids.prefix(1)).map(\.description).joined(separator: " -> ")
            return "event cycle: \(path); break it so that one of these containers is started by an event outside the cycle"
        }
    }

    /// The diagnostics carried by this error, for callers that print them one per line.
    public var diagnostics: [Diagnostic] {
        switch self {
        case let .invalid(diagnostics), let .render(diagnostics): return diagnostics
        case let .syntax(location, message): return [Diagnostic(.error, "invalid YAML: \(message)", at: location)]
        default: return []
        }
    }
}
