import LockstepVersioning

/// A channel's live (non-demoted) releases in channel order, with the comparisons
/// the rule needs. Semver channels order by precedence then channel sequence;
/// other channels by channel sequence alone.
struct OrderedChannel {
    struct Position {
        let versionKey: String
        let channelSequence: Int64
    }

    enum Comparison { case ascending, equivalent, descending }

    let history: ChannelHistory
    let live: [ChannelEntry]

    var name: String { history.name }
    var semver: Bool { history.semver }

    init(_ history: ChannelHistory) {
        self.history = history
        let semver = history.semver
        let inOrder: (ChannelEntry, ChannelEntry) -> Bool = { a, b in
            if semver, a.versionKey != b.versionKey { return a.versionKey < b.versionKey }
            return a.channelSequence < b.channelSequence
        }
        var live = history.entries.filter { !$0.demoted && (!semver || !$0.versionKey.isEmpty) }
        // Callers usually pass entries already in order; sorting is then skipped.
        if !zip(live, live.dropFirst()).allSatisfy({ !inOrder($1, $0) }) {
            live.sort(by: inOrder)
        }
        self.live = live
    }

    func position(of entry: ChannelEntry) -> Position {
        Position(versionKey: entry.versionKey, channelSequence: entry.channelSequence)
    }

    /// Where the installed release sits on this channel; `nil` when a promotion-ordered
    /// channel never had it.
    func position(of installed: InstalledState) -> Position? {
        let ownPromotion = history.entries.filter { $0.releaseSequence == installed.releaseSequence }.max { $0.channelSequence < $1.channelSequence }
        if semver {
            guard let key = SemanticVersion(installed.version)?.precedenceKey else { return nil }
            return Position(versionKey: key, channelSequence: ownPromotion?.channelSequence ?? 0)
        }
        return ownPromotion.map { Position(versionKey: $0.versionKey, channelSequence: $0.channelSequence) }
    }

    /// Precedence only: equivalent versions (build metadata aside) compare equal.
    func compare(_ a: Position, _ b: Position) -> Comparison {
        if semver {
            if a.versionKey == b.versionKey { return .equivalent }
            return a.versionKey < b.versionKey ? .ascending : .descending
        }
        if a.channelSequence == b.channelSequence { return .equivalent }
        return a.channelSequence < b.channelSequence ? .ascending : .descending
    }

    /// Index of the first live entry strictly above `position` (binary search).
    private func firstIndex(above position: Position) -> Int {
        var low = 0, high = live.count
        while low < high {
            let middle = (low + high) / 2
            if compare(self.position(of: live[middle]), position) == .descending { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Index of the first live entry at or above `position`.
    private func firstIndex(atOrAbove position: Position) -> Int {
        var low = 0, high = live.count
        while low < high {
            let middle = (low + high) / 2
            if compare(self.position(of: live[middle]), position) == .ascending { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Required live releases strictly between two positions, ascending; for each
    /// required version, its latest live promotion among equivalent versions.
    func requiredStops(after lower: Position, before upper: Position) -> [PlanStep] {
        let start = firstIndex(above: lower), end = firstIndex(atOrAbove: upper)
        guard start < end else { return [] }
        var stops: [PlanStep] = []
        var index = start
        while index < end {
            var last = index
            var anyRequired = live[index].required
            if semver {
                while last + 1 < end, live[last + 1].versionKey == live[index].versionKey {
                    last += 1
                    anyRequired = anyRequired || live[last].required
                }
            }
            if anyRequired {
                var step = self.step(for: live[last])
                step.required = true
                stops.append(step)
            }
            index = last + 1
        }
        return stops
    }

    /// Required live releases in (lower, upper] that the installation actually deployed.
    func deployedRequired(in deployed: Set<Int64>, above lower: Position, upTo upper: Position) -> [ChannelEntry] {
        let start = firstIndex(above: lower), end = firstIndex(above: upper)
        guard start < end else { return [] }
        return live[start..<end].filter { $0.required && deployed.contains($0.releaseSequence) }
    }

    func isLiveRequired(releaseSequence: Int64) -> Bool {
        history.entries.contains { $0.releaseSequence == releaseSequence && $0.required && !$0.demoted }
    }

    /// The closest live versions below and above a label that is not on the channel.
    func nearest(to label: String) -> [String] {
        guard semver, let wanted = SemanticVersion(label) else {
            return live.suffix(3).map(\.version)
        }
        let position = Position(versionKey: wanted.precedenceKey, channelSequence: 0)
        let below = firstIndex(atOrAbove: position)
        let above = firstIndex(above: position)
        var result: [String] = []
        if below > 0 { result.append(live[below - 1].version) }
        // Other builds of the wanted version, when the one named is demoted or unknown.
        result += live[below..<above].map(\.version)
        if above < live.count { result.append(live[above].version) }
        return result
    }

    func step(for entry: ChannelEntry) -> PlanStep {
        PlanStep(version: entry.version, releaseSequence: entry.releaseSequence, channelSequence: entry.channelSequence, required: entry.required, notes: entry.notes)
    }
}
