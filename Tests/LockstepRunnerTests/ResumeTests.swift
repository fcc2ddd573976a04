import Foundation
import LockstepRunner
import LockstepRuntime
import LockstepTestSupport
import Testing

extension RunnerTests {
    /// Resuming an interrupted apply (same run id): a migration is judged by what the
    /// journal recorded or by its container that outlived the crash, never run twice.
    @Suite(.serialized) struct Resume {
        @Test(arguments: [Int32(0), 3])
        func aJournaledExitDecidesWithoutRunningTheMigrationAgain(recorded: Int32) async throws {
            try await RunnerFixture.with("resume-\(recorded)") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let runID = "run-\(UUID().uuidString.prefix(8))"
                    let migrateName = fixture.name("migrate", "migrate")
                    let journal = MemoryJournal([(runID, migrateName, recorded)])
                    var release = ShopManifest(release: "1.0.0", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                    // Would leave a table behind if it ran.
                    release.migration = psqlMigration("create table ran_again (id int)")

                    let report = await fixture.runner.apply(
                        try render(release.yaml, values: ["db_password": password]),
                        options: fixture.options(release: "1.0.0", runID: runID, journal: journal)
                    )

                    #expect(fixture.creations(of: migrateName).isEmpty, "the migration container was created again")
                    #expect(try await cluster.psql("select to_regclass('public.ran_again') is null", database: ShopManifest.databaseName) == "t")
                    let migration = try #require(report.runs.first { $0.component == "migrate" }, "\(summary(report))")
                    #expect(migration.exitCode == recorded)
                    if recorded == 0 {
                        #expect(migration.detail?.contains("recorded") == true, "\(migration.detail ?? "")")
                        #expect(report.succeeded, "\(summary(report))")
                        #expect(migration.outcome == .succeeded)
                        #expect(report.firedEvents.contains(#"migrate/migrate: "migration finished""#))
                        #expect(await HostChecks.httpGet(port: release.webPort) == "shop 1.0.0\n")
                    } else {
                        #expect(!report.succeeded)
                        #expect(report.failure?.contains("exited 3") == true, "\(report.failure ?? "")")
                        #expect(migration.outcome == .failed)
                        #expect(fixture.creations(of: fixture.name("web", "web")).isEmpty)
                    }
                }
            }
        }

        @Test func aMigrationContainerThatOutlivedTheCrashIsAdopted() async throws {
            try await RunnerFixture.with("adopt") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let runID = "run-\(UUID().uuidString.prefix(8))"
                    let migrateName = fixture.name("migrate", "migrate")
                    // The interrupted apply had created and started the migration, which exited 0
                    // before its exit code reached the journal.
                    let earlier = ContainerSpec(
                        name: migrateName,
                        image: TestImages.psql,
                        command: ["sh", "-c", "echo migrated-before-the-crash"],
                        network: .host
                    )
                    .labelled(install: fixture.installation, release: "1.0.0", component: "migrate", container: "migrate", runID: runID)
                    _ = try await fixture.engine.create(earlier)
                    try await fixture.engine.start(migrateName)
                    #expect(try await fixture.engine.wait(migrateName) == 0)
                    let createsBefore = fixture.creations(of: migrateName).count
                    let journal = MemoryJournal()
                    var release = ShopManifest(release: "1.0.0", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                    release.migration = psqlMigration("create table ran_again (id int)")

                    let report = await fixture.runner.apply(
                        try render(release.yaml, values: ["db_password": password]),
                        options: fixture.options(release: "1.0.0", runID: runID, journal: journal)
                    )

                    #expect(report.succeeded, "\(summary(report))")
                    #expect(fixture.creations(of: migrateName).count == createsBefore, "the migration container was created again")
                    #expect(try await cluster.psql("select to_regclass('public.ran_again') is null", database: ShopManifest.databaseName) == "t")
                    let migration = try #require(report.runs.first { $0.component == "migrate" })
                    #expect(migration.detail?.contains("adopted") == true, "\(migration.detail ?? "")")
                    #expect(migration.exitCode == 0)
                    #expect(migration.logTail.contains("migrated-before-the-crash"))
                    #expect(try await journal.recordedExit(runID: runID, containerName: migrateName) == 0)
                    #expect(try await fixture.engine.inspect(migrateName) == nil, "the adopted container was not removed")
                    #expect(await HostChecks.httpGet(port: release.webPort) == "shop 1.0.0\n")
                }
            }
        }
    }
}
