import Foundation
import GRDB

/// A release put on a channel. Demotion hides it from customers but keeps it in history.
public struct PromotionRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var channelID: Int64
    public var channelSequence: Int64
    public var releaseSequence: Int64
    public var versionKey: String
    public var required: Bool
    public var demoted: Bool
    public var notes: String
    public var promotedAt: Date
    public var promotedBy: String
    public var demotedAt: Date?
    public var demotedBy: String?

    public init(
        id: Int64? = nil,
        channelID: Int64,
        channelSequence: Int64,
        releaseSequence: Int64,
        versionKey: String,
        required: Bool,
        demoted: Bool = false,
        notes: String,
        promotedAt: Date,
        promotedBy: String,
        demotedAt: Date? = nil,
        demotedBy: String? = nil
    ) {
        self.id = id
        self.channelID = channelID
        self.channelSequence = channelSequence
        self.releaseSequence = releaseSequence
        self.versionKey = versionKey
        self.required = required
        self.demoted = demoted
        self.notes = notes
        self.promotedAt = promotedAt
        self.promotedBy = promotedBy
        self.demotedAt = demotedAt
        self.demotedBy = demotedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, required, demoted, notes
        case channelID = "channel_id"
        case channelSequence = "channel_sequence"
        case releaseSequence = "release_sequence"
        case versionKey = "version_key"
        case promotedAt = "promoted_at"
        case promotedBy = "promoted_by"
        case demotedAt = "demoted_at"
        case demotedBy = "demoted_by"
    }
}

extension PromotionRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "promotion"

    public enum Columns {
        public static let channelID = Column(CodingKeys.channelID)
        public static let channelSequence = Column(CodingKeys.channelSequence)
        public static let releaseSequence = Column(CodingKeys.releaseSequence)
        public static let demoted = Column(CodingKeys.demoted)
        public static let demotedAt = Column(CodingKeys.demotedAt)
        public static let demotedBy = Column(CodingKeys.demotedBy)
        public static let required = Column(CodingKeys.required)
        public static let notes = Column(CodingKeys.notes)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
