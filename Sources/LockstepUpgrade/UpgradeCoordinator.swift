import Foundation
import LockstepCatalog
import LockstepLedger
import LockstepManifest
import LockstepPlanner
import LockstepPlanning
import LockstepRunner
import LockstepRuntime
import LockstepStore
import Logging

/// The customer's main job (design section 6): take the installation's lock, plan,
/// and apply each step with the runner, journaling every state change and recording
/// everything in the ledger. An interrupted upgrade is resumed, never repeated.
public struct UpgradeCoordinator: Sendable {
    public let catalog: Catalog
    public let engine: any ContainerEngine
    public let logger: Logger
    public var milestones: (@Sendable (RunMilestone) -> Void)?

    private var store: Store { catalog.store }
    private var journal: UpgradeJournal { UpgradeJournal(store: store) }
    private var ledger: Ledger { Ledger(store: store) }

    public init(catalog: Catalog, engine: any ContainerEngine, logger: Logger, milestones: (@Sendable (RunMilestone) -> Void)? = nil) {
        self.catalog = catalog
        self.engine = engine
        self.logger = logger
        self.milestones = milestones
    }

    public func run(_ request: UpgradeRequest, progress: @escaping @Sendable (UpgradeProgress) -> Void) async throws -> UpgradeOutcome {
        let lock: InstallationLock
        do {
            lock = try await InstallationLock.acquire(installation: request.installation, storePath: store.path, timeout: request.lockTimeout) {
                holder in
                progress(.waitingForLock(holder: holder?.description))
            }
        } catch let error as InstallationLock.LockError {
            throw UpgradeError.lock(error)
        }
        defer { withExtendedLifetime(lock) {} }

        var reports: [ApplyReport] = []
        var lastSteps: [UpgradeStepRecord] = []
        if let (upgrade, steps) = try journal.unfinished(installation: request.installation) {
            let remaining = steps.filter { $0.state != .succeeded }
            progress(.resuming(upgradeID: upgrade.id, remaining: remaining.count))
            try ledgerRecorder(for: upgrade).resumed(remaining: remaining.count, of: steps.count)
            let channel = try channelName(id: upgrade.channelID)
            let outcome = try await walk(upgrade: upgrade, steps: steps, channel: channel, request: request, progress: progress)
            reports += outcome.reports
            lastSteps = outcome.steps
            guard outcome.succeeded, !request.resumeOnly else {
                return UpgradeOutcome(
                    upgradeID: upgrade.id,
                    succeeded: outcome.succeeded,
                    installedVersion: try installedVersion(request.installation),
                    failure: outcome.failure,
                    steps: outcome.steps,
                    reports: reports
                )
            }
        } else if request.resumeOnly {
            progress(.nothingToResume)
            return UpgradeOutcome(
                upgradeID: nil,
                succeeded: true,
                installedVersion: try installedVersion(request.installation),
                failure: nil,
                steps: [],
                reports: []
            )
        }

        let existing = try catalog.installationIfExists(named: request.installation)
        let inputs = PlanInputs(catalog: catalog)
        let channel = try inputs.channelName(requested: request.channel, installation: existing)
        let planRequest = try inputs.request(
            origin: existing.map { $0.releaseSequence == nil ? .none : .installation($0) } ?? .none,
            channel: channel,
            target: request.target,
            allowDowngrade: request.allowDowngrade,
            confirmChannelSwitch: request.confirmChannelSwitch
        )
        let plan = try Planner.plan(planRequest).get()
        if plan.kind == .redeploy, try nothingToRedeploy(existing, request: request, resumed: !lastSteps.isEmpty) {
            progress(.upToDate(version: plan.target))
            return UpgradeOutcome(upgradeID: nil, succeeded: true, installedVersion: plan.target, failure: nil, steps: lastSteps, reports: reports)
        }
        try await checkImages(plan.steps)
        let installation = try catalog.ensureInstallation(
            name: request.installation,
            channel: channel,
            nodeAddress: request.nodeAddress,
            network: request.network
        )
        let upgrade = UpgradeRecord(
            id: UUID().uuidString.lowercased(),
            installation: installation.name,
            channelID: installation.channelID,
            target: plan.target,
            kind: plan.kind,
            status: .running,
            failure: nil,
            operatorName: catalog.actor,
            host: ProcessInfo.processInfo.hostName,
            startedAt: Date(),
            finishedAt: nil
        )
        let steps = plan.steps.enumerated().map { index, step in
            UpgradeStepRecord(
                upgradeID: upgrade.id,
                position: index + 1,
                releaseSequence: step.releaseSequence,
                version: step.version,
                channelSequence: step.channelSequence,
                required: step.required,
                state: .pending,
                runID: UUID().uuidString.lowercased(),
                failure: nil,
                updatedAt: Date()
            )
        }
        try journal.begin(upgrade, steps: steps)
        for warning in plan.warnings { logger.warning("\(warning)") }
        progress(.planned(steps: steps, from: plan.from, kind: plan.kind))
        try ledgerRecorder(for: upgrade).started(plan, channel: channel)
        let outcome = try await walk(upgrade: upgrade, steps: steps, channel: channel, request: request, progress: progress)
        return UpgradeOutcome(
            upgradeID: upgrade.id,
            succeeded: outcome.succeeded,
            installedVersion: try installedVersion(request.installation),
            failure: outcome.failure,
            steps: outcome.steps,
            reports: reports + outcome.reports
        )
    }

