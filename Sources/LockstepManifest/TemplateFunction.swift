import Foundation

/// The template functions lockstep understands: Replicated's names for what a
/// vendor needs on one node. Anything else is an error, never left in place.
enum TemplateFunction: String, CaseIterable, Sendable {
    case configOption = "ConfigOption"
    case configOptionEquals = "ConfigOptionEquals"
    case configOptionNotEquals = "ConfigOptionNotEquals"
    /// The base64-decoded value of an item (file items hold base64 contents).
    case configOptionData = "ConfigOptionData"
    case nodePrivateIPAddress = "NodePrivateIPAddress"
    case nodePublicIPAddress = "NodePublicIPAddress"
    case thisNodePrivateIPAddress = "ThisNodePrivateIPAddress"
    case thisNodePublicIPAddress = "ThisNodePublicIPAddress"
    /// The public port a container publishes for one of its private ports.
    case containerExposedPort = "ContainerExposedPort"
    /// Percent-encodes its argument for a URL (KOTS's name; see `URLComponentEncoding`).
    case urlEncode = "UrlEncode"

    var parameters: [String] {
        switch self {
        case .configOption, .configOptionData: return ["item"]
        case .configOptionEquals, .configOptionNotEquals: return ["item", "value"]
        case .nodePrivateIPAddress, .nodePublicIPAddress: return ["component", "container"]
        case .thisNodePrivateIPAddress, .thisNodePublicIPAddress: return []
        case .containerExposedPort: return ["component", "container", "private port"]
        case .urlEncode: return ["text"]
        }
    }

    var usage: String {
        ([rawValue] + parameters.map { "\"\($0)\"" }).joined(separator: " ")
    }

    var configItemArgument: Bool {
        switch self {
        case .configOption, .configOptionData, .configOptionEquals, .configOptionNotEquals: return true
        default: return false
        }
    }

    var containerArguments: Bool {
        switch self {
        case .nodePrivateIPAddress, .nodePublicIPAddress, .containerExposedPort: return true
        default: return false
        }
    }

    /// Resolves a call's function and checks its argument count.
    static func resolve(_ call: TemplateCall) -> Result<TemplateFunction, TemplateSyntaxError> {
        guard let function = TemplateFunction(rawValue: call.function) else {
            var message = "unknown template function '\(call.function)'"
            if let near = allCases.first(where: { $0.rawValue.lowercased() == call.function.lowercased() }) {
                message += "; did you mean '\(near.rawValue)'?"
            } else {
                message += "; lockstep knows " + allCases.map(\.rawValue).joined(separator: ", ")
            }
            return .failure(TemplateSyntaxError(offset: call.functionOffset, message: message))
        }
        guard call.arguments.count == function.parameters.count else {
            return .failure(
                TemplateSyntaxError(
                    offset: call.functionOffset,
                    message:
                        "\(function.rawValue) takes \(function.parameters.count) argument(s), got \(call.arguments.count): use {{repl \(function.usage)}}"
                )
            )
        }
        return .success(function)
    }

    /// Resolves the `| Name` stages of a call: each must be a one-argument function.
    static func resolveFilters(_ call: TemplateCall) -> Result<[TemplateFunction], TemplateSyntaxError> {
        var functions: [TemplateFunction] = []
        for filter in call.filters {
            guard let function = TemplateFunction(rawValue: filter.name), function.parameters.count == 1, !function.configItemArgument else {
                return .failure(
                    TemplateSyntaxError(
                        offset: filter.offset,
                        message: "'\(filter.name)' cannot follow '|'; lockstep pipes values only into UrlEncode"
                    )
                )
            }
            functions.append(function)
        }
        return .success(functions)
    }
}

/// What templates resolve against when a manifest is rendered.
struct TemplateContext: Sendable {
    var items: [String: ConfigItem]
    /// Resolved values; an item without any value is absent.
    var values: [String: String]
    var nodeAddress: String
    var containers: [ContainerID: ManifestContainer]

    /// The value of a call, or a message saying what is wrong (never a value).
    func evaluate(_ function: TemplateFunction, _ arguments: [String]) -> Result<String, TemplateFailure> {
        switch function {
        case .configOption:
            return value(of: arguments[0])
        case .configOptionEquals, .configOptionNotEquals:
            guard items[arguments[0]] != nil else { return .failure(unknownItem(arguments[0])) }
            let equal = (values[arguments[0]] ?? "") == arguments[1]
            return .success(String(function == .configOptionEquals ? equal : !equal))
        case .configOptionData:
            return value(of: arguments[0]).flatMap { encoded in
                guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else {
                    return .failure("config item '\(arguments[0])' is not base64-encoded UTF-8 text, as ConfigOptionData requires")
                }
                return .success(text)
            }
        case .nodePrivateIPAddress, .nodePublicIPAddress:
            let id = ContainerID(component: arguments[0], container: arguments[1])
            guard containers[id] != nil else { return .failure("\(function.rawValue): no container \(id) in this manifest") }
            return .success(nodeAddress)
        case .thisNodePrivateIPAddress, .thisNodePublicIPAddress:
            return .success(nodeAddress)
        case .containerExposedPort:
            let id = ContainerID(component: arguments[0], container: arguments[1])
            guard let container = containers[id] else { return .failure("ContainerExposedPort: no container \(id) in this manifest") }
            guard let port = container.ports.first(where: { String($0.privatePort) == arguments[2] }) else {
                return .failure("ContainerExposedPort: container \(id) declares no private port \(arguments[2])")
            }
            return .success(String(port.publicPort ?? port.privatePort))
        case .urlEncode:
            return .success(URLComponentEncoding.encode(arguments[0]))
        }
    }

    /// `value` piped through `filters` in order (only one-argument functions may follow a `|`).
    func apply(_ filters: [TemplateFunction], to value: String) -> Result<String, TemplateFailure> {
        var result = value
        for filter in filters {
            switch evaluate(filter, [result]) {
            case .success(let next): result = next
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(result)
    }

    private func value(of name: String) -> Result<String, TemplateFailure> {
        guard let item = items[name] else { return .failure(unknownItem(name)) }
        if let value = values[name] { return .success(value) }
        if item.required {
            return .failure("required config item '\(name)' has no value: give one with --set \(name)=VALUE or in the --config file")
        }
        return .success("")
    }

    private func unknownItem(_ name: String) -> TemplateFailure {
        "no config item named '\(name)' in this manifest's config"
    }
}

/// Why a call cannot be evaluated; says what to do, never shows a value.
struct TemplateFailure: Error, ExpressibleByStringInterpolation {
    var message: String
    init(stringLiteral value: String) { message = value }
    init(stringInterpolation: DefaultStringInterpolation) { message = String(stringInterpolation: stringInterpolation) }
}
