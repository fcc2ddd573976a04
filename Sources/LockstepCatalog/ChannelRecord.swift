import Foundation
import GRDB

/// A named stream of releases, ordered by SemVer precedence or by promotion order.
public struct ChannelRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var name: String
    public var description: String
    public var semver: Bool
    public var archived: Bool
    public var createdAt: Date

    public init(id: Int64? = nil, name: String, description: String = "", semver: Bool = true, archived: Bool = false, createdAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.semver = semver
        self.archived = archived
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, semver, archived
        case createdAt = "created_at"
    }
}

extension ChannelRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "channel"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
        public static let archived = Column(CodingKeys.archived)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
