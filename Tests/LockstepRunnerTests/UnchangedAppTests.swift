import Foundation
import LockstepRunner
import LockstepRuntime
import LockstepTestSupport
import Testing

extension RunnerTests.Migrations {
    /// An app container whose spec did not change keeps its container, but it must not
    /// write while the next release's migration runs: stopped for it, started after it.
    @Test func anUnchangedAppIsStoppedDuringTheMigrationAndStartedAfterIt() async throws {
        try await RunnerFixture.with("unchanged-app") { fixture in
            let password = freshPassword()
            try await withShopDatabase(password: password) { cluster in
                let webName = fixture.name("web", "web")
                var releaseA = ShopManifest(release: "A", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                releaseA.migration = psqlMigration("create table items (id int primary key)")
                let reportA = await fixture.apply(try render(releaseA.yaml, values: ["db_password": password]), release: "A")
                try #require(reportA.succeeded, "\(summary(reportA))")
                let webBefore = try #require(try await fixture.inspect("web", "web"))

                // Release B changes only the migration, which fails (exit 4) if the app answers while it runs.
                var releaseB = releaseA
                releaseB.migration = [
                    "sh", "-c",
                    "if wget -q -T 2 -O- http://127.0.0.1:\(releaseA.webPort)/; then echo 'the app answered during the migration'; exit 4; fi; echo 'the app is stopped'",
                ]
                let reportB = await fixture.apply(try render(releaseB.yaml, values: ["db_password": password]), release: "B")

                #expect(reportB.succeeded, "\(summary(reportB))")
                let migration = try #require(reportB.runs.first { $0.component == "migrate" })
                #expect(migration.exitCode == 0)
                #expect(migration.logTail.contains("the app is stopped"))
                #expect(reportB.stoppedPrevious == [webName])
                let web = try #require(reportB.runs.first { $0.component == "web" })
                #expect(web.outcome == .kept)
                let webAfter = try #require(try await fixture.inspect("web", "web"))
                #expect(webAfter.id == webBefore.id, "the unchanged app was recreated")
                #expect(webAfter.isRunning)
                #expect(fixture.creations(of: webName).count == 1)
                #expect(await HostChecks.httpGet(port: releaseA.webPort) == "shop A\n")
            }
        }
    }
}
