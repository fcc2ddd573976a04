import Foundation

/// The target `channels/<NAME>.json`: a channel's live promotions in order. `required`
/// lives here, inside data the targets role signs.
public struct ChannelDocument: Codable, Sendable, Equatable {
    public struct Promotion: Codable, Sendable, Equatable {
        public var channelSequence: Int64
        public var releaseSequence: Int64
        public var version: String
        public var required: Bool
        public var notes: String?
        public var promotedAt: String
        public var manifest: ManifestReference

        public init(
            channelSequence: Int64,
            releaseSequence: Int64,
            version: String,
            required: Bool,
            notes: String?,
            promotedAt: String,
            manifest: ManifestReference
        ) {
            self.channelSequence = channelSequence
            self.releaseSequence = releaseSequence
            self.version = version
            self.required = required
            self.notes = notes
            self.promotedAt = promotedAt
            self.manifest = manifest
        }
    }

    public struct ManifestReference: Codable, Sendable, Equatable {
        public var sha256: String
        public var length: Int64

        public init(sha256: String, length: Int64) {
            self.sha256 = sha256
            self.length = length
        }

        public var targetName: String { "manifests/\(sha256).yaml" }
    }

    public var name: String
    public var semver: Bool
    public var promotions: [Promotion]

    public init(name: String, semver: Bool, promotions: [Promotion]) {
        self.name = name
        self.semver = semver
        self.promotions = promotions
    }

    public static func targetName(_ channel: String) -> String { "channels/\(channel).json" }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data, file: String) throws -> ChannelDocument {
        do {
            return try JSONDecoder().decode(ChannelDocument.self, from: data)
        } catch {
            throw RepositoryError.malformed(file: file, reason: "not a lockstep channel file")
        }
    }
}
