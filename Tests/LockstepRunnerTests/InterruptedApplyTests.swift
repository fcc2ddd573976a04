import Foundation
import LockstepRunner
import LockstepRuntime
import LockstepTestSupport
import Testing

extension RunnerTests {
    /// What an apply interrupted at an awkward moment leaves behind, and how the next
    /// apply of the same run deals with it.
    @Suite(.serialized) struct InterruptedApply {
        /// Interrupted between `create` and `start`: the migration never ran, so it runs
        /// now, rather than being judged by the exit status of a container that never started.
        @Test func aMigrationCreatedButNeverStartedRunsNow() async throws {
            try await RunnerFixture.with("created-only") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let runID = "run-\(UUID().uuidString.prefix(8))"
                    let migrateName = fixture.name("migrate", "migrate")
                    let leftover = ContainerSpec(name: migrateName, image: TestImages.psql, command: ["true"], network: .host)
                        .labelled(install: fixture.installation, release: "1.0.0", component: "migrate", container: "migrate", runID: runID)
                    _ = try await fixture.engine.create(leftover)
                    var release = ShopManifest(release: "1.0.0", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                    release.migration = psqlMigration("create table items (id int primary key)")

                    let report = await fixture.runner.apply(
                        try render(release.yaml, values: ["db_password": password]),
                        options: fixture.options(release: "1.0.0", runID: runID)
                    )

                    #expect(report.succeeded, "\(summary(report))")
                    #expect(try await cluster.psql("select to_regclass('public.items') is not null", database: ShopManifest.databaseName) == "t")
                    #expect(fixture.creations(of: migrateName).count == 2, "the leftover was not replaced by a real run")
                    #expect(report.runs.first { $0.component == "migrate" }?.detail?.contains("adopted") != true)
                }
            }
        }

        /// Interrupted right after the old database was renamed out of the way: the next
        /// apply knows the parked copy as the previous database and, when the release
        /// fails, puts it back; no parked copy is left behind.
        @Test func aDatabaseParkedBeforeTheInterruptionIsPutBackWhenTheReleaseFails() async throws {
            try await RunnerFixture.with("parked-resume") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let releaseA = try await fixture.installShopA(cluster: cluster, password: password)
                    let gateName = fixture.name("db", "gate")
                    let gateA = try #require(try await fixture.inspect("db", "gate"))
                    let runID = "run-\(UUID().uuidString.prefix(8))"
                    try await fixture.engine.stop(gateName, timeout: 1)
                    try await fixture.engine.rename(gateName, to: ContainerNaming.parked(gateName, runID: runID))
                    let releaseB = try releaseA.withUnreadyDatabase(release: "B")

                    let report = await fixture.runner.apply(
                        try render(releaseB.yaml, values: ["db_password": password]),
                        options: fixture.options(release: "B", runID: runID)
                    )

                    #expect(!report.succeeded)
                    let gate = try #require(try await fixture.inspect("db", "gate"), "\(summary(report))")
                    #expect(gate.id == gateA.id)
                    #expect(gate.isRunning)
                    #expect(try await fixture.parkedCopies(of: "db", "gate").isEmpty)
                }
            }
        }

        /// A copy another run kept aside (say, of an upgrade that failed with `--on-failure
        /// stop`) is neither started nor removed: a later release leaves it for the operator.
        @Test func aCopyParkedByAnotherRunIsLeftAlone() async throws {
            try await RunnerFixture.with("parked-stray") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let releaseA = try await fixture.installShopA(cluster: cluster, password: password)
                    let gateName = fixture.name("db", "gate")
                    let stray = ContainerSpec(
                        name: ContainerNaming.parked(gateName, runID: "run-0ld"),
                        image: TestImages.busybox,
                        command: ["sleep", "3600"],
                        network: .host
                    )
                    .labelled(install: fixture.installation, release: "0.9", component: "db", container: "gate", runID: "run-0ld")
                    let strayID = try await fixture.engine.create(stray)
                    let releaseB = try releaseA.withUnreadyDatabase(release: "B")

                    let failed = await fixture.apply(try render(releaseB.yaml, values: ["db_password": password]), release: "B")
                    #expect(!failed.succeeded)
                    #expect(try await fixture.engine.inspect(stray.name)?.status == .created, "the stray copy was started or removed")
                    #expect(try await fixture.inspect("db", "gate")?.isRunning == true)
                    #expect(fixture.logs.all.contains { $0.contains(stray.name) && $0.contains("leaves it alone") }, "\(fixture.logs.all)")

                    var releaseC = releaseA
                    releaseC.release = "C"
                    releaseC.migration = psqlMigration("create table c_items (id int)")
                    let succeeded = await fixture.apply(try render(releaseC.yaml, values: ["db_password": password]), release: "C")
                    #expect(succeeded.succeeded, "\(summary(succeeded))")
                    #expect(try await fixture.engine.inspect(stray.name)?.id == strayID)
                }
            }
        }

        /// Interrupted while the migration ran, and the new app's image is gone by the
        /// time the apply resumes: the migration is still waited for and judged first.
        @Test func aRunningMigrationIsJudgedBeforeAMissingImageStopsTheRelease() async throws {
            try await RunnerFixture.with("resume-missing-image") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let releaseA = try await fixture.installShopA(cluster: cluster, password: password)
                    let runID = "run-\(UUID().uuidString.prefix(8))"
                    let migrateName = fixture.name("migrate", "migrate")
                    let survivor = ContainerSpec(
                        name: migrateName,
                        image: TestImages.psql,
                        command: ["sh", "-c", "sleep 1; echo survived"],
                        network: .host
                    )
                    .labelled(install: fixture.installation, release: "B", component: "migrate", container: "migrate", runID: runID)
                    _ = try await fixture.engine.create(survivor)
                    try await fixture.engine.start(migrateName)
                    var releaseB = releaseA
                    releaseB.release = "B"
                    releaseB.webImageVersion = "not-built"

                    let report = await fixture.runner.apply(
                        try render(releaseB.yaml, values: ["db_password": password]),
                        options: fixture.options(release: "B", runID: runID)
                    )

                    #expect(!report.succeeded)
                    let migration = try #require(report.runs.first { $0.component == "migrate" }, "\(summary(report))")
                    #expect(migration.outcome == .succeeded)
                    #expect(migration.exitCode == 0)
                    #expect(migration.logTail.contains("survived"))
                    let failure = try #require(report.failure)
                    #expect(failure.contains("lockstep-test/busybox:not-built not found locally"), "\(failure)")
                    #expect(failure.contains("goes no further") && !failure.contains("nothing was changed"), "\(failure)")
                    #expect(try await fixture.inspect("migrate", "migrate") == nil)
                }
            }
        }
    }
}
