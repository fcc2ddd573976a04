import Foundation
import GRDB
import LockstepCatalog
import LockstepVersioning

/// What the planner needs from the store for one question, read through indexes
/// so that the work grows with the number of steps, not with the channel's length.
public struct PlanningSlice: Sendable {
    public var channel: ChannelRecord
    /// Promotions of `channel` relevant to the path, in channel order.
    public var promotions: [PromotionView]
}

extension Catalog {
    /// - Parameters:
    ///   - target: `latest` or a version label.
    ///   - installedReleaseSequence / installedVersion: where the path starts, if anywhere.
    public func planningSlice(channel channelName: String, target: String, installedReleaseSequence: Int64?, installedVersion: String?) throws -> PlanningSlice {
        try store.database.read { db in
            let channel = try channel(db, named: channelName)
            let channelID = channel.id!
            let select = PromotionView.selectSQL
            var rows: [PromotionView] = []

            let targets: [PromotionView]
            if target == "latest" {
                targets = try latestLive(db, channel).map { [$0] } ?? []
            } else {
                let key = SemanticVersion(target)?.precedenceKey ?? "\u{0}"
                targets = try PromotionView.fetchAll(db, sql: select + " WHERE p.channel_id = ? AND p.demoted = 0 AND (r.version = ? OR p.version_key = ?)", arguments: [channelID, target, key])
            }
            guard let targetRow = targets.max(by: { ($0.versionKey, $0.channelSequence) < ($1.versionKey, $1.channelSequence) }) else {
                // Refusals name the nearest versions: read the whole channel.
                return PlanningSlice(channel: channel, promotions: try promotions(db, channelID: channelID))
            }
            rows += targets

            if let installedReleaseSequence {
                let own = try PromotionView.fetchAll(db, sql: select + " WHERE p.channel_id = ? AND p.release_sequence = ?", arguments: [channelID, installedReleaseSequence])
                rows += own
                if channel.semver {
                    let installedKey = installedVersion.flatMap { SemanticVersion($0)?.precedenceKey }
                    if let installedKey {
                        let (low, high) = installedKey < targetRow.versionKey ? (installedKey, targetRow.versionKey) : (targetRow.versionKey, installedKey)
                        rows += try PromotionView.fetchAll(db, sql: select + """
                             WHERE p.channel_id = ? AND p.demoted = 0 AND p.version_key IN (
                                SELECT version_key FROM promotion
                                WHERE channel_id = ? AND demoted = 0 AND required = 1 AND version_key > ? AND version_key <= ?)
                            """, arguments: [channelID, channelID, low, high])
                    }
                } else if let installedPosition = own.map(\.channelSequence).max() {
                    let low = min(installedPosition, targetRow.channelSequence), high = max(installedPosition, targetRow.channelSequence)
                    rows += try PromotionView.fetchAll(db, sql: select + " WHERE p.channel_id = ? AND p.demoted = 0 AND p.required = 1 AND p.channel_sequence > ? AND p.channel_sequence <= ?", arguments: [channelID, low, high])
                }
            }
            var seen = Set<Int64>()
            let unique = rows.filter { seen.insert($0.channelSequence).inserted }
            let ordered = unique.sorted { a, b in
                if channel.semver, a.versionKey != b.versionKey { return a.versionKey < b.versionKey }
                return a.channelSequence < b.channelSequence
            }
            return PlanningSlice(channel: channel, promotions: ordered)
        }
    }

    /// The installed release's promotions on its own channel (for the failed-required rule).
    public func promotions(ofRelease releaseSequence: Int64, onChannelID channelID: Int64) throws -> (ChannelRecord, [PromotionView]) {
        try store.database.read { db in
            let channel = try channel(db, id: channelID)
            let rows = try PromotionView.fetchAll(db, sql: PromotionView.selectSQL + " WHERE p.channel_id = ? AND p.release_sequence = ? ORDER BY p.channel_sequence", arguments: [channelID, releaseSequence])
            return (channel, rows)
        }
    }
}
