import Foundation
import LockstepCatalog
import LockstepManifest

/// Channels with their releases in order, and one release with its manifest.
extension ConsoleData {
    func channelsPage() throws -> ConsolePage {
        let channels = try catalog.channels().map { channel -> [String: Any] in
            let promotions = try catalog.promotions(onChannel: channel.name).map { promotion -> [String: Any] in
                [
                    "channelSequence": promotion.channelSequence, "releaseSequence": promotion.releaseSequence,
                    "version": promotion.version, "required": promotion.required, "demoted": promotion.demoted,
                    "notes": promotion.notes, "promotedAt": Self.iso(promotion.promotedAt), "promotedAtText": Self.text(promotion.promotedAt),
                ]
            }
            return [
                "id": channel.id ?? 0, "name": channel.name, "description": channel.description, "semver": channel.semver,
                "promotions": promotions, "hasPromotions": !promotions.isEmpty,
            ]
        }
        return ConsolePage(title: "Channels", section: .channels, template: "channels", data: ["channels": channels])
    }

    func releasePage(sequence: Int64) throws -> ConsolePage {
        let record: ReleaseRecord
        do {
            record = try catalog.release(sequence: sequence)
        } catch {
            return .message("Release not found", "There is no release with sequence \(sequence).", status: 404)
        }
        let promotions = try catalog.promotions(ofRelease: sequence).map { promotion -> [String: Any] in
            [
                "channel": promotion.channel, "channelSequence": promotion.channelSequence, "required": promotion.required,
                "demoted": promotion.demoted,
            ]
        }
        let lint = Linter.lint(text: record.manifest, file: "release \(record.version)")
        var manifestText = record.manifest
        var graphSVG: String?
        if let manifest = try? Manifest.load(text: record.manifest, file: "release \(record.version)") {
            manifestText = Self.masked(record.manifest, secrets: manifest.configItems.filter(\.isSecret).compactMap(\.manifestValue))
            graphSVG = EventGraphSVG.render(EventGraph(manifest))
        } else {
            manifestText = "(the manifest does not parse; it is not shown because its secrets cannot be told apart)"
        }
        var data: [String: Any] = [
            "sequence": record.sequence ?? sequence, "createdAt": Self.text(record.createdAt), "createdBy": record.createdBy,
            "sha256": record.manifestSHA256, "notes": record.notes, "promotions": promotions,
            "lint": lint.map { ["severity": $0.severity.rawValue, "text": $0.description] }, "lintClean": lint.isEmpty,
            "manifest": manifestText,
        ]
        if let graphSVG { data["graphSVG"] = graphSVG }
        return ConsolePage(title: "Release \(record.version)", section: .channels, template: "release", data: data)
    }

    /// Password values replaced by `***`, longest first so that a secret holding another is hidden whole.
    static func masked(_ text: String, secrets: [String]) -> String {
        secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
