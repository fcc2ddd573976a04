import Foundation
import LockstepRuntime
import LockstepTestSupport
import Testing

@testable import LockstepRunner

extension RunnerTests {
    /// Less downtime (DESIGN.md §14): the next app exists, created and not started,
    /// while the migration runs; after exit 0 it only has to start.
    @Suite(.serialized) struct Staging {
        @Test func theNextAppIsCreatedWhileTheMigrationRunsAndStartedOnlyAfterItExitsZero() async throws {
            try await RunnerFixture.with("staged-app") { fixture in
                let password = freshPassword()
                try await withShopDatabase(password: password) { cluster in
                    let webName = fixture.name("web", "web")
                    let releaseA = try await fixture.installShopA(cluster: cluster, password: password)
                    var releaseB = releaseA
                    releaseB.release = "B"
                    releaseB.migration = ["sh", "-c", "echo migrating; sleep 3; echo done"]
                    let manifest = try render(releaseB.yaml, values: ["db_password": password])
                    let applying = Task { await fixture.apply(manifest, release: "B") }

                    // While the migration runs: B's app is there, created, not started; A's is parked.
                    let seen = try? await Polling.eventually(within: 20) { () -> ContainerState? in
                        guard let web = try await fixture.inspect("web", "web"), web.labels[LockstepLabel.release] == "B" else { return nil }
                        return web
                    }
                    let migrationRunning = try? await fixture.inspect("migrate", "migrate")?.isRunning
                    let parked = (try? await fixture.parkedCopies(of: "web", "web")) ?? []
                    let report = await applying.value

                    let stagedWeb = try #require(seen ?? nil, "B's app was not created while the migration ran")
                    #expect(stagedWeb.status == .created)
                    #expect(stagedWeb.startedAt == nil)
                    #expect(migrationRunning == true, "the app was created only after the migration")
                    #expect(parked.map { $0.labels[LockstepLabel.release] } == ["A"])
                    #expect(parked.first?.status == .exited)

                    #expect(report.succeeded, "\(summary(report))")
                    let migration = try #require(report.runs.first { $0.component == "migrate" })
                    let web = try #require(report.runs.first { $0.component == "web" })
                    #expect(try #require(web.startedAt) >= (try #require(migration.finishedAt)))
                    // The staged container is the one that runs: created once for B, never again.
                    let running = try #require(try await fixture.inspect("web", "web"))
                    #expect(running.id == stagedWeb.id)
                    #expect(running.isRunning)
                    #expect(fixture.creations(of: webName).count == 2)
                    #expect(await HostChecks.httpGet(port: releaseB.webPort) == "shop B\n")
                    // A's parked app is gone once B succeeded.
                    #expect(try await fixture.parkedCopies(of: "web", "web").isEmpty)
                }
            }
        }
    }
}

enum Polling {
    /// Polls `check` until it returns a value or `seconds` pass.
    static func eventually<T>(within seconds: Double, _ check: () async throws -> T?) async throws -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try? await check() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await check()
    }
}
