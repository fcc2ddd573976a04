import Foundation
import LockstepManifest
import LockstepRuntime
import Logging

/// What happens to the previous release's containers and to this one's once the
/// apply ends: stopped for the migration, removed after success, put back after failure.
struct ReleaseTeardown: Sendable {
    let engine: any ContainerEngine
    let logger: Logger
    let plan: ApplyPlan
    let state: ApplyState
    /// The previous release's running containers that this release replaces (and apps,
    /// which must not write during a migration).
    let previous: [ContainerSummary]

    /// The previous release's app containers must not write during a migration.
    /// By ID, and skipping names this apply already started: a changed container (the
    /// database itself, say) is replaced under the same name, and stopping that name
    /// would stop the new one.
    func stopPreviousApps() async {
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

    func stopStartedContainers() async {
        for name in await state.startedNames {
            try? await engine.stop(name, timeout: nil)
            await state.update(name: name) {
                $0.outcome = .stopped
                $0.finishedAt = Date()
            }
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

    /// Migrations that exited 0 (their code is journaled, their log tail kept): removed
    /// after the apps they started, so the removal is not part of the downtime.
    func removeFinishedEphemerals() async {
        await withTaskGroup(of: Void.self) { group in
            for name in await state.finishedEphemerals {
                group.addTask { try? await engine.remove(name, force: true) }
            }
        }
    }

    /// After success, containers of the previous release that this one no longer has.
    func removeObsolete() async {
        let wanted = Set(plan.specs.values.map(\.name))
        for container in previous where !wanted.contains(container.name) {
            try? await engine.stop(container.name, timeout: nil)
            try? await engine.remove(container.name, force: true)
        }
    }
}
