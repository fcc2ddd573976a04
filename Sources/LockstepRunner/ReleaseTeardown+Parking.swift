import LockstepRuntime

/// A changed database container is replaced under its own name. With `--on-failure
/// restore` the old one is renamed rather than removed, so that a release whose new
/// database never becomes ready can put the old one back; app containers are not kept
/// this way: once a migration ran, the previous app may not fit the schema any more.
extension ReleaseTeardown {
    /// Renames the old container out of the way when it is a running database to keep;
    /// true if it did. (A stopped one is replaced outright: nothing ran to restore.)
    func parkIfDatabase(_ name: String, wasRunning: Bool) async throws -> Bool {
        guard plan.options.onFailure == .restore, wasRunning, plan.databasePublisherNames.contains(name) else { return false }
        // A copy parked by an interrupted apply is the real previous database: what holds
        // the name now is that apply's replacement, which simply makes way.
        if await state.parked[name] != nil { return false }
        let parkedName = ContainerNaming.parked(name, runID: plan.options.runID)
        try await engine.rename(name, to: parkedName)
        await state.park(ParkedContainer(name: name, parkedName: parkedName, wasRunning: true))
        await state.forgetStoppedPrevious(name)
        logger.info("kept \(name) as \(parkedName) until this release succeeds")
        return true
    }

    /// After success: the parked databases are not needed any more.
    func removeParked() async {
        for container in await state.parked.values {
            try? await engine.remove(container.parkedName, force: true)
        }
    }

    /// After a failure: each replacement steps aside, the parked database takes its name
    /// back (and runs again if it ran before), then the replacement is removed; returns
    /// the names restored.
    func unpark() async -> [String] {
        var restored: [String] = []
        for container in await state.parked.values.sorted(by: { $0.name < $1.name }) {
            let aside = ContainerNaming.failedReplacement(container.name, runID: plan.options.runID)
            var replacementAside = false
            do {
                do {
                    try await engine.rename(container.name, to: aside)
                    replacementAside = true
                } catch RuntimeError.containerNotFound {}
                try await engine.rename(container.parkedName, to: container.name)
                if container.wasRunning { try await engine.start(container.name) }
                restored.append(container.name)
                logger.info("put \(container.name) of the previous release back")
                if replacementAside { try? await engine.remove(aside, force: true) }
            } catch {
                logger.warning("could not put \(container.name) back from \(container.parkedName): \(error)")
            }
        }
        return restored
    }
}
