import Foundation
import LockstepManifest
import LockstepRedaction
import LockstepRuntime
import Logging

/// Brings one release's containers up in event order (design section 5): unchanged
/// containers keep running, roots start first, each event starts its subscribers,
/// an ephemeral container must exit 0 before what follows it starts.
public struct ReleaseRunner: Sendable {
    public let engine: any ContainerEngine
    public let logger: Logger

    public init(engine: any ContainerEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    public func apply(_ manifest: RenderedManifest, options: RunnerOptions) async -> ApplyReport {
        let startedAt = Date()
        let plan = ApplyPlan(manifest: manifest, options: options)
        let state = ApplyState()
        let existing: [ContainerSummary]
        do {
            existing = try await engine.list(labels: [LockstepLabel.install: options.installation])
        } catch {
            return .refused(manifest.redact("cannot list containers: \(error)"), startedAt: startedAt)
        }
        let kept = plan.unchangedRunning(in: existing)
        let recordedExits: [String: Int32]
        do {
            recordedExits = try await plan.recordedExits()
        } catch {
            // Without the journal a migration that already ran could run twice: change nothing.
            return .refused("cannot read the exit codes journaled by an interrupted apply: \(error)", startedAt: startedAt)
        }
        let resumed = plan.resumedEphemerals(in: existing, recordedExits: recordedExits)
        let images = ImageCheck(
            engine: engine,
            needed: plan.containers.filter { !kept.contains($0.id) && !resumed.contains($0.id) }.compactMap { container in
                plan.specs[container.id].map { (container.id, $0.image) }
            },
            resuming: existing.contains { $0.labels[LockstepLabel.runID] == options.runID } || !resumed.isEmpty
        )
        let keptNames = Set(kept.compactMap { plan.specs[$0]?.name })
        // An unchanged app must not write during a migration either: only the containers
        // that publish database events (the database itself) run through it untouched.
        let databaseNames = plan.databasePublisherNames
        let previous = existing.filter { $0.status == .running && (!keptNames.contains($0.name) || !databaseNames.contains($0.name)) }

        // A crashed earlier run may have stopped the previous app for its migration:
        // if this run fails, those are restored too.
        let ephemeralNames = Set(plan.containers.filter(\.ephemeral).compactMap { plan.specs[$0.id]?.name })
        // ...and a database it parked (only running ones are) is still the previous release's.
        // A copy parked by another run is never started or removed by this one.
        var parkedCopies: Set<String> = []
        for container in existing {
            guard let original = plan.parkedOriginal(of: container) else { continue }
            parkedCopies.insert(container.name)
            // This run parks databases, and apps it created a replacement for ahead of a migration.
            if container.name == ContainerNaming.parked(original, runID: options.runID) {
                await state.park(ParkedContainer(name: original, parkedName: container.name, wasRunning: true))
            } else {
                logger.warning(
                    "\(container.name) is a database container an earlier upgrade kept aside; lockstep leaves it alone: remove it (`\(engine.kind.rawValue) rm \(container.name)`) once it is not needed"
                )
            }
        }
        await state.seedRestorable(
            existing.filter {
                $0.status != .running && !ephemeralNames.contains($0.name) && !parkedCopies.contains($0.name)
            }.map(\.name)
        )

        let byName = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let events = EventArmer(engine: engine, logger: logger, plan: plan, state: state)
        let teardown = ReleaseTeardown(engine: engine, logger: logger, plan: plan, state: state, previous: previous)
        let launcher = ContainerLauncher(
            engine: engine,
            logger: logger,
            plan: plan,
            state: state,
            kept: kept,
            existing: byName,
            images: images,
            events: events,
            ephemerals: EphemeralRunner(
                engine: engine,
                logger: logger,
                plan: plan,
                state: state,
                events: events,
                existing: byName,
                recordedExits: recordedExits
            ),
            teardown: teardown,
            stager: AppStager(engine: engine, logger: logger, plan: plan, state: state, kept: kept, existing: byName)
        )
        await withTaskGroup(of: Void.self) { group in
            for container in plan.containers {
                group.addTask { await launcher.launch(container) }
            }
        }

        var restored: [String] = []
        let failure = await state.failure
        if failure != nil {
            await teardown.stopStartedContainers()
            await teardown.removeUnstartedStaged()
            if options.onFailure == .restore {
                restored = await teardown.unpark() + teardown.restorePrevious()
            }
            await teardown.removeFinishedEphemerals()
        } else {
            await teardown.restartKeptStoppedForMigration(keptNames)
            // Removals only: the new release runs already, so they go to the engine at once.
            async let finished: Void = teardown.removeFinishedEphemerals()
            async let obsolete: Void = teardown.removeObsolete()
            await teardown.removeParked()
            _ = await (finished, obsolete)
        }
        let runs = await state.runs.sorted { ($0.startedAt ?? .distantPast) < ($1.startedAt ?? .distantPast) }
        return ApplyReport(
            succeeded: failure == nil,
            failure: failure.map(manifest.redact),
            failureCause: await state.failureCause,
            runs: runs,
            firedEvents: await state.fired.map(\.description),
            stoppedPrevious: await state.stoppedPrevious,
            restoredPrevious: restored,
            startedAt: startedAt,
            finishedAt: Date()
        )
    }
}

/// What the manifest asks for, as engine specs.
struct ApplyPlan: Sendable {
    let manifest: RenderedManifest
    let options: RunnerOptions
    let graph: EventGraph
    let containers: [ManifestContainer]
    let specs: [ContainerID: ContainerSpec]
    /// Names of the containers that publish a database event.
    let databasePublisherNames: Set<String>
    /// What masks containers' output (secrets and connection-string passwords).
    let masking: Redactor

