import Foundation
import GRDB

/// A promotion joined with its release and channel: what `channel show` prints
/// and what the planner reads.
public struct PromotionView: Sendable, Equatable {
    public var channel: String
    public var channelSequence: Int64
    public var releaseSequence: Int64
    public var version: String
    public var versionKey: String
    public var required: Bool
    public var demoted: Bool
    public var notes: String
    public var promotedAt: Date
    public var promotedBy: String
    public var demotedAt: Date?

    package static let selectSQL = """
        SELECT c.name AS channel, p.channel_sequence, p.release_sequence, r.version, p.version_key, p.required, p.demoted,
               p.notes, p.promoted_at, p.promoted_by, p.demoted_at
        FROM promotion p
        JOIN release r ON r.sequence = p.release_sequence
        JOIN channel c ON c.id = p.channel_id
        """
}

extension PromotionView: FetchableRecord {
    /// Decoded by column position rather than through Codable: planning reads
    /// thousands of these and the generic decoder dominated its time.
    public init(row: Row) throws {
        channel = row[0]
        channelSequence = row[1]
        releaseSequence = row[2]
        version = row[3]
        versionKey = row[4]
        required = row[5]
        demoted = row[6]
        notes = row[7]
        promotedAt = row[8]
        promotedBy = row[9]
        demotedAt = row[10]
    }
}
