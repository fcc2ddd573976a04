/// The verdict of a probe run. Raw values are what `--output json` prints.
public enum ProbeOutcome: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case ready
    /// The server answered but refuses connections (starting up, shutting down,
    /// hot standby off: SQLSTATE 57P03; too many clients: 53300).
    case rejecting
    /// Nothing answered as PostgreSQL: not listening, unreachable, or not PostgreSQL.
    case noResponse
    /// The connection string is unusable; nothing was tried.
    case noAttempt
    case authenticationFailed
    case databaseMissing
    case readOnly
    case versionMismatch
    case extensionMissing
    /// The deadline passed while failures were still retryable.
    case timeout

    /// In plain words, for terminals and logs (the wire name stays in JSON).
    public var description: String {
        switch self {
        case .ready: "ready"
        case .rejecting: "rejecting connections"
        case .noResponse: "no response"
        case .noAttempt: "not attempted (unusable connection string)"
        case .authenticationFailed: "authentication failed"
        case .databaseMissing: "database missing"
        case .readOnly: "read-only"
        case .versionMismatch: "version too old"
        case .extensionMissing: "extension missing"
        case .timeout: "timed out"
        }
    }

    /// Whether waiting may help: a fatal outcome ends the probe at once.
    public var isRetryable: Bool {
        switch self {
        case .rejecting, .noResponse, .readOnly: return true
        case .ready, .noAttempt, .authenticationFailed, .databaseMissing,
            .versionMismatch, .extensionMissing, .timeout:
            return false
        }
    }
}

/// How far one attempt got. Every attempt runs all stages in order.
public enum ProbeStage: String, Sendable, Codable {
    /// Parsing the connection string.
    case conninfo
    /// `PQpingParams`: is a PostgreSQL server there and accepting connections?
    case ping
    /// Authenticated connection to the target database.
    case connect
    /// One round trip: `SELECT 1`, version, recovery, read-only, extensions.
    case query
    /// Minimum version, extensions, writability.
    case assertions
}

public enum ProbeClassification: String, Sendable, Codable {
    case none, retryable, fatal
}

/// Everything a caller (or `--output json`) needs to know about a probe run.
/// Messages are redacted: no password appears in any field.
public struct ProbeReport: Sendable, Codable, Equatable {
    public var outcome: ProbeOutcome
    /// The stage the last attempt reached (for `ready`, `assertions`).
    public var stage: ProbeStage
    /// `retryable` or `fatal` for the last failure, `none` when ready.
    public var classification: ProbeClassification
    /// For `timeout`: what the last attempt failed with.
    public var lastFailure: ProbeOutcome?
    public var sqlstate: String?
    public var message: String
    public var attempts: Int
    public var elapsedMilliseconds: Int
    /// `server_version_num`, once a round trip succeeded.
    public var serverVersion: Int?
    public var inRecovery: Bool?
    public var readOnly: Bool?
    /// The connection string with its password masked.
    public var connection: String

    public init(
        outcome: ProbeOutcome,
        stage: ProbeStage,
        classification: ProbeClassification,
        lastFailure: ProbeOutcome? = nil,
        sqlstate: String? = nil,
        message: String,
        attempts: Int,
        elapsedMilliseconds: Int,
        serverVersion: Int? = nil,
        inRecovery: Bool? = nil,
        readOnly: Bool? = nil,
        connection: String
    ) {
        self.outcome = outcome
        self.stage = stage
        self.classification = classification
        self.lastFailure = lastFailure
        self.sqlstate = sqlstate
        self.message = message
        self.attempts = attempts
        self.elapsedMilliseconds = elapsedMilliseconds
        self.serverVersion = serverVersion
        self.inRecovery = inRecovery
        self.readOnly = readOnly
        self.connection = connection
    }

}

extension ProbeReport {
    private enum CodingKeys: String, CodingKey {
        case outcome, stage, classification, lastFailure, sqlstate, message, attempts
        case elapsedMilliseconds, serverVersion, inRecovery, readOnly, connection
    }

    /// Every key is always written (null when unknown), so that JSON
    /// consumers see a stable shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(stage, forKey: .stage)
        try container.encode(classification, forKey: .classification)
        try container.encode(lastFailure, forKey: .lastFailure)
        try container.encode(sqlstate, forKey: .sqlstate)
        try container.encode(message, forKey: .message)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(elapsedMilliseconds, forKey: .elapsedMilliseconds)
        try container.encode(serverVersion, forKey: .serverVersion)
        try container.encode(inRecovery, forKey: .inRecovery)
        try container.encode(readOnly, forKey: .readOnly)
        try container.encode(connection, forKey: .connection)
    }
}
