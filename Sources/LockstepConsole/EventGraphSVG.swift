import LockstepManifest

/// Draws `manifest graph` as SVG: containers in columns by how many events lie before
/// them (roots on the left), one arrow per subscription labelled with its event.
/// Colours are presentation attributes, not style, so the page's CSP holds.
enum EventGraphSVG {
    static let rowHeight = 64
    static let boxHeight = 36
    static let minimumGap = 90

    static func render(_ graph: EventGraph) -> String {
        let layer = layers(graph)
        var columns: [[ContainerID]] = []
        for container in graph.containers {
            let index = layer[container] ?? 0
            while columns.count <= index { columns.append([]) }
            columns[index].append(container)
        }
        // Wide enough for the longest event label between two columns (about 6.5 px a character at 11 px).
        let longestLabel = graph.edges.map { "\($0.event.name) (\($0.trigger.rawValue))".count }.max() ?? 0
        let gap = max(minimumGap, longestLabel * 13 / 2 + 30)
        var widths: [Int] = columns.map { column in column.map { boxWidth($0) }.max() ?? 120 }
        if widths.isEmpty { widths = [120] }
        var x = 10
        var position: [ContainerID: (x: Int, y: Int, width: Int)] = [:]
        for (index, column) in columns.enumerated() {
            for (row, container) in column.enumerated() {
                position[container] = (x, 10 + row * rowHeight, boxWidth(container))
            }
            x += widths[index] + gap
        }
        let width = x - gap + 20
        let height = 20 + max(1, columns.map(\.count).max() ?? 1) * rowHeight
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" role="img" aria-label="Event graph of \(escape(graph.name))">
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#52606d"/></marker></defs>

            """
        for edge in graph.edges {
            guard let from = position[edge.event.container], let to = position[edge.subscriber] else { continue }
            let (x1, y1) = (from.x + from.width, from.y + boxHeight / 2)
            let (x2, y2) = (to.x, to.y + boxHeight / 2)
            let label = "\(edge.event.name) (\(edge.trigger.rawValue))"
            if edge.subscriber == edge.event.container || x2 <= x1 {
                // A loop or a back edge: an arc above the boxes, so it never hides behind them.
                let top = min(y1, y2) - boxHeight
                svg +=
                    "<path d=\"M \(x1 - 10) \(y1 - boxHeight / 2) C \(x1) \(top), \(x2 + 10) \(top), \(x2 + 10) \(y2 - boxHeight / 2)\" fill=\"none\" stroke=\"#b0413e\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n"
                svg +=
                    "<text x=\"\((x1 + x2) / 2)\" y=\"\(max(12, top + 8))\" font-size=\"11\" fill=\"#b0413e\" text-anchor=\"middle\">\(escape(label))</text>\n"
            } else {
                svg +=
                    "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"#52606d\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n"
                svg +=
                    "<text x=\"\((x1 + x2) / 2)\" y=\"\((y1 + y2) / 2 - 6)\" font-size=\"11\" fill=\"#52606d\" text-anchor=\"middle\">\(escape(label))</text>\n"
            }
        }
        let roots = Set(graph.roots)
        for container in graph.containers {
            guard let box = position[container] else { continue }
            let fill = roots.contains(container) ? "#e8f0fb" : "#ffffff"
            svg +=
                "<rect x=\"\(box.x)\" y=\"\(box.y)\" width=\"\(box.width)\" height=\"\(boxHeight)\" rx=\"6\" fill=\"\(fill)\" stroke=\"#2458a6\" stroke-width=\"1.2\"/>\n"
            svg +=
                "<text x=\"\(box.x + box.width / 2)\" y=\"\(box.y + boxHeight / 2 + 5)\" font-size=\"13\" fill=\"#1f2933\" text-anchor=\"middle\">\(escape(container.description))</text>\n"
        }
        return svg + "</svg>"
    }

    /// Longest path from a root, by relaxation; a cycle stops after as many rounds as containers.
    static func layers(_ graph: EventGraph) -> [ContainerID: Int] {
        var layer: [ContainerID: Int] = [:]
        for root in graph.roots { layer[root] = 0 }
        for _ in 0..<max(1, graph.containers.count) {
            var changed = false
            for edge in graph.edges where edge.subscriber != edge.event.container {
                guard let from = layer[edge.event.container] else { continue }
                if (layer[edge.subscriber] ?? -1) < from + 1, from + 1 < graph.containers.count {
                    layer[edge.subscriber] = from + 1
                    changed = true
                }
            }
            if !changed { break }
        }
        return layer
    }

    static func boxWidth(_ container: ContainerID) -> Int {
        max(110, container.description.count * 8 + 24)
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
