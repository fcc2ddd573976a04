import LockstepLedger

/// Aligned plain-text tables for ledger output.
enum LedgerTable {
    static func render(headers: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let cells = rows.map { $0.map(flatten) }
        var widths = headers.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if rightAligned.contains(index) {
                    parts.append(padding + cell)
                } else if index == row.count - 1 {
                    parts.append(cell)
                } else {
                    parts.append(cell + padding)
                }
            }
            return parts.joined(separator: "  ")
        }
        return ([line(headers)] + cells.map(line)).joined(separator: "\n") + "\n"
    }

    /// One line per row, whatever a field holds.
    static func flatten(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    static let listHeaders = ["ID", "RECORDED", "KIND", "EVENT", "STATUS", "INSTALL", "RELEASE", "COMPONENT", "CONTAINER", "EXIT", "DURATION"]

    static func listRow(_ entry: LedgerEntry) -> [String] {
        [
            String(entry.id), entry.recordedAt, entry.kind.rawValue, entry.event.rawValue, entry.status.rawValue,
            entry.installation ?? "-", release(entry), entry.component ?? "-", entry.container ?? "-",
            entry.exitCode.map { String($0) } ?? "-", entry.durationMs.map(duration) ?? "-",
        ]
    }

    static func release(_ entry: LedgerEntry) -> String {
        switch (entry.releaseVersion, entry.releaseSequence) {
        case let (version?, sequence?): "\(version) (#\(sequence))"
        case let (version?, nil): version
        case let (nil, sequence?): "#\(sequence)"
        case (nil, nil): "-"
        }
    }

    static func duration(_ milliseconds: Int64) -> String {
        DurationText.format(milliseconds: milliseconds)
    }
}
