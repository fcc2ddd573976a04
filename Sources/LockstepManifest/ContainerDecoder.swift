import Yams

/// Decodes one container mapping and the events it publishes.
struct ContainerDecoder {
    static let containerKeys: Set<String> = [
        "source", "image_name", "version", "name", "display_name", "cmd", "entrypoint", "env_vars",
        "ephemeral", "ports", "volumes", "restart", "stop_timeout", "publish_events", "hostname",
    ]
    static let knownSources: Set<String> = ["public", "replicated"]

    let session: DecodeSession

    func container(_ node: Node, component: String) -> ManifestContainer? {
        guard let f = session.fields(node, "a container", known: Self.containerKeys) else { return nil }
        guard let imageName = session.required(f, "image_name", in: "a container") else { return nil }
        if TemplateParser.containsTemplate(imageName), let imageNode = f["image_name"] {
            session.error("'image_name' names the container in subscriptions and cannot hold a template", at: imageNode)
        } else if let problem = EngineGrammar.imageNameProblem(imageName), let imageNode = f["image_name"] {
            session.error(problem, at: imageNode)
        }
        let version = session.templated(f["version"], "version")
        if version == nil || version?.isEmpty == true {
            session.error("container '\(imageName)' needs a 'version' (the image tag)", at: f["version"] ?? node)
        } else if let version, !TemplateParser.containsTemplate(version), let problem = EngineGrammar.versionProblem(version),
            let versionNode = f["version"]
        {
            session.error(problem, at: versionNode)
        }
        let source = session.string(f["source"], "source") ?? "public"
        if !Self.knownSources.contains(source), let sourceNode = f["source"] {
            session.warning("source '\(source)' is not a registry lockstep knows; the image is pulled as '\(imageName)' (public)", at: sourceNode)
        }
        let stopTimeout = session.int(f["stop_timeout"], "stop_timeout")
        if let stopTimeout, stopTimeout < 0 || stopTimeout > ManifestEvent.maximumTimeoutSeconds, let n = f["stop_timeout"] {
            session.error("'stop_timeout' must be between 0 and \(ManifestEvent.maximumTimeoutSeconds) seconds", at: n)
        }
        let name = session.string(f["name"], "name").flatMap { $0.isEmpty ? nil : $0 }
        let key = name ?? imageName
        return ManifestContainer(
            component: component,
            source: source,
            imageName: imageName,
            version: version ?? "",
            name: name,
            cmd: session.command(f["cmd"], "cmd"),
            entrypoint: session.command(f["entrypoint"], "entrypoint"),
            envVars: session.list(f["env_vars"], "env_vars").compactMap(envVar),
            ephemeral: session.bool(f["ephemeral"], "ephemeral") ?? false,
            ports: session.list(f["ports"], "ports").compactMap(port),
            volumes: session.list(f["volumes"], "volumes").compactMap(volume),
            restart: f["restart"].flatMap(restart),
            stopTimeout: stopTimeout.map { .seconds(max(0, $0)) },
            publishEvents: session.list(f["publish_events"], "publish_events").compactMap {
                EventDecoder(session: session).event($0, publisher: ContainerID(component: component, container: key))
            },
            location: session.location(node)
        )
    }

    private func envVar(_ node: Node) -> EnvVar? {
        guard let f = session.fields(node, "an env var", known: ["name", "value", "static_val", "is_excluded_from_support"]) else { return nil }
        guard let name = session.required(f, "name", in: "an env var") else { return nil }
        if let problem = EngineGrammar.envNameProblem(name), let nameNode = f["name"] {
            if problem.isError { session.error(problem.message, at: nameNode) } else { session.warning(problem.message, at: nameNode) }
        }
        if f["value"] != nil, let staticNode = f["static_val"] {
            session.warning("env var '\(name)' has both 'value' and 'static_val'; 'value' is used", at: staticNode)
        }
        if f["value"] == nil, let staticValue = session.string(f["static_val"], "static_val") {
            return EnvVar(name: name, value: staticValue, isStatic: true)
        }
        return EnvVar(name: name, value: session.templated(f["value"], "value") ?? "")
    }

    private func port(_ node: Node) -> PortMapping? {
        guard let f = session.fields(node, "a port", known: ["private_port", "public_port", "port_type", "interface"]) else { return nil }
        guard let privatePort = session.int(f["private_port"], "private_port") else {
            if f["private_port"] == nil { session.error("a port needs a 'private_port'", at: node) }
            return nil
        }
        let publicPort = session.int(f["public_port"], "public_port")
        for (value, key) in [(privatePort, "private_port"), (publicPort, "public_port")] {
            if let value, !(1...65535).contains(value), let n = f[key] {
                session.error("'\(key)' must be between 1 and 65535, found \(value)", at: n)
            }
        }
        var type = PortProtocol.tcp
        if let typeNode = f["port_type"], let raw = session.string(typeNode, "port_type") {
            if let known = PortProtocol(rawValue: raw.lowercased()) {
                type = known
            } else {
                session.error("'port_type' must be tcp or udp, found '\(raw)'", at: typeNode)
            }
        }
        return PortMapping(privatePort: privatePort, publicPort: publicPort, portType: type)
    }

    private func volume(_ node: Node) -> VolumeMount? {
        guard
            let f = session.fields(
                node,
                "a volume",
                known: ["host_path", "container_path", "options", "permission", "owner", "is_ephemeral", "is_excluded_from_backup"]
            )
        else { return nil }
        guard let host = session.templated(f["host_path"], "host_path"),
            let container = session.templated(f["container_path"], "container_path")
        else {
            session.error("a volume needs 'host_path' and 'container_path'", at: node)
            return nil
        }
        let options = session.list(f["options"], "options").compactMap { session.string($0, "options") }
        return VolumeMount(hostPath: host, containerPath: container, options: options)
    }

    private func restart(_ node: Node) -> RestartPolicy? {
        let policyNode: Node
        var maxRetries: Int?
        if case .mapping = node {
            guard let f = session.fields(node, "'restart'", known: ["policy", "max"]), let p = f["policy"] else {
                session.error("'restart' needs a 'policy'", at: node)
                return nil
            }
            policyNode = p
            maxRetries = session.int(f["max"], "max")
        } else {
            policyNode = node
        }
        guard let raw = session.string(policyNode, "restart") else { return nil }
        switch raw {
        case "no", "never", "false": return .no
        case "always": return .always
        case "unless-stopped": return .unlessStopped
        case "on-failure": return .onFailure(maxRetries: maxRetries)
        default:
            session.error("restart policy must be always, on-failure, unless-stopped or no, found '\(raw)'", at: policyNode)
            return nil
        }
    }
}
