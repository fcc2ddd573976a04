import Foundation

/// What a caller records: the ledger assigns the id, the time, and the hashes,
/// fills operator and host when left nil, and masks `secrets` (plus any passed
/// to `append`) in the command, environment, log tail and message before storing.
public struct NewLedgerEntry: Sendable, Equatable {
    public var kind: LedgerKind
    public var event: LedgerEvent
    public var status: LedgerStatus
    /// Groups the rows of one upgrade (a UUID string).
    public var upgradeID: String?
    public var installation: String?
    public var channel: String?
    public var releaseSequence: Int64?
    public var releaseVersion: String?
    public var manifestSHA256: String?
    public var component: String?
    public var container: String?
    public var image: String?
    public var imageID: String?
    public var command: [String]?
    public var environment: [String: String]?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Computed from `startedAt` and `finishedAt` when nil and both are set.
    public var durationMs: Int64?
    public var exitCode: Int64?
    /// Only the last `Ledger.logTailLimit` bytes are kept.
    public var logTail: String?
    /// Defaults to `Operator.current`.
    public var operatorName: String?
    /// Defaults to this machine's host name.
    public var host: String?
    public var message: String?
    /// Values to mask; never stored.
    public var secrets: [String]

    public init(
        kind: LedgerKind,
        event: LedgerEvent,
        status: LedgerStatus,
        upgradeID: String? = nil,
        installation: String? = nil,
        channel: String? = nil,
        releaseSequence: Int64? = nil,
        releaseVersion: String? = nil,
        manifestSHA256: String? = nil,
        component: String? = nil,
        container: String? = nil,
        image: String? = nil,
        imageID: String? = nil,
        command: [String]? = nil,
        environment: [String: String]? = nil,
        startedAt: Date? = nil,
        finishedAt: Date? = nil,
        durationMs: Int64? = nil,
        exitCode: Int64? = nil,
        logTail: String? = nil,
        operatorName: String? = nil,
        host: String? = nil,
        message: String? = nil,
        secrets: [String] = []
    ) {
        self.kind = kind
        self.event = event
        self.status = status
        self.upgradeID = upgradeID
        self.installation = installation
        self.channel = channel
        self.releaseSequence = releaseSequence
        self.releaseVersion = releaseVersion
        self.manifestSHA256 = manifestSHA256
        self.component = component
        self.container = container
        self.image = image
        self.imageID = imageID
        self.command = command
        self.environment = environment
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationMs = durationMs
        self.exitCode = exitCode
        self.logTail = logTail
        self.operatorName = operatorName
        self.host = host
        self.message = message
        self.secrets = secrets
    }
}

/// Where, for rows that do not say (who: `Operator.current`, the store's one rule).
enum LedgerOrigin {
    static let host: String = ProcessInfo.processInfo.hostName
}
