import Foundation

/// The TUF 1.0 client workflow ("Detailed client workflow"): root chain, timestamp,
/// snapshot, targets, delegated targets, then target files. Each role is saved to the
/// trusted store as soon as it verifies, as the spec says.
public struct Updater: Sendable {
    public let store: TrustedStore
    public let metadata: RepositoryTransport
    public let targetFiles: RepositoryTransport
    public var options: UpdaterOptions

    public private(set) var root: RootMetadata
    private var rootEnvelope: Envelope
    public private(set) var timestamp: TimestampMetadata?
    public private(set) var snapshot: SnapshotMetadata?
    public private(set) var targets: [String: TargetsMetadata] = [:]
    /// Which delegator each role was verified against: a role reached through another
    /// delegator is verified again with that delegator's keys.
    private var verifiedBy: [String: String] = [:]
    /// Roles whose expiry was overridden by `acceptExpired`.
    public private(set) var acceptedExpired: [String] = []

    enum Outcome: Error { case equalVersion }

    public init(store: TrustedStore, metadata: RepositoryTransport, targets: RepositoryTransport, options: UpdaterOptions = UpdaterOptions()) throws {
        guard let data = store.load("root") else { throw RepositoryError.notFound(file: "trusted root.json") }
        let envelope = try Envelope(data: data, file: "trusted root.json")
        let root = try RootMetadata(envelope.signed, file: "trusted root.json")
        try root.verify(envelope, role: .root, file: "trusted root.json")
        self.store = store
        self.metadata = metadata
        self.targetFiles = targets
        self.options = options
        self.root = root
        self.rootEnvelope = envelope
    }

    public mutating func refresh() async throws {
        try await updateRootChain()
        try await updateTimestamp()
        try await updateSnapshot()
        _ = try await loadTargets(role: "targets", parent: "root")
    }

    // MARK: root

    mutating func updateRootChain() async throws {
        let first = root.header.version + 1
        for next in first..<(first + Int64(options.limits.maxRootRotations)) {
            let file = "\(next).root.json"
            let data: Data
            do {
                data = try await metadata.fetch(file, maxLength: options.limits.rootMaxLength)
            } catch RepositoryError.notFound {
                break
            }
            let envelope = try Envelope(data: data, file: file)
            let candidate = try RootMetadata(envelope.signed, file: file)
            // Signed by the old root's keys first: a new root may not vouch for itself alone.
            try root.verify(envelope, role: .root, file: file)
            guard candidate.header.version == next else {
                throw RepositoryError.versionMismatch(file: file, expected: next, found: candidate.header.version)
            }
            try candidate.verify(envelope, role: .root, file: file)
            root = candidate
            rootEnvelope = envelope
            try store.save("root", data)
        }
        try checkExpiry(root.header, role: "root")
    }

    // MARK: timestamp

    mutating func updateTimestamp() async throws {
        if let local = store.load("timestamp") { try? acceptTimestamp(local, file: "trusted timestamp.json") }
        let data = try await metadata.fetch("timestamp.json", maxLength: options.limits.timestampMaxLength)
        do {
            try acceptTimestamp(data, file: "timestamp.json")
        } catch Outcome.equalVersion {
            return
        }
        try store.save("timestamp", data)
    }

    mutating func acceptTimestamp(_ data: Data, file: String) throws {
        let envelope = try Envelope(data: data, file: file)
        let candidate = try TimestampMetadata(envelope.signed, file: file)
        try root.verify(envelope, role: .timestamp, file: file)
        if let trusted = timestamp {
            if candidate.header.version < trusted.header.version {
                throw RepositoryError.rollback(role: "timestamp", from: trusted.header.version, to: candidate.header.version)
            }
            if candidate.header.version == trusted.header.version { throw Outcome.equalVersion }
            if candidate.snapshot.version < trusted.snapshot.version {
                throw RepositoryError.rollback(role: "snapshot", from: trusted.snapshot.version, to: candidate.snapshot.version)
            }
        }
        // Kept even when expired, so it still guards against rollback.
        timestamp = candidate
        try checkExpiry(candidate.header, role: "timestamp")
    }

    // MARK: snapshot

    mutating func updateSnapshot() async throws {
        if let local = store.load("snapshot"), (try? acceptSnapshot(local, file: "trusted snapshot.json", trusted: true)) != nil {
            return
        }
        guard let meta = timestamp?.snapshot else { throw RepositoryError.notFound(file: "timestamp.json") }
        let file = root.consistentSnapshot ? "\(meta.version).snapshot.json" : "snapshot.json"
        let cap = meta.length.map { Int($0) } ?? options.limits.snapshotMaxLength
        let data = try await metadata.fetch(file, maxLength: cap)
        try acceptSnapshot(data, file: file, trusted: false)
        try store.save("snapshot", data)
    }

