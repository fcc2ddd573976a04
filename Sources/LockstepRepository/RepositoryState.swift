import Foundation

/// What a published directory holds now: the newest version of each role, read back
/// from the files so that versions only ever go up.
struct RepositoryState {
    var root: RootMetadata
    var rootEnvelope: Envelope
    var targets: TargetsMetadata?
    var snapshot: SnapshotMetadata?
    var timestamp: TimestampMetadata?

    static func read(_ out: URL) throws -> RepositoryState {
        let metadata = out.appending(path: "metadata")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: metadata.path)) ?? []
        func newest(_ role: String) -> (Int64, URL)? {
            names.compactMap { name -> (Int64, URL)? in
                let parts = name.split(separator: ".")
                guard parts.count == 3, parts[1] == role, parts[2] == "json", let version = Int64(parts[0]) else { return nil }
                return (version, metadata.appending(path: name))
            }.max { $0.0 < $1.0 }
        }
        guard let (_, rootURL) = newest("root") else {
            throw RepositoryError.notFound(file: metadata.appending(path: "1.root.json").path + " (run `lockstep repo init`)")
        }
        func envelope(_ url: URL) throws -> Envelope {
            try Envelope(data: try Data(contentsOf: url), file: url.path)
        }
        let rootEnvelope = try envelope(rootURL)
        var state = RepositoryState(root: try RootMetadata(rootEnvelope.signed, file: rootURL.path), rootEnvelope: rootEnvelope)
        if let (_, url) = newest("targets") { state.targets = try TargetsMetadata(try envelope(url).signed, file: url.path) }
        if let (_, url) = newest("snapshot") { state.snapshot = try SnapshotMetadata(try envelope(url).signed, file: url.path) }
        let timestampURL = metadata.appending(path: "timestamp.json")
        if FileManager.default.fileExists(atPath: timestampURL.path) {
            state.timestamp = try TimestampMetadata(try envelope(timestampURL).signed, file: timestampURL.path)
        }
        return state
    }
}
