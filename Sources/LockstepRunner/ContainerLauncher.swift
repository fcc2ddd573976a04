import Foundation
import LockstepManifest
import LockstepProbe
import LockstepRuntime
import Logging

/// Starts one container when its first starting event fires: keeps an unchanged one,
/// hands an ephemeral one to `EphemeralRunner`, and has `EventArmer` arm the events
/// each container publishes.
struct ContainerLauncher: Sendable {
    let engine: any ContainerEngine
    let logger: Logger
    let plan: ApplyPlan
    let state: ApplyState
    /// Unchanged running containers of this release: left alone.
    let kept: Set<ContainerID>
    /// The installation's containers when the apply began, by name: a name not among
    /// them needs no engine call to make way for a new container.
    let existing: [String: ContainerSummary]
    /// Looked up once for the whole apply, so a started container needs no inspection.
    let images: ImageCheck
    let events: EventArmer
    let ephemerals: EphemeralRunner
    let teardown: ReleaseTeardown
    let stager: AppStager

    func launch(_ container: ManifestContainer) async {
        let id = container.id
        guard let spec = plan.specs[id] else { return }
        let starting = plan.graph.startingEvents(of: id)
        var cause: EventID?
        if !starting.isEmpty {
            guard let fired = await state.waitForAny(of: Set(starting)) else { return }
            cause = fired
        }
        guard await state.failure == nil else { return }

        if kept.contains(id) {
            let runningImageID = existing[spec.name]?.imageID
            if await state.takeRestorable(spec.name) {
                // Unchanged, but stopped so it would not write during the migration.
                do {
                    try await engine.start(spec.name)
                } catch {
                    let reason = "cannot start the unchanged \(id) again after the migration: \(plan.manifest.redact(String(describing: error)))"
                    await state.record(plan.report(container, spec, imageID: runningImageID, outcome: .failed, startedAt: nil, detail: reason))
                    await state.fail(reason)
                    return
                }
                await state.record(
                    plan.report(
                        container,
                        spec,
                        imageID: runningImageID,
                        outcome: .kept,
                        startedAt: Date(),
                        detail: "stopped during the migration, started again"
                    )
                )
                logger.info("\(id) unchanged: started again after the migration")
            } else {
                logger.info("\(id) unchanged and running: kept")
                await state.record(plan.report(container, spec, imageID: runningImageID, outcome: .kept, startedAt: nil))
            }
            await events.arm(container, name: spec.name)
            return
        }
        let nameMayBeTaken: Bool
        if container.ephemeral {
            // A migration an interrupted apply left behind is judged first: it needs no image.
            switch await ephemerals.resumable(container, spec: spec) {
            case .finished: return
            case .adopted:
                await ephemerals.runToCompletion(container, spec: spec)
                return
            case .fresh(let taken):
                nameMayBeTaken = taken
            }
        } else {
            nameMayBeTaken = existing[spec.name] != nil
        }
        let imageIDs: [String: String]
        switch await images.result() {
        case .success(let found): imageIDs = found
        case .failure(let failure):
            await state.fail(failure.reason)
            return
        }
        let imageID = imageIDs[spec.image]
        // A migration is created while the previous apps stop (creating changes nothing
        // they could notice); it starts only once they have stopped.
        var created: Task<Void, any Error>?
        if container.ephemeral, let cause, followsDatabaseEvent(cause) {
            created = Task { try await make(spec, nameMayBeTaken: nameMayBeTaken) }
            await state.stopPreviousOnce { await teardown.stopPreviousApps() }
        }
        var databaseLock: PostgresAdvisoryLock?
        if container.ephemeral, plan.options.databaseLock, let cause, let connection = databaseConnection(of: cause) {
            plan.options.milestones?(.waiting(event: "advisory lock on the database"))
            do {
                databaseLock = try await PostgresAdvisoryLock.acquire(connection: connection, key: Self.migrationLockKey, logger: logger)
            } catch {
                await state.fail("cannot take the database lock for \(id): \(plan.manifest.redact(String(describing: error)))")
                if let created, (try? await created.value) != nil { try? await engine.remove(spec.name, force: true) }
                return
            }
        }
        plan.options.milestones?(.starting(container: spec.name, ephemeral: container.ephemeral))
        let staged = container.ephemeral ? false : await state.wasStaged(spec.name)
        do {
            if let created {
                try await created.value
            } else if !staged {
                try await make(spec, nameMayBeTaken: nameMayBeTaken)
            }
            let run = plan.report(container, spec, imageID: imageID, outcome: .running, startedAt: Date())
            try await engine.start(spec.name)
            await state.record(run)
            logger.info("started \(id)\(cause.map { " on \($0)" } ?? "")")
            plan.options.milestones?(container.ephemeral ? .ephemeralStarted(container: spec.name) : .started(container: spec.name))
        } catch {
            await state.record(
                plan.report(
                    container,
                    spec,
                    imageID: imageID,
                    outcome: .failed,
                    startedAt: Date(),
                    detail: plan.manifest.redact(String(describing: error))
                )
            )
            await state.fail("cannot start \(id): \(plan.manifest.redact(String(describing: error)))")
            try? await engine.remove(spec.name, force: true)
            if let databaseLock { try? await databaseLock.unlock() }
            return
        }
        if container.ephemeral {
            // Started first: the engine serves the migration before the app it waits for.
            await stager.stageSubscribers(of: container)
            await ephemerals.runToCompletion(container, spec: spec)
            if let databaseLock {
                try? await databaseLock.unlock()
            }
        } else {
            await state.noteStarted(spec.name)
            await events.arm(container, name: spec.name)
        }
    }

    /// Creates the container, making way for an old one under its name first.
    private func make(_ spec: ContainerSpec, nameMayBeTaken: Bool) async throws {
        if nameMayBeTaken { try await replaceSameName(spec.name) }
        _ = try await engine.create(spec)
    }

    /// The connection string of a database event, for the advisory lock.
    private func databaseConnection(of event: EventID) -> String? {
        guard let definition = plan.graph.event(event), let publisher = plan.graph.container(event.container) else { return nil }
        if case .postgres(let connection) = events.waiter.kind(of: definition, on: publisher) { return connection }
        return nil
    }

    /// One advisory-lock key for every lockstep migration on a database, whatever the
    /// installation or host: the database is what must not be migrated twice at once.
    static let migrationLockKey = PostgresAdvisoryLock.key(for: "lockstep migration")

    private func followsDatabaseEvent(_ event: EventID) -> Bool {
        guard let definition = plan.graph.event(event), let publisher = plan.graph.container(event.container) else { return false }
        return publisher.isDatabaseEvent(definition)
    }

    /// A deterministic name is reused across releases: the old container makes way,
    /// stopped gracefully first unless it already was (for the migration, usually).
    private func replaceSameName(_ name: String) async throws {
        // Skipped only when it is known to be stopped: the listing may be minutes old.
        let status = existing[name]?.status
        let knownStopped = status == .exited || status == .created
        let wasRunning = status == .running
        if !knownStopped, !(await state.stoppedPrevious.contains(name)) {
            do {
                try await engine.stop(name, timeout: nil)
            } catch RuntimeError.containerNotFound {}
        }
        if try await teardown.parkIfDatabase(name, wasRunning: wasRunning) { return }
        try await engine.removeIfPresent(name, force: true)
        await state.forgetStoppedPrevious(name)
    }
}
