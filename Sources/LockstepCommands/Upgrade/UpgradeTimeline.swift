import Foundation
import LockstepRunner
import LockstepUpgrade

/// What one `upgrade` run did, gathered from its progress: the version it started
/// from, and each applied step's report (times, containers, exit codes).
final class UpgradeTimeline: @unchecked Sendable {
    struct FinishedStep: Sendable {
        var position: Int
        var version: String
        var report: ApplyReport
    }

    private let lock = NSLock()
    private var startedFrom: String?
    private var finished: [FinishedStep] = []

    var from: String? { lock.withLock { startedFrom } }
    var finishedSteps: [FinishedStep] { lock.withLock { finished } }

    func record(_ progress: UpgradeProgress) {
        lock.withLock {
            switch progress {
            case .planned(_, let from, _): startedFrom = from
            case .stepFinished(let position, _, let version, let report):
                finished.append(FinishedStep(position: position, version: version, report: report))
            default: break
            }
        }
    }
}
