import Foundation

/// Caps from python-tuf's defaults: no download is read past its cap, whatever the
/// server says.
public struct UpdaterLimits: Sendable {
    public var rootMaxLength = 512_000
    public var timestampMaxLength = 16_384
    public var snapshotMaxLength = 2_000_000
    public var targetsMaxLength = 5_000_000
    public var maxRootRotations = 256
    public var maxDelegations = 32

    public init() {}
}

public struct UpdaterOptions: Sendable {
    public var limits = UpdaterLimits()
    /// Proceed on expired metadata; the roles it happened to are in `acceptedExpired`.
    public var acceptExpired = false
    /// Air-gap bundles are carried for days: their timestamp's expiry is not enforced
    /// (DESIGN 12); root, snapshot and targets expiry and every version still are.
    public var ignoreTimestampExpiry = false
    public var now: Date

    public init(now: Date = Date(), acceptExpired: Bool = false) {
        self.now = now
        self.acceptExpired = acceptExpired
    }
}
