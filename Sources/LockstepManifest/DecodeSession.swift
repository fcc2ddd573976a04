import Foundation
import Yams

/// A template seen while decoding, kept so that the linter can check the
/// containers it names once the whole manifest is known.
struct TemplateUse: Sendable, Hashable {
    var function: TemplateFunction
    var arguments: [String]
    var location: SourceLocation
    /// The manifest field the template is in (`cmd`, `value`, `data`...).
    var field: String = ""
    /// The string holding the template, and where the call starts in it (Unicode scalars).
    var text: String = ""
    var offset: Int = 0
    /// The value is piped through UrlEncode.
    var urlEncoded: Bool = false
}

/// State shared while walking one YAML document: where we are, what went
/// wrong so far, and what to do with templated strings.
final class DecodeSession {
    enum Mode {
        /// Check templates, keep them verbatim (the unrendered manifest).
        case validate
        /// Replace templates by their values.
        case render(TemplateContext)
    }

    let file: String
    let lines: [[Unicode.Scalar]]
    let mode: Mode
    var diagnostics: [Diagnostic] = []
    var templateUses: [TemplateUse] = []
    /// Config item names, known once `config:` is decoded, for checking ConfigOption.
    var configItemNames: Set<String>?

    init(file: String, text: String, mode: Mode) {
        self.file = file
        self.mode = mode
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    }

    func location(_ node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func error(_ message: String, at node: Node) { error(message, at: location(node)) }
    func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }
    func warning(_ message: String, at node: Node) { warning(message, at: location(node)) }
    func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    // MARK: Typed reads; each reports a wrong type at the value and returns nil.

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func isNull(_ node: Node) -> Bool {
        if case let .scalar(scalar) = node { return NSNull.construct(from: scalar) != nil }
        return false
    }

    /// The keys of a mapping with their nodes; warns about keys outside `known`.
    func fields(_ node: Node, _ what: String, known: Set<String>) -> Fields? {
        guard case let .mapping(mapping) = node else {
            error("\(what) must be a mapping, found \(Self.kind(node))", at: node)
            return nil
        }
        var result = Fields(node: node)
        for (keyNode, value) in mapping {
            guard case let .scalar(key) = keyNode else {
                error("keys in \(what) must be strings", at: keyNode)
                continue
            }
            if known.contains(key.string) {
                result.values[key.string] = value
                result.keys[key.string] = keyNode
            } else {
                warning("unknown key '\(key.string)' in \(what) (ignored)", at: keyNode)
            }
        }
        return result
    }

    func string(_ node: Node?, _ field: String) -> String? {
        guard let node, !Self.isNull(node) else { return nil }
        guard case let .scalar(scalar) = node else {
            error("'\(field)' must be a string, found \(Self.kind(node))", at: node)
            return nil
        }
        return scalar.string
    }

    /// A required, non-empty string; reports it missing unless a wrong type was already reported.
    func required(_ f: Fields, _ key: String, in what: String) -> String? {
        let node = f[key]
        if let value = string(node, key), !value.isEmpty { return value }
        if node == nil || Self.isNull(node!) || node?.scalar != nil {
            error("\(what) needs a '\(key)'", at: node ?? f.node)
        }
        return nil
    }

    /// A string in which templates are checked (validate) or expanded (render).
    func templated(_ node: Node?, _ field: String) -> String? {
        guard let node, let raw = string(node, field), case let .scalar(scalar) = node else { return nil }
        return expand(raw, site: ScalarSite(location: location(node), style: scalar.style, lines: lines), field: field)
    }

