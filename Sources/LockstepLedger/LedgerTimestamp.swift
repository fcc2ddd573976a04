import Foundation

/// The ledger's one text form of a time: UTC, millisecond precision, fixed width
/// (`2025-11-25T17:42:00.123Z`), so stored times sort and compare as strings and
/// hash the same on every machine.
public enum LedgerTimestamp {
    private static let canonical = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let whole = Date.ISO8601FormatStyle(timeZone: .gmt)

    public static func string(from date: Date) -> String {
        date.formatted(canonical)
    }

    /// Reads a stored timestamp, or an ISO 8601 time a user typed: with or
    /// without fractional seconds, `Z` or an offset, or a plain date (UTC midnight).
    public static func date(from text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let date = try? canonical.parse(text) { return date }
        if let date = try? whole.parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().parse(text) { return date }
        return nil
    }

    /// A time bound as the CLI accepts it: an ISO 8601 time or date, or a
    /// duration back from `now` (`90s`, `30m`, `24h`, `7d`, `2w`).
    public static func bound(from text: String, now: Date = Date()) -> Date? {
        if let seconds = duration(text) { return now.addingTimeInterval(-seconds) }
        return date(from: text)
    }

    static func duration(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let count = Double(text.dropLast()), count >= 0, text.dropLast().allSatisfy(\.isNumber) else {
            return nil
        }
        switch unit {
        case "s": return count
        case "m": return count * 60
        case "h": return count * 3600
        case "d": return count * 86_400
        case "w": return count * 604_800
        default: return nil
        }
    }
}
