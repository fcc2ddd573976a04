import Foundation
import LockstepRepository

/// `bundle create`: the vendor's published repository, verified from its first root as a
/// customer would, packed for one channel's path into a tar written to a temporary name
/// and renamed when complete.
public struct BundleCreator: Sendable {
    public var repository: URL
    public var channel: String
    public var from: String?
    public var to: String
    public var now = Date()
    /// With `--images`: the engine, the targets keys that sign each archive, and the image
    /// references a manifest names.
    public var images: (engine: ImageEngine, keys: URL, references: @Sendable (String) throws -> [String])?

    public init(repository: URL, channel: String, from: String?, to: String) {
        self.repository = repository
        self.channel = channel
        self.from = from
        self.to = to
    }

    public func create(out: URL, progress: (@Sendable (String) -> Void)? = nil) async throws -> BundleDescriptor {
        let metadataDir = repository.appending(path: "metadata")
        guard let firstRoot = try? Data(contentsOf: metadataDir.appending(path: "1.root.json")) else {
            throw RepositoryError.notFound(file: metadataDir.appending(path: "1.root.json").path)
        }
        let trusted = MemoryTrustedStore(["root": firstRoot])
        var options = UpdaterOptions(now: now)
        options.ignoreTimestampExpiry = true
        var updater = try Updater(
            store: trusted,
            metadata: DirectoryTransport(root: metadataDir),
            targets: DirectoryTransport(root: repository.appending(path: "targets")),
            options: options
        )
        progress?("verifying \(repository.path)")
        try await updater.refresh()
        guard let firstTargets = updater.targets["targets"] else { throw RepositoryError.notFound(file: "targets.json") }
        let channelTarget = ChannelDocument.targetName(channel)
        guard let channelInfo = firstTargets.targets[channelTarget] else {
            throw BundleError.plan("channel \(channel) is not published in \(repository.path); run `lockstep publish` first")
        }
        let channelData = try await updater.download(channelTarget, info: channelInfo)
        let document = try ChannelDocument.decode(channelData, file: channelTarget)
        let steps = try BundlePath.steps(document, from: from, to: to)
        var manifests = [(String, Data)]()
        for digest in Set(steps.map(\.manifestSHA256)).sorted() {
            let name = "manifests/\(digest).yaml"
            guard let info = firstTargets.targets[name] else { throw RepositoryError.unknownTarget(name) }
            manifests.append((name, try await updater.download(name, info: info)))
        }
        var descriptor = BundleDescriptor(channel: channel, from: from, to: to, path: steps, createdAt: Timestamps.format(now))
        let temporary = out.deletingLastPathComponent().appending(path: ".\(out.lastPathComponent).partial-\(getpid())")
        let scratch = out.deletingLastPathComponent().appending(path: ".\(out.lastPathComponent).images-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var archives = [(BundleImage, URL)]()
        if let images {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            var byID = [String: [String]]()
            for (_, data) in manifests {
                for reference in try images.references(String(decoding: data, as: UTF8.self)) {
                    let id = try images.engine.imageID(reference)
                    if !(byID[id]?.contains(reference) ?? false) { byID[id, default: []].append(reference) }
                }
            }
            var signed = [String: TargetFile]()
            for (index, id) in byID.keys.sorted().enumerated() {
                progress?("saving image \(index + 1)/\(byID.count) \(byID[id]![0])")
                let url = scratch.appending(path: "\(id).tar")
                try images.engine.save(byID[id]![0], to: url)
                let info = try FileDigest.target(of: url)
                let image = BundleImage(id: id, references: byID[id]!.sorted(), size: info.length)
                signed[image.targetName] = info
                archives.append((image, url))
            }
            // Each archive becomes a target of the repository's own targets role, so its
            // hash and length are signed like the manifests'.
            try RepositoryWriter(keys: images.keys, out: repository, now: now).publish(files: [:], signedOnly: signed)
            updater = try Updater(
                store: MemoryTrustedStore(["root": firstRoot]),
                metadata: DirectoryTransport(root: metadataDir),
                targets: DirectoryTransport(root: repository.appending(path: "targets")),
                options: options
            )
            try await updater.refresh()
            descriptor.images = archives.map(\.0)
        }
        let files = updater.store is MemoryTrustedStore ? (updater.store as! MemoryTrustedStore).contents : [:]
        guard let snapshot = updater.snapshot, let targets = updater.targets["targets"] else { throw RepositoryError.notFound(file: "targets.json") }
        do {
            let writer = try TarWriter(creating: temporary)
            try writer.add(BundleDescriptor.entryName, data: try descriptor.encoded())
            for version in 1...updater.root.header.version {
                let name = "\(version).root.json"
                guard let data = try? Data(contentsOf: metadataDir.appending(path: name)) else { throw RepositoryError.notFound(file: name) }
                try writer.add("metadata/\(name)", data: data)
            }
            try writer.add("metadata/timestamp.json", data: files["timestamp"]!)
            try writer.add("metadata/\(snapshot.header.version).snapshot.json", data: files["snapshot"]!)
            try writer.add("metadata/\(targets.header.version).targets.json", data: files["targets"]!)
            try writer.add("targets/\(channelTarget)", data: channelData)
            for (index, (name, data)) in manifests.enumerated() {
                progress?("manifest \(index + 1)/\(manifests.count)")
                try writer.add("targets/\(name)", data: data)
            }
            for (index, (image, url)) in archives.enumerated() {
                let size = image.size
                try writer.add("targets/\(image.targetName)", file: url) { copied in
                    if copied % (64 << 20) < (1 << 20) || copied == size {
                        progress?("image \(index + 1)/\(archives.count): \(copied >> 20)/\(size >> 20) MiB")
                    }
                }
            }
            try writer.finish()
            try FileManager.default.moveItemReplacing(temporary, with: out)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return descriptor
    }
}

extension FileManager {
    func moveItemReplacing(_ source: URL, with destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw RepositoryError.io("cannot rename \(source.path) to \(destination.path): \(String(cString: strerror(errno)))")
        }
    }
}