    mutating func acceptSnapshot(_ data: Data, file: String, trusted: Bool) throws {
        guard let timestamp else { throw RepositoryError.notFound(file: "timestamp.json") }
        try checkExpiry(timestamp.header, role: "timestamp")
        let meta = timestamp.snapshot
        if !trusted { try Hashes.verify(data, hashes: meta.hashes, length: meta.length, file: file) }
        let envelope = try Envelope(data: data, file: file)
        let candidate = try SnapshotMetadata(envelope.signed, file: file)
        try root.verify(envelope, role: .snapshot, file: file)
        if let old = snapshot {
            for (name, entry) in old.meta {
                guard let now = candidate.meta[name] else {
                    throw RepositoryError.malformed(file: file, reason: "\(name) was dropped from snapshot (rollback refused)")
                }
                if now.version < entry.version {
                    throw RepositoryError.rollback(role: String(name.dropLast(5)), from: entry.version, to: now.version)
                }
            }
        }
        // Kept before the final checks: even a stale local snapshot guards against rollback.
        snapshot = candidate
        try checkExpiry(candidate.header, role: "snapshot")
        guard candidate.header.version == meta.version else {
            throw RepositoryError.versionMismatch(file: file, expected: meta.version, found: candidate.header.version)
        }
    }

    // MARK: targets

    mutating func loadTargets(role: String, parent: String) async throws -> TargetsMetadata {
        if let loaded = targets[role], verifiedBy[role] == parent { return loaded }
        if let local = store.load(role),
            let accepted = try? acceptTargets(local, role: role, parent: parent, file: "trusted \(role).json", trusted: true)
        {
            return accepted
        }
        guard let snapshot else { throw RepositoryError.notFound(file: "snapshot.json") }
        guard let meta = snapshot.meta["\(role).json"] else {
            throw RepositoryError.malformed(file: "snapshot.json", reason: "\(role).json is not listed")
        }
        let quoted = PathQuoting.quote(role)
        let file = root.consistentSnapshot ? "\(meta.version).\(quoted).json" : "\(quoted).json"
        let cap = meta.length.map { Int($0) } ?? options.limits.targetsMaxLength
        let data = try await metadata.fetch(file, maxLength: cap)
        let accepted = try acceptTargets(data, role: role, parent: parent, file: file, trusted: false)
        try store.save(role, data)
        return accepted
    }

    mutating func acceptTargets(_ data: Data, role: String, parent: String, file: String, trusted: Bool) throws -> TargetsMetadata {
        guard let snapshot else { throw RepositoryError.notFound(file: "snapshot.json") }
        try checkExpiry(snapshot.header, role: "snapshot")
        guard let meta = snapshot.meta["\(role).json"] else {
            throw RepositoryError.malformed(file: "snapshot.json", reason: "\(role).json is not listed")
        }
        if !trusted { try Hashes.verify(data, hashes: meta.hashes, length: meta.length, file: file) }
        let envelope = try Envelope(data: data, file: file)
        let candidate = try TargetsMetadata(envelope.signed, file: file)
        if parent == "root" {
            try root.verify(envelope, role: .targets, file: file)
        } else {
            guard let delegator = targets[parent], let delegation = delegator.delegatedRoles.first(where: { $0.name == role }) else {
                throw RepositoryError.malformed(file: file, reason: "\(parent) does not delegate to \(role)")
            }
            try envelope.verify(
                role: role,
                file: file,
                keys: delegator.delegationKeys,
                keyIDs: delegation.keys.keyIDs,
                threshold: delegation.keys.threshold
            )
        }
        guard candidate.header.version == meta.version else {
            throw RepositoryError.versionMismatch(file: file, expected: meta.version, found: candidate.header.version)
        }
        try checkExpiry(candidate.header, role: role)
        targets[role] = candidate
        verifiedBy[role] = parent
        return candidate
    }

    /// Preorder depth-first search of the delegation graph, as the spec orders it.
    public mutating func targetInfo(_ name: String) async throws -> TargetFile {
        var stack: [(role: String, parent: String)] = [("targets", "root")]
        var visited = Set<String>()
        while let (role, parent) = stack.popLast(), visited.count < options.limits.maxDelegations {
            if visited.contains(role) { continue }
            let metadata = try await loadTargets(role: role, parent: parent)
            visited.insert(role)
            if let file = metadata.targets[name] { return file }
            var children = [(role: String, parent: String)]()
            for child in metadata.delegatedRoles where child.matches(name) {
                children.append((child.name, role))
                if child.terminating {
                    stack.removeAll()
                    break
                }
            }
            stack.append(contentsOf: children.reversed())
        }
        throw RepositoryError.unknownTarget(name)
    }

    /// Downloads a target and checks its length and hashes; nothing unverified is returned.
    public func download(_ name: String, info: TargetFile) async throws -> Data {
        var path = name
        if root.consistentSnapshot {
            let hash = info.hashes["sha256"] ?? info.hashes.sorted { $0.key < $1.key }.first!.value
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            path = (parts.dropLast().map(String.init) + ["\(hash).\(parts.last ?? "")"]).joined(separator: "/")
        }
        let data: Data
        do {
            data = try await targetFiles.fetch(path, maxLength: Int(info.length))
        } catch RepositoryError.sizeCap {
            // The signed length is the cap: anything longer is not the signed file.
            throw RepositoryError.sizeCap(file: name, cap: Int(info.length))
        }
        try Hashes.verify(data, hashes: info.hashes, length: info.length, file: name)
        return data
    }

    mutating func checkExpiry(_ header: Header, role: String) throws {
        guard header.expires <= options.now else { return }
        if role == "timestamp" && options.ignoreTimestampExpiry { return }
        guard options.acceptExpired else { throw RepositoryError.expired(role: role, at: header.expiresText) }
        if !acceptedExpired.contains(role) { acceptedExpired.append(role) }
    }
}
