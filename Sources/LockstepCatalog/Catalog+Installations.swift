import Foundation
import GRDB

extension Catalog {
    public static let defaultInstallation = "default"
    /// The channel an installation follows when none was ever chosen.
    public static let defaultChannel = "Stable"

    public func installation(named name: String) throws -> InstallationRecord {
        try read { db in
            guard let installation = try InstallationRecord.fetchOne(db, key: name) else {
                throw CatalogError.installationNotFound(name)
            }
            return installation
        }
    }

    public func installationIfExists(named name: String) throws -> InstallationRecord? {
        try read { db in try InstallationRecord.fetchOne(db, key: name) }
    }

    public func installations() throws -> [InstallationRecord] {
        try read { db in try InstallationRecord.order(InstallationRecord.Columns.name).fetchAll(db) }
    }

    /// Records that an installation runs a release without running anything:
    /// for adopting an existing deployment, and for testing plans.
    @discardableResult
    public func markInstalled(name: String, channel channelName: String, release reference: String) throws -> InstallationRecord {
        try write { db in
            let channel = try channel(db, named: channelName)
            let release = try release(db, reference)
            let required = try isLiveRequired(db, releaseSequence: release.sequence!, channelID: channel.id!)
            let now = Date()
            var installation =
                try InstallationRecord.fetchOne(db, key: name)
                ?? InstallationRecord(name: name, channelID: channel.id!, releaseSequence: nil, status: .new, createdAt: now, updatedAt: now)
            installation.channelID = channel.id!
            installation.releaseSequence = release.sequence
            installation.status = .deployed
            installation.updatedAt = now
            try installation.save(db)
            var deployment = DeploymentRecord(
                installation: name,
                releaseSequence: release.sequence!,
                channelID: channel.id!,
                required: required,
                status: .succeeded,
                source: "mark",
                at: now
            )
            try deployment.insert(db)
            return installation
        }
    }

    /// Whether a deployment of this release on this channel counts as a required one.
    private func isLiveRequired(_ db: Database, releaseSequence: Int64, channelID: Int64) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT MAX(required) FROM promotion WHERE channel_id = ? AND release_sequence = ? AND demoted = 0",
            arguments: [channelID, releaseSequence]
        ) ?? false
    }

    /// Every deploy attempt of an installation, oldest first.
    public func deployments(of installation: String) throws -> [DeploymentRecord] {
        try read { db in
            try DeploymentRecord.filter(DeploymentRecord.Columns.installation == installation).order(DeploymentRecord.Columns.id).fetchAll(db)
        }
    }
}

extension Catalog {
    /// The installation, created on its first upgrade (the install) with its channel and network.
    @discardableResult
    public func ensureInstallation(name: String, channel channelName: String, nodeAddress: String?, network: String?) throws -> InstallationRecord {
        try write { db in
            let channel = try channel(db, named: channelName)
            let now = Date()
            var installation =
                try InstallationRecord.fetchOne(db, key: name)
                ?? InstallationRecord(name: name, channelID: channel.id!, releaseSequence: nil, status: .new, createdAt: now, updatedAt: now)
            installation.channelID = channel.id!
            if let nodeAddress { installation.nodeAddress = nodeAddress }
            if let network { installation.network = network }
            installation.updatedAt = now
            try installation.save(db)
            return installation
        }
    }

    /// Records a deploy attempt; on success the installation moves to the release, in the same transaction.
    public func recordDeployment(installation name: String, releaseSequence: Int64, channel channelName: String, succeeded: Bool) throws {
        try write { db in
            let channel = try channel(db, named: channelName)
            guard var installation = try InstallationRecord.fetchOne(db, key: name) else {
                throw CatalogError.installationNotFound(name)
            }
            let required = try isLiveRequired(db, releaseSequence: releaseSequence, channelID: channel.id!)
            let now = Date()
            var deployment = DeploymentRecord(
                installation: name,
                releaseSequence: releaseSequence,
                channelID: channel.id!,
                required: required,
                status: succeeded ? .succeeded : .failed,
                source: "upgrade",
                at: now
            )
            try deployment.insert(db)
            if succeeded {
                installation.releaseSequence = releaseSequence
                installation.channelID = channel.id!
                installation.status = .deployed
            } else {
                installation.status = .failed
            }
            installation.updatedAt = now
            try installation.update(db)
        }
    }
}
