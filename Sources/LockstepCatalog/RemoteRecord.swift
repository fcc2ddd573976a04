import Foundation
import GRDB

/// A vendor's TUF repository this store mirrors, with the metadata it trusts.
public struct RemoteRecord: Codable, Sendable, Equatable {
    public var name: String
    public var location: String
    public var trustedMetadata: String
    public var rootVersion: Int64
    public var timestampVersion: Int64
    public var snapshotVersion: Int64
    public var targetsVersion: Int64
    public var syncedAt: Date?
    public var createdAt: Date

    public init(name: String, location: String, trustedMetadata: [String: Data], createdAt: Date = Date()) {
        self.name = name
        self.location = location
        self.trustedMetadata = Self.encode(trustedMetadata)
        rootVersion = 1
        timestampVersion = 0
        snapshotVersion = 0
        targetsVersion = 0
        self.createdAt = createdAt
    }

    /// The trusted metadata by role, as the TUF client loads it.
    public var trustedFiles: [String: Data] {
        let object = (try? JSONDecoder().decode([String: String].self, from: Data(trustedMetadata.utf8))) ?? [:]
        return object.mapValues { Data($0.utf8) }
    }

    static func encode(_ files: [String: Data]) -> String {
        let object = files.mapValues { String(decoding: $0, as: UTF8.self) }
        let data = (try? JSONEncoder().encode(object)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    enum CodingKeys: String, CodingKey {
        case name, location
        case trustedMetadata = "trusted_metadata"
        case rootVersion = "root_version"
        case timestampVersion = "timestamp_version"
        case snapshotVersion = "snapshot_version"
        case targetsVersion = "targets_version"
        case syncedAt = "synced_at"
        case createdAt = "created_at"
    }
}

extension RemoteRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "remote"
}

/// What a verified sync brings: the channels and their manifests, by value, so the
/// catalog needs nothing from the TUF layer.
public struct MirroredChannel: Sendable, Equatable {
    public struct Promotion: Sendable, Equatable {
        public var channelSequence: Int64
        public var version: String
        public var required: Bool
        public var notes: String
        public var promotedAt: Date
        public var manifestSHA256: String

        public init(channelSequence: Int64, version: String, required: Bool, notes: String, promotedAt: Date, manifestSHA256: String) {
            self.channelSequence = channelSequence
            self.version = version
            self.required = required
            self.notes = notes
            self.promotedAt = promotedAt
            self.manifestSHA256 = manifestSHA256
        }
    }

    public var name: String
    public var semver: Bool
    public var promotions: [Promotion]

    public init(name: String, semver: Bool, promotions: [Promotion]) {
        self.name = name
        self.semver = semver
        self.promotions = promotions
    }
}

/// The TUF versions a sync verified, kept as the floor for the next one.
public struct MirrorVersions: Sendable, Equatable {
    public var root: Int64, timestamp: Int64, snapshot: Int64, targets: Int64

    public init(root: Int64, timestamp: Int64, snapshot: Int64, targets: Int64) {
        self.root = root
        self.timestamp = timestamp
        self.snapshot = snapshot
        self.targets = targets
    }
}
