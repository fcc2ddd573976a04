import Foundation

/// One ledger row, exactly as stored and hashed. Times are the stored text
/// (`LedgerTimestamp`), `command` and `environment` the stored JSON text, so an
/// export of these values lets an auditor recompute every hash.
public struct LedgerEntry: Codable, Sendable, Equatable, Identifiable {
    /// The row number auditors cite; 1, 2, 3, … without gaps.
    public var id: Int64
    public var recordedAt: String
    public var kind: LedgerKind
    public var event: LedgerEvent
    public var upgradeID: String?
    public var installation: String?
    public var channel: String?
    public var releaseSequence: Int64?
    public var releaseVersion: String?
    public var manifestSHA256: String?
    public var component: String?
    public var container: String?
    /// The image reference as the manifest names it.
    public var image: String?
    /// The engine's image ID the reference resolved to.
    public var imageID: String?
    /// JSON array of the argument vector, secrets masked.
    public var command: String?
    /// JSON object of the environment, secrets masked.
    public var environment: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var durationMs: Int64?
    public var exitCode: Int64?
    public var status: LedgerStatus
    /// The last part of the container's logs, secrets masked.
    public var logTail: String?
    /// The user who ran lockstep.
    public var operatorName: String
    public var host: String
    public var message: String?
    public var previousHash: String
    public var rowHash: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, event, installation, channel, component, container, image, command, environment, status, host, message
        case recordedAt = "recorded_at"
        case upgradeID = "upgrade_id"
        case releaseSequence = "release_sequence"
        case releaseVersion = "release_version"
        case manifestSHA256 = "manifest_sha256"
        case imageID = "image_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationMs = "duration_ms"
        case exitCode = "exit_code"
        case logTail = "log_tail"
        case operatorName = "operator"
        case previousHash = "previous_hash"
        case rowHash = "row_hash"
    }

    /// Column names in storage and hashing order; `row_hash` last, not hashed.
    public static let columnNames: [String] = [
        "id", "recorded_at", "kind", "event", "upgrade_id", "installation", "channel",
        "release_sequence", "release_version", "manifest_sha256", "component", "container",
        "image", "image_id", "command", "environment", "started_at", "finished_at",
        "duration_ms", "exit_code", "status", "log_tail", "operator", "host", "message",
        "previous_hash", "row_hash",
    ]

    /// The values `row_hash` covers, as text (integers in decimal), in `columnNames` order.
    public var hashedFields: [String?] {
        [
            String(id), recordedAt, kind.rawValue, event.rawValue, upgradeID, installation, channel,
            releaseSequence.map { String($0) }, releaseVersion, manifestSHA256, component, container,
            image, imageID, command, environment, startedAt, finishedAt,
            durationMs.map { String($0) }, exitCode.map { String($0) }, status.rawValue, logTail,
            operatorName, host, message, previousHash,
        ]
    }

    /// Every column as text, in `columnNames` order (for CSV and tables).
    public var columnValues: [String?] {
        hashedFields + [rowHash]
    }

    /// Decoded `command`, when it is a JSON array of strings.
    public var commandArguments: [String]? {
        command.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
    }

    /// Decoded `environment`, when it is a JSON object of strings.
    public var environmentVariables: [String: String]? {
        environment.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    }

    /// Writes every field, nulls included, so an export shows absent values explicitly.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(recordedAt, forKey: .recordedAt)
        try container.encode(kind, forKey: .kind)
        try container.encode(event, forKey: .event)
        try container.encode(upgradeID, forKey: .upgradeID)
        try container.encode(installation, forKey: .installation)
        try container.encode(channel, forKey: .channel)
        try container.encode(releaseSequence, forKey: .releaseSequence)
        try container.encode(releaseVersion, forKey: .releaseVersion)
        try container.encode(manifestSHA256, forKey: .manifestSHA256)
        try container.encode(component, forKey: .component)
        try container.encode(self.container, forKey: .container)
        try container.encode(image, forKey: .image)
        try container.encode(imageID, forKey: .imageID)
        try container.encode(command, forKey: .command)
        try container.encode(environment, forKey: .environment)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(status, forKey: .status)
        try container.encode(logTail, forKey: .logTail)
        try container.encode(operatorName, forKey: .operatorName)
        try container.encode(host, forKey: .host)
        try container.encode(message, forKey: .message)
        try container.encode(previousHash, forKey: .previousHash)
        try container.encode(rowHash, forKey: .rowHash)
    }
}
