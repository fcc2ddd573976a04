import Foundation
import LockstepManifest
import LockstepRunner
import LockstepRuntime
import LockstepTestSupport
import Logging
import Testing

/// Every runner test drives the real podman through the runner, as one installation of
/// its own: it gets the engine (with a command log and a capturing logger), the
/// installation name, and the removal of everything labelled with that name afterwards.
struct RunnerFixture: Sendable {
    let engine: CLIContainerEngine
    let installation: String
    let commands: CommandLog
    let logs: LogCapture

    /// The real podman (failing, never skipping, when it is missing) and the test images.
    static func with(
        _ test: String,
        images: [TestImages.Image] = [.busybox, .psql],
        _ body: (RunnerFixture) async throws -> Void
    ) async throws {
        let commands = CommandLog()
        let logs = LogCapture()
        var engine = try CLIContainerEngine.locate(requested: "podman", logger: logs.logger("lockstep.runtime"))
        engine.commandObserver = { commands.record($0) }
        try await TestImages.ensure(images)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let fixture = RunnerFixture(engine: engine, installation: "rt-\(test)-\(suffix)", commands: commands, logs: logs)
        do {
            try await body(fixture)
        } catch {
            await fixture.cleanUp()
            throw error
        }
        await fixture.cleanUp()
    }

    var runner: ReleaseRunner {
        ReleaseRunner(engine: engine, logger: logs.logger("lockstep.runner"))
    }

    func options(
        release: String,
        runID: String = UUID().uuidString.lowercased(),
        onFailure: RunnerOptions.OnFailure = .restore,
        journal: (any RunJournal)? = nil,
        milestones: MilestoneLog? = nil
    ) -> RunnerOptions {
        var told: (@Sendable (RunMilestone) -> Void)?
        if let milestones {
            told = { milestone in milestones.record(milestone) }
        }
        return RunnerOptions(
            installation: installation,
            releaseLabel: release,
            network: .host,
            onFailure: onFailure,
            runID: runID,
            journal: journal,
            milestones: told
        )
    }

    func apply(
        _ manifest: RenderedManifest,
        release: String,
        onFailure: RunnerOptions.OnFailure = .restore,
        milestones: MilestoneLog? = nil
    ) async -> ApplyReport {
        await runner.apply(manifest, options: options(release: release, onFailure: onFailure, milestones: milestones))
    }

    func name(_ component: String, _ container: String) -> String {
        ContainerNaming.name(install: installation, component: component, container: container)
    }

    func inspect(_ component: String, _ container: String) async throws -> ContainerState? {
        try await engine.inspect(name(component, container))
    }

    /// Containers of this installation, running or not.
    func containers() async throws -> [ContainerSummary] {
        try await engine.list(labels: [LockstepLabel.install: installation])
    }

    /// Copies of a container that a release renamed aside (parked) and left behind.
    func parkedCopies(of component: String, _ container: String) async throws -> [ContainerSummary] {
        try await containers().filter { $0.name.hasPrefix(name(component, container) + ContainerNaming.parkedInfix) }
    }

    /// `create` commands the engine ran for a container name.
    func creations(of name: String) -> [[String]] {
        commands.all.filter { $0.first == "create" && $0.contains(name) }
    }

    func cleanUp() async {
        do {
            try await engine.removeAll(labels: [LockstepLabel.install: installation])
        } catch {
            Issue.record("cleanup of \(installation) failed: \(error)")
        }
    }
}

/// Renders a manifest written in a test, with 127.0.0.1 as the node address.
func render(_ yaml: String, values: [String: String] = [:]) throws -> RenderedManifest {
    try Manifest.load(text: yaml, file: "test.yaml").render(values: ConfigValues(values), nodeAddress: "127.0.0.1")
}

/// A describing line for failed expectations: what the apply said.
func summary(_ report: ApplyReport) -> String {
    let runs = report.runs.map { "\($0.name) \($0.outcome) exit=\($0.exitCode.map(String.init) ?? "-") \($0.detail ?? "") log: \($0.logTail)" }
    return "failure: \(report.failure ?? "none"); fired: \(report.firedEvents); runs: \(runs)"
}

/// The runner's milestones with the time each was told.
final class MilestoneLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(milestone: RunMilestone, at: Date)] = []

    func record(_ milestone: RunMilestone) {
        lock.withLock { entries.append((milestone, Date())) }
    }

    var all: [(milestone: RunMilestone, at: Date)] { lock.withLock { entries } }

    func firstTime(_ matching: (RunMilestone) -> Bool) -> Date? {
        all.first { matching($0.milestone) }?.at
    }
}
