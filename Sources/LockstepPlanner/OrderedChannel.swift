import LockstepVersioning

/// A channel's live (non-demoted) releases in channel order, with the comparisons
/// the rule needs. Semver channels order by precedence then channel sequence;
/// other channels by channel sequence alone.
struct OrderedChannel {
    typealias Position = ChannelPosition

    let history: ChannelHistory
    let live: [ChannelEntry]

    var name: String { history.name }
    var semver: Bool { history.semver }

    init(_ history: ChannelHistory) {
        self.history = history
        let semver = history.semver
        let inOrder: (ChannelEntry, ChannelEntry) -> Bool = { ChannelOrder.inOrder($0, $1, semver: semver) }
        var live = history.entries.filter { $0.isLive && (!semver || !$0.versionKey.isEmpty) }
        // Callers usually pass entries already in order; sorting is then skipped.
        if !zip(live, live.dropFirst()).allSatisfy({ !inOrder($1, $0) }) {
            live.sort(by: inOrder)
        }
        self.live = live
    }

    func position(of entry: ChannelEntry) -> Position {
        Position(entry)
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
    func compare(_ a: Position, _ b: Position) -> ChannelOrder.Comparison {
        ChannelOrder.compare(a, b, semver: semver)
    }

    /// Index of the first live entry strictly above `position` (binary search).
    private func firstIndex(above position: Position) -> Int {
        var low = 0
        var high = live.count
        while low < high {
            let middle = (low + high) / 2
            if compare(self.position(of: live[middle]), position) == .descending { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Index of the first live entry at or above `position`.
    private func firstIndex(atOrAbove position: Position) -> Int {
        var low = 0
        var high = live.count
        while low < high {
            let middle = (low + high) / 2
            if compare(self.position(of: live[middle]), position) == .ascending { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Required live releases strictly between two positions, ascending; for each
    /// required version, its latest live promotion among equivalent versions.
    func requiredStops(after lower: Position, before upper: Position) -> [PlanStep] {
        let start = firstIndex(above: lower)
        let end = firstIndex(atOrAbove: upper)
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
        let start = firstIndex(above: lower)
        let end = firstIndex(above: upper)
        guard start < end else { return [] }
        return live[start..<end].filter { $0.isLiveRequired && deployed.contains($0.releaseSequence) }
    }

    func isLiveRequired(releaseSequence: Int64) -> Bool {
        history.entries.contains { $0.releaseSequence == releaseSequence && $0.isLiveRequired }
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
        PlanStep(
            version: entry.version,
            releaseSequence: entry.releaseSequence,
            channelSequence: entry.channelSequence,
            required: entry.required,
            notes: entry.notes
        )
    }
}
