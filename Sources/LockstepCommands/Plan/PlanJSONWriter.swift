import LockstepPlanner

/// Writes `PlanPrinter.PlanJSON` byte for byte as `JSONOutput` would (pretty, sorted keys,
/// slashes unescaped), without `JSONEncoder`: a ten-thousand-step plan spent more time in the
/// generic encoder than in reading and planning together. `PlanJSONWriterTests` holds the two
/// outputs equal.
struct PlanJSONWriter {
    private(set) var bytes: [UInt8] = []

    static func encode(_ plan: PlanPrinter.PlanJSON) -> [UInt8] {
        var writer = PlanJSONWriter()
        writer.bytes.reserveCapacity(256 + plan.steps.count * 200)
        writer.write(plan)
        return writer.bytes
    }

    // Keys in the order `.sortedKeys` gives; a nil optional is left out, as the encoder does.
    private mutating func write(_ plan: PlanPrinter.PlanJSON) {
        append("{\n")
        field("channel", depth: 1) { $0.string(plan.channel) }
        if let from = plan.from { field("from", depth: 1) { $0.string(from) } }
        if let installation = plan.installation { field("installation", depth: 1) { $0.string(installation) } }
        field("kind", depth: 1) { $0.string(plan.kind) }
        field("steps", depth: 1) { writer in
            writer.array(plan.steps, depth: 1) { writer, step in writer.write(step, depth: 2) }
        }
        field("target", depth: 1) { $0.string(plan.target) }
        field("warnings", depth: 1, last: true) { writer in
            writer.array(plan.warnings, depth: 1) { writer, warning in writer.string(warning) }
        }
        append("}")
    }

    private mutating func write(_ step: PlanStep, depth: Int) {
        append("{\n")
        field("channelSequence", depth: depth + 1) { $0.append(String(step.channelSequence)) }
        field("notes", depth: depth + 1) { $0.string(step.notes) }
        field("releaseSequence", depth: depth + 1) { $0.append(String(step.releaseSequence)) }
        field("required", depth: depth + 1) { $0.append(step.required ? "true" : "false") }
        field("version", depth: depth + 1, last: true) { $0.string(step.version) }
        indent(depth)
        append("}")
    }

    private mutating func field(_ key: String, depth: Int, last: Bool = false, value: (inout PlanJSONWriter) -> Void) {
        indent(depth)
        string(key)
        append(" : ")
        value(&self)
        append(last ? "\n" : ",\n")
    }

    /// An empty array prints as `[`, a blank line and `]`, like the encoder's.
    private mutating func array<Element>(_ elements: [Element], depth: Int, element: (inout PlanJSONWriter, Element) -> Void) {
        append("[\n")
        for (index, item) in elements.enumerated() {
            indent(depth + 1)
            element(&self, item)
            append(index == elements.count - 1 ? "\n" : ",\n")
        }
        if elements.isEmpty { append("\n") }
        indent(depth)
        append("]")
    }

    private mutating func indent(_ depth: Int) {
        for _ in 0..<depth { append("  ") }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// The encoder's escapes: quote, backslash, the short forms of control characters,
    /// `\u00XX` (lower-case hex) for the others; everything else as UTF-8, `/` included.
    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
