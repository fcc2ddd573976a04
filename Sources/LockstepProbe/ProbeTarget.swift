import Foundation

/// What the probe refuses before any attempt: text that libpq would quietly read as
/// "connect to the default socket" (an empty string, a bare word taken as a database
/// name, another database's URL) and options libpq does not know. Probing those until
/// the deadline would report a timeout for what is a typing mistake.
enum ProbeTarget {
    /// Why `connection` cannot be probed, or `nil`. Never quotes a value: only
    /// URL schemes and option names, which are not secrets.
    static func problem(_ text: String, parsed: ConnectionString) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            return "no connection string given: pass a postgresql:// URL or key=value conninfo (\"-\" reads it from standard input)"
        }
        if parsed.format == .keywordValue, !trimmed.contains("=") {
            if let scheme = scheme(of: trimmed) {
                return "not a PostgreSQL connection string: the URL scheme is \"\(scheme)\"; use postgresql:// or key=value conninfo"
            }
            return "not a connection string: expected a postgresql:// URL or key=value conninfo (for a database name alone, write dbname=NAME)"
        }
        if parsed.format == .keywordValue, let scheme = scheme(of: trimmed) {
            return "not a PostgreSQL connection string: the URL scheme is \"\(scheme)\"; use postgresql:// or key=value conninfo"
        }
        var previous: String?
        for (key, _) in parsed.parameters {
            defer { previous = key }
            guard !ConnectionStringError.knownKeywords.contains(key), key != "ssl" else { continue }
            if previous == "password", parsed.format == .keywordValue {
                // `password=abc def=ghi`: the "option" is most likely the rest of an unquoted password.
                return "invalid connection string: an unknown option follows the password; quote a password that contains spaces: password='...'"
            }
            return "invalid connection string: unknown option \"\(shown(key))\"; see libpq's connection parameters"
        }
        return nil
    }

    /// The scheme of `scheme://...`, when it reads like one.
    private static func scheme(of text: String) -> String? {
        guard let range = text.range(of: "://") else { return nil }
        let scheme = text[..<range.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter, scheme.count <= 32,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return String(scheme)
    }

    /// An option name as typed, cut short and stripped of control characters.
    private static func shown(_ key: String) -> String {
        String(key.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }.prefix(64).map(Character.init))
    }
}
