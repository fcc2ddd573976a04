import Foundation
import LockstepManifest

/// The shared state of one apply: which events fired, the first failure, and the
/// containers' reports. Waiters for events are woken when one fires or the apply fails.
actor ApplyState {
    private(set) var fired: [EventID] = []
    private(set) var failure: String?
    private(set) var failureCause: ApplyFailureCause?
    private var waiters: [(events: Set<EventID>, continuation: CheckedContinuation<EventID?, Never>)] = []
    private(set) var runs: [ContainerRunReport] = []
    private(set) var startedNames: [String] = []
    /// Previous-release containers stopped for a migration (reported even once replaced).
    private(set) var stoppedPrevious: [String] = []
    /// Those of them still there to start again if the apply fails.
    private(set) var restorable: [String] = []
    private var previousStop: Task<Void, Never>?
    /// Replaced database containers renamed out of the way, by their own name.
    private(set) var parked: [String: ParkedContainer] = [:]

    func fire(_ event: EventID) {
        guard failure == nil, !fired.contains(event) else { return }
        fired.append(event)
        let ready = waiters.filter { $0.events.contains(event) }
        waiters.removeAll { $0.events.contains(event) }
        for waiter in ready { waiter.continuation.resume(returning: event) }
    }

    func fail(_ reason: String, cause: ApplyFailureCause = .failed) {
        guard failure == nil else { return }
        failure = reason
        failureCause = cause
        let all = waiters
        waiters = []
        for waiter in all { waiter.continuation.resume(returning: nil) }
    }

    /// The first of `events` to fire (or one that already fired); nil when the apply failed.
    func waitForAny(of events: Set<EventID>) async -> EventID? {
        if failure != nil { return nil }
        if let already = fired.first(where: events.contains) { return already }
        return await withCheckedContinuation { continuation in
            waiters.append((events, continuation))
        }
    }

    func record(_ run: ContainerRunReport) {
        runs.append(run)
    }

    func update(name: String, _ change: (inout ContainerRunReport) -> Void) {
        guard let index = runs.lastIndex(where: { $0.name == name }) else { return }
        change(&runs[index])
    }

    func noteStarted(_ name: String) {
        startedNames.append(name)
    }

    /// Ephemeral containers that exited 0 with the code journaled, removed once the apply ends.
    private(set) var finishedEphemerals: [String] = []

    func noteFinishedEphemeral(_ name: String) {
        finishedEphemerals.append(name)
    }

    /// Runs `work` (stopping the previous release's app containers) once; later callers
    /// wait for that one run to finish.
    func stopPreviousOnce(_ work: @escaping @Sendable () async -> Void) async {
        if let previousStop {
            await previousStop.value
            return
        }
        let task = Task { await work() }
        previousStop = task
        await task.value
    }

    func noteStoppedPrevious(_ name: String) {
        stoppedPrevious.append(name)
        restorable.append(name)
    }

    /// A container of this release took the name: the old one is gone, nothing to restore.
    func forgetStoppedPrevious(_ name: String) {
        restorable.removeAll { $0 == name }
    }

    /// Claims a container stopped for the migration, to start it again; false if it was not.
    func takeRestorable(_ name: String) -> Bool {
        guard let index = restorable.firstIndex(of: name) else { return false }
        restorable.remove(at: index)
        return true
    }

    /// Containers being created ahead of a migration (`AppStager`), by name.
    private var staging: [String: Task<Bool, Never>] = [:]

    func beginStaging(_ name: String, _ task: Task<Bool, Never>) {
        staging[name] = task
    }

    /// Whether `name` was created ahead of the migration (waits for that to finish);
    /// false when it was not staged or staging did not succeed.
    func wasStaged(_ name: String) async -> Bool {
        guard let task = staging[name] else { return false }
        return await task.value
    }

    /// The containers that now exist because staging created them (waits for staging
    /// to finish). A name whose staging did not succeed still belongs to whatever held
    /// it before, such as the previous app an interrupted run stopped: never listed.
    func stagedNames() async -> [String] {
        var names: [String] = []
        for (name, task) in staging where await task.value {
            names.append(name)
        }
        return names
    }

    func park(_ container: ParkedContainer) {
        parked[container.name] = container
    }

    /// Containers stopped before this apply began (by an interrupted one) that a failure restores.
    func seedRestorable(_ names: [String]) {
        restorable.append(contentsOf: names.filter { !restorable.contains($0) })
    }
}

/// A database container of the previous release, renamed so its replacement can take
/// its name; removed once the release succeeded, renamed back and started if it failed.
struct ParkedContainer: Sendable, Hashable {
    var name: String
    var parkedName: String
    var wasRunning: Bool
}
