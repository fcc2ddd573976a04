import Foundation
import GRDB
import Yams

extension Catalog {
    public struct ImportSummary: Sendable, Equatable {
        public var channels: Int
        public var releases: Int
        public var promotions: Int
    }

    /// Reads a catalog document, naming file, line and column of what is wrong.
    public static func loadDocument(text: String, file: String) throws -> CatalogDocument {
        do {
            let document = try YAMLDecoder().decode(CatalogDocument.self, from: text)
            if let unknown = CatalogDocument.unknownKey(in: text) {
                let known = (CatalogDocument.knownKeys[unknown.section] ?? []).sorted().joined(separator: ", ")
                let place = unknown.section == "document" ? "at the top level" : "in \(unknown.section)"
                throw CatalogError.invalidManifest(
                    file: file,
                    line: unknown.line,
                    column: unknown.column,
                    reason: "unknown key \"\(unknown.key)\" \(place); expected one of \(known)"
                )
            }
            return document
        } catch let error as YamlError {
            throw CatalogError.invalidManifest(file: file, line: error.line ?? 1, column: error.column ?? 1, reason: error.summary)
        } catch let error as DecodingError {
            let (path, reason) = Self.describe(error)
            let mark = Self.mark(of: path, in: text)
            throw CatalogError.invalidManifest(
                file: file,
                line: mark?.line ?? 1,
                column: mark?.column ?? 1,
                reason: "\(Self.render(path)): \(reason)"
            )
        }
    }

    /// Imports a whole history in one transaction: all of it or nothing.
    ///
    /// `checkManifest` gets every distinct manifest text and the name to report it under
    /// (the CLI passes the same lint as `release create`); manifest files must lie in the
    /// document's folder, symlinks resolved, so an import cannot store `/etc/shadow`.
    public func importDocument(
        _ document: CatalogDocument,
        file: String,
        progress: (@Sendable (Int, Int) -> Void)? = nil,
        checkManifest: ((_ text: String, _ file: String) throws -> Void)? = nil
    ) throws -> ImportSummary {
        for channel in document.channels ?? [] { try Self.checkChannelName(channel.name) }
        let folder = try ManifestFolder(documentPath: file)
        let defaultManifest = try document.defaults.flatMap { try Self.manifestText(inline: $0.manifest, file: $0.manifestFile, folder: folder) }
        var manifests: [String] = []
        manifests.reserveCapacity(document.releases.count)
        // A history often shares few manifests: check and hash each distinct text once.
        var digests: [String: String] = [:]
        for (index, release) in document.releases.enumerated() {
            guard let text = try Self.manifestText(inline: release.manifest, file: release.manifestFile, folder: folder) ?? defaultManifest else {
                throw CatalogError.invalidImport(
                    file: file,
                    reason: "releases[\(index)] (\(release.version)) has no manifest or manifestFile, and there is no defaults.manifest"
                )
            }
            if digests[text] == nil {
                let name =
                    release.manifestFile ?? (release.manifest == nil ? document.defaults?.manifestFile : nil) ?? "\(file) releases[\(index)].manifest"
                try Self.checkParses(manifest: text, file: name)
                try checkManifest?(text, name)
                digests[text] = Self.sha256(text)
            }
            manifests.append(text)
        }
        let promotions = document.promotions ?? []
        let total = document.releases.count + promotions.count
        return try write { db in
            var channelsCreated = 0
            for channel in document.channels ?? [] {
                if try ChannelRecord.filter(ChannelRecord.Columns.name == channel.name).fetchOne(db) == nil {
                    var record = ChannelRecord(
                        name: channel.name,
                        description: channel.description ?? "",
                        semver: channel.semver ?? true,
                        createdAt: Date()
                    )
                    try record.insert(db)
                    channelsCreated += 1
                }
            }
            var releasesByVersion: [String: ReleaseRecord] = [:]
            for (index, release) in document.releases.enumerated() {
                releasesByVersion[release.version] = try insertRelease(
                    db,
                    version: release.version,
                    manifest: manifests[index],
                    notes: release.notes ?? "",
                    digest: digests[manifests[index]]
                )
                progress?(index + 1, total)
            }
            for (index, promotion) in promotions.enumerated() {
                let release = try releasesByVersion[promotion.release] ?? self.release(db, promotion.release)
                _ = try promote(
                    db,
                    channelName: promotion.channel,
                    release: release,
                    required: promotion.required ?? false,
                    notes: promotion.notes ?? release.notes,
                    demoted: promotion.demoted ?? false
                )
                progress?(document.releases.count + index + 1, total)
            }
            return ImportSummary(channels: channelsCreated, releases: document.releases.count, promotions: promotions.count)
        }
    }

    /// The catalog as a document that `importDocument` reads back.
    public func exportDocument(channel channelName: String? = nil) throws -> CatalogDocument {
        try read { db in
            var channels = try ChannelRecord.order(ChannelRecord.Columns.id).fetchAll(db)
            if let channelName {
                channels = [try channel(db, named: channelName)]
            }
            var promotions: [PromotionView] = []
            for channel in channels {
                promotions += try self.promotions(db, channelID: channel.id!)
            }
            var releases = try ReleaseRecord.order(ReleaseRecord.Columns.sequence).fetchAll(db)
            if channelName != nil {
                let onChannel = Set(promotions.map(\.releaseSequence))
                releases = releases.filter { onChannel.contains($0.sequence ?? 0) }
            }
            return CatalogDocument(
                channels: channels.map { .init(name: $0.name, description: $0.description, semver: $0.semver) },
                releases: releases.map { .init(version: $0.version, notes: $0.notes, manifest: $0.manifest, manifestFile: nil) },
                promotions: promotions.map {
                    .init(channel: $0.channel, release: $0.version, required: $0.required, demoted: $0.demoted, notes: $0.notes)
                }
            )
        }
    }

    private static func manifestText(inline: String?, file: String?, folder: ManifestFolder) throws -> String? {
        if let inline { return inline }
        guard let file else { return nil }
        return try folder.read(file)
    }

    private static func describe(_ error: DecodingError) -> ([CodingKey], String) {
        switch error {
        case .typeMismatch(let type, let context): return (context.codingPath, "expected \(type)")
        case .valueNotFound(let type, let context): return (context.codingPath, "missing \(type) value")
        case .keyNotFound(let key, let context): return (context.codingPath, "missing key \"\(key.stringValue)\"")
        case .dataCorrupted(let context): return (context.codingPath, context.debugDescription)
        @unknown default: return ([], "\(error)")
        }
    }

    private static func render(_ path: [CodingKey]) -> String {
        guard !path.isEmpty else { return "document" }
        return path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    /// Follows a coding path through the YAML nodes to the position it names.
    private static func mark(of path: [CodingKey], in text: String) -> Mark? {
        guard var node = try? Yams.compose(yaml: text) else { return nil }
        for key in path {
            if let index = key.intValue, let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
            } else if let mapping = node.mapping, let child = mapping[key.stringValue] {
                node = child
            } else {
                break
            }
        }
        return node.mark
    }
}
