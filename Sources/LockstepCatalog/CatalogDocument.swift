import Foundation

/// The bulk import/export format (YAML or JSON). Promotions are applied in
/// document order, so channel sequences follow it.
public struct CatalogDocument: Codable, Sendable, Equatable {
    public struct Channel: Codable, Sendable, Equatable {
        public var name: String
        public var description: String?
        public var semver: Bool?

        public init(name: String, description: String? = nil, semver: Bool? = nil) {
            self.name = name
            self.description = description
            self.semver = semver
        }
    }

    public struct Release: Codable, Sendable, Equatable {
        public var version: String
        public var notes: String?
        /// The manifest inline, or `manifestFile` relative to the document.
        public var manifest: String?
        public var manifestFile: String?

        public init(version: String, notes: String? = nil, manifest: String? = nil, manifestFile: String? = nil) {
            self.version = version
            self.notes = notes
            self.manifest = manifest
            self.manifestFile = manifestFile
        }
    }

    public struct Promotion: Codable, Sendable, Equatable {
        public var channel: String
        public var release: String
        public var required: Bool?
        public var demoted: Bool?
        public var notes: String?

        public init(channel: String, release: String, required: Bool? = nil, demoted: Bool? = nil, notes: String? = nil) {
            self.channel = channel
            self.release = release
            self.required = required
            self.demoted = demoted
            self.notes = notes
        }
    }

    public struct Defaults: Codable, Sendable, Equatable {
        public var manifest: String?
        public var manifestFile: String?

        public init(manifest: String? = nil, manifestFile: String? = nil) {
            self.manifest = manifest
            self.manifestFile = manifestFile
        }
    }

    public var defaults: Defaults?
    public var channels: [Channel]?
    public var releases: [Release]
    public var promotions: [Promotion]?

    public init(defaults: Defaults? = nil, channels: [Channel]? = nil, releases: [Release], promotions: [Promotion]? = nil) {
        self.defaults = defaults
        self.channels = channels
        self.releases = releases
        self.promotions = promotions
    }
}
