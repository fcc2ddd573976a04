import Foundation
import LockstepManifest
import LockstepProbe
import LockstepRuntime
import Logging

/// Starts one container when its first starting event fires, runs ephemeral ones
/// to completion, and arms the events each container publishes.
struct ContainerLauncher: Sendable {
    let engine: any ContainerEngine
    let logger: Logger
    let plan: ApplyPlan
    let state: ApplyState
    let kept: Set<ContainerID>
    let previous: [ContainerSummary]
    /// The installation's containers when the apply began, by name: a name not among
    /// them needs no engine call to make way for a new container.
    let existing: [String: ContainerSummary]
    /// Exit codes an interrupted apply of this run journaled, by container name.
    let recordedExits: [String: Int32]
    /// Looked up once for the whole apply, so a started container needs no inspection.
    let images: ImageCheck

    private var waiter: TriggerWaiter {
        TriggerWaiter(engine: engine, logger: logger, nodeAddress: plan.manifest.nodeAddress, rawPortListen: plan.options.rawPortListen, publishesPorts: plan.options.network.publishesPorts)
    }

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
                try? await engine.start(spec.name)
                await state.record(report(container, spec, imageID: runningImageID, outcome: .kept, startedAt: Date(), detail: "stopped during the migration, started again"))
                logger.info("\(id) unchanged: started again after the migration")
            } else {
                logger.info("\(id) unchanged and running: kept")
                await state.record(report(container, spec, imageID: runningImageID, outcome: .kept, startedAt: nil))
            }
            await armEvents(of: container, name: spec.name)
            return
        }
        var nameMayBeTaken = existing[spec.name] != nil
        if container.ephemeral {
            // A migration an interrupted apply left behind is judged first: it needs no image.
            switch await resumable(container, spec: spec) {
            case .finished: return
            case .adopted:
                await runToCompletion(container, spec: spec)
                return
            case .fresh(let taken):
                nameMayBeTaken = taken
            }
        }
        let imageIDs: [String: String]
        switch await images.result() {
        case .success(let found): imageIDs = found
        case .failure(let failure):
            await state.fail(failure.reason)
            return
        }
        let imageID = imageIDs[spec.image]
        if container.ephemeral {
            if let cause, followsDatabaseEvent(cause) {
                await state.stopPreviousOnce { await stopPreviousApps() }
            }
        }
        var databaseLock: PostgresAdvisoryLock?
        if container.ephemeral, plan.options.databaseLock, let cause, let connection = databaseConnection(of: cause) {
            plan.options.milestones?(.waiting(event: "advisory lock on the database"))
            do {
                databaseLock = try await PostgresAdvisoryLock.acquire(connection: connection, key: Self.migrationLockKey, logger: logger)
            } catch {
                await state.fail("cannot take the database lock for \(id): \(plan.manifest.redact(String(describing: error)))")
                return
            }
        }
        plan.options.milestones?(.starting(container: spec.name, ephemeral: container.ephemeral))
        do {
            if nameMayBeTaken { try await replaceSameName(spec.name) }
            _ = try await engine.create(spec)
            let run = report(container, spec, imageID: imageID, outcome: .running, startedAt: Date())
            try await engine.start(spec.name)
            await state.record(run)
            logger.info("started \(id)\(cause.map { " on \($0)" } ?? "")")
            plan.options.milestones?(container.ephemeral ? .ephemeralStarted(container: spec.name) : .started(container: spec.name))
        } catch {
            await state.record(report(container, spec, imageID: imageID, outcome: .failed, startedAt: Date(), detail: plan.manifest.redact(String(describing: error))))
            await state.fail("cannot start \(id): \(plan.manifest.redact(String(describing: error)))")
            try? await engine.remove(spec.name, force: true)
            if let databaseLock { try? await databaseLock.unlock() }
            return
        }
        if container.ephemeral {
            await runToCompletion(container, spec: spec)
            if let databaseLock {
                try? await databaseLock.unlock()
            }
        } else {
            await state.noteStarted(spec.name)
            await armEvents(of: container, name: spec.name)
        }
    }

    enum Resumption {
        /// Run it; `nameTaken` when a container of another run still has its name.
        case fresh(nameTaken: Bool)
        case adopted, finished
    }

    /// After a crash: an exit code already journaled decides; a container of this run
    /// that still exists is waited for or judged; otherwise it runs (again).
    private func resumable(_ container: ManifestContainer, spec: ContainerSpec) async -> Resumption {
        if let recorded = recordedExits[spec.name] {
            try? await engine.remove(spec.name, force: true)
            var run = report(container, spec, imageID: existing[spec.name]?.imageID, outcome: recorded == 0 ? .succeeded : .failed, startedAt: nil, detail: "exit \(recorded) recorded before lockstep was interrupted")
            run.exitCode = recorded
            await state.record(run)
            await conclude(container, spec: spec, status: recorded, inspection: nil)
            return .finished
        }
        guard let listed = existing[spec.name] else { return .fresh(nameTaken: false) }
        guard listed.labels[LockstepLabel.runID] == plan.options.runID else { return .fresh(nameTaken: true) }
        // Created but never started (interrupted in between): it has not run, so it runs now.
        guard listed.status != .created else { return .fresh(nameTaken: true) }
        guard let survivor = try? await engine.inspect(spec.name) else { return .fresh(nameTaken: false) }
        await state.record(report(container, spec, imageID: survivor.imageID, outcome: .running, startedAt: survivor.startedAt, detail: "adopted after lockstep was interrupted"))
        logger.info("\(container.id) of this run is still there (\(survivor.statusDescription)): waiting for it")
        return .adopted
    }

    /// An ephemeral container: wait (bounded by its `container-stop` timeout), keep the
    /// exit code and log tail, remove it; exit 0 fires its events, anything else fails the step.
    private func runToCompletion(_ container: ManifestContainer, spec: ContainerSpec) async {
        let stopEvents = container.publishEvents.filter { $0.trigger == .containerStop }
        let timeout = stopEvents.compactMap(\.timeout).min() ?? (stopEvents.isEmpty ? ManifestEvent.defaultTimeout : nil)
        let armed = Task { await armEvents(of: container, name: spec.name) }
        let output = OutputFollower(engine: engine, name: spec.name, masking: plan.masking, tell: plan.options.milestones)
        let status = await waitForExit(spec.name, timeout: timeout)
        let exitedAt = Date()
        let tail = OutputFollower.masked((try? await engine.logs(spec.name, tail: plan.options.logTailLines)) ?? "", with: plan.masking)
        await output.finish(tail: tail)
        // Exit 0 needs no inspection (the image ID is known, the time is now); a failure
        // is inspected to tell an out-of-memory kill from any other.
        let inspection = status == 0 ? nil : try? await engine.inspect(spec.name)
        await state.update(name: spec.name) { run in
            run.finishedAt = inspection?.finishedAt ?? exitedAt
            run.exitCode = status ?? inspection?.exitCode
            if let imageID = inspection?.imageID, !imageID.isEmpty { run.imageID = imageID }
            run.logTail = tail
        }
        if let status {
            await plan.options.journal?.recordExit(runID: plan.options.runID, containerName: spec.name, exitCode: status)
            plan.options.milestones?(.ephemeralExited(container: spec.name, exitCode: status))
        }
        armed.cancel()
        await armed.value
        // Removed before what follows starts: two podman processes at once contend for
        // its storage lock, so the removal would slow the app's start more than it takes.
        try? await engine.remove(spec.name, force: true)
        await conclude(container, spec: spec, status: status, inspection: inspection, timeout: timeout)
    }

    /// Exit 0 fires the container's container-stop events; anything else fails the step.
    private func conclude(_ container: ManifestContainer, spec: ContainerSpec, status: Int32?, inspection: ContainerState?, timeout: Duration? = nil) async {
        let id = container.id
        let stopEvents = container.publishEvents.filter { $0.trigger == .containerStop }
        switch status {
        case nil:
            // waitForExit already killed it at the timeout, and it has been removed since.
            let name = stopEvents.first.map { "\"\($0.name)\" " } ?? ""
            let reason = "event \(name)of \(id) timed out after \(Self.seconds(timeout)): the ephemeral container was still running and was stopped"
            await state.update(name: spec.name) { $0.outcome = .failed; $0.detail = reason }
            await state.fail(reason)
        case 0?:
            await state.update(name: spec.name) { $0.outcome = .succeeded }
            for event in stopEvents {
                await state.fire(EventID(container: id, name: event.name))
            }
        case let code?:
            let meaning = ExitInterpretation.describe(code, oomKilled: inspection?.oomKilled ?? false)
            let reason = "\(id) (\(container.imageReference)) \(meaning); what subscribes to it was not started"
            await state.update(name: spec.name) { $0.outcome = .failed; $0.detail = [$0.detail, meaning].compactMap { $0 }.joined(separator: "; ") }
            await state.fail(reason)
        }
    }

    private func waitForExit(_ name: String, timeout: Duration?) async -> Int32? {
        await withTaskGroup(of: Int32?.self) { group in
            group.addTask { (try? await engine.wait(name)) ?? 125 }
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if first == nil { try? await engine.kill(name, signal: nil) }
            return first
        }
    }

    /// Arms every event this container publishes except `container-stop` of an ephemeral
    /// one (fired on its exit 0). Each fires when its trigger is met, else fails the step.
    private func armEvents(of container: ManifestContainer, name: String) async {
        let events = container.publishEvents.filter { !(container.ephemeral && $0.trigger == .containerStop) }
        await withTaskGroup(of: Void.self) { group in
            for event in events {
                group.addTask {
                    if event.trigger == .containerStop {
                        // A long-running container's container-stop: it must exit 0.
                        let status = await waitForExit(name, timeout: event.timeout)
                        if status == 0 {
                            await state.fire(EventID(container: container.id, name: event.name))
                        } else if !Task.isCancelled {
                            await state.fail("event \"\(event.name)\" of \(container.id) (container-stop): \(status.map { ExitInterpretation.describe($0) } ?? "timed out")")
                        }
                        return
                    }
                    let kind = waiter.kind(of: event, on: container)
                    if let reason = await waiter.wait(for: kind, containerName: name, timeout: event.timeout) {
                        guard !Task.isCancelled else { return }
                        await state.fail("event \"\(event.name)\" of \(container.id) (\(event.trigger.rawValue)) failed: \(plan.manifest.redact(reason))")
                    } else {
                        plan.options.milestones?(.eventFired("\(container.id): \(event.name)"))
                        await state.fire(EventID(container: container.id, name: event.name))
                    }
                }
            }
        }
    }

    /// The connection string of a database event, for the advisory lock.
    private func databaseConnection(of event: EventID) -> String? {
        guard let definition = plan.graph.event(event), let publisher = plan.graph.container(event.container) else { return nil }
        if case .postgres(let connection) = waiter.kind(of: definition, on: publisher) { return connection }
        return nil
    }

    /// One advisory-lock key for every lockstep migration on a database, whatever the
    /// installation or host: the database is what must not be migrated twice at once.
    static let migrationLockKey = PostgresAdvisoryLock.key(for: "lockstep migration")

    private func followsDatabaseEvent(_ event: EventID) -> Bool {
        guard let definition = plan.graph.event(event), let publisher = plan.graph.container(event.container) else { return false }
        return publisher.isDatabaseEvent(definition)
    }

    /// The previous release's app containers must not write during a migration.
    /// By ID, and skipping names this apply already started: a changed container (the
    /// database itself, say) is replaced under the same name, and stopping that name
    /// would stop the new one.
    private func stopPreviousApps() async {
        let startedHere = Set(await state.startedNames)
        for container in previous where !startedHere.contains(container.name) {
            do {
                try await engine.stop(container.id, timeout: nil)
                await state.noteStoppedPrevious(container.name)
                logger.info("stopped \(container.name) of the previous release for the migration")
            } catch RuntimeError.containerNotFound {
                // Replaced by this release's container meanwhile.
            } catch {
                logger.warning("could not stop \(container.name): \(error)")
            }
        }
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
        if try await parkIfDatabase(name, wasRunning: wasRunning) { return }
        try await engine.removeIfPresent(name, force: true)
        await state.forgetStoppedPrevious(name)
    }

    func stopStartedContainers() async {
        for name in await state.startedNames {
            try? await engine.stop(name, timeout: nil)
            await state.update(name: name) { $0.outcome = .stopped; $0.finishedAt = Date() }
        }
    }

    /// Unchanged app containers stopped for the migration run again once it succeeded.
    func restartKeptStoppedForMigration(_ keptNames: Set<String>) async {
        for name in await state.restorable where keptNames.contains(name) {
            do {
                try await engine.start(name)
                _ = await state.takeRestorable(name)
                await state.update(name: name) { $0.detail = "stopped during the migration, started again" }
                logger.info("started \(name) again after the migration")
            } catch {
                logger.warning("could not start \(name) again: \(error)")
            }
        }
    }

    func restorePrevious() async -> [String] {
        var restored: [String] = []
        for name in await state.restorable {
            if (try? await engine.start(name)) != nil { restored.append(name) }
        }
        return restored
    }

    /// After success, containers of the previous release that this one no longer has.
    func removeObsolete() async {
        let wanted = Set(plan.specs.values.map(\.name))
        for container in previous where !wanted.contains(container.name) {
            try? await engine.stop(container.name, timeout: nil)
            try? await engine.remove(container.name, force: true)
        }
    }

    private func report(_ container: ManifestContainer, _ spec: ContainerSpec, imageID: String?, outcome: ContainerRunReport.Outcome, startedAt: Date?, detail: String? = nil) -> ContainerRunReport {
        ContainerRunReport(
            component: container.component, container: container.key, name: spec.name, image: spec.image, imageID: imageID,
            command: (spec.entrypoint ?? []) + (spec.command ?? []),
            environment: Dictionary(spec.environment.map { ($0.name, plan.manifest.redact($0.value)) }, uniquingKeysWith: { _, last in last }),
            ephemeral: container.ephemeral, startedAt: startedAt, finishedAt: nil, exitCode: nil, outcome: outcome, detail: detail, logTail: "")
    }

    private static func seconds(_ duration: Duration?) -> String {
        guard let duration else { return "no limit" }
        return "\(duration.components.seconds) s"
    }
}
