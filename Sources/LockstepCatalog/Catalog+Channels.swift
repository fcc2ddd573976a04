import Foundation
import GRDB
import LockstepVersioning

/// Picks one promotion on a channel, the way vendors name it.
public enum PromotionSelector: Sendable, Equatable, CustomStringConvertible {
    case version(String)
    case channelSequence(Int64)

    public var description: String {
        switch self {
        case .version(let version): return version
        case .channelSequence(let sequence): return "channel sequence \(sequence)"
        }
    }
}

extension Catalog {
    public func createChannel(name: String, description: String = "", semver: Bool = true) throws -> ChannelRecord {
        try Self.checkChannelName(name)
        return try write { db in
            if try ChannelRecord.filter(ChannelRecord.Columns.name == name).fetchOne(db) != nil {
                throw CatalogError.duplicateChannel(name)
            }
            var channel = ChannelRecord(name: name, description: description, semver: semver, createdAt: Date())
            try channel.insert(db)
            return channel
        }
    }

    public func channels(includeArchived: Bool = false) throws -> [ChannelRecord] {
        try read { db in
            var request = ChannelRecord.order(ChannelRecord.Columns.id)
            if !includeArchived { request = request.filter(ChannelRecord.Columns.archived == false) }
            return try request.fetchAll(db)
        }
    }

    public func channel(named name: String) throws -> ChannelRecord {
        try read { db in try channel(db, named: name) }
    }

    /// The channel an installation or upgrade refers to by id (archived ones included).
    public func channel(id: Int64) throws -> ChannelRecord {
        try read { db in try channel(db, id: id) }
    }

    package func channel(_ db: Database, id: Int64) throws -> ChannelRecord {
        guard let channel = try ChannelRecord.fetchOne(db, key: id) else {
            throw CatalogError.channelNotFound("#\(id)", known: [])
        }
        return channel
    }

    /// The highest live release of a channel, read through its index.
    public func latestLivePromotion(onChannel name: String) throws -> PromotionView? {
        try read { db in try latestLive(db, channel(db, named: name)) }
    }

