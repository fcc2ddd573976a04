import Foundation
import LockstepCatalog

/// A release as `release ls/show --output json` prints it (the manifest only in `show`).
struct ReleaseSummary: Encodable {
    var sequence: Int64
    var version: String
    var notes: String
    var manifestSHA256: String
    var createdAt: Date
    var createdBy: String
    var promotions: [PromotionSummary]
    var manifest: String?

    init(_ release: ReleaseRecord, promotions: [PromotionView], includeManifest: Bool = false) {
        sequence = release.sequence ?? 0
        version = release.version
        notes = release.notes
        manifestSHA256 = release.manifestSHA256
        createdAt = release.createdAt
        createdBy = release.createdBy
        self.promotions = promotions.map(PromotionSummary.init)
        manifest = includeManifest ? release.manifest : nil
    }
}

struct PromotionSummary: Encodable {
    var channel: String
    var channelSequence: Int64
    var version: String
    var releaseSequence: Int64
    var required: Bool
    var demoted: Bool
    var notes: String
    var promotedAt: Date
    var promotedBy: String
    var demotedAt: Date?

    init(_ view: PromotionView) {
        channel = view.channel
        channelSequence = view.channelSequence
        version = view.version
        releaseSequence = view.releaseSequence
        required = view.required
        demoted = view.demoted
        notes = view.notes
        promotedAt = view.promotedAt
        promotedBy = view.promotedBy
        demotedAt = view.demotedAt
    }
}
