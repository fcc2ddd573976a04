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
        TriggerWaiter(
            engine: engine,
            logger: logger,
            nodeAddress: plan.manifest.nodeAddress,
            rawPortListen: plan.options.rawPortListen,
            publishesPorts: plan.options.network.publishesPorts
        )
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
                        let waited = await waitForExit(name, timeout: event.timeout)
                        if waited == .exited(0) {
                            await state.fire(EventID(container: container.id, name: event.name))
                        } else if !Task.isCancelled {
                            await state.fail("event \"\(event.name)\" of \(container.id) (container-stop): \(waited)")
                        }
                        return
                    }
                    let kind = waiter.kind(of: event, on: container)
                    if let reason = await waiter.wait(for: kind, containerName: name, timeout: event.timeout) {
                        guard !Task.isCancelled else { return }
                        let cause: ApplyFailureCause
                        if case .postgres = kind { cause = .databaseNotReady } else { cause = .failed }
                        await state.fail(
                            "event \"\(event.name)\" of \(container.id) (\(event.trigger.rawValue)) failed: \(plan.manifest.redact(reason))",
                            cause: cause
                        )
                    } else {
                        plan.options.milestones?(.eventFired("\(container.id): \(event.name)"))
                        await state.fire(EventID(container: container.id, name: event.name))
                    }
                }
            }
        }
    }

    /// How the container ended; when `timeout` passed first it is killed.
    func waitForExit(_ name: String, timeout: Duration?) async -> ExitWait {
        await withTaskGroup(of: ExitWait.self) { group in
            group.addTask {
                do {
                    return .exited(try await engine.wait(name))
                } catch {
                    return .unknown(plan.manifest.redact(String(describing: error)))
                }
            }
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return .timedOut
                }
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            if first == .timedOut { try? await engine.kill(name, signal: nil) }
            return first
        }
    }
}

/// How waiting for a container's exit ended.
enum ExitWait: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case timedOut
    /// The engine could not say (the wait itself failed): never taken for an exit code.
    case unknown(String)

    var code: Int32? {
        if case .exited(let code) = self { return code }
        return nil
    }

    var description: String {
        switch self {
        case .exited(let code): ExitInterpretation.describe(code)
        case .timedOut: "timed out"
        case .unknown(let reason): "cannot tell how it ended: \(reason)"
        }
    }
}
