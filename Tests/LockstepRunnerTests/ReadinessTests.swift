import Foundation
import LockstepRunner
import LockstepRuntime
import LockstepTestSupport
import Testing

extension RunnerTests {
    /// `postgres-ready` holds the migration back until PostgreSQL itself answers, and an
    /// open port is not enough.
    @Suite(.serialized) struct Readiness {
        @Test func theMigrationWaitsForADatabaseThatStartsLater() async throws {
            try await RunnerFixture.with("late-db") { fixture in
                let password = freshPassword()
                // The role and database exist, but the server is down when the apply begins.
                let cluster = try await startShopDatabase(password: password)
                do {
                    try await cluster.stopServer()
                    var release = ShopManifest(release: "1.0.0", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                    release.migration = psqlMigration("create table items (id int primary key)")
                    let manifest = try render(release.yaml, values: ["db_password": password])
                    let milestones = MilestoneLog()

                    let apply = Task { await fixture.apply(manifest, release: "1.0.0", milestones: milestones) }
                    try await Task.sleep(for: .seconds(3))
                    #expect(
                        fixture.creations(of: fixture.name("migrate", "migrate")).isEmpty,
                        "the migration was created before the database started"
                    )
                    let serverStart = Date()
                    try await cluster.startServer()
                    let report = await apply.value

                    #expect(report.succeeded, "\(summary(report))")
                    let ready = try #require(milestones.firstTime { $0 == .eventFired("db/gate: database accepts writes") })
                    #expect(ready >= serverStart)
                    let migration = try #require(report.runs.first { $0.component == "migrate" })
                    #expect(try #require(migration.startedAt) >= serverStart)
                    #expect(migration.exitCode == 0)
                    #expect(try await cluster.psql("select to_regclass('public.items') is not null", database: ShopManifest.databaseName) == "t")
                    #expect(await HostChecks.httpGet(port: release.webPort) == "shop 1.0.0\n")
                } catch {
                    await cluster.stop()
                    throw error
                }
                await cluster.stop()
            }
        }

        @Test func aPortThatIsOpenButNotPostgreSQLNeverReleasesTheMigration() async throws {
            try await RunnerFixture.with("not-pg") { fixture in
                let listener = try NotPostgresListener(port: try PostgresCluster.freePort())
                defer { listener.stop() }
                // Something really listens there: a bare port check would pass.
                #expect(HostChecks.httpGetOnce(port: listener.port) == "not postgres\n")
                var release = ShopManifest(release: "1.0.0", database: .host(port: listener.port), webPort: try PostgresCluster.freePort())
                release.readyTimeout = 3

                let report = await fixture.apply(try render(release.yaml, values: ["db_password": freshPassword()]), release: "1.0.0")

                #expect(!report.succeeded)
                let failure = try #require(report.failure)
                #expect(failure.contains("database accepts writes"), "\(failure)")
                #expect(failure.contains("postgres-ready"), "\(failure)")
                #expect(failure.contains("timed out"), "\(failure)")
                #expect(report.firedEvents.isEmpty)
                #expect(!report.runs.contains { $0.component == "migrate" || $0.component == "web" })
                #expect(fixture.creations(of: fixture.name("migrate", "migrate")).isEmpty, "the migration ran")
                #expect(fixture.creations(of: fixture.name("web", "web")).isEmpty)
                let elapsed = report.finishedAt.timeIntervalSince(report.startedAt)
                #expect(elapsed < 30, "the apply took \(elapsed) s")
                // What the apply started is stopped again.
                #expect(try await fixture.inspect("db", "gate")?.isRunning != true)
            }
        }
    }
}
