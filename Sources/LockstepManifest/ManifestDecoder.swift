import Yams

/// Turns a composed YAML tree into the manifest model, reporting every problem
/// with its location instead of stopping at the first.
struct ManifestDecoder {
    struct Output {
        var name: String
        var configGroups: [ConfigGroup]
        var components: [Component]
    }

    static let topLevelKeys: Set<String> = ["name", "config", "components", "replicated_api_version", "version", "properties"]

    let session: DecodeSession

    /// Parses YAML text; a syntax error becomes a diagnostic at its mark.
    static func compose(text: String, file: String) -> Result<Node?, Diagnostic> {
        do {
            return .success(try Yams.compose(yaml: text))
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: file))
        } catch {
            return .failure(Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1)))
        }
    }

    /// Our own wording: Yams' descriptions quote the source text, which may hold a secret.
    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return Diagnostic(.error, "invalid YAML: \(problem)\(while_)", at: at(mark))
        case let .duplicatedKeysInMapping(duplicates, context):
            return Diagnostic(
                .error,
                "invalid YAML: key(s) \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) appear more than once in this mapping",
                at: at(context.mark)
            )
        case let .reader(problem, _, _, _):
            return Diagnostic(.error, "invalid YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return Diagnostic(.error, "invalid YAML", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    func decode(_ root: Node?) -> Output? {
        guard let root else {
            session.error("the manifest is empty", at: SourceLocation(file: session.file, line: 1, column: 1))
            return nil
        }
        guard let top = session.fields(root, "the manifest", known: Self.topLevelKeys) else { return nil }
        let name = session.string(top["name"], "name") ?? ""
        // Config first: templates elsewhere are checked against its item names.
        let groups = session.list(top["config"], "config").compactMap(configGroup)
        session.configItemNames = Set(groups.flatMap(\.items).map(\.name))
        let components = session.list(top["components"], "components").compactMap(component)
        if top["components"] == nil {
            session.error("the manifest has no 'components'", at: root)
        }
        return Output(name: name, configGroups: groups, components: components)
    }

    // MARK: Config

    static let groupKeys: Set<String> = ["name", "title", "description", "items", "when", "test_proc"]
    static let itemKeys: Set<String> = [
        "name", "title", "type", "default", "value", "required", "help_text", "items",
        "hidden", "readonly", "when", "affix", "recommended", "multi_value", "test_proc", "props",
    ]

    private func configGroup(_ node: Node) -> ConfigGroup? {
        guard let f = session.fields(node, "a config group", known: Self.groupKeys) else { return nil }
        let items = session.list(f["items"], "items").compactMap(configItem)
        return ConfigGroup(
            name: session.string(f["name"], "name") ?? "",
            title: session.string(f["title"], "title"),
            description: session.string(f["description"], "description"),
            items: items,
            location: session.location(node)
        )
    }

    private func configItem(_ node: Node) -> ConfigItem? {
        guard let f = session.fields(node, "a config item", known: Self.itemKeys) else { return nil }
        guard let name = session.required(f, "name", in: "a config item") else { return nil }
        var type = ConfigItemType.text
        if let typeNode = f["type"], let raw = session.string(typeNode, "type") {
            if let known = ConfigItemType(rawValue: raw) {
                type = known
            } else {
                session.error(
                    "unknown config item type '\(raw)'; use one of \(ConfigItemType.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: typeNode
                )
            }
        }
        let options = session.list(f["items"], "items").compactMap { option -> String? in
            guard let o = session.fields(option, "a select option", known: ["name", "title", "recommended", "default"]) else { return nil }
            return session.string(o["name"], "name")
        }
        return ConfigItem(
            name: name,
            title: session.string(f["title"], "title"),
            type: type,
            defaultValue: session.string(f["default"], "default"),
            value: session.string(f["value"], "value"),
            required: session.bool(f["required"], "required") ?? false,
            helpText: session.string(f["help_text"], "help_text"),
            options: options,
            location: session.location(node)
        )
    }

    // MARK: Components

    static let componentKeys: Set<String> = [
        "name", "containers", "tags", "conflicts", "cluster", "cluster_host_count", "host_requirements", "logs", "host_volumes",
    ]

    private func component(_ node: Node) -> Component? {
        guard let f = session.fields(node, "a component", known: Self.componentKeys) else { return nil }
        guard let name = session.required(f, "name", in: "a component") else { return nil }
        let containers = session.list(f["containers"], "containers").compactMap {
            ContainerDecoder(session: session).container($0, component: name)
        }
        return Component(name: name, containers: containers, location: session.location(node))
    }
}
