import Crypto
import Foundation
import GRDB
import LockstepStore
import Yams

/// Releases, channels, promotions and installations, kept in the store.
/// Every mutating call is one transaction: it either fully happens or writes nothing.
public struct Catalog: Sendable {
    public let store: Store
    public let actor: String

    /// Opens the catalog and makes sure the default channels exist in a new store.
    public init(store: Store, actor: String = Operator.current) throws {
        self.store = store
        self.actor = actor
        // Every command opens the catalog: only a new store pays for a write.
        guard try read({ db in try ChannelRecord.fetchCount(db) }) == 0 else { return }
        let defaults = try DefaultChannels.all()
        try write { db in
            guard try ChannelRecord.fetchCount(db) == 0 else { return }
            for definition in defaults {
                var channel = ChannelRecord(name: definition.name, description: definition.description, semver: definition.semver, createdAt: Date())
                try channel.insert(db)
            }
        }
    }

    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Releases

    /// Cuts a release, optionally promoting it in the same transaction.
    @discardableResult
    public func createRelease(
        version: String,
        manifest: String,
        manifestFile: String,
        notes: String = "",
        promoteTo channelName: String? = nil,
        required: Bool = false
    ) throws -> (release: ReleaseRecord, promotion: PromotionView?) {
        try Self.checkParses(manifest: manifest, file: manifestFile)
        return try write { db in
            let release = try insertRelease(db, version: version, manifest: manifest, notes: notes)
            var promotion: PromotionView?
            if let channelName {
                promotion = try promote(db, channelName: channelName, release: release, required: required, notes: notes)
            }
            return (release, promotion)
        }
    }

    func insertRelease(
        _ db: Database,
        version: String,
        manifest: String,
        notes: String,
        digest: String? = nil,
        at date: Date = Date()
    ) throws -> ReleaseRecord {
        guard !version.isEmpty, !version.contains(where: \.isWhitespace) else {
            throw CatalogError.invalidName(version, reason: "a version label is non-empty and has no spaces")
        }
        // `--to latest` means the newest release, so a release labelled latest could never be targeted.
        guard version.lowercased() != "latest" else {
            throw CatalogError.invalidName(
                version,
                reason: "\"latest\" is reserved for the newest release (`upgrade --to latest`); choose another version label"
            )
        }
        guard !version.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw CatalogError.invalidName(version, reason: "a version label has no control characters")
        }
        if let existing = try ReleaseRecord.filter(ReleaseRecord.Columns.version == version).fetchOne(db) {
            throw CatalogError.duplicateRelease(version: version, sequence: existing.sequence ?? 0)
        }
        var release = ReleaseRecord(
            version: version,
            notes: notes,
            manifest: manifest,
            manifestSHA256: digest ?? Self.sha256(manifest),
            createdAt: date,
            createdBy: actor
        )
        try release.insert(db)
        return release
    }

    /// A manifest must at least be YAML; the manifest module's lint goes further.
    public static func checkParses(manifest: String, file: String) throws {
        do {
            guard let node = try Yams.compose(yaml: manifest) else {
                throw CatalogError.invalidManifest(file: file, line: 1, column: 1, reason: "the manifest is empty")
            }
            guard node.mapping != nil else {
                let mark = node.mark
                throw CatalogError.invalidManifest(
                    file: file,
                    line: mark?.line ?? 1,
                    column: mark?.column ?? 1,
                    reason: "a manifest is a YAML mapping (name:, components: …)"
                )
            }
        } catch let error as YamlError {
            throw CatalogError.invalidManifest(file: file, line: error.line ?? 1, column: error.column ?? 1, reason: error.summary)
        }
    }

    public func releases() throws -> [ReleaseRecord] {
        try read { db in
            try ReleaseRecord.order(ReleaseRecord.Columns.sequence).fetchAll(db)
        }
    }

    /// A release by sequence number or by version label (the label wins when both match).
    public func release(_ reference: String) throws -> ReleaseRecord {
        try read { db in try release(db, reference) }
    }

    /// A release by its sequence number (its key), as journals and installations hold it.
    public func release(sequence: Int64) throws -> ReleaseRecord {
        guard let release = try read({ db in try ReleaseRecord.fetchOne(db, key: sequence) }) else {
            throw CatalogError.releaseNotFound(String(sequence))
        }
        return release
    }

    func release(_ db: Database, _ reference: String) throws -> ReleaseRecord {
        if let byVersion = try ReleaseRecord.filter(ReleaseRecord.Columns.version == reference).fetchOne(db) {
            return byVersion
        }
        if let sequence = Int64(reference), let bySequence = try ReleaseRecord.fetchOne(db, key: sequence) {
            return bySequence
        }
        throw CatalogError.releaseNotFound(reference)
    }

    public func promotions(ofRelease sequence: Int64) throws -> [PromotionView] {
        try read { db in
            try PromotionView.fetchAll(
                db,
                sql: PromotionView.selectSQL + " WHERE p.release_sequence = ? ORDER BY c.name, p.channel_sequence",
                arguments: [sequence]
            )
        }
    }
}

extension YamlError {
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    var column: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.column
        default: return nil
        }
    }

    var summary: String {
        switch self {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return "not valid YAML: " + [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        default:
            return "not valid YAML: \(self)"
        }
    }
}
