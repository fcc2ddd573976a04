import Foundation
import LockstepManifest
import LockstepRuntime
import Logging

/// Runs an ephemeral container (a migration) to completion and judges its exit; after a
/// crash, judges the one an interrupted apply of this run left behind instead of running it twice.
struct EphemeralRunner: Sendable {
    let engine: any ContainerEngine
    let logger: Logger
    let plan: ApplyPlan
    let state: ApplyState
    let events: EventArmer
    /// The installation's containers when the apply began, by name.
    let existing: [String: ContainerSummary]
    /// Exit codes an interrupted apply of this run journaled, by container name.
    let recordedExits: [String: Int32]

    enum Resumption {
        /// Run it; `nameTaken` when a container of another run still has its name.
        case fresh(nameTaken: Bool)
        case adopted, finished
    }

    /// After a crash: an exit code already journaled decides; a container of this run
    /// that still exists is waited for or judged; otherwise it runs (again).
    func resumable(_ container: ManifestContainer, spec: ContainerSpec) async -> Resumption {
        if let recorded = recordedExits[spec.name] {
            try? await engine.remove(spec.name, force: true)
            var run = plan.report(
                container,
                spec,
                imageID: existing[spec.name]?.imageID,
                outcome: recorded == 0 ? .succeeded : .failed,
                startedAt: nil,
                detail: "exit \(recorded) recorded before lockstep was interrupted"
            )
            run.exitCode = recorded
            await state.record(run)
            await conclude(container, spec: spec, waited: .exited(recorded), inspection: nil)
            return .finished
        }
        guard let listed = existing[spec.name] else { return .fresh(nameTaken: false) }
        guard listed.labels[LockstepLabel.runID] == plan.options.runID else { return .fresh(nameTaken: true) }
        // Created but never started (interrupted in between): it has not run, so it runs now.
        guard listed.status != .created else { return .fresh(nameTaken: true) }
        guard let survivor = try? await engine.inspect(spec.name) else { return .fresh(nameTaken: false) }
        await state.record(
            plan.report(
                container,
                spec,
                imageID: survivor.imageID,
                outcome: .running,
                startedAt: survivor.startedAt,
                detail: "adopted after lockstep was interrupted"
            )
        )
        logger.info("\(container.id) of this run is still there (\(survivor.statusDescription)): waiting for it")
        return .adopted
    }

    /// An ephemeral container: wait (bounded by its `container-stop` timeout), journal the
    /// exit code, keep the log tail; exit 0 fires its events, anything else fails the step.
    /// After exit 0 the events fire as soon as the code is journaled: the log tail is read
    /// while the apps start, and the container is removed once the apply ends
    /// (`ReleaseTeardown.removeFinishedEphemerals`), not in the downtime.
    func runToCompletion(_ container: ManifestContainer, spec: ContainerSpec) async {
        let stopEvents = container.publishEvents.filter { $0.trigger == .containerStop }
        let timeout = stopEvents.compactMap(\.timeout).min() ?? (stopEvents.isEmpty ? ManifestEvent.defaultTimeout : nil)
        let armed = Task { await events.arm(container, name: spec.name) }
        let output = OutputFollower(engine: engine, name: spec.name, masking: plan.masking, tell: plan.options.milestones)
        let waited = await events.waitForExit(spec.name, timeout: timeout)
        let status = waited.code
        let exitedAt = Date()
        if status == 0 {
            await state.update(name: spec.name) {
                $0.finishedAt = exitedAt
                $0.exitCode = 0
            }
            let journaled = await journalExit(0, of: container, spec: spec, armed: armed)
            if journaled { await conclude(container, spec: spec, waited: waited, inspection: nil, timeout: timeout) }
            // Read while the apps start; kept on a failed step too, beside the kept container.
            let tail = await logTail(spec.name)
            await output.finish(tail: tail)
            await state.update(name: spec.name) { $0.logTail = tail }
            if journaled { await state.noteFinishedEphemeral(spec.name) }
            return
        }
        let tail = await logTail(spec.name)
        await output.finish(tail: tail)
        // A failure is inspected to tell an out-of-memory kill from any other.
        let inspection = try? await engine.inspect(spec.name)
        await state.update(name: spec.name) { run in
            run.finishedAt = inspection?.finishedAt ?? exitedAt
            // An exit code only from an exit: a container still running has none yet.
            run.exitCode = status ?? (inspection?.status == .exited ? inspection?.exitCode : nil)
            if let imageID = inspection?.imageID, !imageID.isEmpty { run.imageID = imageID }
            run.logTail = tail
        }
        guard await journalExit(status, of: container, spec: spec, armed: armed) else { return }
        try? await engine.remove(spec.name, force: true)
        await conclude(container, spec: spec, waited: waited, inspection: inspection, timeout: timeout)
    }

