/// RFC 4180 CSV: CRLF line ends; a field with a comma, quote, CR or LF is
/// quoted and its quotes doubled. NULL and empty text are both an empty field.
public enum LedgerCSV {
    public static func field(_ value: String?) -> String {
        guard let value else { return "" }
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ values: [String?]) -> String {
        values.map(field).joined(separator: ",") + "\r\n"
    }

    public static let header = line(LedgerEntry.columnNames)

    public static func line(_ entry: LedgerEntry) -> String {
        line(entry.columnValues)
    }
}
