import Yams

/// The channels every new store starts with, from the repository's `channels/` folder.
struct DefaultChannels {
    struct Definition: Decodable, Sendable {
        let name: String
        let description: String
        let semver: Bool
    }

    static func all() throws -> [Definition] {
        let files = [PackageResources.stable_yaml, PackageResources.beta_yaml, PackageResources.unstable_yaml]
        return try files.map { bytes in
            try YAMLDecoder().decode(Definition.self, from: String(decoding: bytes, as: UTF8.self))
        }
    }
}
