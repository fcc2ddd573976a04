import Foundation
import LockstepRunner
import LockstepUpgrade
import LockstepRuntime

/// `upgrade --output json`: the final report.
struct UpgradeReportJSON: Encodable {
    struct Step: Encodable {
        var position: Int
        var version: String
        var channelSequence: Int64
        var required: Bool
        var state: String
        var failure: String?
    }

    var installation: String
    var upgradeID: String?
    var succeeded: Bool
    var installedVersion: String?
    var failure: String?
    var steps: [Step]
    var runs: [ContainerRunReport]

    init(_ outcome: UpgradeOutcome, installation: String) {
        self.installation = installation
        upgradeID = outcome.upgradeID
        succeeded = outcome.succeeded
        installedVersion = outcome.installedVersion
        failure = outcome.failure
        steps = outcome.steps.map { Step(position: $0.position, version: $0.version, channelSequence: $0.channelSequence, required: $0.required, state: $0.state.rawValue, failure: $0.failure) }
        runs = outcome.reports.flatMap(\.runs)
    }
}

/// A step failed: the installation stays on its last good release.
struct UpgradeFailure: ExitCoded {
    let message: String
    let installedVersion: String?
    var cause: ApplyFailureCause?
    /// PostgreSQL that never became ready is a service unavailable (69); a migration or
    /// app that failed is a failure (1).
    var exitStatus: ExitStatus { cause == .databaseNotReady ? .unavailable : .failure }
    var userMessage: String {
        "upgrade stopped: \(message); the installation stays on \(installedVersion ?? "nothing installed")"
    }
}

extension UpgradeError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .manifest: return .invalidData
        case .lock(.timedOut): return .locked
        case .lock: return .failure
        case .journal: return .storeError
        case .imageMissing: return .notFound
        }
    }

    var userMessage: String { description }
}

/// A testing aid: `LOCKSTEP_CRASH_AT=<milestone>` makes the process kill itself with
/// SIGKILL at that point of an apply, the way a power cut or `kill -9` would.
/// Compiled only into debug builds (the ones tests run, `LOCKSTEP_TEST_HOOKS` in
/// Package.swift): a release binary has no way to kill itself on request.
enum CrashPoint {
    static func fromEnvironment() -> (@Sendable (RunMilestone) -> Void)? {
        #if LOCKSTEP_TEST_HOOKS
        guard let point = ProcessInfo.processInfo.environment["LOCKSTEP_CRASH_AT"], !point.isEmpty else { return nil }
        return { milestone in
            let name: String
            switch milestone {
            case .starting(_, true): name = "before-migration"
            case .ephemeralStarted: name = "during-migration"
            case .ephemeralExited: name = "after-migration"
            case .starting(_, false): name = "before-app-start"
            case .started: name = "after-app-start"
            default: return
            }
            if name == point {
                FileHandle.standardError.write(Data("LOCKSTEP_CRASH_AT=\(point): killing lockstep now\n".utf8))
                kill(getpid(), SIGKILL)
            }
        }
        #else
        return nil
        #endif
    }
}
