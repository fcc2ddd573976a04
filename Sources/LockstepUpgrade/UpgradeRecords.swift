import Foundation
import GRDB
import LockstepPlanner

/// One invocation of `upgrade`: its plan's target and how it ended.
public struct UpgradeRecord: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CustomStringConvertible {
        case running, succeeded, failed

        public var description: String { rawValue }
    }

    public var id: String
    public var installation: String
    public var channelID: Int64
    public var target: String
    public var kind: PlanKind
    public var status: Status
    public var failure: String?
    public var operatorName: String
    public var host: String
    public var startedAt: Date
    public var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, installation, target, kind, status, failure, host
        case channelID = "channel_id"
        case operatorName = "operator"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

extension UpgradeRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "upgrade"

    public enum Columns {
        public static let installation = Column(CodingKeys.installation)
        public static let status = Column(CodingKeys.status)
        public static let startedAt = Column(CodingKeys.startedAt)
    }
}

/// One step of an upgrade's path, journaled before and after every action.
public struct UpgradeStepRecord: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case pending, running, succeeded, failed
    }

    public var upgradeID: String
    public var position: Int
    public var releaseSequence: Int64
    public var version: String
    public var channelSequence: Int64
    public var required: Bool
    public var state: State
    public var runID: String
    public var failure: String?
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case position, version, required, state, failure
        case upgradeID = "upgrade_id"
        case releaseSequence = "release_sequence"
        case channelSequence = "channel_sequence"
        case runID = "run_id"
        case updatedAt = "updated_at"
    }
}

extension UpgradeStepRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "upgrade_step"

    public enum Columns {
        public static let upgradeID = Column(CodingKeys.upgradeID)
        public static let position = Column(CodingKeys.position)
    }
}
