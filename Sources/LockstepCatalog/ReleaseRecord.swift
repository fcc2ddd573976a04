import Foundation
import GRDB
import LockstepVersioning

/// An immutable vendor artifact: a version label, notes and the manifest verbatim.
public struct ReleaseRecord: Codable, Sendable, Equatable {
    public var sequence: Int64?
    public var version: String
    public var versionKey: String
    public var notes: String
    public var manifest: String
    public var manifestSHA256: String
    public var createdAt: Date
    public var createdBy: String

    public init(sequence: Int64? = nil, version: String, notes: String, manifest: String, manifestSHA256: String, createdAt: Date, createdBy: String)
    {
        self.sequence = sequence
        self.version = version
        self.versionKey = SemanticVersion(version)?.precedenceKey ?? ""
        self.notes = notes
        self.manifest = manifest
        self.manifestSHA256 = manifestSHA256
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    enum CodingKeys: String, CodingKey {
        case sequence, version, notes, manifest
        case versionKey = "version_key"
        case manifestSHA256 = "manifest_sha256"
        case createdAt = "created_at"
        case createdBy = "created_by"
    }
}

extension ReleaseRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "release"

    public enum Columns {
        public static let sequence = Column(CodingKeys.sequence)
        public static let version = Column(CodingKeys.version)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        sequence = inserted.rowID
    }
}
