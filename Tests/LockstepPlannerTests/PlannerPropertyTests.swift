import LockstepPlanner
import LockstepVersioning
import PropertyBased
import Synchronization
import Testing

/// Properties of the rule over random channels; `ReferencePlanner` restates the rule
/// independently (SemanticVersion comparisons, linear scans) to judge every outcome.
@Suite struct PlannerPropertyTests {
    @Test(.shrinking) func upgradePathsWalkEveryRequiredVersionInBetweenOnceAndNothingElse() async {
        let reached = CaseCounter()
        await propertyCheck(count: 1500, input: RandomScenario.any) { scenario in
            guard case .success(let plan) = Planner.plan(scenario.request), plan.kind == .upgrade else { return }
            reached.increment()
            let installed = SemanticVersion(scenario.entries[scenario.installedIndex!].label)!
            let versions = plan.steps.map { SemanticVersion($0.version)! }

            #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 }, "steps not strictly ascending: \(scenario)")
            #expect(plan.steps.last?.version == plan.target, "\(scenario)")
            #expect(installed < versions.last! || installed == versions.last!, "\(scenario)")

            let live = scenario.history.entries.filter { !$0.demoted }
            let target = versions.last!
            let requiredBetween = Set(live.filter { $0.required }.map { SemanticVersion($0.version)! }.filter { installed < $0 && $0 < target })
            let stops = versions.dropLast()
            #expect(Set(stops) == requiredBetween, "stops \(stops) vs required \(requiredBetween.sorted()): \(scenario)")
            #expect(stops.count == requiredBetween.count, "a version appears twice: \(plan.steps.map(\.version)), \(scenario)")
        }
        #expect(reached.count >= 150, "only \(reached.count) of 1500 cases were upgrades")
    }

    @Test(.shrinking) func everyOutcomeFollowsTheRule() async {
        let plans = CaseCounter()
        let refusals = CaseCounter()
        await propertyCheck(count: 1500, input: RandomScenario.any) { scenario in
            let actual = Planner.plan(scenario.request)
            if case .success = actual { plans.increment() } else { refusals.increment() }
            let expected = ReferencePlanner.plan(scenario)
            switch (expected, actual) {
            case (.success(let want), .success(let got)):
                #expect(got.kind == want.kind, "\(scenario)")
                #expect(got.steps.map(\.version) == want.steps, "\(scenario)")
            case (.failure(let want), .failure(let got)):
                #expect(got.reason == want, "\(got.message): \(scenario)")
            case (.success(let want), .failure(let got)):
                Issue.record("expected \(want.kind) \(want.steps), refused \(got.reason): \(got.message); \(scenario)")
            case (.failure(let want), .success(let got)):
                Issue.record("expected refusal \(want), got \(got.kind) \(got.steps.map(\.version)); \(scenario)")
            }
        }
        // Both branches of the comparison must be exercised, not only one.
        #expect(plans.count >= 300 && refusals.count >= 150, "\(plans.count) plans and \(refusals.count) refusals of 1500 cases")
    }

    @Test(.shrinking) func aFirstInstallIsAlwaysOneStepToTheTarget() async {
        let reached = CaseCounter()
        await propertyCheck(count: 500, input: RandomScenario.firstInstall) { scenario in
            let result = Planner.plan(scenario.request)
            let hasLive = scenario.entries.contains { !$0.demoted }
            if scenario.target == .latest, hasLive {
                #expect(result.plan != nil, "\(result.refusal?.message ?? ""): \(scenario)")
            }
            guard let plan = result.plan else { return }
            reached.increment()
            #expect(plan.kind == .firstInstall, "\(scenario)")
            #expect(plan.steps.count == 1, "\(scenario)")
            #expect(plan.steps.first?.version == plan.target, "\(scenario)")
        }
        #expect(reached.count >= 100, "only \(reached.count) of 500 first installs were planned")
    }

    @Test(.shrinking) func noPathEverContainsADemotedPromotion() async {
        let reached = CaseCounter()
        await propertyCheck(count: 1500, input: RandomScenario.any) { scenario in
            guard let plan = Planner.plan(scenario.request).plan else { return }
            reached.increment()
            let history = scenario.history
            for step in plan.steps {
                let promotion = history.entries.first { $0.releaseSequence == step.releaseSequence }
                #expect(promotion != nil, "\(step.version) is not on the channel: \(scenario)")
                #expect(promotion?.demoted == false, "\(step.version) is demoted: \(scenario)")
            }
        }
        #expect(reached.count >= 300, "only \(reached.count) of 1500 cases were planned")
    }
}

/// The rule of DESIGN.md section 2, restated for a single semver channel without a switch.
enum ReferencePlanner {
    struct Plan {
        var kind: PlanKind
        var steps: [String]
    }

    enum Outcome {
        case success(Plan)
        case failure(PlanRefusal.Reason)
    }

    static func plan(_ scenario: RandomScenario) -> Outcome {
        let entries = scenario.history.entries
        let live = entries.filter { !$0.demoted }
        let version = { (entry: ChannelEntry) in SemanticVersion(entry.version)! }
        // Higher precedence, then later promotion.
        let above = { (a: ChannelEntry, b: ChannelEntry) in
            version(a) == version(b) ? a.channelSequence > b.channelSequence : version(b) < version(a)
        }

        let target: ChannelEntry
        switch scenario.target {
        case .latest:
            guard let highest = live.max(by: { above($1, $0) }) else { return .failure(.emptyChannel) }
            target = highest
        case .version(let label):
            if let named = live.first(where: { $0.version == label }) {
                target = named
            } else if !entries.contains(where: { $0.version == label }), SemanticVersion(label)!.build.isEmpty,
                let equivalent = live.filter({ version($0) == SemanticVersion(label)! }).max(by: { $0.channelSequence < $1.channelSequence })
            {
                // A bare version names that version: its latest live promotion (as for stops).
                // A label with build metadata, or a demoted one, names one release and is never replaced.
                target = equivalent
            } else {
                return .failure(.notOnChannel)
            }
        }
        guard let index = scenario.installedIndex else { return .success(Plan(kind: .firstInstall, steps: [target.version])) }
        let installed = entries.first { $0.version == scenario.entries[index].label }!
        if installed.releaseSequence == target.releaseSequence { return .success(Plan(kind: .redeploy, steps: [target.version])) }
        if scenario.lastDeployFailed, installed.required, !installed.demoted { return .failure(.failedRequiredRelease) }

        let from = version(installed)
        let to = version(target)
        if to < from {
            guard scenario.allowDowngrade else { return .failure(.downgrade) }
            let deployed = Set(scenario.entries.filter(\.deployed).map(\.label))
            let crossed = live.filter { $0.required && deployed.contains($0.version) && to < version($0) && !(from < version($0)) }
            return crossed.isEmpty ? .success(Plan(kind: .downgrade, steps: [target.version])) : .failure(.downgradePastRequired)
        }
        let requiredVersions = Set(live.filter { $0.required }.map(version).filter { from < $0 && $0 < to })
        let stops = requiredVersions.sorted().map { required in
            // One stop per version: its latest live promotion.
            live.filter { version($0) == required }.max { $0.channelSequence < $1.channelSequence }!.version
        }
        return .success(Plan(kind: .upgrade, steps: stops + [target.version]))
    }
}

/// Counts the cases of a property check that reached its checks, across concurrent calls.
final class CaseCounter: Sendable {
    private let value = Mutex(0)

    func increment() { value.withLock { $0 += 1 } }

    var count: Int { value.withLock { $0 } }
}
