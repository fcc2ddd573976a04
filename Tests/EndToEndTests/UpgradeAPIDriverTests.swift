import Foundation
import LockstepTestSupport
import Testing

extension UpgradeEndToEnd {
    /// The demo's upgrade driven through the engine API (DESIGN.md §14): `--engine unix://…`
    /// at a `podman system service` this test starts. lockstep runs with a PATH that holds
    /// no podman, so a step that fell back to the CLI driver would fail.
    @Suite("upgrade through the engine API")
    struct APIDriverTests {
        @Test("install 1.0.0 and upgrade --to latest over the API: the target, a ledger row per step, each migration before its app")
        func upgradeOverTheAPI() async throws {
            // Stopped after the scenario removed its containers: their conmon processes hold
            // the socket Foundation's Process watches for the exit (see PostgresCommand).
            let service = try PodmanService()
            defer { service.stop() }
            let noEngineOnPath = try TemporaryDirectory(prefix: "lockstep-no-podman")
            defer { noEngineOnPath.remove() }
            let apiOnly = ["PATH": noEngineOnPath.path]

            try await UpgradeScenario.with("api") { scenario in
                try await scenario.cutAll()
                let installed = try await scenario.upgrade(
                    "--to",
                    "1.0.0",
                    "--network",
                    "host",
                    "--config",
                    scenario.configPath,
                    environment: apiOnly.merging(["LOCKSTEP_ENGINE": service.url]) { $1 }
                )
                #expect(installed.status == 0, "install over the API: \(installed.combined)")
                #expect(await scenario.appAnswer() == "inventory 1.0.0")

                let upgraded = try await scenario.upgrade("--to", "latest", "--engine", service.url, "--output", "json", environment: apiOnly)
                #expect(upgraded.status == 0, "\(upgraded.combined)")
                let report = try JSONDecoder().decode(UpgradeReportJSON.self, from: Data(upgraded.stdout.utf8))
                #expect(report.succeeded)
                #expect(report.installedVersion == "1.5.0")
                #expect(report.steps.map(\.version) == ["1.2.0", "1.4.0", "1.5.0"])
                #expect(report.steps.allSatisfy { $0.state == "succeeded" })
                #expect(report.migrations.map(\.exitCode) == [0, 0, 0])

                #expect(try await scenario.status().current == "1.5.0")
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"], "each migration ran once, in order")
                #expect(await scenario.appAnswer() == "inventory 1.5.0")
                // Nothing left over: the finished migrations and the previous apps are gone.
                let left = try await scenario.containers()
                #expect(left == [scenario.dbContainer: "running", "lockstep-\(scenario.install)-web-web": "running"], "\(left)")

                let ledger = try await scenario.ledger()
                for version in ["1.2.0", "1.4.0", "1.5.0"] {
                    let rows = ledger.filter { $0.releaseVersion == version }
                    #expect(rows.contains { $0.kind == "step" && $0.status == "succeeded" }, "a succeeded step row for \(version)")
                    let migration = try #require(rows.first { $0.kind == "run" && $0.component == "migrate" }, "the migration of \(version)")
                    let app = try #require(rows.first { $0.kind == "run" && $0.component == "web" }, "the app of \(version)")
                    #expect(migration.exitCode == 0)
                    let migrationEnd = try #require(migration.finishedAt.flatMap(LedgerTime.parse), "\(version): \(migration)")
                    let appStart = try #require(app.startedAt.flatMap(LedgerTime.parse), "\(version): \(app)")
                    #expect(migrationEnd <= appStart, "\(version): the app started after its migration exited")
                }
                try await scenario.expectLedgerIntact()
            }
        }
    }
}

/// Ledger times as `ledger ls --output json` prints them (ISO 8601, UTC, fractional seconds).
enum LedgerTime {
    static func parse(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)))
    }
}
