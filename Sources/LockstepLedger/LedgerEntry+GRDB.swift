import GRDB

extension LedgerEntry: FetchableRecord, TableRecord {
    public static let databaseTableName = "ledger_entry"

    public enum Columns {
        public static let id = Column("id")
        public static let recordedAt = Column("recorded_at")
        public static let kind = Column("kind")
        public static let event = Column("event")
        public static let upgradeID = Column("upgrade_id")
        public static let installation = Column("installation")
        public static let channel = Column("channel")
        public static let releaseSequence = Column("release_sequence")
        public static let releaseVersion = Column("release_version")
        public static let manifestSHA256 = Column("manifest_sha256")
        public static let component = Column("component")
        public static let container = Column("container")
        public static let image = Column("image")
        public static let imageID = Column("image_id")
        public static let command = Column("command")
        public static let environment = Column("environment")
        public static let startedAt = Column("started_at")
        public static let finishedAt = Column("finished_at")
        public static let durationMs = Column("duration_ms")
        public static let exitCode = Column("exit_code")
        public static let status = Column("status")
        public static let logTail = Column("log_tail")
        public static let operatorName = Column("operator")
        public static let host = Column("host")
        public static let message = Column("message")
        public static let previousHash = Column("previous_hash")
        public static let rowHash = Column("row_hash")
    }

    /// Reads by position: queries select `columnNames` in order (faster than by name on big lists).
    public init(row: Row) throws {
        id = try row.decode(Int64.self, atIndex: 0)
        recordedAt = try row.decode(String.self, atIndex: 1)
        kind = LedgerKind(rawValue: try row.decode(String.self, atIndex: 2)) ?? .run
        event = LedgerEvent(rawValue: try row.decode(String.self, atIndex: 3))
        upgradeID = try row.decode(String?.self, atIndex: 4)
        installation = try row.decode(String?.self, atIndex: 5)
        channel = try row.decode(String?.self, atIndex: 6)
        releaseSequence = try row.decode(Int64?.self, atIndex: 7)
        releaseVersion = try row.decode(String?.self, atIndex: 8)
        manifestSHA256 = try row.decode(String?.self, atIndex: 9)
        component = try row.decode(String?.self, atIndex: 10)
        container = try row.decode(String?.self, atIndex: 11)
        image = try row.decode(String?.self, atIndex: 12)
        imageID = try row.decode(String?.self, atIndex: 13)
        command = try row.decode(String?.self, atIndex: 14)
        environment = try row.decode(String?.self, atIndex: 15)
        startedAt = try row.decode(String?.self, atIndex: 16)
        finishedAt = try row.decode(String?.self, atIndex: 17)
        durationMs = try row.decode(Int64?.self, atIndex: 18)
        exitCode = try row.decode(Int64?.self, atIndex: 19)
        status = LedgerStatus(rawValue: try row.decode(String.self, atIndex: 20))
        logTail = try row.decode(String?.self, atIndex: 21)
        operatorName = try row.decode(String.self, atIndex: 22)
        host = try row.decode(String.self, atIndex: 23)
        message = try row.decode(String?.self, atIndex: 24)
        previousHash = try row.decode(String.self, atIndex: 25)
        rowHash = try row.decode(String.self, atIndex: 26)
    }

    static let selectList = columnNames.joined(separator: ", ")
    static let insertSQL =
        "INSERT INTO ledger_entry (\(selectList)) VALUES (\(Array(repeating: "?", count: columnNames.count).joined(separator: ", ")))"

    var insertArguments: StatementArguments {
        StatementArguments(
            [
                id, recordedAt, kind.rawValue, event.rawValue, upgradeID, installation, channel,
                releaseSequence, releaseVersion, manifestSHA256, component, container,
                image, imageID, command, environment, startedAt, finishedAt,
                durationMs, exitCode, status.rawValue, logTail, operatorName, host, message,
                previousHash, rowHash,
            ] as [(any DatabaseValueConvertible)?]
        )
    }
}
