import Yams

/// Where a scalar's value sits in the source, so that an offset inside the
/// value (a template's `{{`) can be reported at its own line and column.
struct ScalarSite {
    var location: SourceLocation
    var style: Node.Scalar.Style
    /// The source lines, as Unicode scalars; empty when offsets cannot be mapped
    /// (a `cmd` element parsed from a JSON string).
    var lines: [[Unicode.Scalar]]

    static func imprecise(_ location: SourceLocation) -> ScalarSite {
        ScalarSite(location: location, style: .any, lines: [])
    }

    /// The location of the value's `offset`-th Unicode scalar; the scalar's own
    /// start when the mapping is not simple (folded or multi-line scalars).
    func location(ofOffset offset: Int, in value: String) -> SourceLocation {
        guard !lines.isEmpty, location.line >= 1, location.line <= lines.count else { return location }
        let valueScalars = Array(value.unicodeScalars)
        switch style {
        case .plain, .any:
            if valueScalars.prefix(offset).contains("\n") { return location }
            return moved(column: location.column + offset)
        case .singleQuoted:
            return walkQuoted(offset: offset) { raw, r in raw[r] == "'" && r + 1 < raw.count && raw[r + 1] == "'" ? 2 : 1 }
        case .doubleQuoted:
            return walkQuoted(offset: offset) { raw, r in
                guard raw[r] == "\\", r + 1 < raw.count else { return 1 }
                switch raw[r + 1] {
                case "x": return 4
                case "u": return 6
                case "U": return 10
                default: return 2
                }
            }
        case .literal:
            return literalLocation(offset: offset, valueScalars: valueScalars)
        case .folded:
            return location
        }
    }

    private func moved(line: Int? = nil, column: Int) -> SourceLocation {
        SourceLocation(file: location.file, line: line ?? location.line, column: column)
    }

    /// Walks the quoted source text after the opening quote; `width` tells how
    /// many source scalars one value scalar takes at that point.
    private func walkQuoted(offset: Int, width: ([Unicode.Scalar], Int) -> Int) -> SourceLocation {
        let raw = lines[location.line - 1]
        var r = location.column  // 0-based index just after the opening quote
        var v = 0
        while v < offset {
            guard r < raw.count else { return location }
            r += width(raw, r)
            v += 1
        }
        return r < raw.count ? moved(column: r + 1) : location
    }

    private func literalLocation(offset: Int, valueScalars: [Unicode.Scalar]) -> SourceLocation {
        var line = 0
        var column = 0
        for scalar in valueScalars.prefix(offset) {
            if scalar == "\n" {
                line += 1
                column = 0
            } else {
                column += 1
            }
        }
        let sourceLine = location.line + 1 + line
        guard sourceLine <= lines.count else { return location }
        let firstContent = lines[location.line]
        let indent = firstContent.prefix { $0 == " " }.count
        return moved(line: sourceLine, column: indent + column + 1)
    }
}
