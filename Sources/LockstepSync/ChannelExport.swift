import Foundation
import LockstepCatalog
import LockstepRepository

/// The vendor's side of a channel: its live promotions as the signed target
/// `channels/<NAME>.json`, plus each manifest as `manifests/<sha256>.yaml`.
public enum ChannelExport {
    public static func files(catalog: Catalog, channels names: [String]? = nil) throws -> [String: Data] {
        let channels = try catalog.channels().filter { names == nil || names!.contains($0.name) }
        if let names {
            for name in names where !channels.contains(where: { $0.name == name }) { _ = try catalog.channel(named: name) }
        }
        var files = [String: Data]()
        var manifestText = [Int64: String]()
        for release in try catalog.releases() { manifestText[release.sequence!] = release.manifest }
        for channel in channels where try catalog.mirrorRemote(ofChannelID: channel.id!) == nil {
            var promotions = [ChannelDocument.Promotion]()
            for promotion in try catalog.promotions(onChannel: channel.name) where !promotion.demoted {
                let manifest = Data((manifestText[promotion.releaseSequence] ?? "").utf8)
                let reference = ChannelDocument.ManifestReference(sha256: TargetFile(data: manifest).hashes["sha256"]!, length: Int64(manifest.count))
                files[reference.targetName] = manifest
                promotions.append(
                    ChannelDocument.Promotion(
                        channelSequence: promotion.channelSequence,
                        releaseSequence: promotion.releaseSequence,
                        version: promotion.version,
                        required: promotion.required,
                        notes: promotion.notes.isEmpty ? nil : promotion.notes,
                        promotedAt: Timestamps.format(promotion.promotedAt),
                        manifest: reference
                    )
                )
            }
            files[ChannelDocument.targetName(channel.name)] = try ChannelDocument(name: channel.name, semver: channel.semver, promotions: promotions)
                .encoded()
        }
        return files
    }
}
