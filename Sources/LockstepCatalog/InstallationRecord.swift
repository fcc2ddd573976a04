import Foundation
import GRDB

/// A customer's running copy of the application.
public struct InstallationRecord: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CustomStringConvertible {
        /// Known, nothing deployed yet.
        case new
        /// Its last deploy succeeded.
        case deployed
        /// Its last deploy failed.
        case failed

        public var description: String { rawValue }
    }

    public var name: String
    public var channelID: Int64
    public var releaseSequence: Int64?
    public var status: Status
    public var nodeAddress: String
    public var network: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        name: String,
        channelID: Int64,
        releaseSequence: Int64?,
        status: Status,
        nodeAddress: String = "127.0.0.1",
        network: String = "bridge",
        createdAt: Date,
        updatedAt: Date
    ) {
        self.name = name
        self.channelID = channelID
        self.releaseSequence = releaseSequence
        self.status = status
        self.nodeAddress = nodeAddress
        self.network = network
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, status, network
        case channelID = "channel_id"
        case releaseSequence = "release_sequence"
        case nodeAddress = "node_address"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension InstallationRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "installation"

    public enum Columns {
        public static let name = Column(CodingKeys.name)
    }
}

/// One attempt to deploy a release to an installation; the planner reads these
/// for failed required releases and for downgrades past deployed required releases.
public struct DeploymentRecord: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CustomStringConvertible {
        case succeeded, failed

        public var description: String { rawValue }
    }

    public var id: Int64?
    public var installation: String
    public var releaseSequence: Int64
    public var channelID: Int64
    public var required: Bool
    public var status: Status
    public var source: String
    public var at: Date

    public init(
        id: Int64? = nil,
        installation: String,
        releaseSequence: Int64,
        channelID: Int64,
        required: Bool,
        status: Status,
        source: String,
        at: Date
    ) {
        self.id = id
        self.installation = installation
        self.releaseSequence = releaseSequence
        self.channelID = channelID
        self.required = required
        self.status = status
        self.source = source
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case id, installation, required, status, source, at
        case releaseSequence = "release_sequence"
        case channelID = "channel_id"
    }
}

extension DeploymentRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "deployment"

    public enum Columns {
        public static let installation = Column(CodingKeys.installation)
        public static let id = Column(CodingKeys.id)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
