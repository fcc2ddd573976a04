import Crypto
import Foundation
import LockstepCatalog
import LockstepRepository

/// What an import verified and wrote.
public struct BundleImportReport: Sendable {
    public var remote: String
    public var channel: String
    public var steps: [BundleDescriptor.Step]
    public var versions: MirrorVersions
    public var timestampExpires: String
    public var timestampExpired: Bool
    public var changed: Bool
    public var imagesLoaded: Int
    public var bytesVerified: Int64
    public var verificationTime: Duration
    public var loadTime: Duration
    /// This process's peak resident memory when verification ended (VmHWM), before any load.
    public var verificationPeakRSS: Int64?
}

/// `bundle import`: the same TUF client workflow as `sync`, reading the bundle instead
/// of the network, with every check but the timestamp's expiry. The tar is streamed
/// once; every file is checked against its signed length and hashes as it passes, and
/// the mirror is replaced in one transaction only after the whole bundle verified.
public struct BundleImporter: Sendable {
    public let catalog: Catalog
    public var now = Date()
    static let metadataCap = 5_000_000
    static let targetCap: Int64 = 5_000_000

    static let imageCap: Int64 = 64 << 30
    /// The engine that loads the image archives, and the references a verified manifest names
    /// (only those are tagged: bundle.json is not signed).
    public var images: (engine: ImageEngine, references: @Sendable (String) throws -> [String])?
    public var scratch = FileManager.default.temporaryDirectory

    public init(catalog: Catalog) { self.catalog = catalog }

