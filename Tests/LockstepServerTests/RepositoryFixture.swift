import Foundation
import LockstepTestSupport

/// A folder laid out like a published TUF repository, with a secret beside it
/// that no request may reach.
struct RepositoryFixture {
    let folder: TemporaryDirectory
    var root: String { folder.path + "/repo" }
    var secretPath: String { folder.path + "/secret.txt" }
    static let secret = "outside-the-repository-secret"

    /// Relative path -> contents of every file published.
    let files: [String: String]

    init() throws {
        folder = try TemporaryDirectory(prefix: "lockstep-serve")
        let timestamp = Self.timestampJSON(version: 7)
        var files = [
            "metadata/timestamp.json": timestamp,
            "metadata/1.root.json": #"{"signed":{"_type":"root","spec_version":"1.0.31","version":1,"consistent_snapshot":true},"signatures":[]}"#,
            "metadata/3.snapshot.json": #"{"signed":{"_type":"snapshot","version":3,"meta":{"targets.json":{"version":3}}},"signatures":[]}"#,
            "targets/9f2c.channels/Stable.json": #"{"name":"Stable","semver":true,"promotions":[]}"#,
            "targets/manifests/ab12.yaml": "name: shop\nversion: 1.2.0\n",
        ]
        files["metadata/big.bin"] = String(repeating: "0123456789abcdef", count: 200_000)
        self.files = files
        for (path, contents) in files { try write(path, contents) }
        try Data(Self.secret.utf8).write(to: URL(fileURLWithPath: secretPath))
    }

    func write(_ relative: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: root + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written aside and renamed, as `publish` does.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try Data(contents.utf8).write(to: temporary)
        _ = rename(temporary.path, url.path)
    }

    /// A signed timestamp of realistic size (one key, one signature), about 450 bytes.
    static func timestampJSON(version: Int) -> String {
        let signature = String(repeating: "7c", count: 64)
        let keyID = String(repeating: "a1", count: 32)
        let hash = String(repeating: "e3", count: 32)
        return
            #"{"signatures":[{"keyid":"\#(keyID)","sig":"\#(signature)"}],"signed":{"_type":"timestamp","expires":"2026-12-01T00:00:00Z","meta":{"snapshot.json":{"hashes":{"sha256":"\#(hash)"},"length":1021,"version":\#(version)}},"spec_version":"1.0.31","version":\#(version)}}"#
    }

    func remove() { folder.remove() }
}
