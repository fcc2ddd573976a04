import Foundation
import LockstepCatalog
import LockstepLedger
import LockstepRepository

/// What one sync did, for the customer's one-line report.
public struct SyncReport: Sendable, Equatable {
    public var remote: String
    public var changed: Bool
    public var channels: Int
    public var promotions: Int
    public var manifestsDownloaded: Int
    public var versions: MirrorVersions
    public var acceptedExpired: [String]
}

/// `sync`: the TUF client workflow against a remote, then the mirror replaced in one
/// transaction. Trusted metadata lives in memory until everything verified, so a refusal
/// leaves the store exactly as it was.
public struct RemoteSync: Sendable {
    public let catalog: Catalog
    public let ledger: Ledger?

    public init(catalog: Catalog, ledger: Ledger? = nil) {
        self.catalog = catalog
        self.ledger = ledger
    }

    public func sync(
        remote name: String,
        acceptExpired: Bool = false,
        now: Date = Date(),
        progress: (@Sendable (String) -> Void)? = nil
    ) async throws -> SyncReport {
        let remote = try catalog.remote(named: name)
        let trusted = MemoryTrustedStore(remote.trustedFiles)
        var updater = try Updater(
            store: trusted,
            metadata: makeTransport(remote.location, subpath: "metadata"),
            targets: makeTransport(remote.location, subpath: "targets"),
            options: UpdaterOptions(now: now, acceptExpired: acceptExpired)
        )
        progress?("checking \(remote.location)")
        try await updater.refresh()
        guard let snapshot = updater.snapshot, let targets = updater.targets["targets"], let timestamp = updater.timestamp else {
            throw RepositoryError.notFound(file: "targets.json")
        }
        let versions = MirrorVersions(
            root: updater.root.header.version,
            timestamp: timestamp.header.version,
            snapshot: snapshot.header.version,
            targets: targets.header.version
        )
        for (role, floor, version) in [
            ("root", remote.rootVersion, versions.root), ("timestamp", remote.timestampVersion, versions.timestamp),
            ("snapshot", remote.snapshotVersion, versions.snapshot), ("targets", remote.targetsVersion, versions.targets),
        ] where version < floor {
            throw RepositoryError.rollback(role: role, from: floor, to: version)
        }
        try recordOverride(updater.acceptedExpired, remote: remote.name)
        var report = SyncReport(
            remote: remote.name,
            changed: false,
            channels: 0,
            promotions: 0,
            manifestsDownloaded: 0,
            versions: versions,
            acceptedExpired: updater.acceptedExpired
        )
        if remote.syncedAt != nil && versions.targets == remote.targetsVersion && versions.snapshot == remote.snapshotVersion {
            try catalog.recordSync(remote: remote.name, trusted: trusted.contents, versions: versions, at: now)
            return report
        }
        var channels = [MirroredChannel]()
        var needed = Set<String>()
        let known = try catalog.knownManifestDigests()
        for targetName in targets.targets.keys.sorted() where targetName.hasPrefix("channels/") && targetName.hasSuffix(".json") {
            progress?("verifying \(targetName)")
            let data = try await updater.download(targetName, info: targets.targets[targetName]!)
            let document = try ChannelDocument.decode(data, file: targetName)
            channels.append(try mirrored(document, file: targetName))
            for promotion in document.promotions where !known.contains(promotion.manifest.sha256) { needed.insert(promotion.manifest.sha256) }
        }
        var manifests = [String: String]()
        for digest in needed.sorted() {
            let targetName = "manifests/\(digest).yaml"
            guard let info = targets.targets[targetName] else { throw RepositoryError.unknownTarget(targetName) }
            progress?("downloading \(targetName)")
            let data = try await updater.download(targetName, info: info)
            guard info.hashes["sha256"] == digest else { throw RepositoryError.hashMismatch(file: targetName) }
            manifests[digest] = String(decoding: data, as: UTF8.self)
        }
        try catalog.replaceMirror(
            remote: remote.name,
            channels: channels,
            manifests: manifests,
            trusted: trusted.contents,
            versions: versions,
            at: now
        )
        report.changed = true
        report.channels = channels.count
        report.promotions = channels.reduce(0) { $0 + $1.promotions.count }
        report.manifestsDownloaded = manifests.count
        return report
    }

    func mirrored(_ document: ChannelDocument, file: String) throws -> MirroredChannel {
        let promotions = try document.promotions.map { item in
            guard let promotedAt = try? Date(item.promotedAt, strategy: .iso8601) else {
                throw RepositoryError.malformed(file: file, reason: "promotedAt \(item.promotedAt) is not an RFC 3339 time")
            }
            return MirroredChannel.Promotion(
                channelSequence: item.channelSequence,
                version: item.version,
                required: item.required,
                notes: item.notes ?? "",
                promotedAt: promotedAt,
                manifestSHA256: item.manifest.sha256
            )
        }
        return MirroredChannel(name: document.name, semver: document.semver, promotions: promotions)
    }

    /// A security check overridden is recorded, never silent.
    func recordOverride(_ roles: [String], remote: String) throws {
        guard !roles.isEmpty, let ledger else { return }
        _ = try ledger.append(
            NewLedgerEntry(
                kind: .upgrade,
                event: "sync-accepted-expired",
                status: .succeeded,
                channel: "\(remote)/*",
                message: "sync \(remote) --accept-expired: proceeded on expired \(roles.joined(separator: ", ")) metadata"
            )
        )
    }
}
