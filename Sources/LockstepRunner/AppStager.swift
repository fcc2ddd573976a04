import Foundation
import LockstepManifest
import LockstepRuntime
import Logging

/// While a migration runs, the app containers that start on its exit 0 are created
/// already (DESIGN.md §14), so that afterwards they only need `start`: an upgrade's
/// downtime is the migration's own time plus one start. The previous app, stopped for
/// the migration, is renamed aside (parked) to free its name, and comes back if the
/// release fails; a staged container is removed without ever having started.
///
/// Only with `--on-failure restore` (the default): with `stop` nothing is put back, so
/// the previous app keeps its name and is replaced the ordinary way.
struct AppStager: Sendable {
    let engine: any ContainerEngine
    let logger: Logger
    let plan: ApplyPlan
    let state: ApplyState
    let kept: Set<ContainerID>
    let existing: [String: ContainerSummary]

    /// Starts creating, in the background, each changed long-running container whose
    /// every starting event is a `container-stop` event of `ephemeral`.
    func stageSubscribers(of ephemeral: ManifestContainer) async {
        guard plan.options.onFailure == .restore else { return }
        let exits = Set(ephemeral.publishEvents.filter { $0.trigger == .containerStop }.map { EventID(container: ephemeral.id, name: $0.name) })
        guard !exits.isEmpty else { return }
        for container in plan.containers where !container.ephemeral && !kept.contains(container.id) {
            let starting = Set(plan.graph.startingEvents(of: container.id))
            guard !starting.isEmpty, starting.isSubset(of: exits), let spec = plan.specs[container.id] else { continue }
            await state.beginStaging(spec.name, Task { await stage(spec) })
        }
    }

    /// true when the container now exists, created and not started, under its own name.
    private func stage(_ spec: ContainerSpec) async -> Bool {
        if let holder = existing[spec.name] {
            // Only a previous app this apply stopped for the migration makes way early;
            // anything else under the name is replaced the ordinary way, after the migration.
            guard holder.status == .running, await state.stoppedPrevious.contains(spec.name), await state.parked[spec.name] == nil else {
                return false
            }
            let parkedName = ContainerNaming.parked(spec.name, runID: plan.options.runID)
            do {
                try await engine.rename(spec.name, to: parkedName)
            } catch {
                logger.debug("\(spec.name) not staged: \(error)")
                return false
            }
            await state.park(ParkedContainer(name: spec.name, parkedName: parkedName, wasRunning: true))
            await state.forgetStoppedPrevious(spec.name)
        }
        do {
            _ = try await engine.create(spec)
            logger.debug("created \(spec.name) while the migration runs")
            return true
        } catch {
            logger.debug("\(spec.name) not staged: \(plan.manifest.redact(String(describing: error)))")
            return false
        }
    }
}

extension ReleaseTeardown {
    /// After a failure: containers created ahead of a migration that never started.
    func removeUnstartedStaged() async {
        let started = Set(await state.startedNames)
        for name in await state.stagedNames() where !started.contains(name) {
            if (try? await engine.remove(name, force: true)) != nil {
                logger.info("removed \(name), created ahead of the migration and never started")
            }
        }
    }
}
