import Yams

/// Decodes one `publish_events` entry and its subscriptions.
struct EventDecoder {
    static let eventKeys: Set<String> = ["name", "trigger", "data", "args", "timeout", "subscriptions"]

    let session: DecodeSession

    func event(_ node: Node, publisher: ContainerID) -> ManifestEvent? {
        guard let f = session.fields(node, "an event", known: Self.eventKeys) else { return nil }
        guard let name = session.required(f, "name", in: "an event") else { return nil }
        guard let triggerNode = f["trigger"], let rawTrigger = session.string(triggerNode, "trigger") else {
            session.error("event '\(name)' needs a 'trigger'", at: f["trigger"] ?? node)
            return nil
        }
        guard let trigger = Trigger(rawValue: rawTrigger) else {
            session.error("unknown trigger '\(rawTrigger)'; use one of \(Trigger.allCases.map(\.rawValue).joined(separator: ", "))", at: triggerNode)
            return nil
        }
        var timeout: Duration? = ManifestEvent.defaultTimeout
        if let timeoutNode = f["timeout"], let seconds = session.int(timeoutNode, "timeout") {
            if seconds == -1 {
                timeout = nil
            } else if seconds > 0, seconds <= ManifestEvent.maximumTimeoutSeconds {
                timeout = .seconds(seconds)
            } else {
                session.error("'timeout' must be between 1 and \(ManifestEvent.maximumTimeoutSeconds) seconds, or -1 for none", at: timeoutNode)
            }
        }
        let args = session.command(f["args"], "args") ?? []
        return ManifestEvent(
            name: name,
            trigger: trigger,
            data: session.templated(f["data"], "data"),
            args: args,
            timeout: timeout,
            subscriptions: session.list(f["subscriptions"], "subscriptions").compactMap(subscription),
            location: session.location(node),
            dataLocation: f["data"].map(session.location),
            triggerLocation: session.location(triggerNode)
        )
    }

    private func subscription(_ node: Node) -> Subscription? {
        guard let f = session.fields(node, "a subscription", known: ["component", "container", "action"]) else { return nil }
        guard let component = session.string(f["component"], "component"), let componentNode = f["component"],
            let container = session.string(f["container"], "container"), let containerNode = f["container"]
        else {
            session.error("a subscription needs a 'component' and a 'container'", at: node)
            return nil
        }
        if let actionNode = f["action"], let action = session.string(actionNode, "action"), action != "start" {
            session.error("unsupported subscription action '\(action)'; lockstep only supports 'start'", at: actionNode)
        }
        return Subscription(
            component: component,
            container: container,
            location: session.location(node),
            componentLocation: session.location(componentNode),
            containerLocation: session.location(containerNode)
        )
    }
}