    public func liveCount(onChannelID channelID: Int64) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM promotion WHERE channel_id = ? AND demoted = 0", arguments: [channelID]) ?? 0
        }
    }

    package func latestLive(_ db: Database, _ channel: ChannelRecord) throws -> PromotionView? {
        let order = channel.semver ? "p.version_key DESC, p.channel_sequence DESC" : "p.channel_sequence DESC"
        let filter = channel.semver ? " AND p.version_key != ''" : ""
        return try PromotionView.fetchOne(
            db,
            sql: PromotionView.selectSQL + " WHERE p.channel_id = ? AND p.demoted = 0\(filter) ORDER BY \(order) LIMIT 1",
            arguments: [channel.id]
        )
    }

    package func channel(_ db: Database, named name: String) throws -> ChannelRecord {
        if let channel = try ChannelRecord.filter(ChannelRecord.Columns.name == name).fetchOne(db) {
            return channel
        }
        let known = try String.fetchAll(db, sql: "SELECT name FROM channel WHERE archived = 0 ORDER BY id")
        throw CatalogError.channelNotFound(name, known: known)
    }

    /// A channel's promotions in channel-sequence order, demoted ones included.
    public func promotions(onChannel name: String) throws -> [PromotionView] {
        try read { db in
            let channel = try channel(db, named: name)
            return try promotions(db, channelID: channel.id!)
        }
    }

    package func promotions(_ db: Database, channelID: Int64) throws -> [PromotionView] {
        try PromotionView.fetchAll(db, sql: PromotionView.selectSQL + " WHERE p.channel_id = ? ORDER BY p.channel_sequence", arguments: [channelID])
    }

    @discardableResult
    public func promote(channel channelName: String, release reference: String, required: Bool, notes: String? = nil) throws -> PromotionView {
        try write { db in
            let release = try release(db, reference)
            return try promote(db, channelName: channelName, release: release, required: required, notes: notes ?? release.notes)
        }
    }

    func promote(
        _ db: Database,
        channelName: String,
        release: ReleaseRecord,
        required: Bool,
        notes: String,
        at date: Date = Date(),
        demoted: Bool = false
    ) throws -> PromotionView {
        let channel = try channel(db, named: channelName)
        try requireLocal(db, channel)
        guard !channel.archived else { throw CatalogError.channelArchived(channel.name) }
        if channel.semver {
            do {
                _ = try SemanticVersion.parse(release.version)
            } catch {
                throw CatalogError.invalidVersion(channel: channel.name, reason: error.description)
            }
        }
        // Labels are unique vendor-wide, so "this version on this channel" is "this release on this channel".
        let existing = try PromotionView.fetchOne(
            db,
            sql: PromotionView.selectSQL + " WHERE p.release_sequence = ? AND p.channel_id = ? LIMIT 1",
            arguments: [release.sequence, channel.id]
        )
        if let existing {
            throw CatalogError.duplicateOnChannel(
                version: release.version,
                channel: channel.name,
                channelSequence: existing.channelSequence,
                demoted: existing.demoted
            )
        }
        let next =
            try Int64.fetchOne(
                db,
                sql: "SELECT channel_sequence + 1 FROM promotion WHERE channel_id = ? ORDER BY channel_sequence DESC LIMIT 1",
                arguments: [channel.id]
            ) ?? 1
        var promotion = PromotionRecord(
            channelID: channel.id!,
            channelSequence: next,
            releaseSequence: release.sequence!,
            versionKey: release.versionKey,
            required: required,
            demoted: demoted,
            notes: notes,
            promotedAt: date,
            promotedBy: actor,
            demotedAt: demoted ? date : nil,
            demotedBy: demoted ? actor : nil
        )
        try promotion.insert(db)
        return PromotionView(
            channel: channel.name,
            channelSequence: next,
            releaseSequence: release.sequence!,
            version: release.version,
            versionKey: release.versionKey,
            required: required,
            demoted: demoted,
            notes: notes,
            promotedAt: date,
            promotedBy: actor,
            demotedAt: promotion.demotedAt
        )
    }

    /// Hides a promotion from customers; it stays in history. Returns it as it now is.
    @discardableResult
    public func demote(channel channelName: String, _ selector: PromotionSelector) throws -> PromotionView {
        try setDemoted(true, channel: channelName, selector)
    }

    /// Restores a demoted promotion in place, with its channel sequence and required flag.
    @discardableResult
    public func undemote(channel channelName: String, _ selector: PromotionSelector) throws -> PromotionView {
        try setDemoted(false, channel: channelName, selector)
    }

    private func setDemoted(_ demoted: Bool, channel channelName: String, _ selector: PromotionSelector) throws -> PromotionView {
        try write { db in
            var (promotion, channel) = try promotionRecord(db, channel: channelName, selector)
            try requireLocal(db, channel)
            guard promotion.demoted != demoted else {
                throw CatalogError.alreadyInState("\(selector) on \(channel.name) is already \(demoted ? "demoted" : "live")")
            }
            promotion.demoted = demoted
            promotion.demotedAt = demoted ? Date() : nil
            promotion.demotedBy = demoted ? actor : nil
            try promotion.update(db)
            return try promotionView(db, id: promotion.id!)
        }
    }

    /// Sets or clears the required flag of a live promotion (rule 4: clearing it frees a failed install).
    @discardableResult
    public func setRequired(_ required: Bool, channel channelName: String, _ selector: PromotionSelector) throws -> PromotionView {
        try write { db in
            var (promotion, channel) = try promotionRecord(db, channel: channelName, selector)
            try requireLocal(db, channel)
            guard promotion.required != required else {
                throw CatalogError.alreadyInState("\(selector) on \(channel.name) is already \(required ? "required" : "not required")")
            }
            promotion.required = required
            try promotion.update(db)
            return try promotionView(db, id: promotion.id!)
        }
    }

    public func archive(channel channelName: String) throws -> ChannelRecord {
        try write { db in
            var channel = try channel(db, named: channelName)
            try requireLocal(db, channel)
            guard !channel.archived else { throw CatalogError.alreadyInState("channel \(channel.name) is already archived") }
            channel.archived = true
            try channel.update(db)
            return channel
        }
    }

    private func promotionRecord(
        _ db: Database,
        channel channelName: String,
        _ selector: PromotionSelector
    ) throws -> (PromotionRecord, ChannelRecord) {
        let channel = try channel(db, named: channelName)
        let record: PromotionRecord?
        switch selector {
        case .channelSequence(let sequence):
            record = try PromotionRecord.filter(
                PromotionRecord.Columns.channelID == channel.id && PromotionRecord.Columns.channelSequence == sequence
            ).fetchOne(db)
        case .version(let version):
            record = try PromotionRecord.fetchOne(
                db,
                sql: """
                    SELECT p.* FROM promotion p
                    WHERE p.release_sequence = (SELECT sequence FROM release WHERE version = ?) AND p.channel_id = ? LIMIT 1
                    """,
                arguments: [version, channel.id]
            )
        }
        guard let record else { throw CatalogError.promotionNotFound(channel: channel.name, selector: selector.description) }
        return (record, channel)
    }

    private func promotionView(_ db: Database, id: Int64) throws -> PromotionView {
        try PromotionView.fetchOne(db, sql: PromotionView.selectSQL + " WHERE p.id = ?", arguments: [id])!
    }
}

extension Catalog {
    /// The one rule for channel names, for `channel create` and `catalog import` alike.
    static func checkChannelName(_ name: String) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw CatalogError.invalidName(name, reason: "channel names use letters, digits, '-', '_' and '.'")
        }
    }
}
