import LockstepPlanner
import LockstepVersioning
import PropertyBased

/// A random planning situation: a channel of 1…60 promotions drawn from a small pool
/// of versions (so builds of one version, pre-releases and duplicates by build are
/// frequent), random required/demoted/deployed flags, an installed release and a target.
struct RandomScenario: Sendable, CustomStringConvertible {
    /// Distinct versions in ascending precedence.
    static let pool = [
        "0.9.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
        "1.0.0", "1.0.1", "1.1.0-0", "1.1.0-1", "1.1.0-a-b", "1.1.0", "1.2.0", "2.0.0-rc.2", "2.0.0", "2.1.0",
        "2.9.0", "2.10.0", "2.12.0", "10.0.0",
    ]

    struct Entry: Sendable {
        var label: String
        var required: Bool
        var demoted: Bool
        var deployed: Bool
    }

    var entries: [Entry]
    /// `nil`: first install; otherwise an index into `entries` (which may be demoted).
    var installedIndex: Int?
    var target: PlanTarget
    var lastDeployFailed: Bool
    var allowDowngrade: Bool

    var history: ChannelHistory {
        ChannelFixture.history(entries.map { $0.label + ($0.required ? "!" : "") + ($0.demoted ? "~" : "") })
    }

    var request: PlanRequest {
        let history = history
        let installed = installedIndex.map { index in
            ChannelFixture.installed(
                entries[index].label,
                on: history,
                lastDeployFailed: lastDeployFailed,
                deployed: entries.filter(\.deployed).map(\.label)
            )
        }
        return PlanRequest(installed: installed, channel: history, target: target, allowDowngrade: allowDowngrade)
    }

    var description: String {
        let channel = entries.map { $0.label + ($0.required ? "!" : "") + ($0.demoted ? "~" : "") + ($0.deployed ? "(d)" : "") }
        let installed = installedIndex.map { entries[$0].label } ?? "nothing"
        return
            "channel \(channel), installed \(installed)\(lastDeployFailed ? " (failed)" : ""), target \(target)\(allowDowngrade ? ", allow downgrade" : "")"
    }

    static let entry = zip(Gen.int(in: 0...(pool.count - 1)), Gen.int(in: 0...2), Gen.int(in: 0...59)).map { index, build, flags in
        Entry(
            label: pool[index] + (build == 0 ? "" : "+\(build)"),
            required: flags % 3 == 0,
            demoted: (flags / 3) % 5 == 0,
            deployed: (flags / 15) % 2 == 0
        )
    }

    /// Labels repeat across the drawn entries; a label is promoted once per channel (the catalog refuses
    /// a duplicate), so later duplicates are dropped.
    static func make(_ drawn: [Entry], installed: Int, target: Int, flags: Int) -> RandomScenario {
        var seen = Set<String>()
        let entries = drawn.filter { seen.insert($0.label).inserted }
        let targetChoice: PlanTarget
        if target < 0 {
            targetChoice = .latest
        } else if target % (entries.count + 4) < entries.count {
            targetChoice = .version(entries[target % (entries.count + 4)].label)
        } else {
            targetChoice = .version(pool[target % pool.count])
        }
        return RandomScenario(
            entries: entries,
            installedIndex: installed < 0 ? nil : installed % entries.count,
            target: targetChoice,
            lastDeployFailed: flags & 6 == 6,
            allowDowngrade: flags & 1 != 0
        )
    }

    static let any = zip(entry.array(of: 1...60), Gen.int(in: -8...80), Gen.int(in: -20...80), Gen.int(in: 0...7)).map {
        make($0, installed: $1, target: $2, flags: $3)
    }

    static let firstInstall = zip(entry.array(of: 1...60), Gen.int(in: -20...80)).map {
        make($0, installed: -1, target: $1, flags: 0)
    }
}
