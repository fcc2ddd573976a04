import Foundation
import LockstepCatalog
import LockstepLedger
import LockstepPlanner
import LockstepRunner

/// Writes the ledger rows of one upgrade: the coordinator says what happened, this
/// type alone knows which rows that makes and what each row holds.
struct UpgradeLedgerRecorder: Sendable {
    let ledger: Ledger
    let upgradeID: String
    let installation: String

    func resumed(remaining: Int, of total: Int) throws {
        try append(
            .init(
                kind: .upgrade,
                event: .resumed,
                status: .running,
                upgradeID: upgradeID,
                installation: installation,
                message: "resuming: \(remaining) of \(total) steps left"
            )
        )
    }

    func started(_ plan: UpgradePlan, channel: String) throws {
        try append(
            .init(
                kind: .upgrade,
                event: .started,
                status: .running,
                upgradeID: upgradeID,
                installation: installation,
                channel: channel,
                releaseVersion: plan.target,
                message: "\(plan.kind) \(plan.from ?? "(new)") -> \(plan.target): " + plan.steps.map(\.version).joined(separator: ", ")
            )
        )
    }

    func stepStarted(_ step: UpgradeStepRecord, of count: Int, release: ReleaseRecord, channel: String) throws {
        try append(
            stepEntry(
                event: .started,
                status: .running,
                release: release,
                channel: channel,
                message: "step \(step.position)/\(count): \(release.version)\(step.required ? " (required)" : "")"
            )
        )
    }

    /// One row per container the step ran.
    func runs(of report: ApplyReport, release: ReleaseRecord, channel: String, secrets: [String]) throws {
        let runs = report.runs.map { run in
            NewLedgerEntry(
                kind: .run,
                event: run.outcome == .failed ? .failed : .succeeded,
                status: Self.status(of: run.outcome),
                upgradeID: upgradeID,
                installation: installation,
                channel: channel,
                releaseSequence: release.sequence,
                releaseVersion: release.version,
                manifestSHA256: release.manifestSHA256,
                component: run.component,
                container: run.container,
                image: run.image,
                imageID: run.imageID,
                command: run.command,
                environment: run.environment,
                startedAt: run.startedAt,
                finishedAt: run.finishedAt,
                exitCode: run.exitCode.map(Int64.init),
                logTail: run.logTail,
                message: run.detail,
                secrets: secrets
            )
        }
        _ = try ledger.append(contentsOf: runs, redacting: secrets)
    }

    func stepSucceeded(_ report: ApplyReport, release: ReleaseRecord, channel: String) throws {
        var entry = stepEntry(
            event: .succeeded,
            status: .succeeded,
            release: release,
            channel: channel,
            message: "installation now runs \(release.version)"
        )
        entry.startedAt = report.startedAt
        entry.finishedAt = report.finishedAt
        try append(entry)
    }

    func stepFailed(_ report: ApplyReport, release: ReleaseRecord, channel: String, failure: String, secrets: [String]) throws {
        var entry = stepEntry(event: .failed, status: .failed, release: release, channel: channel, message: failure)
        entry.startedAt = report.startedAt
        entry.finishedAt = report.finishedAt
        entry.secrets = secrets
        try append(entry)
    }

    func failed(target: String, at version: String, channel: String, failure: String, secrets: [String]) throws {
        try append(
            .init(
                kind: .upgrade,
                event: .failed,
                status: .failed,
                upgradeID: upgradeID,
                installation: installation,
                channel: channel,
                releaseVersion: target,
                message: "stopped at \(version): \(failure)",
                secrets: secrets
            )
        )
    }

    func succeeded(target: String, channel: String) throws {
        try append(
            .init(
                kind: .upgrade,
                event: .succeeded,
                status: .succeeded,
                upgradeID: upgradeID,
                installation: installation,
                channel: channel,
                releaseVersion: target,
                message: "installation runs \(target)"
            )
        )
    }

    /// A run's outcome in the ledger's words, one by one: no outcome passes through as an unchecked string.
    static func status(of outcome: ContainerRunReport.Outcome) -> LedgerStatus {
        switch outcome {
        case .kept: .kept
        case .running: .running
        case .succeeded: .succeeded
        case .failed: .failed
        case .stopped: .stopped
        }
    }

    private func stepEntry(event: LedgerEvent, status: LedgerStatus, release: ReleaseRecord, channel: String, message: String) -> NewLedgerEntry {
        NewLedgerEntry(
            kind: .step,
            event: event,
            status: status,
            upgradeID: upgradeID,
            installation: installation,
            channel: channel,
            releaseSequence: release.sequence,
            releaseVersion: release.version,
            manifestSHA256: release.manifestSHA256,
            message: message
        )
    }

    private func append(_ entry: NewLedgerEntry) throws {
        _ = try ledger.append(entry, redacting: entry.secrets)
    }
}