    /// Every image of every step, looked up in one engine call before anything changes.
    private func checkImages(_ steps: [PlanStep]) async throws {
        var needed = [(version: String, image: String)]()
        for step in steps {
            let release = try catalog.release(sequence: step.releaseSequence)
            // A manifest that does not parse is reported by the step itself, as before.
            guard let manifest = try? Manifest.load(text: release.manifest, file: "release \(release.version) manifest") else { continue }
            for container in manifest.containers where !needed.contains(where: { $0.image == container.imageReference }) {
                needed.append((release.version, container.imageReference))
            }
        }
        guard !needed.isEmpty, let found = try? await engine.imageIDs(needed.map(\.image)) else { return }
        if let missing = needed.first(where: { found[$0.image] == nil }) {
            throw UpgradeError.imageMissing(version: missing.version, image: missing.image)
        }
    }

    /// Applies the steps not yet succeeded, one after the other; stops at the first failure.
    private func walk(
        upgrade: UpgradeRecord,
        steps: [UpgradeStepRecord],
        channel: String,
        request: UpgradeRequest,
        progress: @escaping @Sendable (UpgradeProgress) -> Void
    ) async throws -> (succeeded: Bool, failure: String?, steps: [UpgradeStepRecord], reports: [ApplyReport]) {
        var reports: [ApplyReport] = []
        let recorder = ledgerRecorder(for: upgrade)
        let installation = try catalog.installation(named: upgrade.installation)
        var config = try journal.savedConfig(installation: upgrade.installation, sealer: request.configSealer, given: Set(request.configValues.keys))
        config.merge(request.configValues) { _, new in new }
        for step in steps where step.state != .succeeded {
            let count = steps.count
            progress(.stepStarted(position: step.position, of: count, version: step.version))
            let release = try catalog.release(sequence: step.releaseSequence)
            let rendered: RenderedManifest
            do {
                let manifest = try Manifest.load(text: release.manifest, file: "release \(release.version) manifest")
                rendered = try manifest.render(values: ConfigValues(config), nodeAddress: request.nodeAddress ?? installation.nodeAddress)
            } catch {
                // A manifest that cannot render changes nothing: the step never starts.
                throw UpgradeError.manifest(version: release.version, reason: String(describing: error))
            }
            try journal.saveConfig(
                installation: upgrade.installation,
                values: rendered.configValues,
                secrets: rendered.secrets,
                sealer: request.configSealer
            )
            try journal.setStep(upgrade.id, position: step.position, state: .running)
            try recorder.stepStarted(step, of: count, release: release, channel: channel)
            let milestones = self.milestones
            let options = RunnerOptions(
                installation: upgrade.installation,
                releaseLabel: release.version,
                network: NetworkMode(request.network ?? installation.network),
                onFailure: request.onFailure,
                rawPortListen: request.rawPortListen,
                runID: step.runID,
                journal: journal,
                databaseLock: request.databaseLock,
                milestones: { milestone in
                    milestones?(milestone)
                    progress(.milestone(position: step.position, of: count, milestone))
                }
            )
            let report = await ReleaseRunner(engine: engine, logger: logger).apply(rendered, options: options)
            reports.append(report)
            try recorder.runs(of: report, release: release, channel: channel, secrets: rendered.secrets)
            // "done, installation runs X" is shown only once the journal says so: a kill
            // before this point resumes the step, and the user was not told it was done.
            defer { progress(.stepFinished(position: step.position, of: count, version: release.version, report: report)) }
            try catalog.recordDeployment(
                installation: upgrade.installation,
                releaseSequence: step.releaseSequence,
                channel: channel,
                succeeded: report.succeeded
            )
            if report.succeeded {
                try journal.setStep(upgrade.id, position: step.position, state: .succeeded)
                try recorder.stepSucceeded(report, release: release, channel: channel)
            } else {
                let failure = report.failure ?? "the step failed"
                try journal.setStep(upgrade.id, position: step.position, state: .failed, failure: failure)
                try journal.finish(upgrade.id, status: .failed, failure: failure)
                try recorder.stepFailed(report, release: release, channel: channel, failure: failure, secrets: rendered.secrets)
                try recorder.failed(target: upgrade.target, at: release.version, channel: channel, failure: failure, secrets: rendered.secrets)
                return (false, failure, try journal.steps(of: upgrade.id), reports)
            }
        }
        try journal.finish(upgrade.id, status: .succeeded)
        try recorder.succeeded(target: upgrade.target, channel: channel)
        return (true, nil, try journal.steps(of: upgrade.id), reports)
    }

    /// Design section 2, rule 3: the release already running, last deployed successfully,
    /// is not deployed again (ten concurrent `upgrade --to X` run its migration once)
    /// unless `--redeploy` asks for it; a failed last deploy is retried.
    private func nothingToRedeploy(_ installation: InstallationRecord?, request: UpgradeRequest, resumed: Bool) throws -> Bool {
        if resumed { return true }
        guard let installation, let sequence = installation.releaseSequence else { return false }
        if request.redeploy { return false }
        return try catalog.lastDeploymentSucceeded(installation: installation.name, releaseSequence: sequence)
    }

    private func ledgerRecorder(for upgrade: UpgradeRecord) -> UpgradeLedgerRecorder {
        UpgradeLedgerRecorder(ledger: ledger, upgradeID: upgrade.id, installation: upgrade.installation)
    }

    private func channelName(id: Int64) throws -> String {
        try catalog.channel(id: id).name
    }

    private func installedVersion(_ installation: String) throws -> String? {
        guard let sequence = try catalog.installationIfExists(named: installation)?.releaseSequence else { return nil }
        return try catalog.release(sequence: sequence).version
    }
}
