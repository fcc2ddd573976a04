import Foundation
import LockstepCatalog
import LockstepPlanner
import LockstepPlanning
import LockstepStore
import PropertyBased
import Synchronization
import Testing

/// The planning slice is an optimisation, never a second rule: for random channels in a
/// real store, the plan built from the slice `PlanInputs` reads equals the plan built
/// from the channel's whole history.
@Suite struct SliceEquivalenceTests {
    static let pool = [
        "0.9.0", "1.0.0-alpha", "1.0.0-beta.2", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0-0", "1.1.0", "1.2.0",
        "2.0.0-rc.2", "2.0.0", "2.1.0", "2.9.0", "2.10.0", "10.0.0",
    ]
    static let builds = ["", "+1", "+2"]

    struct Case: Sendable, CustomStringConvertible {
        struct Entry: Sendable {
            var label: String
            var required: Bool
            var demoted: Bool
        }
        var semver: Bool
        var entries: [Entry]
        /// Index into `entries`, or a pool label never promoted (`-1 - poolIndex`), or nil for a first install.
        var from: Int?
        var viaInstallation: Bool
        var target: String
        var allowDowngrade: Bool

        var description: String {
            let channel = entries.map { $0.label + ($0.required ? "!" : "") + ($0.demoted ? "~" : "") }
            return
                "\(semver ? "semver" : "promotion-ordered") \(channel), from \(from.map(String.init) ?? "nothing")\(viaInstallation ? " (installation)" : " (preview)"), to \(target)\(allowDowngrade ? ", allow downgrade" : "")"
        }
    }

    static let entry = zip(Gen.int(in: 0...(pool.count - 1)), Gen.int(in: 0...2), Gen.int(in: 0...14)).map { version, build, flags in
        Case.Entry(label: pool[version] + builds[build], required: flags % 3 == 0, demoted: flags % 5 == 0)
    }

    static let cases = zip(entry.array(of: 1...40), Gen.int(in: -16...60), Gen.int(in: -10...60), Gen.int(in: 0...15)).map {
        drawn,
        from,
        target,
        flags in
        var seen = Set<String>()
        let entries = drawn.filter { seen.insert($0.label).inserted }
        let fromChoice: Int? = from < -15 ? nil : from < 0 ? from : from % entries.count
        let targetLabel =
            target < 0
            ? "latest" : target % (entries.count + 3) < entries.count ? entries[target % (entries.count + 3)].label : pool[target % pool.count]
        return Case(
            semver: flags & 8 == 0,
            entries: entries,
            from: fromChoice,
            viaInstallation: flags & 2 != 0 && (fromChoice ?? -1) >= 0,
            target: targetLabel,
            allowDowngrade: flags & 1 != 0
        )
    }

    @Test func theSliceAndTheWholeHistoryGiveTheSamePlan() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-planning-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.open(path: folder.appendingPathComponent("store.sqlite").path)
        let catalog = try Catalog(store: store, actor: "planning-test")
        for version in Self.pool {
            for build in Self.builds {
                try catalog.createRelease(version: version + build, manifest: "name: t\ncomponents: []\n", manifestFile: "t.yaml")
            }
        }
        let counter = CaseCounter()
        let reached = CaseCounter()
        let multiStep = CaseCounter()

        await propertyCheck(count: 300, input: Self.cases) { scenario in
            let number = counter.increment()
            let channel = "c\(number)"
            do {
                _ = try catalog.createChannel(name: channel, semver: scenario.semver)
                for entry in scenario.entries {
                    _ = try catalog.promote(channel: channel, release: entry.label, required: entry.required)
                }
                for entry in scenario.entries where entry.demoted {
                    _ = try catalog.demote(channel: channel, .version(entry.label))
                }
                let origin: PlanOrigin
                switch scenario.from {
                case nil: origin = .none
                case let index? where index < 0: origin = .preview(version: Self.pool[(-1 - index) % Self.pool.count])
                case let index?:
                    let label = scenario.entries[index].label
                    origin =
                        scenario.viaInstallation
                        ? .installation(try catalog.markInstalled(name: "i\(number)", channel: channel, release: label))
                        : .preview(version: label)
                }
                let fromSlice = try PlanInputs(catalog: catalog).request(
                    origin: origin,
                    channel: channel,
                    target: scenario.target,
                    allowDowngrade: scenario.allowDowngrade,
                    confirmChannelSwitch: false
                )
                let whole = ChannelHistory(try catalog.channel(named: channel), promotions: try catalog.promotions(onChannel: channel))
                var fromWhole = fromSlice
                fromWhole.channel = whole
                if fromWhole.installed?.channel.name == channel { fromWhole.installed?.channel = whole }

                let sliced = Planner.plan(fromSlice)
                let full = Planner.plan(fromWhole)
                reached.increment()
                if case .success(let plan) = full, plan.steps.count > 1 { multiStep.increment() }
                #expect(sliced == full, "\(scenario)")
            } catch {
                Issue.record("setting up \(scenario): \(error)")
            }
        }
        // Both counts guard against a generator that stopped producing interesting channels.
        #expect(reached.count >= 250, "only \(reached.count) cases reached the comparison")
        #expect(multiStep.count >= 20, "only \(multiStep.count) cases planned more than one step")
    }
}

/// Counts the cases of a property check that reached a point, across its concurrent calls.
final class CaseCounter: Sendable {
    private let value = Mutex(0)

    @discardableResult
    func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }

    var count: Int { value.withLock { $0 } }
}
