import Foundation
import LockstepManifest
import LockstepRuntime
import LockstepTestSupport
import Testing

@testable import LockstepRunner

extension RunnerTests {
    /// A migration container against the host's PostgreSQL, and what its exit means
    /// for the app that subscribes to it.
    @Suite(.serialized) struct Migrations {
        @Test func aMigrationThatExitsZeroIsFollowedByTheApp() async throws {
            try await RunnerFixture.with("migrate-ok") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    var release = ShopManifest(release: "1.0.0", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                    release.migration = psqlMigration("create table items (id int primary key, name text not null)")

                    let report = await fixture.apply(try render(release.yaml, values: ["db_password": password]), release: "1.0.0")

                    #expect(report.succeeded, "\(summary(report))")
                    #expect(report.failure == nil)
                    #expect(report.firedEvents == [#"db/gate: "database accepts writes""#, #"migrate/migrate: "migration finished""#])
                    let migration = try #require(report.runs.first { $0.component == "migrate" }, "\(summary(report))")
                    #expect(migration.outcome == .succeeded)
                    #expect(migration.exitCode == 0)
                    #expect(migration.image == "lockstep-test/psql:1")
                    #expect(migration.imageID?.isEmpty == false)
                    #expect(migration.command == release.migration)
                    #expect(migration.logTail.contains("CREATE TABLE"))
                    let web = try #require(report.runs.first { $0.component == "web" })
                    #expect(web.outcome == .running)
                    let migrationEnd = try #require(migration.finishedAt)
                    let webStart = try #require(web.startedAt)
                    #expect(webStart >= migrationEnd, "the app started before the migration finished")

                    // What the customer sees: the app answers, the table is there.
                    #expect(await HostChecks.httpGet(port: release.webPort) == "shop 1.0.0\n")
                    #expect(try await cluster.psql("select to_regclass('public.items') is not null", database: ShopManifest.databaseName) == "t")

                    // The migration container is gone (its exit code and logs are in the report).
                    let remaining = try await fixture.containers()
                    #expect(!remaining.contains { $0.name == fixture.name("migrate", "migrate") })
                    #expect(remaining.first { $0.name == fixture.name("web", "web") }?.status == .running)
                    #expect(remaining.first { $0.name == fixture.name("db", "gate") }?.status == .running)
                }
            }
        }

