import Foundation

public struct Expiries: Sendable {
    public var root: TimeInterval = 365 * 86_400
    public var targets: TimeInterval = 365 * 86_400
    public var snapshot: TimeInterval = 365 * 86_400
    public var timestamp: TimeInterval = 86_400

    public init() {}
}

/// What a publish changed, for the vendor's log line.
public struct PublishResult: Sendable, Equatable {
    public var targetsVersion: Int64
    public var snapshotVersion: Int64
    public var timestampVersion: Int64
    public var newTargets: Bool
    public var filesWritten: Int
}

/// Writes a TUF repository as a plain directory any static web server can serve:
/// `metadata/N.root.json`, `N.targets.json`, `N.snapshot.json`, `timestamp.json`, and
/// consistent-snapshot targets `targets/<dir>/<sha256>.<name>`.
public struct RepositoryWriter: Sendable {
    public let keys: KeyDirectory
    public let out: URL
    public var now: Date

    public init(keys: URL, out: URL, now: Date = Date()) {
        self.keys = KeyDirectory(url: keys)
        self.out = out
        self.now = now
    }

    var metadataURL: URL { out.appending(path: "metadata") }

    public func initialize(threshold: Int, expiries: Expiries = Expiries()) throws {
        let rootFile = metadataURL.appending(path: "1.root.json")
        if FileManager.default.fileExists(atPath: rootFile.path) {
            throw RepositoryError.keys("\(rootFile.path) already exists; use `lockstep repo rotate` to change keys")
        }
        var created = [Role: [SigningKey]]()
        for role in Role.allCases { created[role] = try keys.create(role: role, count: threshold) }
        var publicKeys = [String: PublicKey]()
        var roles = [Role: RoleKeys]()
        for (role, list) in created {
            for key in list { publicKeys[key.keyID] = key.publicKey }
            roles[role] = RoleKeys(keyIDs: list.map(\.keyID), threshold: threshold)
        }
        var envelope = Envelope(signed: RootMetadata.body(version: 1, expires: now + expiries.root, keys: publicKeys, roles: roles))
        try envelope.sign(with: created[.root]!)
        try FileManager.default.createDirectory(at: metadataURL, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: out.appending(path: "targets"), withIntermediateDirectories: true)
        try write(envelope.data, to: rootFile)
    }

    /// Replaces `files` (target name -> content) in the signed targets; other targets stay.
    /// With nothing changed only the timestamp is re-signed.
    @discardableResult
    public func publish(
        files: [String: Data],
        removing: Set<String> = [],
        expiries: Expiries = Expiries(),
        forceNewTargets: Bool = false,
        signedOnly: [String: TargetFile] = [:]
    ) throws -> PublishResult {
        let state = try RepositoryState.read(out)
        var targetMap = state.targets?.targets ?? [:]
        var written = 0
        for name in removing { targetMap[name] = nil }
        // Targets signed but carried elsewhere (a bundle's image archives, too big to copy here).
        for (name, info) in signedOnly { targetMap[name] = info }
        for (name, content) in files {
            let info = TargetFile(data: content)
            if targetMap[name] != info || !FileManager.default.fileExists(atPath: targetURL(name, info).path) {
                try writeTarget(name, info: info, content: content)
                written += 1
            }
            targetMap[name] = info
        }
        let changed = forceNewTargets || state.targets == nil || targetMap != state.targets!.targets
        var targetsVersion = state.targets?.header.version ?? 0
        var snapshotVersion = state.snapshot?.header.version ?? 0
        var snapshotMeta = state.timestamp?.snapshot
        if changed {
            targetsVersion += 1
            var targets = Envelope(signed: TargetsMetadata.body(version: targetsVersion, expires: now + expiries.targets, targets: targetMap))
            try targets.sign(with: keys.keys(for: .targets))
            try write(targets.data, to: metadataURL.appending(path: "\(targetsVersion).targets.json"))
            snapshotVersion += 1
            var snapshot = Envelope(
                signed: SnapshotMetadata.body(
                    version: snapshotVersion,
                    expires: now + expiries.snapshot,
                    meta: ["targets.json": MetaFile(version: targetsVersion)]
                )
            )
            try snapshot.sign(with: keys.keys(for: .snapshot))
            let snapshotData = snapshot.data
            try write(snapshotData, to: metadataURL.appending(path: "\(snapshotVersion).snapshot.json"))
            snapshotMeta = MetaFile(
                version: snapshotVersion,
                length: Int64(snapshotData.count),
                hashes: ["sha256": Hashes.digest("sha256", of: snapshotData)!]
            )
            written += 2
        }
        guard let snapshotMeta else { throw RepositoryError.notFound(file: "snapshot metadata in \(metadataURL.path)") }
        let timestampVersion = try writeTimestamp(after: state, snapshot: snapshotMeta, expires: expiries.timestamp)
        return PublishResult(
            targetsVersion: targetsVersion,
            snapshotVersion: snapshotVersion,
            timestampVersion: timestampVersion,
            newTargets: changed,
            filesWritten: written + 1
        )
    }

