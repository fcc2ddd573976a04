import Foundation
import GRDB

extension Catalog {
    public static func mirroredName(remote: String, channel: String) -> String { "\(remote)/\(channel)" }

    public func addRemote(name: String, location: String, root: Data) throws -> RemoteRecord {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw CatalogError.invalidName(name, reason: "remote names use letters, digits, '-', '_' and '.'")
        }
        return try store.database.write { db in
            if try RemoteRecord.fetchOne(db, key: name) != nil {
                throw CatalogError.alreadyInState("remote \"\(name)\" already exists; `lockstep remote rm \(name)` first to trust a new root")
            }
            let remote = RemoteRecord(name: name, location: location, trustedMetadata: ["root": root])
            try remote.insert(db)
            return remote
        }
    }

    public func remotes() throws -> [RemoteRecord] {
        try store.database.read { db in try RemoteRecord.order(Column("name")).fetchAll(db) }
    }

    public func remote(named name: String) throws -> RemoteRecord {
        try store.database.read { db in try remote(db, named: name) }
    }

    func remote(_ db: Database, named name: String) throws -> RemoteRecord {
        guard let remote = try RemoteRecord.fetchOne(db, key: name) else {
            throw CatalogError.remoteNotFound(name)
        }
        return remote
    }

    /// Forgets a remote; its channels are archived (promotions are history, never deleted).
    public func removeRemote(named name: String) throws {
        try store.database.write { db in
            let remote = try remote(db, named: name)
            try db.execute(
                sql: "UPDATE channel SET archived = 1 WHERE id IN (SELECT channel_id FROM remote_channel WHERE remote = ?)",
                arguments: [remote.name]
            )
            try db.execute(sql: "DELETE FROM remote_channel WHERE remote = ?", arguments: [remote.name])
            _ = try RemoteRecord.deleteOne(db, key: remote.name)
        }
    }

    /// The remote a channel mirrors, or nil for the store's own channels.
    public func mirrorRemote(ofChannelID id: Int64) throws -> String? {
        try store.database.read { db in try mirrorRemote(db, channelID: id) }
    }

    func mirrorRemote(_ db: Database, channelID: Int64?) throws -> String? {
        guard let channelID else { return nil }
        return try String.fetchOne(db, sql: "SELECT remote FROM remote_channel WHERE channel_id = ?", arguments: [channelID])
    }

    /// Mirrored channels change only through `sync`.
    func requireLocal(_ db: Database, _ channel: ChannelRecord) throws {
        if let remote = try mirrorRemote(db, channelID: channel.id) {
            throw CatalogError.mirroredChannel(channel.name, remote: remote)
        }
    }

    /// The manifest digests the store already holds, so a sync downloads only new ones.
    public func knownManifestDigests() throws -> Set<String> {
        try store.database.read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT manifest_sha256 FROM release")) }
    }

    /// Replaces a remote's mirror with what a verified sync brought, in one transaction:
    /// new promotions added, ones the vendor no longer lists demoted, flags updated, the
    /// trusted metadata and version floors stored. A refusal writes nothing.
    public func replaceMirror(
        remote name: String,
        channels: [MirroredChannel],
        manifests: [String: String],
        trusted: [String: Data],
        versions: MirrorVersions,
        at date: Date = Date(),
        archivingOthers: Bool = true
    ) throws {
        try store.database.write { db in
            var remote = try remote(db, named: name)
            let floors = [
                ("root", remote.rootVersion, versions.root), ("timestamp", remote.timestampVersion, versions.timestamp),
                ("snapshot", remote.snapshotVersion, versions.snapshot), ("targets", remote.targetsVersion, versions.targets),
            ]
            for (role, floor, version) in floors where version < floor {
                throw CatalogError.alreadyInState("rollback of \(role) from version \(floor) to \(version) refused")
            }
            var releases = [String: MirrorRelease]()
            let rows = try Row.fetchCursor(db, sql: "SELECT sequence, version, version_key, manifest_sha256 FROM release")
            while let row = try rows.next() {
                releases[row["version"]] = MirrorRelease(
                    sequence: row["sequence"],
                    versionKey: row["version_key"],
                    manifestSHA256: row["manifest_sha256"]
                )
            }
            var seen = Set<Int64>()
            for mirrored in channels {
                let channel = try mirrorChannel(db, remote: remote.name, mirrored)
                seen.insert(channel.id!)
                try replacePromotions(
                    db,
                    channel: channel,
                    mirrored,
                    releases: &releases,
                    manifests: manifests,
                    at: date,
                    by: "remote \(remote.name)"
                )
            }
            let owned = try Int64.fetchAll(db, sql: "SELECT channel_id FROM remote_channel WHERE remote = ?", arguments: [remote.name])
            // A bundle carries one channel: the remote's other mirrors stay as they are.
            for id in owned where archivingOthers && !seen.contains(id) {
                try db.execute(sql: "UPDATE channel SET archived = 1 WHERE id = ?", arguments: [id])
            }
            remote.trustedMetadata = RemoteRecord.encode(trusted)
            remote.rootVersion = versions.root
            remote.timestampVersion = versions.timestamp
            remote.snapshotVersion = versions.snapshot
            remote.targetsVersion = versions.targets
            remote.syncedAt = date
            try remote.update(db)
        }
    }

    /// Only the trusted metadata and floors: a sync that found nothing new.
    public func recordSync(remote name: String, trusted: [String: Data], versions: MirrorVersions, at date: Date = Date()) throws {
        try store.database.write { db in
            var remote = try remote(db, named: name)
            remote.trustedMetadata = RemoteRecord.encode(trusted)
            remote.rootVersion = max(remote.rootVersion, versions.root)
            remote.timestampVersion = max(remote.timestampVersion, versions.timestamp)
            remote.syncedAt = date
            try remote.update(db)
        }
    }

    private func mirrorChannel(_ db: Database, remote: String, _ mirrored: MirroredChannel) throws -> ChannelRecord {
        let name = Self.mirroredName(remote: remote, channel: mirrored.name)
        if var channel = try ChannelRecord.filter(ChannelRecord.Columns.name == name).fetchOne(db) {
            guard try mirrorRemote(db, channelID: channel.id) == remote || channel.archived else {
                throw CatalogError.duplicateChannel(name)
            }
            if channel.archived || channel.semver != mirrored.semver {
                channel.archived = false
                channel.semver = mirrored.semver
                try channel.update(db)
            }
            try db.execute(sql: "INSERT OR REPLACE INTO remote_channel (channel_id, remote) VALUES (?, ?)", arguments: [channel.id, remote])
            return channel
        }
        var channel = ChannelRecord(
            name: name,
            description: "mirror of \(mirrored.name) from remote \(remote)",
            semver: mirrored.semver,
            createdAt: Date()
        )
        try channel.insert(db)
        try db.execute(sql: "INSERT INTO remote_channel (channel_id, remote) VALUES (?, ?)", arguments: [channel.id, remote])
        return channel
    }

    private func replacePromotions(
        _ db: Database,
        channel: ChannelRecord,
        _ mirrored: MirroredChannel,
        releases: inout [String: MirrorRelease],
        manifests: [String: String],
        at date: Date,
        by actor: String
    ) throws {
        var existing = [Int64: MirrorPromotion]()
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT id, channel_sequence, release_sequence, required, demoted, notes FROM promotion WHERE channel_id = ?",
            arguments: [channel.id]
        )
        while let row = try rows.next() {
            existing[row["channel_sequence"]] = MirrorPromotion(
                id: row["id"],
                releaseSequence: row["release_sequence"],
                required: row["required"],
                demoted: row["demoted"],
                notes: row["notes"]
            )
        }
        var live = Set<Int64>()
        for item in mirrored.promotions {
            live.insert(item.channelSequence)
            let release = try mirroredRelease(db, item, releases: &releases, manifests: manifests, channel: channel.name)
            if let current = existing[item.channelSequence] {
                guard current.releaseSequence == release.sequence else {
                    throw CatalogError.invalidImport(
                        file: "channels/\(mirrored.name).json",
                        reason: "channel sequence \(item.channelSequence) changed release; the vendor rewrote history"
                    )
                }
                guard current.demoted || current.required != item.required || current.notes != item.notes else { continue }
                typealias Columns = PromotionRecord.Columns
                try PromotionRecord.filter(key: current.id).updateAll(
                    db,
                    Columns.demoted.set(to: false),
                    Columns.demotedAt.set(to: nil),
                    Columns.demotedBy.set(to: nil),
                    Columns.required.set(to: item.required),
                    Columns.notes.set(to: item.notes)
                )
            } else {
                var promotion = PromotionRecord(
                    channelID: channel.id!,
                    channelSequence: item.channelSequence,
                    releaseSequence: release.sequence,
                    versionKey: release.versionKey,
                    required: item.required,
                    notes: item.notes,
                    promotedAt: item.promotedAt,
                    promotedBy: actor
                )
                try promotion.insert(db)
            }
        }
        for (sequence, promotion) in existing where !live.contains(sequence) && !promotion.demoted {
            try PromotionRecord.filter(key: promotion.id).updateAll(
                db,
                PromotionRecord.Columns.demoted.set(to: true),
                PromotionRecord.Columns.demotedAt.set(to: date),
                PromotionRecord.Columns.demotedBy.set(to: actor)
            )
        }
    }

    private func mirroredRelease(
        _ db: Database,
        _ item: MirroredChannel.Promotion,
        releases: inout [String: MirrorRelease],
        manifests: [String: String],
        channel: String
    ) throws -> MirrorRelease {
        if let release = releases[item.version] {
            guard release.manifestSHA256 == item.manifestSHA256 else {
                throw CatalogError.invalidImport(
                    file: "channels/\(channel).json",
                    reason: "release \(item.version) has another manifest than the release \(item.version) already in this store"
                )
            }
            return release
        }
        // A manifest the store already holds (another release shares it) is not downloaded again.
        let stored = try String.fetchOne(db, sql: "SELECT manifest FROM release WHERE manifest_sha256 = ? LIMIT 1", arguments: [item.manifestSHA256])
        guard let manifest = manifests[item.manifestSHA256] ?? stored else {
            throw CatalogError.invalidImport(file: "manifests/\(item.manifestSHA256).yaml", reason: "not among the verified targets")
        }
        let inserted = try insertRelease(
            db,
            version: item.version,
            manifest: manifest,
            notes: item.notes,
            digest: item.manifestSHA256,
            at: item.promotedAt
        )
        let release = MirrorRelease(sequence: inserted.sequence!, versionKey: inserted.versionKey, manifestSHA256: inserted.manifestSHA256)
        releases[item.version] = release
        return release
    }
}

/// The columns a mirror update compares, read as rows: decoding every release (manifest
/// text included) and every promotion through Codable was most of a one-promotion sync of
/// a 10,000-promotion channel.
struct MirrorRelease {
    var sequence: Int64
    var versionKey: String
    var manifestSHA256: String
}

struct MirrorPromotion {
    var id: Int64
    var releaseSequence: Int64
    var required: Bool
    var demoted: Bool
    var notes: String
}

extension Catalog {
    /// The remote behind a mirrored channel name (`acme/Stable`), or nil for a local one.
    public func mirrorRemote(ofChannelNamed name: String) throws -> String? {
        try store.database.read { db in
            if let channel = try ChannelRecord.filter(ChannelRecord.Columns.name == name).fetchOne(db) {
                return try mirrorRemote(db, channelID: channel.id)
            }
            // Not synced yet: `acme/Stable` still names remote acme.
            guard let slash = name.firstIndex(of: "/") else { return nil }
            return try RemoteRecord.fetchOne(db, key: String(name[..<slash]))?.name
        }
    }
}
