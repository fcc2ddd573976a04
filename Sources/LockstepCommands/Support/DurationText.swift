import Foundation

/// The one way a person reads a duration: `85 ms`, `1.2 s`, `2 min 3 s`, `1 h 5 min`.
/// Every human output goes through here; JSON keeps numbers.
enum DurationText {
    static func format(seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0 ms" }
        let milliseconds = (seconds * 1000).rounded()
        if milliseconds < 1000 { return "\(Int(milliseconds)) ms" }
        // Rounded to tenths first, so 59.96 s is written `1 min`, not `60.0 s`.
        let tenths = (seconds * 10).rounded() / 10
        if tenths < 60 { return String(format: "%.1f s", tenths) }
        let whole = Int(seconds.rounded())
        if whole < 3600 {
            return whole % 60 == 0 ? "\(whole / 60) min" : "\(whole / 60) min \(whole % 60) s"
        }
        let minutes = (whole % 3600) / 60
        return minutes == 0 ? "\(whole / 3600) h" : "\(whole / 3600) h \(minutes) min"
    }

    static func format(milliseconds: Int64) -> String {
        format(seconds: Double(milliseconds) / 1000)
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return format(seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }

    static func between(_ start: Date, _ end: Date) -> String {
        format(seconds: end.timeIntervalSince(start))
    }
}
