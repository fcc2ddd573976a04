import Foundation
import LockstepManifest
import LockstepRuntime
import Logging

/// Arms the events a container publishes: each fires when its trigger is met, else
/// fails the step.
struct EventArmer: Sendable {
    let engine: any ContainerEngine
    let logger: Logger
    let plan: ApplyPlan
    let state: ApplyState

    var waiter: TriggerWaiter {
        TriggerWaiter(engine: engine, logger: logger, nodeAddress: plan.manifest.nodeAddress, rawPortListen: plan.options.rawPortListen, publishesPorts: plan.options.network.publishesPorts)
    }

    /// Arms every event this container publishes except `container-stop` of an ephemeral
    /// one (fired on its exit 0). Each fires when its trigger is met, else fails the step.
    func arm(_ container: ManifestContainer, name: String) async {
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

    /// The exit code, or nil when `timeout` passed first (the container is then killed).
    func waitForExit(_ name: String, timeout: Duration?) async -> Int32? {
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
}
