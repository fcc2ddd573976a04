import LockstepCatalog
import LockstepPlanner

extension ChannelHistory {
    /// A channel and its promotions, as the catalog stores them, in the planner's terms.
    public init(_ channel: ChannelRecord, promotions: [PromotionView]) {
        self.init(name: channel.name, semver: channel.semver, entries: promotions.map(ChannelEntry.init))
    }
}

extension ChannelEntry {
    public init(_ promotion: PromotionView) {
        self.init(
            version: promotion.version,
            versionKey: promotion.versionKey,
            releaseSequence: promotion.releaseSequence,
            channelSequence: promotion.channelSequence,
            required: promotion.required,
            demoted: promotion.demoted,
            notes: promotion.notes
        )
    }
}
