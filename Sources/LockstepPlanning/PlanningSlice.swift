import Foundation
import GRDB
import LockstepCatalog
import LockstepPlanner
import LockstepVersioning

/// What the planner needs from the store for one question, read through indexes
/// so that the work grows with the number of steps, not with the channel's length.
public struct PlanningSlice: Sendable {
    public var channel: ChannelRecord
    /// Promotions of `channel` relevant to the path, in channel order, in the planner's terms.
    public var entries: [ChannelEntry]

    /// The slice as the planner's view of the channel.
    public var history: ChannelHistory { ChannelHistory(name: channel.name, semver: channel.semver, entries: entries) }
}

/// The columns of a promotion the planner reads, decoded by position: a long path reads
/// thousands of them, and the dates and channel name a `PromotionView` carries cost more
/// to decode than everything the planner needs.
enum PlanningRows {
    static let selectSQL = """
        SELECT r.version, p.version_key, p.release_sequence, p.channel_sequence, p.required, p.demoted, p.notes
        FROM promotion p
        JOIN release r ON r.sequence = p.release_sequence
        """

    static func fetch(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [ChannelEntry] {
        let statement = try db.cachedStatement(sql: selectSQL + " WHERE " + condition)
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var entries: [ChannelEntry] = []
        while let row = try rows.next() {
            entries.append(
                ChannelEntry(
                    version: row[0],
                    versionKey: row[1] as String,
                    releaseSequence: row[2],
                    channelSequence: row[3],
                    required: row[4],
                    demoted: row[5],
                    notes: row[6]
                )
            )
        }
        return entries
    }
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
            let semver = channel.semver

            // The target's own promotions decide which one rule 2 picks: every promotion of the
            // label (a demoted one is refused as demoted) and the live ones of equivalent versions.
            let targets: [ChannelEntry]
            if target == "latest" {
                targets = try latestLive(db, channel).map { [ChannelEntry($0)] } ?? []
            } else {
                let key = SemanticVersion(target)?.precedenceKey ?? "\u{0}"
                targets = try PlanningRows.fetch(
                    db,
                    where: "p.channel_id = ? AND (r.version = ? OR (p.demoted = 0 AND p.version_key = ?))",
                    arguments: [channelID, target, key]
                )
            }
            let targetHistory = ChannelHistory(name: channel.name, semver: semver, entries: targets)
            guard let resolved = Planner.resolvedTarget(PlanTarget(target), on: targetHistory),
                let targetRow = targets.first(where: { $0.channelSequence == resolved.channelSequence })
            else {
                // A refusal names the nearest versions: read the whole channel.
                let whole = try PlanningRows.fetch(db, where: "p.channel_id = ? ORDER BY p.channel_sequence", arguments: [channelID])
                return PlanningSlice(channel: channel, entries: whole)
            }
            var rows = targets

            if let installedReleaseSequence {
                let own = try PlanningRows.fetch(
                    db,
                    where: "p.channel_id = ? AND p.release_sequence = ?",
                    arguments: [channelID, installedReleaseSequence]
                )
                rows += own
                let installedPosition: ChannelPosition?
                if semver {
                    installedPosition = installedVersion.flatMap { SemanticVersion($0)?.precedenceKey }.map {
                        ChannelPosition(versionKey: $0, channelSequence: 0)
                    }
                } else {
                    installedPosition = own.map(\.channelSequence).max().map { ChannelPosition(versionKey: "", channelSequence: $0) }
                }
                if let installedPosition {
                    let window = PlanWindow(semver: semver, between: installedPosition, and: ChannelPosition(targetRow))
                    rows += try needed(db, channelID: channelID, window: window)
                }
            }
            var seen = Set<Int64>()
            let unique = rows.filter { seen.insert($0.channelSequence).inserted }
            return PlanningSlice(channel: channel, entries: unique.sorted { ChannelOrder.inOrder($0, $1, semver: semver) })
        }
    }

    /// The promotions `window` says a plan needs, read by index range; on a SemVer channel
    /// with every live promotion of the same versions.
    private func needed(_ db: Database, channelID: Int64, window: PlanWindow) throws -> [ChannelEntry] {
        if window.semver {
            let candidates = try PlanningRows.fetch(
                db,
                where: """
                    p.channel_id = ? AND p.demoted = 0 AND p.version_key IN (
                        SELECT version_key FROM promotion
                        WHERE channel_id = ? AND demoted = 0 AND required = 1 AND version_key > ? AND version_key <= ?)
                    """,
                arguments: [channelID, channelID, window.lower.versionKey, window.upper.versionKey]
            )
            let keys = Set(candidates.filter { window.needs($0) }.map(\.versionKey))
            return candidates.filter { keys.contains($0.versionKey) }
        }
        let candidates = try PlanningRows.fetch(
            db,
            where: "p.channel_id = ? AND p.demoted = 0 AND p.required = 1 AND p.channel_sequence > ? AND p.channel_sequence <= ?",
            arguments: [channelID, window.lower.channelSequence, window.upper.channelSequence]
        )
        return candidates.filter { window.needs($0) }
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