    func bool(_ node: Node?, _ field: String) -> Bool? {
        guard let node, let raw = string(node, field) else { return nil }
        switch raw.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0", "": return false
        default:
            error("'\(field)' must be true or false, found '\(raw)'", at: node)
            return nil
        }
    }

    func int(_ node: Node?, _ field: String) -> Int? {
        guard let node, let raw = string(node, field) else { return nil }
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            if TemplateParser.containsTemplate(raw) {
                error("'\(field)' must be a number; templates are not supported here", at: node)
            } else {
                error("'\(field)' must be a whole number, found '\(raw)'", at: node)
            }
            return nil
        }
        return value
    }

    func list(_ node: Node?, _ field: String) -> [Node] {
        guard let node, !Self.isNull(node) else { return [] }
        guard case let .sequence(sequence) = node else {
            error("'\(field)' must be a list, found \(Self.kind(node))", at: node)
            return []
        }
        return Array(sequence)
    }

    /// `cmd`/`entrypoint`/`args`: a JSON array of strings in a string, or a YAML list of strings.
    func command(_ node: Node?, _ field: String) -> [String]? {
        guard let node, !Self.isNull(node) else { return nil }
        switch node {
        case let .scalar(scalar):
            let raw = scalar.string
            guard let data = raw.data(using: .utf8),
                let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            else {
                error(
                    "'\(field)' must be a JSON array of strings such as '[\"/app/migrate\", \"up\"]' or a YAML list; this is not valid JSON",
                    at: node
                )
                return nil
            }
            guard let array = parsed as? [Any] else {
                error("'\(field)' must be a JSON array of strings, found a JSON \(parsed is [String: Any] ? "object" : "scalar")", at: node)
                return nil
            }
            var result: [String] = []
            for (index, element) in array.enumerated() {
                guard let string = element as? String else {
                    error("'\(field)' element \(index) must be a string", at: node)
                    return nil
                }
                result.append(expand(string, site: .imprecise(location(node)), field: field))
            }
            return result
        case let .sequence(sequence):
            var result: [String] = []
            for element in sequence {
                guard case .scalar = element else {
                    error("'\(field)' elements must be strings, found \(Self.kind(element))", at: element)
                    return nil
                }
                result.append(templated(element, field) ?? "")
            }
            return result
        default:
            error("'\(field)' must be a JSON array in a string or a list, found \(Self.kind(node))", at: node)
            return nil
        }
    }

    // MARK: Templates

    func expand(_ raw: String, site: ScalarSite, field: String = "") -> String {
        guard TemplateParser.containsTemplate(raw) else { return raw }
        let pieces: [TemplatePiece]
        do {
            pieces = try TemplateParser.parse(raw)
        } catch {
            self.error("malformed template: \(error.message)", at: site.location(ofOffset: error.offset, in: raw))
            return raw
        }
        var output = ""
        var failed = false
        for piece in pieces {
            switch piece {
            case let .text(text):
                output += text
            case let .call(call):
                let callLocation = site.location(ofOffset: call.offset, in: raw)
                let function: TemplateFunction
                switch TemplateFunction.resolve(call) {
                case let .failure(problem):
                    error(problem.message, at: site.location(ofOffset: problem.offset, in: raw))
                    failed = true
                    continue
                case let .success(resolved):
                    function = resolved
                }
                let filters: [TemplateFunction]
                switch TemplateFunction.resolveFilters(call) {
                case let .failure(problem):
                    error(problem.message, at: site.location(ofOffset: problem.offset, in: raw))
                    failed = true
                    continue
                case let .success(resolved):
                    filters = resolved
                }
                switch mode {
                case .validate:
                    templateUses.append(
                        TemplateUse(
                            function: function,
                            arguments: call.arguments,
                            location: callLocation,
                            field: field,
                            text: raw,
                            offset: call.offset,
                            urlEncoded: filters.contains(.urlEncode)
                        )
                    )
                    if function.configItemArgument, let names = configItemNames, !names.contains(call.arguments[0]) {
                        error("\(function.rawValue): no config item named '\(call.arguments[0])' in this manifest's config", at: callLocation)
                    }
                case let .render(context):
                    switch context.evaluate(function, call.arguments).flatMap({ context.apply(filters, to: $0) }) {
                    case let .success(value): output += value
                    case let .failure(problem):
                        error(problem.message, at: callLocation)
                        failed = true
                    }
                }
            }
        }
        if case .validate = mode { return raw }
        return failed ? raw : output
    }
}

/// The recognised keys of one mapping, with the mapping's own node for locations.
struct Fields {
    var node: Node
    var values: [String: Node] = [:]
    var keys: [String: Node] = [:]

    init(node: Node) { self.node = node }

    subscript(_ key: String) -> Node? { values[key] }
}
