/// Turns a failed libpq connection into an outcome and SQLSTATE.
///
/// libpq 15 keeps the SQLSTATE of a failed connection attempt to itself, so
/// the server's (English) message text is matched instead. The patterns are
/// the messages PostgreSQL's backend sends for each condition; anything the
/// server said that is not recognised counts as a retryable rejection, and a
/// failure that never reached a server as no response.
enum FailureClassifier {
    struct Classification: Equatable {
        var outcome: ProbeOutcome
        var sqlstate: String?
    }

    static func classifyConnectFailure(_ message: String, needsPassword: Bool) -> Classification {
        let text = message.lowercased()
        func has(_ pattern: String) -> Bool { text.contains(pattern) }

        if has("password authentication failed") { return .init(outcome: .authenticationFailed, sqlstate: "28P01") }
        if needsPassword || has("no password supplied") {
            return .init(outcome: .authenticationFailed, sqlstate: "28P01")
        }
        if has("no pg_hba.conf entry") || has("authentication failed") {
            return .init(outcome: .authenticationFailed, sqlstate: "28000")
        }
        if has("database \""), has("does not exist") { return .init(outcome: .databaseMissing, sqlstate: "3D000") }
        if has("role \""), has("does not exist") { return .init(outcome: .authenticationFailed, sqlstate: "28000") }
        if has("permission denied for database") || has("is not permitted to log in") {
            return .init(outcome: .authenticationFailed, sqlstate: has("permission denied") ? "42501" : "28000")
        }
        if has("too many clients") || has("remaining connection slots are reserved") || has("too many connections for") {
            return .init(outcome: .rejecting, sqlstate: "53300")
        }
        if has("the database system is starting up") || has("the database system is shutting down")
            || has("not yet accepting connections") || has("not accepting connections")
            || has("the database system is in recovery mode")
        {
            return .init(outcome: .rejecting, sqlstate: "57P03")
        }
        if has("fatal:") || has("error:") {
            return .init(outcome: .rejecting, sqlstate: nil)
        }
        return .init(outcome: .noResponse, sqlstate: nil)
    }

    /// The server's own words, without libpq's "connection to server at … failed:" preamble.
    static func serverMessage(_ message: String) -> String {
        var lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        lines.removeAll { $0.isEmpty }
        guard var first = lines.first else { return message }
        if let range = first.range(of: "failed: ") {
            first = String(first[range.upperBound...])
        }
        for prefix in ["FATAL:  ", "FATAL: ", "ERROR:  ", "ERROR: "] where first.hasPrefix(prefix) {
            first = String(first.dropFirst(prefix.count))
        }
        let detail = lines.dropFirst().first { $0.hasPrefix("DETAIL:") }
        if let detail { return "\(first) (\(detail.dropFirst("DETAIL:".count).trimmingCharacters(in: .whitespaces)))" }
        return first
    }
}