    public func run(_ url: URL, remote name: String, progress: (@Sendable (String) -> Void)? = nil) async throws -> BundleImportReport {
        let remote = try catalog.remote(named: name)
        let started = ContinuousClock.now
        let reader = try TarReader(url: url)
        guard let first = try reader.next(), first.name == BundleDescriptor.entryName else {
            throw BundleError.malformed("\(url.path): not a lockstep bundle (bundle.json must come first)")
        }
        let descriptor = try BundleDescriptor.decode(try reader.readAll(cap: 1_000_000))
        var metadataFiles = [String: Data]()
        var pending = try reader.next()
        while let entry = pending, entry.name.hasPrefix("metadata/") {
            metadataFiles[String(entry.name.dropFirst("metadata/".count))] = try reader.readAll(cap: Self.metadataCap)
            pending = try reader.next()
        }

        // The signed metadata first: nothing after it is read unless it verifies.
        progress?("verifying metadata")
        let trusted = MemoryTrustedStore(remote.trustedFiles)
        var options = UpdaterOptions(now: now)
        options.ignoreTimestampExpiry = true
        var updater = try Updater(store: trusted, metadata: MemoryTransport(metadataFiles), targets: MemoryTransport([:]), options: options)
        try await updater.refresh()
        guard let snapshot = updater.snapshot, let targets = updater.targets["targets"], let timestamp = updater.timestamp else {
            throw RepositoryError.notFound(file: "targets.json")
        }
        try Self.checkEveryFile(metadataFiles, verified: trusted.contents, root: updater.root.header.version)
        let versions = MirrorVersions(
            root: updater.root.header.version,
            timestamp: timestamp.header.version,
            snapshot: snapshot.header.version,
            targets: targets.header.version
        )
        for (role, floor, version) in [
            ("root", remote.rootVersion, versions.root), ("timestamp", remote.timestampVersion, versions.timestamp),
            ("snapshot", remote.snapshotVersion, versions.snapshot), ("targets", remote.targetsVersion, versions.targets),
        ] where version < floor {
            throw RepositoryError.rollback(role: role, from: floor, to: version)
        }

        // Then every target, hashed as it streams past, against its signed length.
        var verified = [String: Data]()
        var archives = [String: URL]()
        let spool = scratch.appending(path: "lockstep-bundle-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: spool) }
        while let entry = pending {
            guard entry.name.hasPrefix("targets/") else { throw BundleError.malformed("unexpected bundle entry \(entry.name)") }
            let targetName = String(entry.name.dropFirst("targets/".count))
            guard let info = targets.targets[targetName] else { throw RepositoryError.unknownTarget(targetName) }
            guard entry.size == info.length else { throw RepositoryError.lengthMismatch(file: targetName, expected: info.length, found: entry.size) }
            if targetName.hasPrefix("images/") {
                guard info.length <= Self.imageCap else { throw RepositoryError.sizeCap(file: targetName, cap: Int(Self.imageCap)) }
                archives[targetName] = try spoolImage(reader, name: targetName, info: info, into: spool, progress: progress)
                pending = try reader.next()
                continue
            }
            guard info.length <= Self.targetCap else { throw RepositoryError.sizeCap(file: targetName, cap: Int(Self.targetCap)) }
            progress?("verifying \(targetName)")
            let data = try reader.readAll(cap: Int(Self.targetCap))
            guard info.matches(data) else { throw RepositoryError.hashMismatch(file: targetName) }
            verified[targetName] = data
            pending = try reader.next()
        }

        let channelTarget = ChannelDocument.targetName(descriptor.channel)
        guard let channelData = verified[channelTarget] else { throw BundleError.malformed("the bundle holds no \(channelTarget)") }
        let document = try ChannelDocument.decode(channelData, file: channelTarget)
        var manifests = [String: String]()
        for (name, data) in verified where name.hasPrefix("manifests/") {
            let digest = String(name.dropFirst("manifests/".count).dropLast(".yaml".count))
            guard targets.targets[name]?.hashes["sha256"] == digest else { throw RepositoryError.hashMismatch(file: name) }
            manifests[digest] = String(decoding: data, as: UTF8.self)
        }
        let known = try catalog.knownManifestDigests()
        let steps = try checkStart(document, descriptor: descriptor, remote: remote.name, available: known.union(manifests.keys))

        // Only what this store can hold a manifest for is mirrored; the rest stays for a later bundle.
        let promotions = document.promotions.filter { manifests[$0.manifest.sha256] != nil || known.contains($0.manifest.sha256) }
        let mirrored = try RemoteSync(catalog: catalog).mirrored(
            ChannelDocument(name: document.name, semver: document.semver, promotions: promotions),
            file: channelTarget
        )
        let verification = ContinuousClock.now - started
        let verificationPeak = Self.peakResidentBytes()
        if !archives.isEmpty {
            guard let images else { throw BundleError.images("the bundle holds images; give --runtime") }
            var wanted = Set<String>()
            for text in manifests.values { wanted.formUnion(try images.references(text)) }
            for (targetName, url) in archives.sorted(by: { $0.key < $1.key }) {
                let id = String(targetName.dropFirst("images/".count).dropLast(".tar".count))
                let references = (descriptor.images ?? []).first { $0.id == id }?.references.filter { wanted.contains($0) } ?? []
                progress?("loading \(references.first ?? id)")
                try images.engine.load(url, references: references, id: id)
            }
        }
        let loading = ContinuousClock.now - started - verification
        progress?("writing the mirror")
        try catalog.replaceMirror(
            remote: remote.name,
            channels: [mirrored],
            manifests: manifests,
            trusted: trusted.contents,
            versions: versions,
            at: now,
            archivingOthers: false
        )
        return BundleImportReport(
            remote: remote.name,
            channel: descriptor.channel,
            steps: steps,
            versions: versions,
            timestampExpires: timestamp.header.expiresText,
            timestampExpired: timestamp.header.expires <= now,
            changed: true,
            imagesLoaded: archives.count,
            bytesVerified: reader.offset,
            verificationTime: verification,
            loadTime: loading,
            verificationPeakRSS: verificationPeak
        )
    }

    static func peakResidentBytes() -> Int64? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Int64(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kib * 1024
    }

    /// An image archive, hashed as it is written to a private spool file: nothing of it is
    /// used unless its signed length and SHA-256 match.
    func spoolImage(_ reader: TarReader, name: String, info: TargetFile, into spool: URL, progress: (@Sendable (String) -> Void)?) throws -> URL {
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let url = spool.appending(path: "\(UUID().uuidString).tar")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = try? FileHandle(forWritingTo: url)
        else { throw RepositoryError.io("cannot write \(url.path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var done: Int64 = 0
        while case let chunk = try reader.read(), !chunk.isEmpty {
            hasher.update(data: chunk)
            try handle.write(contentsOf: chunk)
            done += Int64(chunk.count)
            if done % (64 << 20) < (1 << 20) { progress?("verifying \(name): \(done >> 20)/\(info.length >> 20) MiB") }
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard done == info.length, info.hashes["sha256"] == digest else { throw RepositoryError.hashMismatch(file: name) }
        return url
    }

    /// The client reads only what it needs: a role already trusted at the same version is
    /// not read again. A bundle holds nothing unverified, so every metadata file in it must
    /// be what verified, and its root chain must verify link by link.
    static func checkEveryFile(_ files: [String: Data], verified: [String: Data], root newest: Int64) throws {
        var previous: RootMetadata?
        for version in Int64(1)...max(newest, 1) {
            let name = "\(version).root.json"
            guard let data = files[name] else {
                if previous == nil && version < newest { continue }
                throw RepositoryError.notFound(file: "metadata/\(name) in the bundle")
            }
            let envelope = try Envelope(data: data, file: name)
            let root = try RootMetadata(envelope.signed, file: name)
            guard root.header.version == version else {
                throw RepositoryError.versionMismatch(file: name, expected: version, found: root.header.version)
            }
            try previous?.verify(envelope, role: .root, file: name)
            try root.verify(envelope, role: .root, file: name)
            previous = root
        }
        for (name, data) in files where !name.hasSuffix(".root.json") {
            let role = name == "timestamp.json" ? "timestamp" : String(name.split(separator: ".").dropFirst().first ?? "")
            guard ["timestamp", "snapshot", "targets"].contains(role), name.split(separator: ".").count == (role == "timestamp" ? 2 : 3) else {
                throw BundleError.malformed("unexpected bundle entry metadata/\(name)")
            }
            guard verified[role] == data else { throw RepositoryError.hashMismatch(file: "metadata/\(name)") }
        }
        if let root = files["\(newest).root.json"], verified["root"] != root {
            throw RepositoryError.hashMismatch(file: "metadata/\(newest).root.json")
        }
    }

    /// The path, planned again from the signed channel file, must start at what each
    /// installation on this channel runs, and every manifest on it must be at hand.
    func checkStart(
        _ document: ChannelDocument,
        descriptor: BundleDescriptor,
        remote: String,
        available: Set<String>
    ) throws -> [BundleDescriptor.Step] {
        let channelName = Catalog.mirroredName(remote: remote, channel: document.name)
        var starts: [String?] = []
        for installation in try catalog.installations() {
            guard let sequence = installation.releaseSequence,
                (try? catalog.channel(id: installation.channelID).name) == channelName
            else { continue }
            starts.append(try catalog.release(sequence: sequence).version)
        }
        if starts.isEmpty { starts = [descriptor.from] }
        var steps = [BundleDescriptor.Step]()
        for start in starts {
            steps = try BundlePath.steps(document, from: start, to: descriptor.to)
            if let missing = steps.first(where: { !available.contains($0.manifestSHA256) }) {
                throw BundleError.wrongStart(
                    "the bundle's path starts at \(descriptor.from ?? "a first install") but this installation runs \(start ?? "nothing"): release \(missing.version) on the path is not in the bundle; ask the vendor for `bundle create --from \(start ?? "")`"
                )
            }
        }
        return steps
    }
}
