import Foundation
import LockstepRuntime
import LockstepTestSupport
import Logging
import Testing

@testable import LockstepRunner

/// The runner's branches over the in-memory engine: no podman, milliseconds per test.
/// The same behaviour against real podman is in the other suites of this target.
@Suite struct RunnerBranchTests {
    static let installation = "unit"

    /// db (long-running) -> "db up" (exec) -> migrate (ephemeral) -> "migrated" -> app.
    static func manifest(app: String = "app:1", migrate: String = "migrate:1", db: String = "db:1", dbEvent: String? = nil) -> String {
        let event = dbEvent ?? Self.event(["- name: db up", "  trigger: exec", "  args: [\"true\"]", "  timeout: 5"])
        return """
            name: unit
            components:
              - name: db
                containers:
                  - source: public
                    image_name: \(db.split(separator: ":")[0])
                    version: "\(db.split(separator: ":")[1])"
                    name: db
                    publish_events:
            \(event)
                        subscriptions:
                          - component: migrate
                            container: migrate
                            action: start
              - name: migrate
                containers:
                  - source: public
                    image_name: \(migrate.split(separator: ":")[0])
                    version: "\(migrate.split(separator: ":")[1])"
                    name: migrate
                    ephemeral: true
                    publish_events:
                      - name: migrated
                        trigger: container-stop
                        timeout: 5
                        subscriptions:
                          - component: app
                            container: app
                            action: start
              - name: app
                containers:
                  - source: public
                    image_name: \(app.split(separator: ":")[0])
                    version: "\(app.split(separator: ":")[1])"
                    name: app
            """
    }

    /// Lines of one published event, indented for `manifest`.
    static func event(_ lines: [String]) -> String {
        lines.enumerated().map { $0.offset == 0 ? "          " + $0.element : "          " + $0.element }.joined(separator: "\n")
    }

    static let images = ["db:1", "db:2", "postgres:2", "migrate:1", "migrate:2", "app:1", "app:2"]

    static func name(_ component: String) -> String {
        ContainerNaming.name(install: installation, component: component, container: component)
    }

    static func apply(
        _ yaml: String,
        on engine: MemoryContainerEngine,
        runID: String = UUID().uuidString,
        journal: (any RunJournal)? = nil
    ) async throws -> ApplyReport {
        let options = RunnerOptions(
            installation: installation,
            releaseLabel: "test",
            network: .host,
            onFailure: .restore,
            runID: runID,
            journal: journal
        )
        return await ReleaseRunner(engine: engine, logger: Logger(label: "test")).apply(try render(yaml), options: options)
    }

    static func migrationExits(_ code: Int32) -> @Sendable (ContainerSpec) -> MemoryContainerEngine.Behaviour {
        { spec in spec.image.hasPrefix("migrate") ? .exits(code, output: "migrating\n") : .runs }
    }

    @Test("a first apply starts the database, runs the migration to exit 0, then starts the app")
    func freshApply() async throws {
        let engine = MemoryContainerEngine(images: Self.images, behaviour: Self.migrationExits(0))
        let journal = MemoryJournal()
        let report = try await Self.apply(Self.manifest(), on: engine, journal: journal)
        #expect(report.succeeded, "\(summary(report))")
        #expect(engine.container(Self.name("app"))?.status == .running)
        #expect(engine.container(Self.name("migrate")) == nil, "the migration container is removed after its exit")
        #expect(await journal.recorded.map(\.exitCode) == [0], "the exit code is journaled before removal")
        let calls = engine.calls
        let migrationStarted = try #require(calls.firstIndex(of: "start \(Self.name("migrate"))"))
        let migrated = try #require(calls.firstIndex(of: "waited \(Self.name("migrate"))"))
        let removed = try #require(calls.firstIndex(of: "remove \(Self.name("migrate"))"))
        let appCreated = try #require(calls.firstIndex(of: "create \(Self.name("app"))"))
        let appStarted = try #require(calls.firstIndex(of: "start \(Self.name("app"))"))
        // Created while the migration runs (less downtime), started only after it ended.
        #expect(migrationStarted < appCreated, "\(calls)")
        #expect(migrated < appStarted, "the app started before the migration ended: \(calls)")
        #expect(appStarted < removed, "the finished migration is removed after the app started, outside the downtime: \(calls)")
    }

    @Test("unchanged running containers are kept: no engine call touches them")
    func kept() async throws {
        let engine = MemoryContainerEngine(images: Self.images, behaviour: Self.migrationExits(0))
        _ = try await Self.apply(Self.manifest(), on: engine)
        let before = engine.calls.count
        let report = try await Self.apply(Self.manifest(), on: engine)
        #expect(report.succeeded, "\(summary(report))")
        #expect(report.runs.first { $0.component == "app" }?.outcome == .kept)
        #expect(report.runs.first { $0.component == "db" }?.outcome == .kept)
        let again = engine.calls.dropFirst(before)
        #expect(!again.contains { $0.hasSuffix(Self.name("app")) || $0.hasSuffix(Self.name("db")) }, "\(Array(again))")
    }

