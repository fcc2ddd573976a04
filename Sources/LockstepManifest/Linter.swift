/// Checks a manifest the way `release lint` reports it: decoding problems plus
/// the rules that need the whole manifest (subscriptions, cycles, ports...).
public enum Linter {
    /// Every diagnostic, in file order.
    public static func lint(text: String, file: String) -> [Diagnostic] {
        check(text: text, file: file).1
    }

    static func check(text: String, file: String) -> (Manifest?, [Diagnostic]) {
        if text.utf8.count > Manifest.maximumSize {
            let message = "the manifest is \(text.utf8.count) bytes; the limit is \(Manifest.maximumSize) bytes (1 MB)"
            return (nil, [Diagnostic(.error, message, at: SourceLocation(file: file, line: 1, column: 1))])
        }
        let (decoded, decodeDiagnostics) = Manifest.decode(text: text, file: file)
        guard var manifest = decoded else { return (nil, decodeDiagnostics.sortedByLocation()) }
        let diagnostics = (decodeDiagnostics + semanticDiagnostics(manifest)).sortedByLocation()
        manifest.warnings = diagnostics.warnings
        return (manifest, diagnostics)
    }

    static func semanticDiagnostics(_ manifest: Manifest) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func error(_ message: String, _ at: SourceLocation) { out.append(Diagnostic(.error, message, at: at)) }
        func warning(_ message: String, _ at: SourceLocation) { out.append(Diagnostic(.warning, message, at: at)) }

        var itemNames: Set<String> = []
        for item in manifest.configItems {
            if !itemNames.insert(item.name).inserted { error("duplicate config item '\(item.name)'", item.location) }
            if item.required && item.manifestValue == nil {
                warning(
                    "required config item '\(item.name)' has no default: rendering fails unless a value is given with --set or --config",
                    item.location
                )
            }
        }

        var componentNames: Set<String> = []
        for component in manifest.components {
            if !componentNames.insert(component.name).inserted { error("duplicate component '\(component.name)'", component.location) }
            var keys: Set<String> = []
            for container in component.containers {
                if !keys.insert(container.key).inserted {
                    error("duplicate container '\(container.key)' in component '\(component.name)'; give one a distinct 'name'", container.location)
                }
                out += containerDiagnostics(container, in: manifest)
            }
        }

        for use in manifest.templateUses where use.function.containerArguments {
            let id = ContainerID(component: use.arguments[0], container: use.arguments[1])
            guard let target = manifest.container(id) else {
                error("\(use.function.rawValue): no container \(id) in this manifest", use.location)
                continue
            }
            if use.function == .containerExposedPort, !target.ports.contains(where: { String($0.privatePort) == use.arguments[2] }) {
                error("ContainerExposedPort: container \(id) declares no private port \(use.arguments[2])", use.location)
            }
        }

        out += secretPlacementDiagnostics(manifest)

        let graph = EventGraph(manifest)
        for cycle in graph.cycles {
            let closing = graph.edges.first { $0.event.container == cycle.last! && $0.subscriber == cycle[0] }
            let path = (cycle + cycle.prefix(1)).map(\.description).joined(separator: " -> ")
            error(
                "event cycle: \(path); these containers would wait on each other forever",
                closing?.location ?? manifest.container(cycle[0])!.location
            )
        }
        return out
    }

    private static func containerDiagnostics(_ container: ManifestContainer, in manifest: Manifest) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func error(_ message: String, _ at: SourceLocation) { out.append(Diagnostic(.error, message, at: at)) }
        func warning(_ message: String, _ at: SourceLocation) { out.append(Diagnostic(.warning, message, at: at)) }

        var eventNames: Set<String> = []
        for event in container.publishEvents {
            if !eventNames.insert(event.name).inserted {
                error("duplicate event '\(event.name)' in container \(container.id)", event.location)
            }
            let data = event.data ?? ""
            let dataAt = event.dataLocation ?? event.location
            switch event.trigger {
            case .portListen:
                if data.isEmpty {
                    error("port-listen event '\(event.name)' needs the port to probe in 'data'", event.location)
                } else if !TemplateParser.containsTemplate(data) {
                    let declared = container.ports.contains { String($0.privatePort) == data || $0.publicPort.map(String.init) == data }
                    if !declared {
                        let ports = container.ports.map { String($0.privatePort) }
                        error(
                            "port-listen on port \(data), which container \(container.id) does not declare in 'ports'"
                                + (ports.isEmpty ? "" : " (it declares \(ports.joined(separator: ", ")))"),
                            dataAt
                        )
                    }
                }
                if container.isPostgresImage {
                    warning(
                        "port-listen on a postgres image will be probed as postgres-ready unless --raw-port-listen is given",
                        event.triggerLocation ?? event.location
                    )
                }
            case .postgresReady:
                if data.isEmpty {
                    error("postgres-ready event '\(event.name)' needs a connection string in 'data'", event.location)
                }
            case .exec:
                if event.args.isEmpty {
                    error("exec event '\(event.name)' needs the command to run in 'args'", event.location)
                }
            case .containerStop:
                if !container.ephemeral {
                    warning(
                        "container-stop on non-ephemeral container \(container.id): it fires only when the container exits with status 0",
                        event.triggerLocation ?? event.location
                    )
                }
            case .containerStart:
                break
            }
            if event.subscriptions.isEmpty {
                warning("event '\(event.name)' has no subscriptions; it starts nothing", event.location)
            }
            for subscription in event.subscriptions {
                guard let component = manifest.components.first(where: { $0.name == subscription.component }) else {
                    let names = manifest.components.map(\.name).joined(separator: ", ")
                    error("subscription to unknown component '\(subscription.component)' (components: \(names))", subscription.componentLocation)
                    continue
                }
                if component.container(subscription.container) == nil {
                    let keys = component.containers.map(\.key).joined(separator: ", ")
                    error(
                        "component '\(component.name)' has no container '\(subscription.container)' (containers are named by 'name', else 'image_name': \(keys))",
                        subscription.containerLocation
                    )
                }
            }
        }
        return out
    }
}
