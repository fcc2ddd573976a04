import Foundation
import LockstepRunner
import LockstepRuntime
import LockstepUpgrade

/// `upgrade --output json`: the final report, on stdout. Statuses are wire names;
/// durations are seconds as numbers.
struct UpgradeReportJSON: Encodable {
    struct Migration: Encodable {
        var container: String
        var exitCode: Int32?
        var outcome: String
        var durationSeconds: Double?
    }

    struct Step: Encodable {
        var position: Int
        var version: String
        var channelSequence: Int64
        var required: Bool
        var state: String
        var failure: String?
        /// Set for the steps this run applied.
        var startedAt: Date?
        var finishedAt: Date?
        var durationSeconds: Double?
        var migrations: [Migration]?
    }

    var installation: String
    var upgradeID: String?
    var succeeded: Bool
    var fromVersion: String?
    var installedVersion: String?
    var failure: String?
    var durationSeconds: Double?
    var steps: [Step]
    var runs: [ContainerRunReport]

    init(_ outcome: UpgradeOutcome, installation: String, timeline: UpgradeTimeline? = nil) {
        self.installation = installation
        upgradeID = outcome.upgradeID
        succeeded = outcome.succeeded
        fromVersion = timeline?.from
        installedVersion = outcome.installedVersion
        failure = outcome.failure
        let applied = Dictionary((timeline?.finishedSteps ?? []).map { ($0.position, $0.report) }) { _, last in last }
        steps = outcome.steps.map { record in
            var step = Step(
                position: record.position,
                version: record.version,
                channelSequence: record.channelSequence,
                required: record.required,
                state: record.state.rawValue,
                failure: record.failure
            )
            if let report = applied[record.position] {
                step.startedAt = report.startedAt
                step.finishedAt = report.finishedAt
                step.durationSeconds = Self.seconds(report.startedAt, report.finishedAt)
                step.migrations = report.runs.filter(\.ephemeral).map { run in
                    Migration(
                        container: run.component + "/" + run.container,
                        exitCode: run.exitCode,
                        outcome: run.outcome.rawValue,
                        durationSeconds: zip(run.startedAt, run.finishedAt).map { Self.seconds($0, $1) }
                    )
                }
            }
            return step
        }
        let reports = timeline?.finishedSteps.map(\.report) ?? []
        if let first = reports.first, let last = reports.last {
            durationSeconds = Self.seconds(first.startedAt, last.finishedAt)
        }
        runs = outcome.reports.flatMap(\.runs)
    }

    private static func seconds(_ start: Date, _ end: Date) -> Double {
        (end.timeIntervalSince(start) * 1000).rounded() / 1000
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
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
