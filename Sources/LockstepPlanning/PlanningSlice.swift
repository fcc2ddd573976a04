import Foundation
import GRDB
import LockstepCatalog
import LockstepPlanner
import LockstepVersioning

/// What the planner needs from the store for one question, read through indexes
/// so that the work grows with the number of steps, not with the channel's length.
public struct PlanningSlice: Sendable {
    public var channel: ChannelRecord
    /// Promotions of `channel` relevant to the path, in channel order.
    public var promotions: [PromotionView]
}

extension Catalog {
    /// The target's promotions, the installed release's own, and what the planner's
    /// `PlanWindow` between the two says a plan needs; the whole channel when the planner
    /// would refuse the target (a refusal names the nearest versions).
    ///
    /// - Parameters:
    ///   - target: `latest` or a version label.
    ///   - installedReleaseSequence / installedVersion: where the path starts, if anywhere.
    public func planningSlice(
        channel channelName: String,
        target: String,
        installedReleaseSequence: Int64?,
        installedVersion: String?
    ) throws -> PlanningSlice {
        try read { db in
            let channel = try channel(db, named: channelName)
            let channelID = channel.id!
            let select = PromotionView.selectSQL
            let inOrder = { (a: PromotionView, b: PromotionView) in ChannelOrder.inOrder(ChannelEntry(a), ChannelEntry(b), semver: channel.semver) }

            // The target's own promotions decide which one rule 2 picks: every promotion of the
            // label (a demoted one is refused as demoted) and the live ones of equivalent versions.
            let targets: [PromotionView]
            if target == "latest" {
                targets = try latestLive(db, channel).map { [$0] } ?? []
            } else {
                let key = SemanticVersion(target)?.precedenceKey ?? "\u{0}"
                targets = try PromotionView.fetchAll(
                    db,
                    sql: select + " WHERE p.channel_id = ? AND (r.version = ? OR (p.demoted = 0 AND p.version_key = ?))",
                    arguments: [channelID, target, key]
                )
            }
            guard let resolved = Planner.resolvedTarget(PlanTarget(target), on: ChannelHistory(channel, promotions: targets)),
                let targetRow = targets.first(where: { $0.channelSequence == resolved.channelSequence })
            else {
                // A refusal names the nearest versions: read the whole channel.
                return PlanningSlice(channel: channel, promotions: try promotions(db, channelID: channelID))
            }
            var rows = targets

            if let installedReleaseSequence {
                let own = try PromotionView.fetchAll(
                    db,
                    sql: select + " WHERE p.channel_id = ? AND p.release_sequence = ?",
                    arguments: [channelID, installedReleaseSequence]
                )
                rows += own
                let installedPosition: ChannelPosition?
                if channel.semver {
                    installedPosition = installedVersion.flatMap { SemanticVersion($0)?.precedenceKey }.map {
                        ChannelPosition(versionKey: $0, channelSequence: 0)
                    }
                } else {
                    installedPosition = own.map(\.channelSequence).max().map { ChannelPosition(versionKey: "", channelSequence: $0) }
                }
                if let installedPosition {
                    let window = PlanWindow(semver: channel.semver, between: installedPosition, and: ChannelPosition(ChannelEntry(targetRow)))
                    rows += try needed(db, channelID: channelID, window: window)
                }
            }
            var seen = Set<Int64>()
            let unique = rows.filter { seen.insert($0.channelSequence).inserted }
            return PlanningSlice(channel: channel, promotions: unique.sorted(by: inOrder))
        }
    }

    /// The promotions `window` says a plan needs, read by index range; on a SemVer channel
    /// with every live promotion of the same versions.
    private func needed(_ db: Database, channelID: Int64, window: PlanWindow) throws -> [PromotionView] {
        let select = PromotionView.selectSQL
        if window.semver {
            let candidates = try PromotionView.fetchAll(
                db,
                sql: select + """
                     WHERE p.channel_id = ? AND p.demoted = 0 AND p.version_key IN (
                        SELECT version_key FROM promotion
                        WHERE channel_id = ? AND demoted = 0 AND required = 1 AND version_key > ? AND version_key <= ?)
                    """,
                arguments: [channelID, channelID, window.lower.versionKey, window.upper.versionKey]
            )
            let keys = Set(candidates.filter { window.needs(ChannelEntry($0)) }.map(\.versionKey))
            return candidates.filter { keys.contains($0.versionKey) }
        }
        let candidates = try PromotionView.fetchAll(
            db,
            sql: select + " WHERE p.channel_id = ? AND p.demoted = 0 AND p.required = 1 AND p.channel_sequence > ? AND p.channel_sequence <= ?",
            arguments: [channelID, window.lower.channelSequence, window.upper.channelSequence]
        )
        return candidates.filter { window.needs(ChannelEntry($0)) }
    }

    /// The installed release's promotions on its own channel (for the failed-required rule).
    public func promotions(ofRelease releaseSequence: Int64, onChannelID channelID: Int64) throws -> (ChannelRecord, [PromotionView]) {
        try read { db in
            let channel = try channel(db, id: channelID)
            let rows = try PromotionView.fetchAll(
                db,
                sql: PromotionView.selectSQL + " WHERE p.channel_id = ? AND p.release_sequence = ? ORDER BY p.channel_sequence",
                arguments: [channelID, releaseSequence]
            )
            return (channel, rows)
        }
    }
}