    /// The target names the newest targets metadata signs.
    public func publishedTargetNames() throws -> Set<String> {
        Set((try RepositoryState.read(out).targets?.targets ?? [:]).keys)
    }

    /// The scheduled job: a new timestamp over the same snapshot, nothing else touched.
    @discardableResult
    public func refreshTimestamp(expires: TimeInterval = 86_400) throws -> Int64 {
        let state = try RepositoryState.read(out)
        guard let meta = state.timestamp?.snapshot else {
            throw RepositoryError.notFound(file: metadataURL.appending(path: "timestamp.json").path + " (publish first)")
        }
        return try writeTimestamp(after: state, snapshot: meta, expires: expires)
    }

    func writeTimestamp(after state: RepositoryState, snapshot: MetaFile, expires: TimeInterval) throws -> Int64 {
        let version = (state.timestamp?.header.version ?? 0) + 1
        var timestamp = Envelope(signed: TimestampMetadata.body(version: version, expires: now + expires, snapshot: snapshot))
        try timestamp.sign(with: keys.keys(for: .timestamp))
        try write(timestamp.data, to: metadataURL.appending(path: "timestamp.json"))
        return version
    }

    /// New keys for `role` and root N+1 signed by the old and the new root keys; the
    /// online roles are re-signed so clients can verify them with the new root.
    public func rotate(role: Role, expiries: Expiries = Expiries()) throws {
        let state = try RepositoryState.read(out)
        let oldRootKeys = try keys.keys(for: .root)
        let current = state.root.role(role)
        let fresh = (0..<max(current.threshold, 1)).map { _ in SigningKey() }
        var publicKeys = state.root.keys
        for keyID in current.keyIDs where !Role.allCases.contains(where: { $0 != role && state.root.role($0).keyIDs.contains(keyID) }) {
            publicKeys[keyID] = nil
        }
        for key in fresh { publicKeys[key.keyID] = key.publicKey }
        var roles = [Role: RoleKeys]()
        for each in Role.allCases { roles[each] = state.root.role(each) }
        roles[role] = RoleKeys(keyIDs: fresh.map(\.keyID), threshold: current.threshold)
        let version = state.root.header.version + 1
        var envelope = Envelope(signed: RootMetadata.body(version: version, expires: now + expiries.root, keys: publicKeys, roles: roles))
        try envelope.sign(with: oldRootKeys + (role == .root ? fresh : []))
        try keys.replace(role: role, with: fresh, stamp: "v\(version)")
        try write(envelope.data, to: metadataURL.appending(path: "\(version).root.json"))
        if role != .root { try publish(files: [:], expiries: expiries, forceNewTargets: true) }
    }

    func targetURL(_ name: String, _ info: TargetFile) -> URL {
        let parts = name.split(separator: "/").map(String.init)
        var url = out.appending(path: "targets")
        for dir in parts.dropLast() { url = url.appending(path: dir) }
        return url.appending(path: "\(info.hashes["sha256"]!).\(parts.last!)")
    }

    func writeTarget(_ name: String, info: TargetFile, content: Data) throws {
        let url = targetURL(name, info)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try write(content, to: url)
    }

    func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw RepositoryError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
