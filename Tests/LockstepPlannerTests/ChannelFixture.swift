import LockstepPlanner
import LockstepVersioning

/// Compact channel notation for the tables: `"1.2.0"` live, `"1.2.0!"` required,
/// `"1.2.0~"` demoted, `"1.2.0!~"` required and demoted. The position in the list
/// is the promotion order: channel sequences 1, 2, 3…
enum ChannelFixture {
    static func history(_ specs: [String], name: String = "Stable", semver: Bool = true) -> ChannelHistory {
        let entries = specs.enumerated().map { index, spec in
            entry(spec, channelSequence: Int64(index + 1))
        }
        return ChannelHistory(name: name, semver: semver, entries: entries)
    }

    static func entry(_ spec: String, channelSequence: Int64) -> ChannelEntry {
        let (label, required, demoted) = parse(spec)
        return ChannelEntry(
            version: label,
            releaseSequence: releaseSequence(of: label),
            channelSequence: channelSequence,
            required: required,
            demoted: demoted,
            notes: "notes of \(label)"
        )
    }

    static func parse(_ spec: String) -> (label: String, required: Bool, demoted: Bool) {
        var label = Substring(spec)
        var required = false
        var demoted = false
        while let last = label.last, last == "!" || last == "~" {
            if last == "!" { required = true } else { demoted = true }
            label = label.dropLast()
        }
        return (String(label), required, demoted)
    }

    /// A release is the same vendor artifact on every channel, so its sequence
    /// depends on the label alone (djb2; no collisions among the labels used here).
    static func releaseSequence(of label: String) -> Int64 {
        var hash: UInt64 = 5381
        for byte in label.utf8 { hash = hash &* 33 &+ UInt64(byte) }
        return Int64(hash % 1_000_000_007) + 1
    }

    static func installed(
        _ label: String,
        on channel: ChannelHistory,
        lastDeployFailed: Bool = false,
        deployed: [String] = []
    ) -> InstalledState {
        InstalledState(
            version: label,
            releaseSequence: releaseSequence(of: label),
            channel: channel,
            lastDeployFailed: lastDeployFailed,
            deployedReleaseSequences: Set(deployed.map(releaseSequence(of:)))
        )
    }
}

extension Result where Success == UpgradePlan, Failure == PlanRefusal {
    var plan: UpgradePlan? { try? get() }

    var refusal: PlanRefusal? {
        if case .failure(let refusal) = self { return refusal }
        return nil
    }
}