    init(manifest: RenderedManifest, options: RunnerOptions) {
        self.manifest = manifest
        self.options = options
        graph = manifest.graph
        containers = manifest.containers
        let builder = ContainerSpecBuilder(options: options, nodeAddress: manifest.nodeAddress)
        let specs = Dictionary(containers.map { ($0.id, builder.spec(for: $0)) }, uniquingKeysWith: { first, _ in first })
        self.specs = specs
        databasePublisherNames = Set(
            containers.filter { container in
                container.publishEvents.contains(where: container.isDatabaseEvent)
            }.compactMap { specs[$0.id]?.name }
        )
        masking = OutputFollower.masking(manifest)
    }

    /// The name a parked copy had before it was renamed aside, if `container` is one: its
    /// labels name the container it was, and its name extends that one's.
    func parkedOriginal(of container: ContainerSummary) -> String? {
        guard let component = container.labels[LockstepLabel.component], let key = container.labels[LockstepLabel.container] else { return nil }
        let original = ContainerNaming.name(install: options.installation, component: component, container: key)
        return container.name.hasPrefix(original + ContainerNaming.parkedInfix) ? original : nil
    }

    /// Exit codes an interrupted apply of this run journaled, by ephemeral container name.
    func recordedExits() async throws -> [String: Int32] {
        guard let journal = options.journal else { return [:] }
        var recorded: [String: Int32] = [:]
        for container in containers where container.ephemeral {
            guard let name = specs[container.id]?.name else { continue }
            recorded[name] = try await journal.recordedExit(runID: options.runID, containerName: name)
        }
        return recorded
    }

    /// Ephemeral containers an interrupted apply of this run left behind (still there, or
    /// with an exit code journaled): they are judged, not run, so they need no image.
    func resumedEphemerals(in existing: [ContainerSummary], recordedExits: [String: Int32]) -> Set<ContainerID> {
        Set(
            containers.filter { container in
                guard container.ephemeral, let name = specs[container.id]?.name else { return false }
                return recordedExits[name] != nil
                    || existing.contains { $0.name == name && $0.labels[LockstepLabel.runID] == options.runID && $0.status != .created }
            }.map(\.id)
        )
    }

    /// The report of one container of this release.
    func report(
        _ container: ManifestContainer,
        _ spec: ContainerSpec,
        imageID: String?,
        outcome: ContainerRunReport.Outcome,
        startedAt: Date?,
        detail: String? = nil
    ) -> ContainerRunReport {
        ContainerRunReport(
            component: container.component,
            container: container.key,
            name: spec.name,
            image: spec.image,
            imageID: imageID,
            command: (spec.entrypoint ?? []) + (spec.command ?? []),
            environment: Dictionary(spec.environment.map { ($0.name, manifest.redact($0.value)) }, uniquingKeysWith: { _, last in last }),
            ephemeral: container.ephemeral,
            startedAt: startedAt,
            finishedAt: nil,
            exitCode: nil,
            outcome: outcome,
            detail: detail,
            logTail: ""
        )
    }

    /// Long-running containers whose spec is unchanged and that run: a database is
    /// not restarted for an app upgrade.
    func unchangedRunning(in existing: [ContainerSummary]) -> Set<ContainerID> {
        Set(
            containers.filter { container in
                guard !container.ephemeral, let spec = specs[container.id] else { return false }
                return existing.contains { $0.name == spec.name && $0.status == .running && $0.specHash == spec.labels[LockstepLabel.specHash] }
            }.map(\.id)
        )
    }
}
