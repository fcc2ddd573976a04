import LockstepProbe

/// `probe postgres` exit statuses: 0-3 mean what they mean for pg_isready.
extension ProbeOutcome {
    var exitCode: Int32 {
        switch self {
        case .ready: 0
        case .rejecting: 1
        case .noResponse: 2
        case .noAttempt: 3
        case .authenticationFailed: 4
        case .databaseMissing: 5
        case .readOnly: 6
        case .versionMismatch: 7
        case .extensionMissing: 8
        case .timeout: 9
        }
    }
}

/// The JSON document of `probe postgres --output json`: the report plus the exit status.
struct ProbeJSON: Encodable {
    let report: ProbeReport

    private enum CodingKeys: String, CodingKey { case exitCode }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report.outcome.exitCode, forKey: .exitCode)
    }
}
