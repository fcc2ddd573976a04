/// Where an entry sits on a channel: by precedence (SemVer channels) or by promotion.
public struct ChannelPosition: Sendable, Hashable {
    public var versionKey: String
    public var channelSequence: Int64

    public init(versionKey: String, channelSequence: Int64) {
        self.versionKey = versionKey
        self.channelSequence = channelSequence
    }

    public init(_ entry: ChannelEntry) {
        self.init(versionKey: entry.versionKey, channelSequence: entry.channelSequence)
    }
}

/// The one order of a channel: SemVer channels by precedence, then by promotion; other
/// channels by promotion alone. The planner and the store's planning slice both use it.
public enum ChannelOrder {
    public static func inOrder(_ a: ChannelEntry, _ b: ChannelEntry, semver: Bool) -> Bool {
        if semver, a.versionKey != b.versionKey { return a.versionKey < b.versionKey }
        return a.channelSequence < b.channelSequence
    }

    /// Precedence only: equivalent versions (build metadata aside) compare equal.
    public static func compare(_ a: ChannelPosition, _ b: ChannelPosition, semver: Bool) -> Comparison {
        if semver {
            if a.versionKey == b.versionKey { return .equivalent }
            return a.versionKey < b.versionKey ? .ascending : .descending
        }
        if a.channelSequence == b.channelSequence { return .equivalent }
        return a.channelSequence < b.channelSequence ? .ascending : .descending
    }

    public enum Comparison: Sendable { case ascending, equivalent, descending }
}

/// The promotions a plan between the installed release and the target reads, besides
/// theirs: the live required ones strictly above the lower of the two and up to the
/// higher (rule 5 walks them up, rule 6 refuses to cross the deployed ones down), and
/// on a SemVer channel every live promotion equivalent to one of those (a stop is the
/// latest live promotion of its version). A store that reads only these for a plan
/// gets the plan the whole history would give.
public struct PlanWindow: Sendable, Hashable {
    public var semver: Bool
    public var lower: ChannelPosition
    public var upper: ChannelPosition

    public init(semver: Bool, between a: ChannelPosition, and b: ChannelPosition) {
        self.semver = semver
        let aFirst = ChannelOrder.compare(a, b, semver: semver) != .descending
        (lower, upper) = aFirst ? (a, b) : (b, a)
    }

    /// A live required promotion whose stop or crossing the plan must see.
    public func needs(_ entry: ChannelEntry) -> Bool {
        guard entry.isLiveRequired else { return false }
        let position = ChannelPosition(entry)
        return ChannelOrder.compare(position, lower, semver: semver) == .descending
            && ChannelOrder.compare(position, upper, semver: semver) != .descending
    }
}

extension ChannelEntry {
    /// Not demoted: the planner may pick it.
    public var isLive: Bool { !demoted }
    /// Live and required: a stop on the way up, a wall on the way down.
    public var isLiveRequired: Bool { required && !demoted }
}
