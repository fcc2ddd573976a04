import Foundation
import LockstepCatalog
import LockstepPlanner
import LockstepRepository

/// The planner's rule over a signed channel file, the same rule as `plan --from`.
enum BundlePath {
    static func history(_ document: ChannelDocument) -> ChannelHistory {
        ChannelHistory(
            name: document.name,
            semver: document.semver,
            entries: document.promotions.map {
                ChannelEntry(
                    version: $0.version,
                    releaseSequence: $0.releaseSequence,
                    channelSequence: $0.channelSequence,
                    required: $0.required,
                    notes: $0.notes ?? ""
                )
            }
        )
    }

    static func steps(_ document: ChannelDocument, from: String?, to: String) throws -> [BundleDescriptor.Step] {
        let history = history(document)
        var installed: InstalledState?
        if let from {
            guard let promotion = document.promotions.last(where: { $0.version == from }) else {
                throw BundleError.plan("--from \(from) is not a live release on channel \(document.name)")
            }
            installed = InstalledState(version: from, releaseSequence: promotion.releaseSequence, channel: history)
        }
        switch Planner.plan(PlanRequest(installed: installed, channel: history, target: PlanTarget(to))) {
        case .failure(let refusal):
            throw BundleError.plan(refusal.message)
        case .success(let plan):
            return plan.steps.map { step in
                let promotion = document.promotions.first { $0.channelSequence == step.channelSequence }!
                return BundleDescriptor.Step(
                    version: step.version,
                    channelSequence: step.channelSequence,
                    required: step.required,
                    manifestSHA256: promotion.manifest.sha256
                )
            }
        }
    }
}
