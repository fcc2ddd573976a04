import ArgumentParser
import Foundation

/// A length of time as people type it on the command line: `30s`, `15m`, `12h`, `7d`,
/// `250ms`, or a bare number of seconds. Every duration flag of lockstep takes this form,
/// so that `--lock-timeout 2m` and `--expires 7d` read the same way.
public struct DurationArgument: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
    /// The longest duration any flag accepts: far beyond any sensible timeout or expiry,
    /// and small enough that converting it to nanoseconds or a date never overflows.
    public static let maximumSeconds: Double = 100 * 365 * 86_400

    public let seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    public init?(argument: String) {
        guard let seconds = Self.parse(argument) else { return nil }
        self.seconds = seconds
    }

    public static var defaultCompletionKind: CompletionKind { .default }

    public var duration: Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    public var timeInterval: TimeInterval { seconds }

    /// The shortest way to write it back: `90s` as `90s`, `3600s` as `1h`.
    public var description: String {
        for (unit, size) in [("d", 86_400.0), ("h", 3_600.0), ("m", 60.0)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0
        {
            return "\(Int(seconds / size))\(unit)"
        }
        if seconds < 1, seconds > 0 { return "\(Int((seconds * 1000).rounded()))ms" }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }

    /// `nil` for anything that is not a finite, non-negative amount with a known unit,
    /// or that exceeds `maximumSeconds`; never traps, whatever the text.
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400)]
        var number = Substring(trimmed)
        var scale = 1.0
        if let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }) {
            number = number.dropLast(unit.suffix.count)
            scale = unit.scale
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            number.filter({ $0 == "." }).count <= 1, number != ".",
            let value = Double(number), value.isFinite
        else { return nil }
        let seconds = value * scale
        guard seconds.isFinite, seconds >= 0, seconds <= maximumSeconds else { return nil }
        return seconds
    }
}
