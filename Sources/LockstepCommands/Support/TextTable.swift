import LockstepManifest

/// Aligned plain-text columns, the way `docker ps` and `kubectl get` print.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func append(_ row: [String]) {
        // A newline or an escape in a cell would break the columns or repaint the screen.
        rows.append(row.map(\.escapingControlCharacters))
    }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        // Built in one string: Foundation's `padding(toLength:)` per cell was most of the
        // time of a 10,001-step `plan` table.
        var text = ""
        func append(_ cells: [String]) {
            if !text.isEmpty { text += "\n" }
            for (index, cell) in cells.enumerated() {
                text += cell
                guard index < cells.count - 1 else { break }
                let padding = (index < widths.count ? widths[index] : 0) - cell.count
                if padding > 0 { text += String(repeating: " ", count: padding) }
                text += "  "
            }
        }
        append(headers)
        for row in rows { append(row) }
        return text
    }
}