        @Test(arguments: [RunnerOptions.OnFailure.restore, .stop])
        func aMigrationThatExitsNonZeroNeverStartsTheNewApp(onFailure: RunnerOptions.OnFailure) async throws {
            try await RunnerFixture.with("migrate-fail-\(onFailure)") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let webName = fixture.name("web", "web")
                    let releaseA = try await fixture.installShopA(cluster: cluster, password: password)
                    #expect(await HostChecks.httpGet(port: releaseA.webPort) == "shop A\n")

                    var releaseB = releaseA
                    releaseB.release = "B"
                    releaseB.migration = ["sh", "-c", "echo 'migration B cannot proceed' >&2; exit 3"]
                    let reportB = await fixture.apply(
                        try render(releaseB.yaml, values: ["db_password": password]),
                        release: "B",
                        onFailure: onFailure
                    )

                    #expect(!reportB.succeeded)
                    let failure = try #require(reportB.failure)
                    #expect(failure.contains("migrate/migrate"), "\(failure)")
                    #expect(failure.contains("exited 3"), "\(failure)")
                    let migration = try #require(reportB.runs.first { $0.component == "migrate" })
                    #expect(migration.exitCode == 3)
                    #expect(migration.outcome == .failed)
                    #expect(migration.logTail.contains("migration B cannot proceed"))
                    #expect(!reportB.firedEvents.contains { $0.contains("migration finished") })

                    // B's app never started: with restore it was created ahead of the migration
                    // (A's renamed aside meanwhile) and removed; with stop it was never created.
                    #expect(fixture.creations(of: webName).count == (onFailure == .restore ? 2 : 1))
                    #expect(!reportB.runs.contains { $0.component == "web" })
                    #expect(try await fixture.containers().allSatisfy { $0.labels[LockstepLabel.release] != "B" || $0.name != webName })
                    #expect(try await fixture.parkedCopies(of: "web", "web").isEmpty)
                    // A's app was stopped for the migration.
                    #expect(reportB.stoppedPrevious == [webName])
                    // The database is left alone.
                    #expect(reportB.runs.first { $0.component == "db" }?.outcome == .kept)
                    #expect(try await fixture.inspect("db", "gate")?.isRunning == true)

                    let web = try #require(try await fixture.inspect("web", "web"), "A's web container was removed")
                    #expect(web.labels[LockstepLabel.release] == "A")
                    switch onFailure {
                    case .restore:
                        #expect(reportB.restoredPrevious == [webName])
                        #expect(web.isRunning)
                        #expect(await HostChecks.httpGet(port: releaseA.webPort) == "shop A\n")
                    case .stop:
                        #expect(reportB.restoredPrevious.isEmpty)
                        #expect(!web.isRunning)
                        #expect(HostChecks.httpGetOnce(port: releaseA.webPort) == nil)
                    }
                    #expect(try await fixture.inspect("migrate", "migrate") == nil)
                }
            }
        }

        /// A long migration's output is told line by line while it runs (secrets masked),
        /// each line once, in order, up to what it wrote just before it exited.
        @Test func aMigrationsOutputIsToldWhileItRuns() async throws {
            try await RunnerFixture.with("migrate-output") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    var release = ShopManifest(release: "1.0.0", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                    release.migration = [
                        "sh", "-c",
                        "for i in 1 2 3 4; do echo \"batch $i\"; sleep 0.5; done; echo \"connected with $PGPASSWORD\" >&2; sleep 0.2; echo done",
                    ]
                    let milestones = MilestoneLog()

                    let report = await fixture.apply(
                        try render(release.yaml, values: ["db_password": password]),
                        release: "1.0.0",
                        milestones: milestones
                    )

                    #expect(report.succeeded, "\(summary(report))")
                    let migration = fixture.name("migrate", "migrate")
                    let told = milestones.all.compactMap { entry -> (line: String, at: Date)? in
                        guard case .output(let container, let line) = entry.milestone, container == migration else { return nil }
                        return (line, entry.at)
                    }
                    #expect(told.map(\.line) == ["batch 1", "batch 2", "batch 3", "batch 4", "connected with ***", "done"], "\(milestones.all)")
                    let exited = try #require(milestones.firstTime { if case .ephemeralExited = $0 { true } else { false } })
                    let firstLine = try #require(told.first?.at)
                    #expect(exited.timeIntervalSince(firstLine) > 0.5, "the first line was told only when the migration exited")
                    #expect(!milestones.all.contains { "\($0.milestone)".contains(password) })
                }
            }
        }

        /// Lockstep never pulls: a release whose image is not on the host is refused
        /// before the previous app is stopped or the migration runs.
        @Test func aMissingImageIsRefusedBeforeAnythingChanges() async throws {
            try await RunnerFixture.with("image-missing") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let releaseA = try await fixture.installShopA(cluster: cluster, password: password)

                    var releaseB = releaseA
                    releaseB.release = "B"
                    releaseB.webImageVersion = "not-built"
                    releaseB.migration = psqlMigration("create table b_ran (id int)")
                    let reportB = await fixture.apply(try render(releaseB.yaml, values: ["db_password": password]), release: "B")

                    #expect(!reportB.succeeded)
                    let failure = try #require(reportB.failure)
                    #expect(failure.contains("web/web"), "\(failure)")
                    #expect(failure.contains("lockstep-test/busybox:not-built not found locally"), "\(failure)")
                    #expect(failure.contains("nothing was changed"), "\(failure)")
                    #expect(reportB.stoppedPrevious.isEmpty && reportB.restoredPrevious.isEmpty)
                    #expect(reportB.runs.allSatisfy { $0.outcome == .kept }, "\(summary(reportB))")
                    // A's app never stopped, B's migration never ran.
                    #expect(fixture.creations(of: fixture.name("migrate", "migrate")).count == 1)
                    #expect(try await fixture.inspect("web", "web")?.labels[LockstepLabel.release] == "A")
                    #expect(await HostChecks.httpGet(port: releaseA.webPort) == "shop A\n")
                    #expect(try await cluster.psql("select to_regclass('public.b_ran') is null", database: ShopManifest.databaseName) == "t")
                }
            }
        }

        /// The database container changes in the new release too: the new one is started
        /// under the same name, and stopping "the previous release's apps" before the
        /// migration must not stop it.
        @Test func aReplacedDatabaseContainerKeepsRunningThroughTheMigration() async throws {
            try await RunnerFixture.with("db-replaced") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let releaseA = try await fixture.installShopA(cluster: cluster, password: password)
                    let gateA = try #require(try await fixture.inspect("db", "gate"))

                    var releaseB = releaseA
                    releaseB.release = "B"
                    releaseB.gateCommand = ["sleep", "3601"]
                    releaseB.migration = psqlMigration("alter table items add column name text")
                    let reportB = await fixture.apply(try render(releaseB.yaml, values: ["db_password": password]), release: "B")

                    #expect(reportB.succeeded, "\(summary(reportB))")
                    let gateB = try #require(try await fixture.inspect("db", "gate"))
                    #expect(gateB.id != gateA.id)
                    #expect(gateB.labels[LockstepLabel.release] == "B")
                    #expect(gateB.isRunning, "the new database container was stopped: \(gateB.statusDescription)")
                    #expect(reportB.runs.first { $0.component == "db" }?.outcome == .running)
                    #expect(try await fixture.parkedCopies(of: "db", "gate").isEmpty)
                    // The old app was stopped for the migration, then replaced.
                    #expect(reportB.stoppedPrevious == [fixture.name("web", "web")])
                    #expect(await HostChecks.httpGet(port: releaseB.webPort) == "shop B\n")
                }
            }
        }

        /// A changed database container whose replacement never becomes ready: with
        /// `--on-failure restore` the previous one comes back under its name, running.
        @Test func aReplacedDatabaseThatNeverBecomesReadyIsPutBack() async throws {
            try await RunnerFixture.with("db-put-back") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let releaseA = try await fixture.installShopA(cluster: cluster, password: password)
                    let gateA = try #require(try await fixture.inspect("db", "gate"))

                    let releaseB = try releaseA.withUnreadyDatabase(release: "B")
                    let reportB = await fixture.apply(try render(releaseB.yaml, values: ["db_password": password]), release: "B")

                    #expect(!reportB.succeeded)
                    #expect(reportB.failure?.contains("database accepts writes") == true, "\(summary(reportB))")
                    let gate = try #require(try await fixture.inspect("db", "gate"), "the previous database container is gone")
                    #expect(gate.id == gateA.id)
                    #expect(gate.labels[LockstepLabel.release] == "A")
                    #expect(gate.isRunning)
                    #expect(reportB.restoredPrevious.contains(fixture.name("db", "gate")))
                    #expect(try await fixture.parkedCopies(of: "db", "gate").isEmpty)
                    // The migration never ran, so A's app was never stopped.
                    #expect(await HostChecks.httpGet(port: releaseA.webPort) == "shop A\n")
                }
            }
        }

        @Test func aMigrationPastItsEventTimeoutIsStoppedAndNothingFollows() async throws {
            try await RunnerFixture.with("migrate-hang") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    var release = ShopManifest(release: "1.0.0", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                    release.migration = ["sleep", "60"]
                    release.migrationTimeout = 2

                    let report = await fixture.apply(try render(release.yaml, values: ["db_password": password]), release: "1.0.0")

                    #expect(!report.succeeded)
                    let failure = try #require(report.failure)
                    #expect(failure.contains("migration finished"), "\(failure)")
                    #expect(failure.contains("timed out after 2 s"), "\(failure)")
                    let elapsed = report.finishedAt.timeIntervalSince(report.startedAt)
                    #expect(elapsed < 20, "the apply took \(elapsed) s: the hung migration was not stopped at its timeout")
                    let migration = try #require(report.runs.first { $0.component == "migrate" })
                    #expect(migration.outcome == .failed)
                    let ran = try #require(migration.finishedAt).timeIntervalSince(try #require(migration.startedAt))
                    #expect(ran >= 2 && ran < 10, "the migration ran \(ran) s")

                    // Nothing subscribed started, and the migration is not left running.
                    // (It may have been created ahead of the migration; it is removed, never started.)
                    #expect(!fixture.commands.all.contains(["start", fixture.name("web", "web")]))
                    #expect(try await fixture.inspect("web", "web") == nil)
                    #expect(try await fixture.inspect("migrate", "migrate")?.isRunning != true)
                    #expect(!report.firedEvents.contains { $0.contains("migration finished") })
                }
            }
        }
    }
}

extension RunnerFixture {
    /// Release A of the shop (an items table, its app answering "shop A") applied against
    /// the host database: where the upgrade tests start from.
    func installShopA(cluster: PostgresCluster, password: String) async throws -> ShopManifest {
        var release = ShopManifest(release: "A", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
        release.migration = psqlMigration("create table items (id int primary key)")
        let report = await apply(try render(release.yaml, values: ["db_password": password]), release: "A")
        try #require(report.succeeded, "\(summary(report))")
        return release
    }
}