    @Test("a changed container is replaced under its name: stopped, removed, created, started")
    func replaced() async throws {
        let engine = MemoryContainerEngine(images: Self.images, behaviour: Self.migrationExits(0))
        _ = try await Self.apply(Self.manifest(), on: engine)
        let before = engine.calls.count
        let report = try await Self.apply(Self.manifest(app: "app:2"), on: engine)
        #expect(report.succeeded, "\(summary(report))")
        let app = Self.name("app")
        let again = Array(engine.calls.dropFirst(before)).filter { $0.hasSuffix(" \(app)") }
        // The migration here follows no database event, so the old app runs until it is
        // replaced: nothing is created ahead of the migration (see StagingTests for that).
        #expect(again == ["stop \(app)", "remove \(app)", "create \(app)", "start \(app)"])
        #expect(engine.container(app)?.spec.image == "app:2")
    }

    @Test("a failed migration fails the step with its exit, journals it, and starts nothing after it")
    func failed() async throws {
        let engine = MemoryContainerEngine(images: Self.images, behaviour: Self.migrationExits(3))
        let journal = MemoryJournal()
        let report = try await Self.apply(Self.manifest(), on: engine, journal: journal)
        #expect(!report.succeeded)
        #expect(report.failureCause == .failed)
        #expect(report.failure?.contains("exited 3") == true, "\(summary(report))")
        #expect(engine.container(Self.name("app")) == nil, "the app created ahead of the migration was not removed")
        #expect(!engine.calls.contains("start \(Self.name("app"))"), "the app was started: \(engine.calls)")
        #expect(await journal.recorded.map(\.exitCode) == [3])
    }

    @Test("a migration of this run left by a crash is adopted: waited for, not run again")
    func adopted() async throws {
        let engine = MemoryContainerEngine(images: Self.images, behaviour: Self.migrationExits(0))
        let runID = "run-adopt"
        let migrate = Self.name("migrate")
        engine.seed(
            ContainerSpec(
                name: migrate,
                image: "migrate:1",
                labels: [
                    LockstepLabel.install: Self.installation, LockstepLabel.runID: runID,
                    LockstepLabel.component: "migrate", LockstepLabel.container: "migrate",
                ]
            ),
            status: .exited,
            exitCode: 0
        )
        let report = try await Self.apply(Self.manifest(), on: engine, runID: runID, journal: MemoryJournal())
        #expect(report.succeeded, "\(summary(report))")
        #expect(report.runs.first { $0.component == "migrate" }?.detail == "adopted after lockstep was interrupted")
        #expect(!engine.calls.contains("create \(migrate)"), "the migration was not run again: \(engine.calls)")
    }

    @Test("a journaled exit code decides after a crash: the migration is neither run nor waited for")
    func journaledExit() async throws {
        let engine = MemoryContainerEngine(images: Self.images, behaviour: Self.migrationExits(0))
        let runID = "run-journaled"
        let journal = MemoryJournal([(runID, Self.name("migrate"), 4)])
        let report = try await Self.apply(Self.manifest(), on: engine, runID: runID, journal: journal)
        #expect(!report.succeeded)
        #expect(report.failure?.contains("exited 4") == true, "\(summary(report))")
        #expect(!engine.calls.contains("create \(Self.name("migrate"))"))
    }

    @Test("a replaced database that never becomes ready is parked, then restored under its name (exit cause: unavailable)")
    func parkedAndRestored() async throws {
        let engine = MemoryContainerEngine(images: Self.images, behaviour: Self.migrationExits(0))
        _ = try await Self.apply(Self.manifest(), on: engine)
        let db = Self.name("db")
        let oldID = try #require(engine.container(db)?.id)
        // Nothing listens on port 1: the readiness probe fails within its timeout.
        let postgresEvent = Self.event([
            "- name: db ready", "  trigger: postgres-ready", "  data: \"host=127.0.0.1 port=1 user=app dbname=app connect_timeout=1\"",
            "  timeout: 1",
        ])
        let report = try await Self.apply(Self.manifest(db: "postgres:2", dbEvent: postgresEvent), on: engine)
        #expect(!report.succeeded)
        #expect(report.failureCause == .databaseNotReady, "\(summary(report))")
        #expect(report.restoredPrevious.contains(db))
        #expect(engine.container(db)?.id == oldID, "the previous database has its name back")
        #expect(engine.container(db)?.status == .running)
        #expect(engine.calls.contains { $0.hasPrefix("rename \(db) \(db)\(ContainerNaming.parkedInfix)") }, "\(engine.calls)")
    }

    @Test("a failed wait is not taken for an exit code")
    func waitFailure() async throws {
        let engine = MemoryContainerEngine(images: Self.images, behaviour: { _ in .runs })
        engine.fail("wait", Self.name("migrate"), with: .commandFailed(engine: .podman, subcommand: "wait", status: 125, stderr: "boom"))
        let report = try await Self.apply(Self.manifest(), on: engine)
        #expect(!report.succeeded)
        #expect(report.failure?.contains("cannot tell how") == true, "\(summary(report))")
        #expect(report.runs.first { $0.component == "migrate" }?.exitCode == nil, "no made-up exit code 125")
    }

    @Test("an event with no time limit (`timeout: -1`) that ends anyway says so instead of trapping")
    func unlimitedTimeout() async throws {
        let waiter = TriggerWaiter(
            engine: MemoryContainerEngine(images: []),
            logger: Logger(label: "test"),
            nodeAddress: "127.0.0.1",
            rawPortListen: false,
            publishesPorts: true
        )
        // `timeout: -1` is no limit: a wait that ends anyway (cancelled) must say so, not trap.
        let task = Task { await waiter.wait(for: .tcp(host: "127.0.0.1", port: 1), containerName: "x", timeout: nil) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let reason = await task.value
        #expect(reason?.contains("no limit") == true, "\(reason ?? "nil")")
    }
}