    private func logTail(_ name: String) async -> String {
        OutputFollower.masked((try? await engine.logs(name, tail: plan.options.logTailLines)) ?? "", with: plan.masking)
    }

    /// The exit code reaches the journal before anything it guards (the events, the
    /// removal); a container that did not exit (nil) has none to journal. false when it
    /// could not: the step fails and the container is kept, the only record of how it
    /// ended, so the next run can judge it.
    private func journalExit(_ status: Int32?, of container: ManifestContainer, spec: ContainerSpec, armed: Task<Void, Never>) async -> Bool {
        var journalFailure: String?
        if let status {
            do {
                try await plan.options.journal?.recordExit(runID: plan.options.runID, containerName: spec.name, exitCode: status)
                plan.options.milestones?(.ephemeralExited(container: spec.name, exitCode: status))
            } catch {
                journalFailure =
                    "cannot journal the exit code \(status) of \(container.id): \(error); the container was kept so the next run can judge it"
            }
        }
        armed.cancel()
        await armed.value
        guard let journalFailure else { return true }
        await state.update(name: spec.name) {
            $0.outcome = .failed
            $0.detail = journalFailure
        }
        await state.fail(journalFailure)
        return false
    }

    /// Exit 0 fires the container's container-stop events; anything else fails the step.
    private func conclude(
        _ container: ManifestContainer,
        spec: ContainerSpec,
        waited: ExitWait,
        inspection: ContainerState?,
        timeout: Duration? = nil
    ) async {
        let id = container.id
        let stopEvents = container.publishEvents.filter { $0.trigger == .containerStop }
        switch waited {
        case .unknown(let reason):
            let detail = "cannot tell how \(id) ended: \(reason)"
            await state.update(name: spec.name) {
                $0.outcome = .failed
                $0.detail = detail
            }
            await state.fail(detail)
        case .timedOut:
            // waitForExit already killed it at the timeout, and it has been removed since.
            let name = stopEvents.first.map { "\"\($0.name)\" " } ?? ""
            let reason = "event \(name)of \(id) timed out after \(Self.seconds(timeout)): the ephemeral container was still running and was stopped"
            await state.update(name: spec.name) {
                $0.outcome = .failed
                $0.detail = reason
            }
            await state.fail(reason)
        case .exited(0):
            await state.update(name: spec.name) { $0.outcome = .succeeded }
            for event in stopEvents {
                await state.fire(EventID(container: id, name: event.name))
            }
        case .exited(let code):
            let meaning = ExitInterpretation.describe(code, oomKilled: inspection?.oomKilled ?? false)
            let reason = "\(id) (\(container.imageReference)) \(meaning); what subscribes to it was not started"
            await state.update(name: spec.name) {
                $0.outcome = .failed
                $0.detail = [$0.detail, meaning].compactMap { $0 }.joined(separator: "; ")
            }
            await state.fail(reason)
        }
    }

    private static func seconds(_ duration: Duration?) -> String {
        guard let duration else { return "no limit" }
        return "\(duration.components.seconds) s"
    }
}
