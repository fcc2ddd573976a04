extension EventGraph {
    /// A readable outline: roots first, then each container with the events
    /// it publishes and what they start.
    public func renderText() -> String {
        var lines: [String] = []
        lines.append("roots: " + (roots.isEmpty ? "(none)" : roots.map(\.description).joined(separator: ", ")))
        for id in containers {
            var header = id.description
            if specs[id]?.ephemeral == true { header += " (ephemeral)" }
            let starters = startingEvents(of: id)
            header += starters.isEmpty ? "  [root]" : "  [started by " + starters.map(\.description).joined(separator: " or ") + "]"
            lines.append(header)
            for event in specs[id]?.publishEvents ?? [] {
                let eventID = EventID(container: id, name: event.name)
                let targets = subscribers(of: eventID)
                let started = targets.isEmpty ? "(nothing)" : targets.map(\.description).joined(separator: ", ")
                lines.append("  on \"\(event.name)\" (\(event.trigger.rawValue)) -> start \(started)")
            }
        }
        for cycle in cycles {
            lines.append("cycle: " + (cycle + cycle.prefix(1)).map(\.description).joined(separator: " -> "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Graphviz: one box per container (dashed when ephemeral, bold when a
    /// root), one edge per subscription labelled with the event and trigger.
    public func renderDOT() -> String {
        var lines = ["digraph \(quote(name.isEmpty ? "manifest" : name)) {", "  rankdir=LR;", "  node [shape=box];"]
        let rootSet = Set(roots)
        for id in containers {
            var attributes = ["label=\(quote(id.description + (specs[id]?.ephemeral == true ? "\n(ephemeral)" : "")))"]
            if specs[id]?.ephemeral == true { attributes.append("style=dashed") }
            if rootSet.contains(id) { attributes.append("penwidth=2") }
            lines.append("  \(quote(id.description)) [\(attributes.joined(separator: ", "))];")
        }
        for edge in edges {
            let label = "\(edge.event.name)\n(\(edge.trigger.rawValue))"
            lines.append("  \(quote(edge.event.container.description)) -> \(quote(edge.subscriber.description)) [label=\(quote(label))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func quote(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }
}
