import Foundation
import LockstepRunner
import LockstepRuntime
import LockstepTestSupport
import Testing

extension RunnerTests {
    /// The classic scenario: the database ships as a container that runs initdb (and the
    /// official image's temporary socket-only server) on first start; the migration must
    /// wait for it to accept writes, the app for the migration.
    @Suite(.serialized) struct DatabaseContainer {
        @Test func theMigrationStartsOnlyOnceTheDatabaseContainerIsReadyThenTheApp() async throws {
            try await RunnerFixture.with("classic", images: [.busybox, .psql, .postgres]) { fixture in
                let password = freshPassword()
                var release = ShopManifest(
                    release: "1.0.0",
                    database: .container(port: try PostgresCluster.freePort()),
                    webPort: try PostgresCluster.freePort()
                )
                release.readyTimeout = 120
                // Fails if the database or its role were not there yet: psql makes one attempt.
                release.migration = psqlMigration("create table items (id int primary key); insert into items values (1)")
                let milestones = MilestoneLog()

                let report = await fixture.apply(
                    try render(release.yaml, values: ["db_password": password]),
                    release: "1.0.0",
                    milestones: milestones
                )

                #expect(report.succeeded, "\(summary(report))")
                #expect(report.firedEvents == [#"db/postgres: "database accepts writes""#, #"migrate/migrate: "migration finished""#])
                let db = try #require(report.runs.first { $0.component == "db" })
                let migration = try #require(report.runs.first { $0.component == "migrate" })
                let web = try #require(report.runs.first { $0.component == "web" })
                #expect(db.outcome == .running)
                #expect(migration.exitCode == 0)
                #expect(migration.logTail.contains("INSERT 0 1"))

                let dbStart = try #require(db.startedAt)
                let ready = try #require(milestones.firstTime { $0 == .eventFired("db/postgres: database accepts writes") }, "\(milestones.all)")
                let migrationStarting = try #require(
                    milestones.firstTime { $0 == .starting(container: fixture.name("migrate", "migrate"), ephemeral: true) }
                )
                let migrationStart = try #require(migration.startedAt)
                // initdb and the temporary server take a while: the migration had something to wait for.
                #expect(
                    ready.timeIntervalSince(dbStart) > 0.5,
                    "postgres-ready fired \(ready.timeIntervalSince(dbStart)) s after the database started"
                )
                #expect(migrationStarting >= ready)
                #expect(migrationStart >= ready)
                #expect(try #require(web.startedAt) >= (try #require(migration.finishedAt)))

                #expect(await HostChecks.httpGet(port: release.webPort) == "shop 1.0.0\n")
                #expect(try await containerDatabaseQuery(release, password: password, "select count(*) from items") == "1")
                #expect(try await fixture.inspect("db", "postgres")?.isRunning == true)
            }
        }

        @Test func anUnchangedDatabaseKeepsRunningAndAChangedAppIsReplaced() async throws {
            try await RunnerFixture.with("keep", images: [.busybox, .psql, .postgres]) { fixture in
                let password = freshPassword()
                var releaseA = ShopManifest(
                    release: "A",
                    database: .container(port: try PostgresCluster.freePort()),
                    webPort: try PostgresCluster.freePort()
                )
                releaseA.readyTimeout = 120
                releaseA.migration = psqlMigration("create table items (id int primary key); insert into items values (1)")
                let reportA = await fixture.apply(try render(releaseA.yaml, values: ["db_password": password]), release: "A")
                try #require(reportA.succeeded, "\(summary(reportA))")
                let dbBefore = try #require(try await fixture.inspect("db", "postgres"))
                let webBefore = try #require(try await fixture.inspect("web", "web"))

                var releaseB = releaseA
                releaseB.release = "B"
                releaseB.migration = psqlMigration("alter table items add column name text")
                let reportB = await fixture.apply(try render(releaseB.yaml, values: ["db_password": password]), release: "B")

                #expect(reportB.succeeded, "\(summary(reportB))")
                let dbAfter = try #require(try await fixture.inspect("db", "postgres"))
                #expect(dbAfter.id == dbBefore.id, "the database container was replaced")
                #expect(dbAfter.isRunning)
                #expect(dbAfter.startedAt == dbBefore.startedAt, "the database container was restarted")
                #expect(reportB.runs.first { $0.component == "db" }?.outcome == .kept)
                // A kept database still publishes its event: B's migration followed it.
                #expect(reportB.firedEvents == [#"db/postgres: "database accepts writes""#, #"migrate/migrate: "migration finished""#])

                let webAfter = try #require(try await fixture.inspect("web", "web"))
                #expect(webAfter.id != webBefore.id, "the changed app container was not replaced")
                #expect(webAfter.labels[LockstepLabel.release] == "B")
                #expect(webAfter.isRunning)
                #expect(reportB.stoppedPrevious == [fixture.name("web", "web")])
                #expect(await HostChecks.httpGet(port: releaseB.webPort) == "shop B\n")
                // A's data survived: the database was not initialised again.
                #expect(try await containerDatabaseQuery(releaseB, password: password, "select count(*) from items where name is null") == "1")
            }
        }
    }
}

/// Runs SQL with the host's psql against the database container over 127.0.0.1.
private func containerDatabaseQuery(_ release: ShopManifest, password: String, _ sql: String) async throws -> String {
    let result = try await PostgresCommand.check(
        PostgresCluster.tool("psql"),
        [
            "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(release.dbPort),
            "-U", ShopManifest.user, "-d", ShopManifest.databaseName, "-c", sql,
        ],
        environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "5"]
    )
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}
