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
            store: trusted, metadata: DirectoryTransport(root: metadataDir), targets: DirectoryTransport(root: repository.appending(path: "targets")), options: options)
        progress?("verifying \(repository.path)")
        try await updater.refresh()
        guard let targets = updater.targets["targets"], let snapshot = updater.snapshot else { throw RepositoryError.notFound(file: "targets.json") }
        let channelTarget = ChannelDocument.targetName(channel)
        guard let channelInfo = targets.targets[channelTarget] else {
            throw BundleError.plan("channel \(channel) is not published in \(repository.path); run `lockstep publish` first")
        }
        let channelData = try await updater.download(channelTarget, info: channelInfo)
        let document = try ChannelDocument.decode(channelData, file: channelTarget)
        let steps = try BundlePath.steps(document, from: from, to: to)
        var manifests = [(String, Data)]()
        for digest in Set(steps.map(\.manifestSHA256)).sorted() {
            let name = "manifests/\(digest).yaml"
            guard let info = targets.targets[name] else { throw RepositoryError.unknownTarget(name) }
            manifests.append((name, try await updater.download(name, info: info)))
        }
        let descriptor = BundleDescriptor(channel: channel, from: from, to: to, path: steps, createdAt: Timestamps.format(now))
        let files = trusted.contents
        let temporary = out.deletingLastPathComponent().appending(path: ".\(out.lastPathComponent).partial-\(getpid())")
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
